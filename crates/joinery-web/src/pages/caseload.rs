//! The caseload: the cases the signed-in person's agency works on, filterable by stage, by
//! when the next hearing is and by overdue actions, sortable, paginated; each row only what
//! they may see of it (through the gatekeeper, recorded as a listing in the audit trail).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use joinery_app::{CaseView, Caseload, CaseloadQuery, CaseloadSort, HearingWindow};
use joinery_domain::{Role, Stage};
use serde::Deserialize;

use super::PageError;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::{day, label, on_day};
use crate::AppState;
use crate::extract::{PageQuery, QueryOf};

/// Rows a page.
const PER_PAGE: usize = 25;

/// One case as a row of a list (the caseload, a search's results): only what the reader sees.
pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) reference: String,
    pub(crate) defendant: String,
    pub(crate) stage: String,
    pub(crate) next_hearing: String,
    pub(crate) overdue: usize,
    /// The day the longest overdue action fell due.
    pub(crate) overdue_since: String,
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
    ("overdue", "Longest overdue first"),
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
        "overdue" => CaseloadSort::LongestOverdue,
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

/// What to say when the reader sees no hearing to come: that there is one not shared with them,
/// or that none is listed.
pub(crate) fn none_listed(view: &CaseView) -> &'static str {
    if view.next_hearing_withheld {
        "Not shared with you"
    } else {
        "None listed"
    }
}

impl Row {
    pub(crate) fn new(view: &CaseView) -> Self {
        let case = &view.state;
        Self {
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
                .map(|h| on_day(&h.starts_at))
                .unwrap_or_else(|| none_listed(view).to_owned()),
            overdue: view.overdue_actions.len(),
            overdue_since: view
                .overdue_actions
                .iter()
                .map(|action| action.due_on)
                .min()
                .map(day)
                .unwrap_or_default(),
        }
    }
}

/// The filters and sort as chosen, each as its form value (empty for the default).
struct Chosen {
    stage: Option<Stage>,
    hearing: &'static str,
    overdue: bool,
    sort: &'static str,
    page: usize,
}

impl Chosen {
    fn of(filter: &Filter) -> Self {
        Self {
            stage: filter
                .stage
                .as_deref()
                .and_then(|text| Stage::ALL.into_iter().find(|s| s.as_str() == text)),
            hearing: chosen(&HEARINGS, filter.hearing.as_deref()),
            overdue: filter.overdue.as_deref() == Some("yes"),
            sort: chosen(&SORTS, filter.sort.as_deref()),
            page: filter.page.unwrap_or(1).max(1),
        }
    }

    fn query(&self) -> CaseloadQuery {
        CaseloadQuery {
            stage: self.stage,
            hearing: hearing_window(self.hearing),
            overdue_only: self.overdue,
            sort: sort_order(self.sort),
            limit: PER_PAGE,
            offset: (self.page - 1) * PER_PAGE,
        }
    }
}

impl CaseloadPage {
    fn new(nav: Nav, judge: bool, chosen: &Chosen, caseload: &Caseload) -> Self {
        let stage = chosen.stage.map(|s| s.as_str()).unwrap_or_default();
        let overdue_value = if chosen.overdue { "yes" } else { "" };
        let filters = [
            ("stage", stage),
            ("hearing", chosen.hearing),
            ("overdue", overdue_value),
            ("sort", chosen.sort),
        ];
        let chosen_filters: Vec<_> = filters
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .collect();
        let total = caseload.total;
        Self {
            nav,
            judge,
            stages: std::iter::once(("", "Any stage".to_owned()))
                .chain(
                    Stage::ALL
                        .into_iter()
                        .map(|s| (s.as_str(), label(s.as_str()))),
                )
                .collect(),
            stage: stage.to_owned(),
            hearing: chosen.hearing,
            hearings: &HEARINGS,
            overdue: chosen.overdue,
            sort: chosen.sort,
            sorts: &SORTS,
            query: serde_urlencoded::to_string(chosen_filters).unwrap_or_default(),
            filtered: !stage.is_empty() || !chosen.hearing.is_empty() || chosen.overdue,
            rows: caseload.cases.iter().map(Row::new).collect(),
            total,
            page: chosen.page,
            pages: total.div_ceil(PER_PAGE).max(1),
        }
    }
}

pub(crate) async fn caseload(
    State(state): State<AppState>,
    signed: Signed,
    QueryOf(filter, _): PageQuery<Filter>,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let chosen = Chosen::of(&filter);
    let caseload = state.app.caseload(&reader, &chosen.query()).await?;
    let page = CaseloadPage::new(signed.nav, reader.role == Role::Judge, &chosen, &caseload);
    Ok(with_cookie(signed.set_csrf, html(StatusCode::OK, &page)))
}
