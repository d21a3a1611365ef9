//! Form errors in the GOV.UK pattern: a summary at the top of the page that links to each
//! field at fault, and the same message again beside the field. Not validation itself: each
//! handler parses its own fields into domain types and says here what was wrong.

use axum::http::StatusCode;

/// A field at fault and what the person should do about it.
pub(crate) struct FieldError {
    /// The `id` of the field on the page, which the summary links to.
    pub(crate) field: &'static str,
    pub(crate) message: String,
}

/// The faults found in one posted form, in the order of the form's fields.
#[derive(Default)]
pub(crate) struct FormErrors(Vec<FieldError>);

impl FormErrors {
    pub(crate) fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// One fault, for a form that has only one thing to get wrong.
    pub(crate) fn one(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// The message for `field`, to show beside it.
    pub(crate) fn on(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }

    /// 422 when the form is sent back to be put right, so that tools and tests can tell.
    pub(crate) fn status(&self) -> StatusCode {
        if self.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }
}
