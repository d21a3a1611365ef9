//! Free text that agencies send (names, offence wording, notes), bounded and printable, and
//! shown as sent: so it may hold nothing that changes how the text around it is shown.

use crate::ids::{IdError, string_identifier};

/// Whether `c` is invisible or changes the direction text is shown in: bidirectional
/// embeddings, overrides, isolates and marks, zero-width spaces, word joiners and the byte order
/// mark. With them a name can read as another (`U+202E` turns what follows around) or two names
/// that look alike differ. The zero-width joiner and non-joiner are allowed: Persian and Indic
/// names are written with them.
pub fn changes_how_text_is_shown(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

fn bounded(
    kind: &'static str,
    expected: &'static str,
    max: usize,
    input: &str,
) -> Result<String, IdError> {
    let text = input.trim();
    let printable = !text
        .chars()
        .any(|c| (c.is_control() && c != '\n') || changes_how_text_is_shown(c));
    if !text.is_empty() && text.chars().count() <= max && printable {
        Ok(text.to_owned())
    } else {
        Err(IdError::Format {
            kind,
            input: crate::ids::quoted(input),
            expected,
        })
    }
}

const PRINTABLE_100: &str =
    "1 to 100 printable characters, none invisible or changing the direction of text";
const PRINTABLE_4000: &str =
    "1 to 4000 printable characters, none invisible or changing the direction of text";

/// A person's given or family name: 1 to 100 printable characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(String);

impl Name {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        bounded("name", PRINTABLE_100, 100, input).map(Self)
    }
}
string_identifier!(Name, "A person's name.", "Smith");

/// Wording, conditions and notes: 1 to 4,000 printable characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(String);

impl Text {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        bounded("text", PRINTABLE_4000, 4000, input).map(Self)
    }
}
string_identifier!(Text, "Free text.", "Not to contact the complainant.");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_would_show_as_something_else_is_refused() {
        for spoof in [
            "Jordan\u{202E}nadroJ",
            "Jor\u{200B}dan",
            "\u{2066}Kit\u{2069}",
            "\u{FEFF}Kit",
        ] {
            assert!(Name::parse(spoof).is_err(), "{spoof:?}");
            assert!(Text::parse(spoof).is_err(), "{spoof:?}");
        }
        for fine in [
            "Siobhán",
            "محمد",
            "ישראל",
            "می\u{200C}خواهم",
            "O'Brien-Smith",
        ] {
            assert!(Name::parse(fine).is_ok(), "{fine:?}");
        }
    }
}
