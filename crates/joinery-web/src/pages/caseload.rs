//! The caseload: the cases the signed-in person's agency works on, filterable by stage,
//! paginated, each row only what they may see of it (through the gatekeeper, recorded as a
//! listing in the audit trail).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use joinery_domain::{Role, Stage, Timestamp};
use joinery_store::{AuditAction, CaseFilter};
use serde::Deserialize;

use super::render::{PageError, html};
use super::sign_in::{Nav, signed_in_page};
use crate::AppState;

/// Rows a page.
const PER_PAGE: usize = 25;

pub(crate) struct Row {
    id: String,
    reference: String,
    defendant: String,
    stage: String,
    next_hearing: String,
    overdue: usize,
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    nav: Nav,
    judge: bool,
    stages: Vec<(&'static str, String)>,
    stage: String,
    rows: Vec<Row>,
    total: usize,
    page: usize,
    pages: usize,
}

#[derive(Deserialize)]
pub(crate) struct Filter {
    #[serde(default)]
    stage: Option<String>,
    #[serde(default)]
    page: Option<usize>,
}

/// A coded value (an enum named in snake case in the API) in words: `police_bail` as
/// `Police bail`.
pub(crate) fn words<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(label))
        .unwrap_or_default()
}

/// `awaiting_trial` as `Awaiting trial`.
pub(crate) fn label(code: &str) -> String {
    let spaced = code.replace('_', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub(crate) async fn caseload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<Filter>,
) -> Result<Response, PageError> {
    let (person, nav, set) = match signed_in_page(&state, &headers).await {
        Ok(signed_in) => signed_in,
        Err(redirect) => return Ok(redirect),
    };
    let reader = person.reader();
    let stage = filter
        .stage
        .as_deref()
        .and_then(|text| Stage::ALL.into_iter().find(|s| s.as_str() == text));
    let page = filter.page.unwrap_or(1).max(1);
    let (ids, total) = state
        .store
        .cases_of_agency(
            reader.agency.clone(),
            CaseFilter {
                stage,
                limit: PER_PAGE,
                offset: (page - 1) * PER_PAGE,
            },
        )
        .await?;
    let now = Timestamp::now();
    let mut rows = Vec::new();
    for id in ids {
        let Some(view) = state
            .gate
            .case(&reader, id, AuditAction::CaseListed)
            .await
            .map_err(|_| PageError::Internal)?
        else {
            continue;
        };
        let case = &view.state;
        rows.push(Row {
            id: id.to_string(),
            reference: case
                .urns
                .first()
                .map(ToString::to_string)
                .or_else(|| case.asns.first().map(ToString::to_string))
                .unwrap_or_else(|| "No reference you may see".to_owned()),
            defendant: case
                .defendant
                .as_ref()
                .map(|p| format!("{} {}", p.given_name, p.family_name))
                .unwrap_or_else(|| "Not known".to_owned()),
            stage: label(case.stage.as_str()),
            next_hearing: case
                .next_hearing(now)
                .map(|h| h.starts_at.date().to_string())
                .unwrap_or_else(|| "None listed".to_owned()),
            overdue: view.overdue_actions.len(),
        });
    }
    let page_view = CaseloadPage {
        nav,
        judge: reader.role == Role::Judge,
        stages: Stage::ALL
            .into_iter()
            .map(|s| (s.as_str(), label(s.as_str())))
            .collect(),
        stage: stage.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        rows,
        total,
        page,
        pages: total.div_ceil(PER_PAGE).max(1),
    };
    Ok(super::sign_in::with_cookie(
        set,
        html(StatusCode::OK, &page_view),
    ))
}
