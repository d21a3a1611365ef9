//! Validated identifiers. Each is a newtype with a private field and a parsing constructor, so a
//! value of the type is proof that its text passed its format and check.

mod check;
mod codes;
mod internal;
mod reference;

pub use codes::{OffenceCode, OuCode, ResultCode};
pub use internal::{
    ActionId, CaseId, CourtCaseId, ExceptionId, HearingId, MessageId, Sequence, SystemName,
    UnplacedId,
};
pub use reference::{Asn, CroNumber, PncId, Urn};

/// Why a text is not a valid identifier. Messages are lowercase and quote the input in backticks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("`{input}` is not a valid {kind}: expected {expected}")]
    Format {
        kind: &'static str,
        input: String,
        expected: &'static str,
    },
    #[error(
        "`{input}` is not a valid {kind}: its check letter is `{found}`, the number gives `{expected}`"
    )]
    CheckLetter {
        kind: &'static str,
        input: String,
        found: char,
        expected: char,
    },
}

/// What was given, as an error quotes it back: its first 40 characters, with controls and what
/// would change how the message is shown (a right-to-left override) made visible as `�`.
pub(crate) fn quoted(input: &str) -> String {
    let mut shown: String = input
        .chars()
        .take(40)
        .map(|c| {
            if c.is_control() || crate::text::changes_how_text_is_shown(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    if input.chars().nth(40).is_some() {
        shown.push('…');
    }
    shown
}

impl IdError {
    /// `text` when `well_formed`; else the error naming the `kind` of identifier, what was given
    /// (`input`) and what was `expected`.
    pub(crate) fn unless(
        well_formed: bool,
        text: String,
        kind: &'static str,
        input: &str,
        expected: &'static str,
    ) -> Result<String, Self> {
        if well_formed {
            Ok(text)
        } else {
            Err(Self::Format {
                kind,
                input: quoted(input),
                expected,
            })
        }
    }

    /// The one of `all` whose name (`name_of`) is `input`; else the error naming the `kind` and
    /// what was `expected`.
    pub(crate) fn named<T: Copy>(
        all: &[T],
        name_of: fn(T) -> &'static str,
        input: &str,
        kind: &'static str,
        expected: &'static str,
    ) -> Result<T, Self> {
        all.iter()
            .copied()
            .find(|value| name_of(*value) == input)
            .ok_or_else(|| Self::Format {
                kind,
                input: quoted(input),
                expected,
            })
    }
}

/// Implements the traits every string identifier shares: display, `FromStr`, serde as a plain
/// string through the parsing constructor, and an OpenAPI schema with an example.
macro_rules! string_identifier {
    ($ty:ident, $description:literal, $example:literal) => {
        $crate::ids::string_identifier!($ty, $description, $example, pattern = None::<&str>);
    };
    ($ty:ident, $description:literal, $example:literal, pattern = $pattern:literal) => {
        $crate::ids::string_identifier!($ty, $description, $example, pattern = Some($pattern));
    };
    ($ty:ident, $description:literal, $example:literal, pattern = $pattern:expr) => {
        impl $ty {
            /// The identifier's canonical text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::ids::IdError;
            fn from_str(input: &str) -> Result<Self, Self::Err> {
                Self::parse(input)
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&text).map_err(::serde::de::Error::custom)
            }
        }

        impl ::utoipa::PartialSchema for $ty {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .description(Some($description))
                    .examples([::serde_json::json!($example)])
                    .pattern($pattern)
                    .into()
            }
        }

        impl ::utoipa::ToSchema for $ty {}
    };
}
pub(crate) use string_identifier;
