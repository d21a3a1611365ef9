//! The information-governance page: who has seen a case (looked up by URN through a form, so
//! the reference never sits in a URL), the break-glass grants to review, and the policy matrix.
//! For governance officers alone.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use joinery_domain::Urn;
use joinery_store::CaseLookup;
use serde::Deserialize;

use super::caseload::label;
use super::csrf;
use super::form::FormErrors;
use super::render::{PageError, html};
use super::sign_in::{Nav, signed_in_page, with_cookie};
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
    matrix_rows: Vec<(String, Vec<String>)>,
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
    headers: HeaderMap,
) -> Result<Response, PageError> {
    render(&state, &headers, None).await
}

pub(crate) async fn lookup(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(posted): Form<Lookup>,
) -> Result<Response, PageError> {
    if !csrf::verified(&headers, &posted.csrf) {
        return Err(PageError::Forbidden);
    }
    render(&state, &headers, Some(posted.urn)).await
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    urn: Option<String>,
) -> Result<Response, PageError> {
    let (person, nav, set) = match signed_in_page(state, headers).await {
        Ok(signed_in) => signed_in,
        Err(redirect) => return Ok(redirect),
    };
    let reader = person.reader();
    let policy = state.gate.policy();
    if !policy
        .may_review_audit(&reader)
        .map_err(|_| PageError::Internal)?
    {
        return Err(PageError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let mut seen = Vec::new();
    if let Some(text) = &urn {
        match Urn::parse(text.trim()) {
            Err(_) => errors.add("urn", "Enter a URN, for example 05AA1234526"),
            Ok(urn) => match state.store.find_case(CaseLookup::Urn(urn)).await? {
                None => errors.add("urn", "There is no case with that URN"),
                Some(id) => {
                    let entries = state
                        .gate
                        .who_has_seen(&reader, id)
                        .await
                        .map_err(|_| PageError::Internal)?
                        .unwrap_or_default();
                    seen = entries
                        .into_iter()
                        .map(|entry| {
                            let items = entry.detail["items"].as_array().map_or(0, Vec::len);
                            (
                                entry.at.get(..16).unwrap_or_default().replace('T', " "),
                                entry.actor,
                                label(&entry.action),
                                if items > 0 {
                                    items.to_string()
                                } else {
                                    String::new()
                                },
                            )
                        })
                        .collect();
                }
            },
        }
    }
    let grants = state
        .gate
        .break_glass_log(&reader)
        .await
        .map_err(|_| PageError::Internal)?
        .unwrap_or_default()
        .into_iter()
        .map(|grant| {
            (
                grant
                    .granted_at
                    .to_string()
                    .get(..16)
                    .unwrap_or_default()
                    .replace('T', " "),
                format!("{} ({})", grant.username, grant.agency),
                label(grant.category.as_str()),
                grant.reason.to_string(),
            )
        })
        .collect();
    let matrix = policy.matrix().map_err(|_| PageError::Internal)?;
    let page = GovernancePage {
        nav,
        urn: urn.unwrap_or_default(),
        errors,
        seen,
        grants,
        policy_version: policy.digest().get(..12).unwrap_or_default().to_owned(),
        matrix_roles: matrix
            .roles
            .iter()
            .map(|role| label(role.as_str()))
            .collect(),
        matrix_rows: matrix
            .rows
            .iter()
            .map(|(category, cells)| {
                (
                    label(category.as_str()),
                    cells.iter().map(ToString::to_string).collect(),
                )
            })
            .collect(),
    };
    Ok(with_cookie(set, html(page.errors.status(), &page)))
}
