//! The information-governance page: who has seen a case (looked up by URN through a form, so
//! the reference never sits in a URL), the break-glass grants to review, and the policy matrix.
//! For governance officers alone.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use joinery_app::{AuditEntry, BreakGlassGrant, CaseLookup, PolicyMatrix, WhoHasSeen};
use joinery_domain::Urn;
use joinery_domain::assertions::kinds_in_words;
use serde::Deserialize;

use super::PageError;
use super::csrf::{CheckedForm, tokened};
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::{label, minute};
use crate::AppState;

#[derive(Template)]
#[template(path = "governance.html")]
struct GovernancePage {
    nav: Nav,
    urn: String,
    errors: FormErrors,
    seen: Vec<(String, String, String, String)>,
    grants: Vec<(String, String, String, String)>,
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
        grants: &[BreakGlassGrant],
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
                        entry.at.get(..16).unwrap_or_default().replace('T', " "),
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
            grants: grants
                .iter()
                .map(|grant| {
                    (
                        minute(&grant.granted_at),
                        format!("{} ({})", grant.username, grant.agency),
                        label(grant.category.as_str()),
                        grant.reason.to_string(),
                    )
                })
                .collect(),
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

#[derive(Deserialize)]
pub(crate) struct Lookup {
    #[serde(default)]
    urn: String,
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, PageError> {
    render(&state, signed, None).await
}

/// Who has seen the case a URN names: the form's answer on the same page.
pub(crate) async fn lookup(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(posted): CheckedForm<Lookup>,
) -> Result<Response, PageError> {
    render(&state, signed, Some(posted.urn)).await
}

tokened!(Lookup);

async fn render(
    state: &AppState,
    signed: Signed,
    urn: Option<String>,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let matrix = state
        .app
        .policy_matrix(&reader)?
        .ok_or(PageError::Forbidden)?;
    let mut errors = FormErrors::default();
    let mut seen = Vec::new();
    if let Some(text) = &urn {
        match Urn::parse(text.trim()) {
            Err(_) => errors.add("urn", "Enter a URN, for example 05AA1234526"),
            Ok(urn) => match state
                .app
                .who_has_seen_case(&reader, CaseLookup::Urn(urn))
                .await?
            {
                WhoHasSeen::Seen(entries) => seen = entries,
                WhoHasSeen::NoSuchCase => errors.add("urn", "There is no case with that URN"),
                WhoHasSeen::Refused => return Err(PageError::Forbidden),
            },
        }
    }
    let grants = state
        .app
        .break_glass_log(&reader)
        .await?
        .ok_or(PageError::Forbidden)?;
    let page = GovernancePage::new(
        signed.nav,
        (urn.unwrap_or_default(), errors),
        &seen,
        &grants,
        matrix,
    );
    Ok(with_cookie(
        signed.set_csrf,
        html(page.errors.status(), &page),
    ))
}
