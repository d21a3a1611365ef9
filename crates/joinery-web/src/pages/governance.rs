//! The information-governance page: who has seen a case (looked up by URN through a form, so
//! the reference never sits in a URL), the break-glass grants to review, and the policy matrix.
//! For governance officers alone.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::response::{IntoResponse, Redirect};
use joinery_app::{
    AuditEntry, CaseLookup, LoggedGrant, PolicyMatrix, ReviewOutcome, ReviewRecorded, WhoHasSeen,
};
use joinery_domain::assertions::kinds_in_words;
use joinery_domain::{Asn, Urn};
use serde::Deserialize;

use super::PageError;
use super::csrf::{CheckedForm, tokened};
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::{label, minute};
use crate::AppState;
use crate::extract::{PageQuery, QueryOf};

#[derive(Template)]
#[template(path = "governance.html")]
struct GovernancePage {
    nav: Nav,
    urn: String,
    errors: FormErrors,
    seen: Vec<(String, String, String, String)>,
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
        (urn, errors): (String, FormErrors),
        seen: &[AuditEntry],
        (grants, to_review, review): (&[LoggedGrant], bool, ReviewForm),
        matrix: PolicyMatrix<'_>,
    ) -> Self {
        Self {
            nav,
            urn,
            errors,
            seen: seen
                .iter()
                .map(|entry| {
                    let items = entry.detail["items"].as_array().map_or(0, Vec::len);
                    (
                        minute(&entry.at),
                        entry.actor.clone(),
                        label(entry.action.as_str()),
                        if items > 0 {
                            items.to_string()
                        } else {
                            String::new()
                        },
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

#[derive(Deserialize)]
pub(crate) struct Lookup {
    #[serde(default)]
    urn: String,
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

/// Who has seen the case a URN or ASN names: the form's answer on the same page.
pub(crate) async fn lookup(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(posted): CheckedForm<Lookup>,
) -> Result<Response, PageError> {
    render(
        &state,
        signed,
        Some(posted.urn),
        (true, ReviewForm::default()),
    )
    .await
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
    urn: Option<String>,
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
    let mut seen = Vec::new();
    if let Some(text) = &urn {
        let lookup = Urn::parse(text.trim())
            .map(CaseLookup::Urn)
            .or_else(|_| Asn::parse(text.trim()).map(CaseLookup::Asn));
        match lookup {
            Err(_) => errors.add(
                "urn",
                "Enter a URN or an ASN, for example 05AA1234526 or 2605AA0100000001234F",
            ),
            Ok(lookup) => match state.app.who_has_seen_case(&reader, lookup).await? {
                WhoHasSeen::Seen(entries) => seen = entries,
                WhoHasSeen::NoSuchCase => {
                    errors.add("urn", "There is no case with that reference");
                }
                WhoHasSeen::Refused => return Err(PageError::Forbidden),
            },
        }
    }
    let grants = state
        .app
        .break_glass_log(&reader, to_review)
        .await?
        .ok_or(PageError::Forbidden)?;
    let page = GovernancePage::new(
        signed.nav,
        (urn.unwrap_or_default(), errors),
        &seen,
        (&grants, to_review, review),
        matrix,
    );
    Ok(with_cookie(
        signed.set_csrf,
        html(page.errors.status(), &page),
    ))
}
