//! The information-governance page: who has seen a case (looked up by URN or ASN through a
//! form, so the reference never sits in a URL; grouped by person, action and day with the
//! categories shown, refused attempts among them, narrowed to one person, or downloaded as CSV),
//! the break-glass grants to review (or downloaded as CSV), and the policy matrix.
//! For governance officers alone.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use axum::response::{IntoResponse, Redirect};
use joinery_app::{
    AuditAction, CaseLookup, LoggedGrant, PolicyMatrix, ReviewOutcome, ReviewRecorded, SeenFilter,
    SeenReport, SeenRow, seen_csv,
};
use joinery_domain::assertions::kinds_in_words;
use joinery_domain::{Asn, Urn, Username};
use serde::Deserialize;

use super::PageError;
use super::csrf::{CheckedForm, tokened};
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::{clock, label, minute, on_day};
use crate::AppState;
use crate::extract::{PageQuery, QueryOf};

#[derive(Template)]
#[template(path = "governance.html")]
struct GovernancePage {
    nav: Nav,
    urn: String,
    errors: FormErrors,
    /// Who has seen the case: (day, who, agency, what, how many times, categories shown).
    seen: Vec<(String, String, String, String, String, String)>,
    /// The person the lookup is narrowed to, as typed.
    who: String,
    /// The kind of look it is narrowed to (an audit action's name), or empty.
    what: String,
    /// The days it is narrowed to, as typed.
    from: String,
    to: String,
    whats: Vec<(&'static str, String)>,
    grants: Vec<GrantRow>,
    /// Whether only grants not reviewed yet are listed.
    to_review: bool,
    outcomes: Vec<(&'static str, &'static str)>,
    /// A review sent back to be put right: the grant, and what was typed.
    review: ReviewForm,
    policy_version: String,
    matrix_roles: Vec<String>,
    matrix_rows: Vec<(String, Vec<String>, String)>,
    /// Each type of message, and who may send it, in words.
    assertions: Vec<(String, String)>,
}

impl GovernancePage {
    fn new(
        nav: Nav,
        (asked, errors): (Lookup, FormErrors),
        seen: &[SeenRow],
        (grants, to_review, review): (&[LoggedGrant], bool, ReviewForm),
        matrix: PolicyMatrix<'_>,
    ) -> Self {
        Self {
            nav,
            urn: asked.urn,
            who: asked.who,
            what: asked.what,
            from: asked.from,
            to: asked.to,
            whats: std::iter::once(("", "Anything".to_owned()))
                .chain(
                    [
                        AuditAction::CaseRead,
                        AuditAction::TimelineRead,
                        AuditAction::CaseListed,
                        AuditAction::FeedRead,
                        AuditAction::CaseRefused,
                        AuditAction::BreakGlass,
                        AuditAction::CommentWritten,
                        AuditAction::ActionWritten,
                    ]
                    .into_iter()
                    .map(|action| (action.as_str(), label(action.as_str()))),
                )
                .collect(),
            errors,
            seen: seen
                .iter()
                .map(|row| {
                    (
                        on_day(&row.first_at),
                        row.who.clone(),
                        row.agency.clone(),
                        label(row.action.as_str()),
                        match row.times {
                            1 => format!("once, {}", clock(&row.first_at)),
                            times => format!(
                                "{times} times, {} to {}",
                                clock(&row.first_at),
                                clock(&row.last_at)
                            ),
                        },
                        row.categories
                            .iter()
                            .map(|category| label(category.as_str()))
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                })
                .collect(),
            grants: grants.iter().map(GrantRow::new).collect(),
            to_review,
            outcomes: ReviewOutcome::ALL
                .into_iter()
                .map(|outcome| (outcome.as_str(), outcome_words(outcome)))
                .collect(),
            review,
            policy_version: matrix.version.get(..12).unwrap_or_default().to_owned(),
            matrix_roles: matrix
                .matrix
                .roles
                .iter()
                .map(|role| label(role.as_str()))
                .collect(),
            matrix_rows: matrix
                .matrix
                .rows
                .iter()
                .map(|(category, cells)| {
                    (
                        label(category.as_str()),
                        cells.iter().map(ToString::to_string).collect(),
                        matrix.matrix.glass_for(*category),
                    )
                })
                .collect(),
            assertions: matrix
                .assertions
                .iter()
                .map(|(kind, sent_by)| (label(kind.as_str()), label(&kinds_in_words(sent_by))))
                .collect(),
        }
    }
}

/// One break-glass grant, as governance reviews it.
struct GrantRow {
    id: String,
    granted: String,
    who: String,
    reference: String,
    category: String,
    reason: String,
    expires: String,
    /// The review recorded, in words; `None` while it waits for one.
    review: Option<String>,
}

impl GrantRow {
    fn new(logged: &LoggedGrant) -> Self {
        let grant = &logged.grant;
        Self {
            id: logged.id.to_string(),
            granted: minute(&grant.granted_at),
            who: format!("{} ({})", grant.username, grant.agency),
            reference: logged
                .reference
                .clone()
                .unwrap_or_else(|| "No reference".to_owned()),
            category: label(grant.category.as_str()),
            reason: grant.reason.to_string(),
            expires: minute(&grant.expires_at),
            review: logged.review.as_ref().map(|review| {
                format!(
                    "{}: {} ({}, {})",
                    outcome_words(review.outcome),
                    review.note,
                    review.reviewed_by,
                    minute(&review.reviewed_at)
                )
            }),
        }
    }
}

fn outcome_words(outcome: ReviewOutcome) -> &'static str {
    match outcome {
        ReviewOutcome::Justified => "Justified",
        ReviewOutcome::NotJustified => "Not justified",
        ReviewOutcome::Referred => "Referred for a decision",
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct Lookup {
    #[serde(default)]
    urn: String,
    /// Only this person's looks, by user name; every one's when empty.
    #[serde(default)]
    who: String,
    /// Only this kind of look (an audit action's name); every kind when empty.
    #[serde(default)]
    what: String,
    /// Only looks on or after this day (`YYYY-MM-DD`), and on or before `to`.
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// `csv` to download the answer rather than see it.
    #[serde(default)]
    download: String,
    #[serde(default)]
    csrf: String,
}

/// Which grants to list.
#[derive(Deserialize, Default)]
pub(crate) struct GrantFilter {
    /// `all` for every grant; those waiting for review otherwise.
    #[serde(default)]
    grants: Option<String>,
    /// Set after a review is recorded, for the confirmation.
    #[serde(default)]
    reviewed: Option<String>,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    signed: Signed,
    QueryOf(filter, _): PageQuery<GrantFilter>,
) -> Result<Response, PageError> {
    let to_review = filter.grants.as_deref() != Some("all");
    let review = ReviewForm {
        recorded: filter.reviewed.is_some(),
        ..ReviewForm::default()
    };
    render(&state, signed, None, (to_review, review)).await
}

/// The grants listed (those to review, or every one) as a CSV file to keep.
pub(crate) async fn grants_csv(
    State(state): State<AppState>,
    signed: Signed,
    QueryOf(filter, _): PageQuery<GrantFilter>,
) -> Result<Response, PageError> {
    let to_review = filter.grants.as_deref() != Some("all");
    let body = state
        .app
        .break_glass_csv(&signed.reader(), to_review)
        .await?
        .ok_or(PageError::Forbidden)?;
    Ok(csv_download("break-glass-grants.csv", body))
}

/// `body` as a CSV file the browser saves as `name`.
fn csv_download(name: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Who has seen the case a URN or ASN names: the form's answer on the same page, or as a CSV
/// file to keep.
pub(crate) async fn lookup(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(posted): CheckedForm<Lookup>,
) -> Result<Response, PageError> {
    if posted.download == "csv"
        && let Ok(rows) = seen(&state, &signed.reader(), &posted).await?
    {
        return Ok(csv_download("who-has-seen.csv", seen_csv(&rows)?));
    }
    render(&state, signed, Some(posted), (true, ReviewForm::default())).await
}

/// Who has seen the case `reference` names (only `who`'s looks when given), or what is wrong
/// with the lookup.
async fn seen(
    state: &AppState,
    reader: &joinery_domain::Reader,
    asked: &Lookup,
) -> Result<Result<Vec<SeenRow>, FormErrors>, PageError> {
    let mut errors = FormErrors::default();
    let reference = asked.urn.trim();
    let lookup = Urn::parse(reference)
        .map(CaseLookup::Urn)
        .or_else(|_| Asn::parse(reference).map(CaseLookup::Asn));
    let who = match asked.who.trim() {
        "" => None,
        typed => match Username::parse(typed) {
            Ok(who) => Some(who),
            Err(_) => {
                errors.add(
                    "who",
                    "Enter a user name, for example dj.roberts, or leave it empty",
                );
                None
            }
        },
    };
    let mut day = |field: &'static str, typed: &str| match typed.trim() {
        "" => None,
        typed => time::Date::parse(
            typed,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|_| {
            errors.add(
                field,
                "Enter the day as year, month and day, for example 2026-12-01",
            )
        })
        .ok(),
    };
    let from = day("from", &asked.from);
    let to = day("to", &asked.to);
    let Ok(lookup) = lookup else {
        errors.add(
            "urn",
            "Enter a URN or an ASN, for example 05AA1234526 or 2605AA0100000001234F",
        );
        return Ok(Err(errors));
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let filter = SeenFilter {
        who,
        what: AuditAction::parse(&asked.what),
        from,
        to,
    };
    match state
        .app
        .who_has_seen_grouped(reader, lookup, &filter)
        .await?
    {
        SeenReport::Seen(rows) => Ok(Ok(rows)),
        SeenReport::NoSuchCase => Ok(Err(FormErrors::one(
            "urn",
            "There is no case with that reference",
        ))),
        SeenReport::Refused => Err(PageError::Forbidden),
    }
}

/// A review of a grant, as posted.
#[derive(Deserialize, Default)]
pub(crate) struct ReviewForm {
    #[serde(default)]
    grant: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    review_note: String,
    #[serde(default)]
    csrf: String,
    /// What is wrong with it, when sent back.
    #[serde(skip)]
    errors: Vec<(&'static str, String)>,
    /// A review was just recorded.
    #[serde(skip)]
    recorded: bool,
}

tokened!(Lookup, ReviewForm);

/// Record governance's review of a grant.
pub(crate) async fn review(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(mut posted): CheckedForm<ReviewForm>,
) -> Result<Response, PageError> {
    let mut errors = FormErrors::default();
    let grant: Option<i64> = posted.grant.parse().ok();
    let outcome = ReviewOutcome::parse(&posted.outcome);
    if outcome.is_none() {
        errors.add("outcome", "Select what the review found");
    }
    let note = errors.text(
        "review_note",
        "The note",
        &posted.review_note,
        Some("Enter why: what the review found"),
    );
    let (Some(grant), Some(outcome), Some(note), true) = (grant, outcome, note, errors.is_empty())
    else {
        posted.errors = errors
            .iter()
            .map(|error| (error.field, error.message.clone()))
            .collect();
        return render(&state, signed, None, (true, posted)).await;
    };
    match state
        .app
        .review_break_glass(&signed.reader(), grant, outcome, note)
        .await?
    {
        ReviewRecorded::Recorded => Ok(Redirect::to("/governance?reviewed=yes").into_response()),
        ReviewRecorded::NotToReview => Err(PageError::NotFound),
        ReviewRecorded::Refused => Err(PageError::Forbidden),
    }
}

async fn render(
    state: &AppState,
    signed: Signed,
    lookup: Option<Lookup>,
    (to_review, review): (bool, ReviewForm),
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let matrix = state
        .app
        .policy_matrix(&reader)?
        .ok_or(PageError::Forbidden)?;
    let mut errors = FormErrors::default();
    for (field, message) in &review.errors {
        errors.add(field, message.clone());
    }
    let mut rows = Vec::new();
    if let Some(asked) = &lookup {
        match seen(state, &reader, asked).await? {
            Ok(found) => rows = found,
            Err(wrong) => {
                for error in wrong.iter() {
                    errors.add(error.field, error.message.clone());
                }
            }
        }
    }
    let grants = state
        .app
        .break_glass_log(&reader, to_review)
        .await?
        .ok_or(PageError::Forbidden)?;
    let page = GovernancePage::new(
        signed.nav,
        {
            let asked = lookup.unwrap_or_default();
            (asked, errors)
        },
        &rows,
        (&grants, to_review, review),
        matrix,
    );
    Ok(with_cookie(
        signed.set_csrf,
        html(page.errors.status(), &page),
    ))
}
