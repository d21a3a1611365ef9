//! A case's page: the summary card (defendant, references, stage, charges with their offence
//! titles, bail, next hearing), the actions between agencies, consent, and the journey as the
//! MoJ timeline, each entry labelled with the agency that reported it and when. Only what the
//! signed-in person may see, through the gatekeeper.
//!
//! The page carries four forms: their fields and parsing are in `forms.rs`, their handlers in
//! `writes.rs`; each sends its form back here, with what was typed and what to put right.

mod forms;
mod writes;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use joinery_app::{Agency, CaseView, Purpose, Titles};
use joinery_domain::journey::ActionState;
use joinery_domain::{AgencyCode, CaseId, Category, Timestamp};
use serde::Deserialize;

use self::forms::{
    ACTION_KINDS, ActionForm, CONSENT_CATEGORIES, ConsentForm, GlassForm, kind_code,
};
pub(crate) use self::writes::{break_glass, complete_action, record_consent, request_action};
use super::PageError;
use super::caseload::none_listed;
use super::describe::describe;
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::{agency_name, label, minute, words};
use crate::AppState;
use crate::extract::{PageCase, PageQuery, PathId, QueryOf};

struct ActionRow {
    id: String,
    what: String,
    owner: String,
    due: String,
    state: String,
    overdue: bool,
    /// Asked of the reader's agency and still open: they may report it done.
    mine: bool,
}

struct TimelineEntry {
    title: String,
    agency: String,
    when: String,
    description: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    nav: Nav,
    case_id: String,
    reference: String,
    references: String,
    defendant: String,
    stage: String,
    charges: Vec<String>,
    bail: String,
    next_hearing: String,
    actions: Vec<ActionRow>,
    consents: Vec<String>,
    timeline: Vec<TimelineEntry>,
    /// Whether the reader may ask for work and report it done.
    works_cases: bool,
    action_kinds: Vec<(&'static str, String)>,
    agencies: Vec<(String, String)>,
    /// What was posted to a form, when it is sent back to be put right.
    posted: Posted,
    errors: FormErrors,
    /// The categories one may ask to see by breaking glass: value and words.
    categories: Vec<(&'static str, String)>,
    /// The category just opened by breaking glass, in words, for the confirmation.
    granted: Option<String>,
    /// Whether the reader is one a person tells of their consent.
    records_consent: bool,
    consent_categories: Vec<(&'static str, &'static str)>,
}

/// The case page's forms as posted, when one is sent back to be put right.
#[derive(Default)]
pub(crate) struct Posted {
    pub(crate) action: ActionForm,
    pub(crate) glass: GlassForm,
    pub(crate) consent: ConsentForm,
}

#[derive(Deserialize)]
pub(crate) struct CaseNotice {
    /// The category a break-glass grant just opened.
    #[serde(default)]
    glass: Option<String>,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    QueryOf(notice, _): PageQuery<CaseNotice>,
) -> Result<Response, PageError> {
    let granted = notice
        .glass
        .and_then(|text| Category::ALL.into_iter().find(|c| c.as_str() == text));
    render(
        &state,
        signed,
        id,
        Posted::default(),
        granted,
        FormErrors::default(),
    )
    .await
}

/// The case page; with what was `posted` to a form and its `errors` when it is sent back, and
/// the category a break-glass grant has just opened.
pub(crate) async fn render(
    state: &AppState,
    signed: Signed,
    id: CaseId,
    posted: Posted,
    granted: Option<Category>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let view = state
        .app
        .case(&reader, id, Purpose::Case)
        .await?
        .ok_or(PageError::NotFound)?;
    let titles = Titles::of(&view.state, state.app.reference());
    let agencies = state.app.agencies().await?;
    let set_csrf = signed.set_csrf.clone();
    let page = CasePage::new(signed, (&view, &titles), &agencies, posted, granted, errors);
    Ok(with_cookie(set_csrf, html(page.errors.status(), &page)))
}

impl CasePage {
    fn new(
        signed: Signed,
        (view, titles): (&CaseView, &Titles),
        agencies: &[Agency],
        posted: Posted,
        granted: Option<Category>,
        errors: FormErrors,
    ) -> Self {
        let case = &view.state;
        let id = view.id;
        let now = Timestamp::now();
        let user = &signed.person.user;
        let mut references: Vec<String> = case.urns.iter().map(|u| format!("URN {u}")).collect();
        references.extend(case.asns.iter().map(|a| format!("ASN {a}")));
        let name_of = |code: &AgencyCode| agency_name(agencies, code);
        Self {
            case_id: id.to_string(),
            reference: case
                .urns
                .first()
                .map(ToString::to_string)
                .or_else(|| case.asns.first().map(ToString::to_string))
                .unwrap_or_else(|| id.to_string()),
            references: if references.is_empty() {
                "None you may see".to_owned()
            } else {
                references.join(", ")
            },
            defendant: case
                .defendant
                .as_ref()
                .map(|p| {
                    let born = p
                        .date_of_birth
                        .map(|d| format!(", born {d}"))
                        .unwrap_or_default();
                    format!("{} {}{born}", p.given_name, p.family_name)
                })
                .unwrap_or_else(|| "Not known".to_owned()),
            stage: label(case.stage.as_str()),
            charges: case
                .offences
                .iter()
                .map(|o| {
                    let title = titles.offence(&o.charged);
                    format!("{}. {title} ({})", o.charged.sequence, o.charged.code)
                })
                .collect(),
            bail: case
                .bail
                .as_ref()
                .map(|b| words(&b.bail.status))
                .unwrap_or_else(|| "Not known".to_owned()),
            next_hearing: case
                .next_hearing(now)
                .map(|h| format!("{} at {}", minute(&h.starts_at), titles.court(&h.court)))
                .unwrap_or_else(|| none_listed(view).to_owned()),
            actions: case
                .actions
                .iter()
                .map(|a| ActionRow {
                    id: a.action_id.to_string(),
                    mine: a.owner == user.agency.code && a.state == ActionState::Open,
                    what: words(&a.action),
                    owner: name_of(&a.owner),
                    due: a.due_on.to_string(),
                    state: words(&a.state),
                    overdue: a.is_overdue(now.date()),
                })
                .collect(),
            consents: case
                .consents
                .iter()
                .map(|(category, consent)| {
                    format!(
                        "{}: {} ({}, recorded by {})",
                        label(category.as_str()),
                        if consent.given { "given" } else { "withdrawn" },
                        consent.source,
                        name_of(&consent.recorded_by)
                    )
                })
                .collect(),
            timeline: view
                .items
                .iter()
                .rev()
                .map(|item| TimelineEntry {
                    title: label(item.event.payload.kind().as_str()),
                    agency: name_of(&item.event.agency),
                    when: item.event.occurred_at.to_string(),
                    description: describe(item, titles),
                })
                .collect(),
            works_cases: user.role.works_cases(),
            action_kinds: ACTION_KINDS
                .iter()
                .map(|kind| (kind_code(kind), words(kind)))
                .collect(),
            agencies: agencies
                .iter()
                .filter(|agency| agency.code != user.agency.code)
                .map(|agency| (agency.code.to_string(), agency.name.to_string()))
                .collect(),
            posted,
            errors,
            categories: Category::ALL
                .into_iter()
                .map(|category| (category.as_str(), label(category.as_str())))
                .collect(),
            granted: granted.map(|category| label(category.as_str()).to_lowercase()),
            records_consent: user.role.records_consent(),
            consent_categories: CONSENT_CATEGORIES
                .iter()
                .map(|(_, value, words)| (*value, *words))
                .collect(),
            nav: signed.nav,
        }
    }
}
