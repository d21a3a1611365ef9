//! For an agency's administrator: the messages its systems sent that were refused (with why)
//! or accepted with data-quality problems, each of which can be marked resolved.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use joinery_access::ResolveOutcome;
use serde::Deserialize;

use super::render::{PageError, html};
use super::sign_in::{Nav, signed_in_form, signed_in_page, with_cookie};
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

pub(crate) async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (person, nav, set) = match signed_in_page(&state, &headers).await {
        Ok(signed_in) => signed_in,
        Err(redirect) => return Ok(redirect),
    };
    let reader = person.reader();
    let problems = state
        .gate
        .agency_exceptions(&reader)
        .await
        .map_err(|_| PageError::Internal)?
        .ok_or(PageError::Forbidden)?
        .into_iter()
        .map(|exception| ProblemRow {
            id: exception.id,
            source: exception.source_id,
            case: exception.case_id.map(|id| id.to_string()),
            field: exception.problem.field,
            value: exception.problem.value,
            explanation: exception.problem.explanation,
        })
        .collect();
    let refused = state
        .gate
        .agency_rejections(&reader)
        .await
        .map_err(|_| PageError::Internal)?
        .unwrap_or_default()
        .into_iter()
        .map(|rejection| {
            (
                rejection
                    .received_at
                    .to_string()
                    .get(..16)
                    .unwrap_or_default()
                    .replace('T', " "),
                rejection.format,
                rejection
                    .reasons
                    .into_iter()
                    .map(|reason| format!("{}: {}", reason.field, reason.problem))
                    .collect(),
            )
        })
        .collect();
    let page = MessagesPage {
        nav,
        problems,
        refused,
    };
    Ok(with_cookie(set, html(StatusCode::OK, &page)))
}

#[derive(Deserialize)]
pub(crate) struct Resolve {
    #[serde(default)]
    id: String,
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn resolve(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(posted): Form<Resolve>,
) -> Result<Response, PageError> {
    let person = match signed_in_form(&state, &headers, &posted.csrf).await? {
        Ok(person) => person,
        Err(redirect) => return Ok(redirect),
    };
    match state
        .gate
        .resolve_exception(&person.reader(), posted.id)
        .await
        .map_err(|_| PageError::Internal)?
    {
        ResolveOutcome::Refused => Err(PageError::Forbidden),
        // One already resolved (in another tab, say) leaves the list as it should be.
        ResolveOutcome::Resolved | ResolveOutcome::NotFound => {
            Ok(Redirect::to("/messages").into_response())
        }
    }
}
