//! Free text that agencies send (names, offence wording, notes), bounded and printable.

use crate::ids::{IdError, string_identifier};

fn bounded(
    kind: &'static str,
    expected: &'static str,
    max: usize,
    input: &str,
) -> Result<String, IdError> {
    let text = input.trim();
    let printable = !text.chars().any(|c| c.is_control() && c != '\n');
    if !text.is_empty() && text.chars().count() <= max && printable {
        Ok(text.to_owned())
    } else {
        Err(IdError::Format {
            kind,
            input: input.chars().take(40).collect(),
            expected,
        })
    }
}

/// A person's given or family name: 1 to 100 printable characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(String);

impl Name {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        bounded("name", "1 to 100 printable characters", 100, input).map(Self)
    }
}
string_identifier!(Name, "A person's name.", "Smith");

/// Wording, conditions and notes: 1 to 4,000 printable characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(String);

impl Text {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        bounded("text", "1 to 4000 printable characters", 4000, input).map(Self)
    }
}
string_identifier!(Text, "Free text.", "Not to contact the complainant.");
