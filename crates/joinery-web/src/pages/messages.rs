//! For an agency's administrator: the messages its systems sent that were refused (with why)
//! or accepted with data-quality problems, each of which can be marked resolved.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use joinery_app::{ExceptionRecord, RejectionRecord, ResolveOutcome};
use joinery_domain::ExceptionId;
use serde::Deserialize;

use super::PageError;
use super::csrf::{CheckedForm, tokened};
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

#[derive(Template)]
#[template(path = "messages.html")]
struct MessagesPage {
    nav: Nav,
    problems: Vec<ProblemRow>,
    refused: Vec<(String, String, Vec<String>)>,
}

impl MessagesPage {
    fn new(nav: Nav, problems: Vec<ExceptionRecord>, refused: Vec<RejectionRecord>) -> Self {
        Self {
            nav,
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
                            .map(|reason| format!("{}: {}", reason.field, reason.problem))
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
    let reader = signed.reader();
    let problems = state
        .app
        .agency_exceptions(&reader)
        .await?
        .ok_or(PageError::Forbidden)?;
    let refused = state
        .app
        .agency_rejections(&reader)
        .await?
        .unwrap_or_default();
    let page = MessagesPage::new(signed.nav, problems, refused);
    Ok(with_cookie(signed.set_csrf, html(StatusCode::OK, &page)))
}

#[derive(Deserialize)]
pub(crate) struct Resolve {
    #[serde(default)]
    id: String,
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
    let outcome = match ExceptionId::parse(&posted.id) {
        Ok(id) => state.app.resolve_exception(&reader, id).await?,
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
