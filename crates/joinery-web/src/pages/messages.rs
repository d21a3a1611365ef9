//! For an agency's administrator: the messages its systems sent that name no case and wait to
//! be placed on theirs (by URN or ASN), those refused (with why) or accepted with data-quality
//! problems, each of which is marked resolved with a note of how, and the history of those
//! resolutions.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use joinery_app::{
    CaseLookup, ExceptionRecord, PlaceOutcome, RejectionRecord, ResolutionRecord, ResolveOutcome,
    UnplacedRecord,
};
use joinery_domain::{Asn, ExceptionId, UnplacedId, Urn};
use serde::Deserialize;

use super::PageError;
use super::csrf::{CheckedForm, tokened};
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::minute;
use crate::AppState;

struct ProblemRow {
    id: String,
    source: String,
    case: Option<String>,
    field: String,
    value: String,
    explanation: String,
}

/// A message waiting to be placed: its id, when received, its format, what is wrong.
struct UnplacedRow {
    id: String,
    received: String,
    format: String,
    problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct MessagesPage {
    nav: Nav,
    unplaced: Vec<UnplacedRow>,
    problems: Vec<ProblemRow>,
    refused: Vec<(String, String, Vec<String>)>,
    /// How the agency resolved its latest problems: when, what, by whom, the note.
    resolved: Vec<(String, String, String, String)>,
    /// Whether the reader may open cases (an administrator may not).
    opens_cases: bool,
    /// The most of each list the store gives (the latest).
    shown_at_most: usize,
    /// A resolution sent back: the problem's id and what was typed.
    sent_back: (String, String),
    errors: FormErrors,
}

impl MessagesPage {
    fn new(
        nav: Nav,
        (unplaced, problems, refused, resolved): (
            Vec<UnplacedRecord>,
            Vec<ExceptionRecord>,
            Vec<RejectionRecord>,
            Vec<ResolutionRecord>,
        ),
        opens_cases: bool,
        (sent_back, errors): ((String, String), FormErrors),
    ) -> Self {
        Self {
            nav,
            unplaced: unplaced
                .into_iter()
                .map(|message| UnplacedRow {
                    id: message.id.to_string(),
                    received: minute(&message.received_at),
                    format: message.format.to_string(),
                    problems: message
                        .problems
                        .into_iter()
                        .map(|problem| match problem.value.as_str() {
                            "" => problem.explanation,
                            value => format!("{} ({value})", problem.explanation),
                        })
                        .collect(),
                })
                .collect(),
            resolved: resolved
                .into_iter()
                .map(|resolution| {
                    (
                        minute(&resolution.resolved_at),
                        format!("{} ({})", resolution.code, resolution.field),
                        resolution.resolved_by,
                        resolution.note.unwrap_or_else(|| "No note".to_owned()),
                    )
                })
                .collect(),
            opens_cases,
            shown_at_most: joinery_app::LISTED_AT_MOST,
            sent_back,
            errors,
            problems: problems
                .into_iter()
                .map(|exception| ProblemRow {
                    id: exception.id.to_string(),
                    source: exception.source_id,
                    case: exception.case_id.map(|id| id.to_string()),
                    field: exception.problem.field,
                    value: exception.problem.value,
                    explanation: exception.problem.explanation,
                })
                .collect(),
            refused: refused
                .into_iter()
                .map(|rejection| {
                    (
                        minute(&rejection.received_at),
                        rejection.format.to_string(),
                        rejection
                            .reasons
                            .into_iter()
                            .map(|reason| match reason.field.as_str() {
                                "" => format!("The whole message: {}", reason.problem),
                                field => format!("{field}: {}", reason.problem),
                            })
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, PageError> {
    render(
        &state,
        signed,
        (String::new(), String::new()),
        FormErrors::default(),
    )
    .await
}

async fn render(
    state: &AppState,
    signed: Signed,
    sent_back: (String, String),
    errors: FormErrors,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let problems = state
        .app
        .agency_exceptions(&reader)
        .await?
        .ok_or(PageError::Forbidden)?;
    let unplaced = state
        .app
        .agency_unplaced(&reader)
        .await?
        .unwrap_or_default();
    let refused = state
        .app
        .agency_rejections(&reader)
        .await?
        .unwrap_or_default();
    let resolved = state
        .app
        .agency_resolutions(&reader)
        .await?
        .unwrap_or_default();
    let status = errors.status();
    let page = MessagesPage::new(
        signed.nav,
        (unplaced, problems, refused, resolved),
        reader.role.works_cases(),
        (sent_back, errors),
    );
    Ok(with_cookie(signed.set_csrf, html(status, &page)))
}

#[derive(Deserialize)]
pub(crate) struct Resolve {
    #[serde(default)]
    id: String,
    /// How it was resolved.
    #[serde(default)]
    note: String,
    #[serde(default)]
    csrf: String,
}

tokened!(Resolve);

pub(crate) async fn resolve(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(posted): CheckedForm<Resolve>,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let mut errors = FormErrors::default();
    let note = errors.text(
        "note",
        "The note",
        &posted.note,
        Some("Enter how the problem was resolved"),
    );
    let Some(note) = note else {
        return render(&state, signed, (posted.id, posted.note), errors).await;
    };
    let outcome = match ExceptionId::parse(&posted.id) {
        Ok(id) => state.app.resolve_exception(&reader, id, Some(note)).await?,
        // Not one of ours: nothing to resolve, as for one resolved already.
        Err(_) if state.app.administers_agency(&reader)? => ResolveOutcome::NotFound,
        Err(_) => ResolveOutcome::Refused,
    };
    match outcome {
        ResolveOutcome::Refused => Err(PageError::Forbidden),
        // One already resolved (in another tab, say) leaves the list as it should be.
        ResolveOutcome::Resolved | ResolveOutcome::NotFound => {
            Ok(Redirect::to("/messages").into_response())
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct Place {
    #[serde(default)]
    id: String,
    /// The URN or ASN of the case to place the message on.
    #[serde(default)]
    reference: String,
    #[serde(default)]
    csrf: String,
}

tokened!(Place);

/// Places a message waiting on the page on the case with the URN or ASN typed.
pub(crate) async fn place(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(posted): CheckedForm<Place>,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let typed = posted.reference.trim();
    let lookup = if typed.is_empty() {
        Err("Enter the URN or ASN of the case to place the message on")
    } else if let Ok(urn) = Urn::parse(typed) {
        Ok(CaseLookup::Urn(urn))
    } else if let Ok(asn) = Asn::parse(typed) {
        Ok(CaseLookup::Asn(asn))
    } else {
        Err("Enter a URN (like 01ZD0303208) or an ASN (like 1101ZD0100000448754K)")
    };
    let sent_back = (posted.id.clone(), posted.reference.clone());
    let lookup = match lookup {
        Ok(lookup) => lookup,
        Err(message) => {
            return render(
                &state,
                signed,
                sent_back,
                FormErrors::one("reference", message),
            )
            .await;
        }
    };
    let outcome = match UnplacedId::parse(&posted.id) {
        Ok(id) => state.app.place_unplaced(&reader, id, lookup).await?,
        Err(_) if state.app.administers_agency(&reader)? => PlaceOutcome::NotFound,
        Err(_) => PlaceOutcome::Refused,
    };
    let problem = match outcome {
        PlaceOutcome::Refused => return Err(PageError::Forbidden),
        // Placed, here or in another tab: the list shows what is left.
        PlaceOutcome::Placed(..) | PlaceOutcome::AlreadyPlaced(_) | PlaceOutcome::NotFound => {
            return Ok(Redirect::to("/messages").into_response());
        }
        PlaceOutcome::NoSuchCase => "No case has this URN or ASN".to_owned(),
        PlaceOutcome::CannotPlace(why) => format!("The message cannot be placed: {why}"),
    };
    render(
        &state,
        signed,
        sent_back,
        FormErrors::one("reference", problem),
    )
    .await
}
