//! Breaking glass from the case page: someone working on a case who is refused a category of
//! its information asks for it with a written reason. The gatekeeper and the policy decide;
//! a grant lasts an hour, is audited and listed for governance review. This module only
//! parses the form, and sends it back in the GOV.UK error pattern when it cannot be granted.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use joinery_access::BreakGlassOutcome;
use joinery_domain::{CaseId, Category, Text};
use serde::Deserialize;

use super::case::{Posted, render};
use super::caseload::label;
use super::form::FormErrors;
use super::render::PageError;
use super::sign_in::signed_in_form;
use crate::AppState;

/// The break-glass form as posted; kept whole so that a form sent back shows what was typed.
#[derive(Deserialize, Default)]
pub(crate) struct GlassForm {
    #[serde(default)]
    pub(crate) category: String,
    #[serde(default)]
    pub(crate) reason: String,
    #[serde(default)]
    csrf: String,
}

impl GlassForm {
    fn parse(&self) -> Result<(Category, Text), FormErrors> {
        let mut errors = FormErrors::default();
        let category = Category::ALL
            .into_iter()
            .find(|category| category.as_str() == self.category);
        if category.is_none() {
            errors.add("category", "Select the information you need to see");
        }
        let reason = match self.reason.trim() {
            "" => {
                errors.add("reason", "Enter why you need to see it");
                None
            }
            text => Text::parse(text)
                .map_err(|_| errors.add("reason", "The reason must be 4,000 characters or fewer"))
                .ok(),
        };
        match (category, reason) {
            (Some(category), Some(reason)) if errors.is_empty() => Ok((category, reason)),
            _ => Err(errors),
        }
    }
}

/// Ask to see a category of the case withheld from the reader.
pub(crate) async fn request(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(posted): Form<GlassForm>,
) -> Result<Response, PageError> {
    let id = CaseId::parse(&id).map_err(|_| PageError::NotFound)?;
    let person = match signed_in_form(&state, &headers, &posted.csrf).await? {
        Ok(person) => person,
        Err(redirect) => return Ok(redirect),
    };
    let (category, reason) = match posted.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return sent_back(&state, &headers, id, posted, errors).await,
    };
    let outcome = state
        .gate
        .break_glass(&person.reader(), id, category, reason)
        .await
        .map_err(|_| PageError::Internal)?;
    let refusal = match outcome {
        BreakGlassOutcome::Granted(_) => {
            return Ok(
                Redirect::to(&format!("/cases/{id}?glass={}", category.as_str())).into_response(),
            );
        }
        BreakGlassOutcome::NotFound => return Err(PageError::NotFound),
        BreakGlassOutcome::NothingWithheld => format!(
            "Nothing of the kind ({}) is withheld from you on this case",
            label(category.as_str()).to_lowercase()
        ),
        BreakGlassOutcome::Refused => format!(
            "The information-sharing agreement does not let you break glass for {}",
            label(category.as_str()).to_lowercase()
        ),
    };
    let errors = FormErrors::one("category", refusal);
    sent_back(&state, &headers, id, posted, errors).await
}

async fn sent_back(
    state: &AppState,
    headers: &HeaderMap,
    id: CaseId,
    glass: GlassForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let posted = Posted {
        glass,
        ..Posted::default()
    };
    render(state, headers, id, posted, None, errors).await
}
