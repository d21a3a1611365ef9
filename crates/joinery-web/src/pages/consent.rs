//! Recording consent from the case page: a person tells their probation officer or support
//! worker that they consent to share a category of their information (health, support
//! progress), or withdraw it. What others see changes at the next read. The gatekeeper decides
//! who may record it; this module parses the form and sends it back when it needs putting right.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use joinery_domain::journey::ConsentCategory;
use joinery_domain::{CaseId, Text};
use serde::Deserialize;

use super::actions::written;
use super::case::{Posted, render};
use super::form::FormErrors;
use super::render::PageError;
use super::sign_in::signed_in_form;
use crate::AppState;

/// The categories a person may consent to share: form value and words.
pub(crate) const CONSENT_CATEGORIES: [(ConsentCategory, &str, &str); 2] = [
    (ConsentCategory::Health, "health", "Health and drug tests"),
    (
        ConsentCategory::SupportProgress,
        "support_progress",
        "Support progress (attendance, engagement)",
    ),
];

/// The consent form as posted; kept whole so that a form sent back shows what was typed.
#[derive(Deserialize, Default)]
pub(crate) struct ConsentForm {
    #[serde(default)]
    pub(crate) consent_category: String,
    /// `given` or `withdrawn`.
    #[serde(default)]
    pub(crate) consent: String,
    #[serde(default)]
    pub(crate) source: String,
    #[serde(default)]
    csrf: String,
}

impl ConsentForm {
    fn parse(&self) -> Result<(ConsentCategory, bool, Text), FormErrors> {
        let mut errors = FormErrors::default();
        let category = CONSENT_CATEGORIES
            .iter()
            .find(|(_, value, _)| *value == self.consent_category)
            .map(|(category, ..)| *category);
        if category.is_none() {
            errors.add("consent_category", "Select what the consent is for");
        }
        let given = match self.consent.as_str() {
            "given" => Some(true),
            "withdrawn" => Some(false),
            _ => {
                errors.add("consent", "Select whether consent is given or withdrawn");
                None
            }
        };
        let source = match self.source.trim() {
            "" => {
                errors.add(
                    "source",
                    "Enter how the person gave or withdrew it, for example signed form at induction",
                );
                None
            }
            text => Text::parse(text)
                .map_err(|_| {
                    errors.add(
                        "source",
                        "How it was given must be 4,000 characters or fewer",
                    )
                })
                .ok(),
        };
        match (category, given, source) {
            (Some(category), Some(given), Some(source)) if errors.is_empty() => {
                Ok((category, given, source))
            }
            _ => Err(errors),
        }
    }
}

/// Record a person's consent, or its withdrawal.
pub(crate) async fn record(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(posted): Form<ConsentForm>,
) -> Result<Response, PageError> {
    let id = CaseId::parse(&id).map_err(|_| PageError::NotFound)?;
    let person = match signed_in_form(&state, &headers, &posted.csrf).await? {
        Ok(person) => person,
        Err(redirect) => return Ok(redirect),
    };
    let (category, given, source) = match posted.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            let posted = Posted {
                consent: posted,
                ..Posted::default()
            };
            return render(&state, &headers, id, posted, None, errors).await;
        }
    };
    let outcome = state
        .gate
        .record_consent(&person.reader(), id, category, given, source)
        .await
        .map_err(|_| PageError::Internal)?;
    written(id, outcome)
}
