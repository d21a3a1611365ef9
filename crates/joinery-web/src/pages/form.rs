//! Form errors in the GOV.UK pattern: a summary at the top of the page that links to each
//! field at fault, and the same message again beside the field. Not validation itself: each
//! handler parses its own fields into domain types and says here what was wrong.

use axum::http::StatusCode;
use joinery_domain::Text;

/// The most characters a free-text field holds, as [`Text`] allows.
const MAX_TEXT: usize = 4_000;

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

    /// What was typed in the free-text field `field` (line ends as a browser sends them made
    /// plain), as [`Text`]; `None` when it was left empty, or is wrong, which is then added here
    /// in words about `what` ("The note"). `required` is what to say when it was left empty and
    /// may not be.
    pub(crate) fn text(
        &mut self,
        field: &'static str,
        what: &str,
        typed: &str,
        required: Option<&str>,
    ) -> Option<Text> {
        let typed = typed.replace("\r\n", "\n");
        let typed = typed.trim();
        if typed.is_empty() {
            if let Some(message) = required {
                self.add(field, message);
            }
            return None;
        }
        if typed.chars().count() > MAX_TEXT {
            self.add(field, format!("{what} must be 4,000 characters or fewer"));
            return None;
        }
        match Text::parse(typed) {
            Ok(text) => Some(text),
            Err(error) => {
                // Within the length, so a character that cannot be shown (a tab, say).
                tracing::debug!(field, %error, "a form's text was refused");
                self.add(
                    field,
                    format!("{what} must be plain text, without tabs or other control characters"),
                );
                None
            }
        }
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
