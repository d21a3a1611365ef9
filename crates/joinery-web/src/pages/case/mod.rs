//! A case's page: the summary card (defendant, references, stage, charges with their offence
//! titles, bail, next hearing), the actions between agencies, consent, and the journey as the
//! MoJ timeline, each entry labelled with the agency that reported it and when. Only what the
//! signed-in person may see, through the gatekeeper.
//!
//! The page carries four forms: their fields and parsing are in `forms.rs`, their handlers in
//! `writes.rs`; each sends its form back here, with what was typed and what to put right.

mod forms;
mod work_forms;
mod writes;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use joinery_app::{Agency, CaseView, Purpose, Titles};
use joinery_domain::journey::{ActionKind, ActionState};
use joinery_domain::{AgencyCode, CaseId, Category, Role, Timestamp};
use serde::Deserialize;

use self::forms::{
    ACTION_KINDS, ActionForm, CONSENT_CATEGORIES, ConsentForm, GlassForm, kind_code,
};
use self::work_forms::{ATTENDANCE, ChargingForm, DECISIONS, ENGAGEMENT, ProgressForm};
pub(crate) use self::writes::{
    break_glass, complete_action, record_charging_decision, record_consent, record_progress,
    request_action, withdraw_action,
};
use super::PageError;
use super::caseload::none_listed;
use super::describe::describe;
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::{agency_name, day, label, minute, words};
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
    /// Asked by the reader's agency and still open: they may withdraw it.
    ours: bool,
}

struct TimelineEntry {
    title: String,
    agency: String,
    /// As RFC 3339, for the `datetime` attribute.
    when: String,
    when_words: String,
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
    /// What a form just did, in words, for the confirmation.
    done: Option<&'static str>,
    /// Whether the reader (a prosecutor) is asked for a decision on charge on this case.
    charging: bool,
    decisions: Vec<(&'static str, &'static str)>,
    /// The referrals to the reader's support service: id and words.
    referrals: Vec<(String, String)>,
    attendance: Vec<(&'static str, &'static str)>,
    engagement: Vec<(&'static str, &'static str)>,
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
    pub(crate) charging: ChargingForm,
    pub(crate) progress: ProgressForm,
    /// A note on work done sent back: the action's id, and what was typed.
    pub(crate) done: (String, String),
}

/// What a form just did, for the confirmation on the case it redirects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Done {
    Asked,
    Completed,
    Consent,
    Charging,
    Progress,
    Withdrawn,
}

impl Done {
    const ALL: [Self; 6] = [
        Self::Asked,
        Self::Completed,
        Self::Consent,
        Self::Charging,
        Self::Progress,
        Self::Withdrawn,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Asked => "asked",
            Self::Completed => "completed",
            Self::Consent => "consent",
            Self::Charging => "charging",
            Self::Progress => "progress",
            Self::Withdrawn => "withdrawn",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Self::Asked => "The work is asked for. The agency asked sees it in its work.",
            Self::Completed => "The work is recorded as done.",
            Self::Consent => "The consent is recorded.",
            Self::Charging => "The decision on charge is recorded.",
            Self::Progress => "The attendance and engagement are recorded.",
            Self::Withdrawn => "The request is withdrawn. The agency asked no longer has it to do.",
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct CaseNotice {
    /// The category a break-glass grant just opened.
    #[serde(default)]
    glass: Option<String>,
    /// What a form just did.
    #[serde(default)]
    done: Option<String>,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    QueryOf(notice, _): PageQuery<CaseNotice>,
) -> Result<Response, PageError> {
    let notice = Notice {
        granted: notice
            .glass
            .and_then(|text| Category::ALL.into_iter().find(|c| c.as_str() == text)),
        done: notice
            .done
            .and_then(|text| Done::ALL.into_iter().find(|d| d.as_str() == text)),
    };
    render(
        &state,
        signed,
        id,
        Posted::default(),
        notice,
        FormErrors::default(),
    )
    .await
}

/// What the case page confirms at its top: a category a break-glass grant has just opened, or
/// what a form has just done.
#[derive(Default)]
pub(crate) struct Notice {
    granted: Option<Category>,
    done: Option<Done>,
}

/// The case page; with what was `posted` to a form and its `errors` when it is sent back, and
/// the `notice` to confirm.
pub(crate) async fn render(
    state: &AppState,
    signed: Signed,
    id: CaseId,
    posted: Posted,
    notice: Notice,
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
    let page = CasePage::new(signed, (&view, &titles), &agencies, posted, notice, errors);
    Ok(with_cookie(set_csrf, html(page.errors.status(), &page)))
}

impl CasePage {
    fn new(
        signed: Signed,
        (view, titles): (&CaseView, &Titles),
        agencies: &[Agency],
        posted: Posted,
        notice: Notice,
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
                        .map(|d| format!(", born {}", day(d)))
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
                    ours: a.requested_by == user.agency.code && a.state == ActionState::Open,
                    what: a.action.words().to_owned(),
                    owner: name_of(&a.owner),
                    due: day(a.due_on),
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
                    when_words: minute(&item.event.occurred_at),
                    description: describe(item, titles, agencies),
                })
                .collect(),
            works_cases: user.role.works_cases(),
            action_kinds: ACTION_KINDS
                .iter()
                .map(|kind| (kind_code(kind), kind.words().to_owned()))
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
            granted: notice
                .granted
                .map(|category| label(category.as_str()).to_lowercase()),
            done: notice.done.map(Done::words),
            charging: user.role == Role::Prosecutor
                && case.actions.iter().any(|action| {
                    action.action == ActionKind::ChargingDecision
                        && action.owner == user.agency.code
                        && action.state == ActionState::Open
                }),
            decisions: DECISIONS
                .iter()
                .map(|(_, value, words)| (*value, *words))
                .collect(),
            referrals: case
                .actions
                .iter()
                .filter(|action| {
                    user.role == Role::SupportWorker
                        && action.action == ActionKind::Referral
                        && action.owner == user.agency.code
                })
                .map(|action| {
                    (
                        action.action_id.to_string(),
                        format!(
                            "{} referral, from {} {}",
                            action.service.map(|s| words(&s)).unwrap_or_default(),
                            name_of(&action.requested_by),
                            day(action.requested_at.date())
                        ),
                    )
                })
                .collect(),
            attendance: ATTENDANCE
                .iter()
                .map(|(_, value, words)| (*value, *words))
                .collect(),
            engagement: ENGAGEMENT
                .iter()
                .map(|(_, value, words)| (*value, *words))
                .collect(),
            records_consent: user.role.records_consent(),
            consent_categories: CONSENT_CATEGORIES
                .iter()
                .map(|(_, value, words)| (*value, *words))
                .collect(),
            nav: signed.nav,
        }
    }
}
