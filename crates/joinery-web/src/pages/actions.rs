//! The case page's two forms for work between agencies: asking another agency for work by a
//! date (a pre-sentence report, a full file…), and reporting done work asked of one's own
//! agency. The gatekeeper decides who may write; this module only parses the forms and sends
//! them back, in the GOV.UK error pattern, when something needs putting right.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use joinery_access::WriteOutcome;
use joinery_domain::journey::ActionKind;
use joinery_domain::{ActionId, AgencyCode, CaseId, Text, Timestamp};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use super::case::{Posted, render};
use super::form::FormErrors;
use super::render::PageError;
use super::sign_in::signed_in_form;
use crate::AppState;

/// The kinds of work one agency asks of another from the case page. Referrals are not among
/// them: a support group takes a person on through its own system, with their agreement.
pub(crate) const ACTION_KINDS: [ActionKind; 5] = [
    ActionKind::PreSentenceReport,
    ActionKind::FullFile,
    ActionKind::Antecedents,
    ActionKind::RiskAssessment,
    ActionKind::Other,
];

/// The form value of a kind of work, as the API spells it.
pub(crate) fn kind_code(kind: &ActionKind) -> &'static str {
    match kind {
        ActionKind::PreSentenceReport => "pre_sentence_report",
        ActionKind::FullFile => "full_file",
        ActionKind::Antecedents => "antecedents",
        ActionKind::RiskAssessment => "risk_assessment",
        ActionKind::Referral => "referral",
        ActionKind::Other => "other",
    }
}

/// The request form as posted; kept whole so that a form sent back shows what was typed.
#[derive(Deserialize, Default)]
pub(crate) struct ActionForm {
    #[serde(default)]
    pub(crate) action: String,
    #[serde(default)]
    pub(crate) owner: String,
    #[serde(default)]
    pub(crate) due_on: String,
    #[serde(default)]
    pub(crate) note: String,
    #[serde(default)]
    csrf: String,
}

/// A request that parsed, ready for the gatekeeper.
struct ActionRequest {
    action: ActionKind,
    owner: AgencyCode,
    due_on: Date,
    note: Option<Text>,
}

impl ActionForm {
    /// Parses the form, naming each field at fault; `agencies` are those that may be asked.
    fn parse(&self, agencies: &[AgencyCode], today: Date) -> Result<ActionRequest, FormErrors> {
        let mut errors = FormErrors::default();
        let action = ACTION_KINDS
            .into_iter()
            .find(|kind| kind_code(kind) == self.action);
        if action.is_none() {
            errors.add("action", "Select the work you are asking for");
        }
        let owner = AgencyCode::parse(&self.owner)
            .ok()
            .filter(|code| agencies.contains(code));
        if owner.is_none() {
            errors.add("owner", "Select the agency you are asking");
        }
        let due_on = Date::parse(
            self.due_on.trim(),
            format_description!("[year]-[month]-[day]"),
        )
        .ok();
        match due_on {
            None => errors.add(
                "due_on",
                "Enter the date it is due by as year-month-day, for example 2026-12-01",
            ),
            Some(date) if date < today => {
                errors.add("due_on", "The date it is due by must be today or later");
            }
            Some(_) => {}
        }
        let note = match self.note.trim() {
            "" => None,
            text => Text::parse(text)
                .map_err(|_| errors.add("note", "The note must be 4,000 characters or fewer"))
                .ok(),
        };
        match (action, owner, due_on) {
            (Some(action), Some(owner), Some(due_on)) if errors.is_empty() => Ok(ActionRequest {
                action,
                owner,
                due_on,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// Ask another agency for work on this case.
pub(crate) async fn request(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(posted): Form<ActionForm>,
) -> Result<Response, PageError> {
    let id = CaseId::parse(&id).map_err(|_| PageError::NotFound)?;
    let person = match signed_in_form(&state, &headers, &posted.csrf).await? {
        Ok(person) => person,
        Err(redirect) => return Ok(redirect),
    };
    let agencies: Vec<AgencyCode> = state
        .store
        .agencies()
        .await?
        .into_iter()
        .map(|agency| agency.code)
        .filter(|code| *code != person.user.agency.code)
        .collect();
    let request = match posted.parse(&agencies, Timestamp::now().date()) {
        Ok(request) => request,
        Err(errors) => {
            let posted = Posted {
                action: posted,
                ..Posted::default()
            };
            return render(&state, &headers, id, posted, None, errors).await;
        }
    };
    let outcome = state
        .gate
        .request_action(
            &person.reader(),
            id,
            request.action,
            request.owner,
            request.due_on,
            request.note,
        )
        .await
        .map_err(|_| PageError::Internal)?;
    written(id, outcome)
}

#[derive(Deserialize)]
pub(crate) struct CompleteForm {
    #[serde(default)]
    csrf: String,
}

/// Report done an action asked of the reader's agency.
pub(crate) async fn complete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, action_id)): Path<(String, String)>,
    Form(posted): Form<CompleteForm>,
) -> Result<Response, PageError> {
    let id = CaseId::parse(&id).map_err(|_| PageError::NotFound)?;
    let action_id = ActionId::parse(&action_id).map_err(|_| PageError::NotFound)?;
    let person = match signed_in_form(&state, &headers, &posted.csrf).await? {
        Ok(person) => person,
        Err(redirect) => return Ok(redirect),
    };
    let outcome = state
        .gate
        .complete_action(&person.reader(), id, action_id)
        .await
        .map_err(|_| PageError::Internal)?;
    written(id, outcome)
}

/// Back to the case page after a write (post/redirect/get), or the page for a refusal.
pub(crate) fn written(id: CaseId, outcome: WriteOutcome) -> Result<Response, PageError> {
    match outcome {
        WriteOutcome::Written { .. } => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        WriteOutcome::Refused => Err(PageError::Forbidden),
        WriteOutcome::NotFound => Err(PageError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn form(action: &str, owner: &str, due_on: &str, note: &str) -> ActionForm {
        ActionForm {
            action: action.into(),
            owner: owner.into(),
            due_on: due_on.into(),
            note: note.into(),
            csrf: String::new(),
        }
    }

    fn fields(errors: &FormErrors) -> Vec<&'static str> {
        errors.iter().map(|error| error.field).collect()
    }

    #[test]
    fn a_complete_form_parses() {
        let agencies = [AgencyCode::parse("PROBNW").expect("agency")];
        let Ok(parsed) = form("pre_sentence_report", "PROBNW", "2026-12-01", " ")
            .parse(&agencies, date!(2026 - 11 - 27))
        else {
            panic!("a complete form is refused");
        };
        assert_eq!(parsed.action, ActionKind::PreSentenceReport);
        assert_eq!(parsed.due_on, date!(2026 - 12 - 01));
        assert!(parsed.note.is_none());
    }

    #[test]
    fn each_fault_names_its_field_in_form_order() {
        let agencies = [AgencyCode::parse("PROBNW").expect("agency")];
        let cases = [
            (form("referral", "PROBNW", "2026-12-01", ""), vec!["action"]),
            (form("other", "CPSMER", "2026-12-01", ""), vec!["owner"]),
            (form("other", "PROBNW", "1/12/2026", ""), vec!["due_on"]),
            (form("other", "PROBNW", "2026-11-26", ""), vec!["due_on"]),
            (
                form("other", "PROBNW", "2026-12-01", &"x".repeat(4_001)),
                vec!["note"],
            ),
            (form("", "", "", ""), vec!["action", "owner", "due_on"]),
        ];
        for (posted, expected) in cases {
            let Err(errors) = posted.parse(&agencies, date!(2026 - 11 - 27)) else {
                panic!("{expected:?} at fault, yet the form parsed");
            };
            assert_eq!(fields(&errors), expected);
        }
    }
}
