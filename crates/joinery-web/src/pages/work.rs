//! The worklist: the work asked of the signed-in person's agency and still open, the earliest
//! due first, filtered by kind, by lateness and by who is handling it, with each piece taken on
//! ("I'll do it") and let go from the list. One person handles a piece at a time.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use joinery_app::{ClaimOutcome, Handler, Worklist, WorklistQuery};
use joinery_domain::journey::ActionKind;
use joinery_domain::{ActionId, AgencyCode, CaseId, Timestamp, Username};
use serde::Deserialize;

use super::PageError;
use super::csrf::{CheckedForm, tokened};
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::{agency_name, day};
use crate::AppState;
use crate::extract::{PageQuery, QueryOf};

/// Pieces of work a page.
const PER_PAGE: usize = 25;

/// The kinds of work the filter offers: form value and words (every kind).
fn kinds() -> Vec<(&'static str, String)> {
    std::iter::once(("", "Any work".to_owned()))
        .chain(
            ActionKind::ALL
                .into_iter()
                .map(|kind| (kind.as_str(), kind.words().to_owned())),
        )
        .collect()
}

const HANDLERS: [(&str, &str); 3] = [("", "Anyone"), ("me", "Me"), ("none", "No one")];

/// The list's filters as sent, by the filter form and carried by the forms on the list.
#[derive(Deserialize, Default, Clone)]
pub(crate) struct Filters {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    handler: Option<String>,
    #[serde(default)]
    overdue: Option<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Filter {
    #[serde(flatten)]
    filters: Filters,
    /// A number from 1 (text, as a flattened query carries it).
    #[serde(default)]
    page: Option<String>,
    /// What the last form did.
    #[serde(default)]
    done: Option<String>,
}

struct Row {
    case_id: String,
    action_id: String,
    reference: String,
    defendant: String,
    work: String,
    asked_by: String,
    due: String,
    overdue: bool,
    /// Who is handling it, in words; empty when no one is.
    handled_by: String,
    mine: bool,
}

#[derive(Template)]
#[template(path = "work.html")]
struct WorkPage {
    nav: Nav,
    agency: String,
    kinds: Vec<(&'static str, String)>,
    kind: String,
    handlers: &'static [(&'static str, &'static str)],
    handler: String,
    overdue: bool,
    /// The filters as a query string, for pagination and for the forms to come back to.
    query: String,
    rows: Vec<Row>,
    total: usize,
    page: usize,
    pages: usize,
    done: Option<&'static str>,
    errors: FormErrors,
}

/// The filters, each as its form value (empty for the default).
struct Chosen {
    kind: Option<ActionKind>,
    handler: &'static str,
    overdue: bool,
    page: usize,
}

impl Chosen {
    fn of(filter: &Filter) -> Self {
        let filters = &filter.filters;
        Self {
            kind: filters.kind.as_deref().and_then(ActionKind::parse),
            handler: HANDLERS
                .iter()
                .map(|(value, _)| *value)
                .find(|value| Some(*value) == filters.handler.as_deref())
                .unwrap_or_default(),
            overdue: filters.overdue.as_deref() == Some("yes"),
            page: filter
                .page
                .as_deref()
                .and_then(|page| page.parse().ok())
                .unwrap_or(1usize)
                .max(1),
        }
    }

    fn query(&self) -> WorklistQuery {
        WorklistQuery {
            kind: self.kind,
            overdue_only: self.overdue,
            handler: match self.handler {
                "me" => Handler::Me,
                "none" => Handler::NoOne,
                _ => Handler::Anyone,
            },
            offset: (self.page - 1) * PER_PAGE,
            limit: PER_PAGE,
        }
    }

    /// The filters as a query string (no page), which carries nothing but these codes.
    fn as_query(&self) -> String {
        let pairs = [
            (
                "kind",
                self.kind.map(ActionKind::as_str).unwrap_or_default(),
            ),
            ("handler", self.handler),
            ("overdue", if self.overdue { "yes" } else { "" }),
        ];
        serde_urlencoded::to_string(
            pairs
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default()
    }
}

fn done_words(done: &str) -> Option<&'static str> {
    match done {
        "claimed" => Some("You are handling it. It is listed as yours to everyone in your agency."),
        "released" => Some("You have let it go. It is listed as no one's."),
        _ => None,
    }
}

impl WorkPage {
    fn new(
        (nav, me, agency): (Nav, &Username, &AgencyCode),
        agencies: &[joinery_app::Agency],
        chosen: &Chosen,
        list: &Worklist,
        (done, errors): (Option<&'static str>, FormErrors),
    ) -> Self {
        let today = Timestamp::now().date();
        Self {
            nav,
            agency: agency_name(agencies, agency),
            kinds: kinds(),
            kind: chosen
                .kind
                .map(ActionKind::as_str)
                .unwrap_or_default()
                .to_owned(),
            handlers: &HANDLERS,
            handler: chosen.handler.to_owned(),
            overdue: chosen.overdue,
            query: chosen.as_query(),
            rows: list
                .items
                .iter()
                .map(|item| Row {
                    case_id: item.case_id.to_string(),
                    action_id: item.action.action_id.to_string(),
                    reference: item
                        .urn
                        .as_ref()
                        .map(ToString::to_string)
                        .or_else(|| item.asn.as_ref().map(ToString::to_string))
                        .unwrap_or_else(|| "No reference you may see".to_owned()),
                    defendant: item
                        .defendant
                        .as_ref()
                        .map(|p| format!("{} {}", p.given_name, p.family_name))
                        .unwrap_or_else(|| "Not known".to_owned()),
                    work: item.action.action.words().to_owned(),
                    asked_by: agency_name(agencies, &item.action.requested_by),
                    due: day(item.action.due_on),
                    overdue: item.action.due_on < today,
                    handled_by: match &item.handled_by {
                        Some((who, _)) if who == me => "You".to_owned(),
                        Some((who, _)) => who.to_string(),
                        None => String::new(),
                    },
                    mine: item.handled_by.as_ref().is_some_and(|(who, _)| who == me),
                })
                .collect(),
            total: list.total,
            page: chosen.page,
            pages: list.total.div_ceil(PER_PAGE).max(1),
            done,
            errors,
        }
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    signed: Signed,
    QueryOf(filter, _): PageQuery<Filter>,
) -> Result<Response, PageError> {
    let done = filter.done.as_deref().and_then(done_words);
    render(&state, signed, &filter, done, FormErrors::default()).await
}

async fn render(
    state: &AppState,
    signed: Signed,
    filter: &Filter,
    done: Option<&'static str>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    if !reader.role.works_cases() {
        return Err(PageError::Forbidden);
    }
    let chosen = Chosen::of(filter);
    let list = state.app.worklist(&reader, &chosen.query()).await?;
    let agencies = state.app.agencies().await?;
    let status = errors.status();
    let Signed {
        person,
        nav,
        set_csrf,
    } = signed;
    let page = WorkPage::new(
        (nav, &person.user.username, &person.user.agency.code),
        &agencies,
        &chosen,
        &list,
        (done, errors),
    );
    Ok(with_cookie(set_csrf, html(status, &page)))
}

/// A piece of work taken on or let go, with the filters to come back to.
#[derive(Deserialize)]
pub(crate) struct WorkForm {
    case: String,
    action: String,
    #[serde(flatten)]
    filters: Filters,
    #[serde(default)]
    csrf: String,
}

tokened!(WorkForm);

impl WorkForm {
    fn parts(&self) -> Option<(CaseId, ActionId)> {
        Some((
            CaseId::parse(&self.case).ok()?,
            ActionId::parse(&self.action).ok()?,
        ))
    }

    /// The list to come back to, with what was done.
    fn back(&self, done: &str) -> String {
        let query = Chosen::of(&self.filter()).as_query();
        match query.is_empty() {
            true => format!("/work?done={done}"),
            false => format!("/work?{query}&done={done}"),
        }
    }

    fn filter(&self) -> Filter {
        Filter {
            filters: self.filters.clone(),
            ..Filter::default()
        }
    }
}

/// Take on a piece of work.
pub(crate) async fn claim(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(posted): CheckedForm<WorkForm>,
) -> Result<Response, PageError> {
    let (case, action) = posted.parts().ok_or(PageError::NotFound)?;
    match state.app.claim_work(&signed.reader(), case, action).await? {
        ClaimOutcome::Claimed => Ok(Redirect::to(&posted.back("claimed")).into_response()),
        ClaimOutcome::HeldBy(who) => {
            let errors = FormErrors::one(
                "work",
                format!("{who} is already handling it: ask them, or choose other work"),
            );
            let filter = posted.filter();
            render(&state, signed, &filter, None, errors).await
        }
        ClaimOutcome::Refused => Err(PageError::Forbidden),
        ClaimOutcome::NotFound => Err(PageError::NotFound),
    }
}

/// Let go of a piece of work one had taken on.
pub(crate) async fn release(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(posted): CheckedForm<WorkForm>,
) -> Result<Response, PageError> {
    let (case, action) = posted.parts().ok_or(PageError::NotFound)?;
    if state
        .app
        .release_work(&signed.reader(), case, action)
        .await?
    {
        return Ok(Redirect::to(&posted.back("released")).into_response());
    }
    let errors = FormErrors::one("work", "You were not handling that work");
    let filter = posted.filter();
    render(&state, signed, &filter, None, errors).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_to_come_back_to_carries_only_known_filters() {
        let form = WorkForm {
            case: String::new(),
            action: String::new(),
            filters: Filters {
                kind: Some("pre_sentence_report".into()),
                handler: Some("me".into()),
                overdue: Some("<script>".into()),
            },
            csrf: String::new(),
        };
        assert_eq!(
            form.back("claimed"),
            "/work?kind=pre_sentence_report&handler=me&done=claimed"
        );
    }
}
