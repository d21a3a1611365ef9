//! The handlers of the case page's forms: ask another agency for work, report done work asked
//! of one's own agency, break glass, record consent. Each parses its form (sending it back to
//! the case page when something needs putting right), calls the application layer, and
//! redirects back to the case (post/redirect/get) or shows the refusal.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use joinery_app::{Agency, BreakGlassOutcome, WriteOutcome, WriteProblem};
use joinery_domain::{AgencyCode, AgencyKind, CaseId, Timestamp};

use super::forms::{ActionForm, CompleteForm, ConsentForm, GlassForm};
use super::work_forms::{ChargingForm, ProgressForm};
use super::{Done, Notice, Posted, render};
use crate::AppState;
use crate::extract::{PageAction, PageCase, PathId};
use crate::pages::PageError;
use crate::pages::csrf::CheckedForm;
use crate::pages::form::FormErrors;
use crate::pages::signed::Signed;
use crate::pages::words::{day, label};

/// Ask another agency for work on this case.
pub(crate) async fn request_action(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    CheckedForm(posted): CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let agencies: Vec<AgencyCode> = state
        .app
        .agencies()
        .await?
        .iter()
        .map(|agency| agency.code.clone())
        .filter(|code| *code != signed.person.user.agency.code)
        .collect();
    let request = match posted.parse(&agencies, Timestamp::now().date()) {
        Ok(request) => request,
        Err(errors) => {
            let posted = Posted {
                action: posted,
                ..Posted::default()
            };
            return render(&state, signed, id, posted, Notice::default(), errors).await;
        }
    };
    let outcome = state
        .app
        .request_action(
            &signed.reader(),
            id,
            request.action,
            request.owner.clone(),
            request.due_on,
            request.note,
        )
        .await?;
    if let WriteOutcome::Invalid(problem) = &outcome {
        let agencies = state.app.agencies().await?;
        let errors = request_problem(problem, &agencies);
        let posted = Posted {
            action: posted,
            ..Posted::default()
        };
        return render(&state, signed, id, posted, Notice::default(), errors).await;
    }
    written(id, outcome, Done::Asked)
}

/// What is wrong with a request, against the form's fields.
fn request_problem(problem: &WriteProblem, agencies: &[Agency]) -> FormErrors {
    match problem {
        WriteProblem::NotTheirWork { action, done_by } => FormErrors::one(
            "owner",
            format!(
                "{} is work for {}: select one",
                action.words(),
                kind_words(*done_by)
            ),
        ),
        WriteProblem::UnknownAgency => FormErrors::one("owner", "Select the agency you are asking"),
        WriteProblem::AlreadyAsked { action_id, due_on } => {
            let _ = agencies;
            FormErrors::one(
                "action",
                format!(
                    "This work is already asked of that agency and not yet done (request {action_id}, due {}): wait for it, or ask for something else",
                    day(*due_on)
                ),
            )
        }
    }
}

/// A kind of agency, as one of many: "a probation service".
fn kind_words(kind: AgencyKind) -> &'static str {
    match kind {
        AgencyKind::Police => "a police force",
        AgencyKind::Cps => "a CPS area",
        AgencyKind::Court => "a court",
        AgencyKind::Probation => "a probation service",
        AgencyKind::Voluntary => "a support service",
    }
}

/// Record the CPS's decision on charge.
pub(crate) async fn record_charging_decision(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    CheckedForm(posted): CheckedForm<ChargingForm>,
) -> Result<Response, PageError> {
    let (decision, offences) = match posted.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            let posted = Posted {
                charging: posted,
                ..Posted::default()
            };
            return render(&state, signed, id, posted, Notice::default(), errors).await;
        }
    };
    let outcome = state
        .app
        .record_charging_decision(&signed.reader(), id, decision, offences)
        .await?;
    written(id, outcome, Done::Charging)
}

/// Record a person's attendance and engagement on a referral.
pub(crate) async fn record_progress(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    CheckedForm(posted): CheckedForm<ProgressForm>,
) -> Result<Response, PageError> {
    let progress = match posted.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            let posted = Posted {
                progress: posted,
                ..Posted::default()
            };
            return render(&state, signed, id, posted, Notice::default(), errors).await;
        }
    };
    let outcome = state
        .app
        .record_progress(
            &signed.reader(),
            id,
            progress.referral,
            progress.attendance,
            progress.engagement,
            progress.note,
        )
        .await?;
    written(id, outcome, Done::Progress)
}

/// Report done an action asked of the reader's agency.
pub(crate) async fn complete_action(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    PathId(action_id, ..): PageAction,
    CheckedForm(posted): CheckedForm<CompleteForm>,
) -> Result<Response, PageError> {
    settle(&state, signed, (id, action_id), &posted, Done::Completed).await
}

/// Withdraw work the reader's agency asked for.
pub(crate) async fn withdraw_action(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    PathId(action_id, ..): PageAction,
    CheckedForm(posted): CheckedForm<CompleteForm>,
) -> Result<Response, PageError> {
    settle(&state, signed, (id, action_id), &posted, Done::Withdrawn).await
}

/// Marks an action done (`Done::Completed`) or withdraws it (`Done::Withdrawn`), with the
/// note typed on its button; the case page again when the note needs putting right.
async fn settle(
    state: &AppState,
    signed: Signed,
    (id, action_id): (CaseId, joinery_domain::ActionId),
    posted: &CompleteForm,
    done: Done,
) -> Result<Response, PageError> {
    let note = match done_note(&action_id, &posted.note) {
        Ok(note) => note,
        Err(sent_back) => {
            let (posted, errors) = *sent_back;
            return render(state, signed, id, posted, Notice::default(), errors).await;
        }
    };
    let reader = signed.reader();
    let outcome = match done {
        Done::Withdrawn => {
            state
                .app
                .withdraw_action(&reader, id, action_id, note)
                .await?
        }
        _ => {
            state
                .app
                .complete_action(&reader, id, action_id, note)
                .await?
        }
    };
    written(id, outcome, done)
}

/// Record a person's consent, or its withdrawal.
pub(crate) async fn record_consent(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    CheckedForm(posted): CheckedForm<ConsentForm>,
) -> Result<Response, PageError> {
    let (category, given, source) = match posted.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            let posted = Posted {
                consent: posted,
                ..Posted::default()
            };
            return render(&state, signed, id, posted, Notice::default(), errors).await;
        }
    };
    let outcome = state
        .app
        .record_consent(&signed.reader(), id, category, given, source)
        .await?;
    written(id, outcome, Done::Consent)
}

/// Ask to see a category of the case withheld from the reader.
pub(crate) async fn break_glass(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    CheckedForm(posted): CheckedForm<GlassForm>,
) -> Result<Response, PageError> {
    let (category, reason) = match posted.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return sent_back(&state, signed, id, posted, errors).await,
    };
    let outcome = state
        .app
        .break_glass(&signed.reader(), id, category, reason)
        .await?;
    let refusal = match outcome {
        BreakGlassOutcome::Granted(_) => {
            return Ok(
                Redirect::to(&format!("/cases/{id}?glass={}", category.as_str())).into_response(),
            );
        }
        BreakGlassOutcome::NotFound => return Err(PageError::NotFound),
        BreakGlassOutcome::NothingWithheld => format!(
            "Nothing of the kind ({}) is withheld from you on this case",
            label(category.as_str()).to_lowercase()
        ),
        BreakGlassOutcome::Refused => format!(
            "The information-sharing agreement does not let you break glass for {}",
            label(category.as_str()).to_lowercase()
        ),
    };
    let errors = FormErrors::one("category", refusal);
    sent_back(&state, signed, id, posted, errors).await
}

async fn sent_back(
    state: &AppState,
    signed: Signed,
    id: CaseId,
    glass: GlassForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let posted = Posted {
        glass,
        ..Posted::default()
    };
    render(state, signed, id, posted, Notice::default(), errors).await
}

/// Back to the case page after a write (post/redirect/get), or the page for a refusal.
/// The optional note on work marked done (or withdrawn): what was typed; or the case page's
/// forms to send back, the note named at fault.
fn done_note(
    action: &joinery_domain::ActionId,
    typed: &str,
) -> Result<Option<joinery_domain::Text>, Box<(Posted, FormErrors)>> {
    let mut errors = FormErrors::default();
    let note = errors.text("done-note", "The note", typed, None);
    match errors.is_empty() {
        true => Ok(note),
        false => Err(Box::new((
            Posted {
                done: (action.to_string(), typed.to_owned()),
                ..Posted::default()
            },
            errors,
        ))),
    }
}

/// Back to the case, saying what was done (post/redirect/get).
fn written(id: CaseId, outcome: WriteOutcome, done: Done) -> Result<Response, PageError> {
    match outcome {
        WriteOutcome::Written { .. } => {
            Ok(Redirect::to(&format!("/cases/{id}?done={}", done.as_str())).into_response())
        }
        WriteOutcome::Refused | WriteOutcome::Invalid(_) => Err(PageError::Forbidden),
        WriteOutcome::NotFound => Err(PageError::NotFound),
    }
}
