//! The caseload: the cases the signed-in person's agency works on, filterable by stage, by
//! when the next hearing is and by overdue actions, sortable, paginated; each row only what
//! they may see of it (through the gatekeeper, recorded as a listing in the audit trail).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use joinery_access::{CaseloadQuery, CaseloadSort, HearingWindow};
use joinery_domain::{Role, Stage};
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
    hearing: &'static str,
    hearings: &'static [(&'static str, &'static str)],
    overdue: bool,
    sort: &'static str,
    sorts: &'static [(&'static str, &'static str)],
    /// The filters and sort as a query string, for the pagination links.
    query: String,
    /// Whether any filter beyond the defaults is set.
    filtered: bool,
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
    hearing: Option<String>,
    #[serde(default)]
    overdue: Option<String>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    page: Option<usize>,
}

/// The next-hearing filter's choices: form value and words.
const HEARINGS: [(&str, &str); 5] = [
    ("", "Any time"),
    ("today", "Today"),
    ("7", "In the next 7 days"),
    ("28", "In the next 28 days"),
    ("none", "None listed"),
];

const SORTS: [(&str, &str); 3] = [
    ("", "Recently changed"),
    ("hearing", "Next hearing, soonest first"),
    ("overdue", "Most overdue actions first"),
];

fn hearing_window(value: &str) -> HearingWindow {
    match value {
        "today" => HearingWindow::Today,
        "7" => HearingWindow::NextSevenDays,
        "28" => HearingWindow::NextTwentyEightDays,
        "none" => HearingWindow::NoneListed,
        _ => HearingWindow::Any,
    }
}

fn sort_order(value: &str) -> CaseloadSort {
    match value {
        "hearing" => CaseloadSort::NextHearing,
        "overdue" => CaseloadSort::MostOverdue,
        _ => CaseloadSort::RecentlyChanged,
    }
}

/// The choice among `options` that `posted` names, or the first (the default).
fn chosen(options: &[(&'static str, &'static str)], posted: Option<&str>) -> &'static str {
    options
        .iter()
        .map(|(value, _)| *value)
        .find(|value| Some(*value) == posted)
        .unwrap_or_default()
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
    let hearing = chosen(&HEARINGS, filter.hearing.as_deref());
    let sort = chosen(&SORTS, filter.sort.as_deref());
    let overdue = filter.overdue.is_some_and(|value| value == "yes");
    let page = filter.page.unwrap_or(1).max(1);
    let caseload = state
        .gate
        .caseload(
            &reader,
            &CaseloadQuery {
                stage,
                hearing: hearing_window(hearing),
                overdue_only: overdue,
                sort: sort_order(sort),
                limit: PER_PAGE,
                offset: (page - 1) * PER_PAGE,
            },
        )
        .await
        .map_err(|_| PageError::Internal)?;
    let rows = caseload
        .cases
        .iter()
        .map(|view| {
            let case = &view.state;
            Row {
                id: view.id.to_string(),
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
                next_hearing: view
                    .next_hearing
                    .as_ref()
                    .map(|h| h.starts_at.date().to_string())
                    .unwrap_or_else(|| "None listed".to_owned()),
                overdue: view.overdue_actions.len(),
            }
        })
        .collect();
    let stage = stage.map(|s| s.as_str()).unwrap_or_default();
    let overdue_value = if overdue { "yes" } else { "" };
    let filters = [
        ("stage", stage),
        ("hearing", hearing),
        ("overdue", overdue_value),
        ("sort", sort),
    ];
    let chosen_filters: Vec<_> = filters
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .collect();
    let query = serde_urlencoded::to_string(chosen_filters).unwrap_or_default();
    let total = caseload.total;
    let page_view = CaseloadPage {
        nav,
        judge: reader.role == Role::Judge,
        stages: Stage::ALL
            .into_iter()
            .map(|s| (s.as_str(), label(s.as_str())))
            .collect(),
        stage: stage.to_owned(),
        hearing,
        hearings: &HEARINGS,
        overdue,
        sort,
        sorts: &SORTS,
        query,
        filtered: !stage.is_empty() || !hearing.is_empty() || overdue,
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
