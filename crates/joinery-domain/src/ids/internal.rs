//! Identifiers that are not the justice system's own: Joinery's case ids, and the references a
//! sending system chooses for its messages, hearings and actions.

use super::IdError;
use super::string_identifier;

/// Checks a sender-chosen reference: 1 to `max` characters, letters, digits and `-_.:/`.
fn reference(
    kind: &'static str,
    expected: &'static str,
    max: usize,
    input: &str,
) -> Result<String, IdError> {
    let ok = !input.is_empty()
        && input.len() <= max
        && input
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/".contains(&b));
    IdError::unless(ok, input.to_owned(), kind, input, expected)
}

macro_rules! sender_reference {
    ($ty:ident, $kind:literal, $max:literal, $description:literal, $example:literal) => {
        #[doc = $description]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $ty(String);

        impl $ty {
            pub fn parse(input: &str) -> Result<Self, IdError> {
                reference(
                    $kind,
                    concat!("1 to ", $max, " letters, digits or `-_.:/`"),
                    $max,
                    input,
                )
                .map(Self)
            }
        }
        string_identifier!($ty, $description, $example);
    };
}

sender_reference!(
    MessageId,
    "message id",
    128,
    "The sending system's own id for a message; unique per agency.",
    "NICHE-2026-000123"
);
sender_reference!(
    HearingId,
    "hearing id",
    64,
    "The listing system's reference for a hearing.",
    "B05PK00-2026-03-14-1"
);
sender_reference!(
    CourtCaseId,
    "court case id",
    64,
    "A court system's own id for a prosecution case (Common Platform's prosecution case id), \
     used when the message carries no usable URN or ASN.",
    "D2B61C8A-0684-4764-B401-F0A788BC7CCF"
);
sender_reference!(
    ActionId,
    "action id",
    64,
    "The requesting system's reference for an action between agencies.",
    "PSR-2026-0042"
);

/// The name of the system that sent a message (e.g. `Niche RMS`, `Libra`): free text, but short
/// and printable, since it is shown on every timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SystemName(String);

impl SystemName {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let text = input.trim();
        IdError::unless(
            !text.is_empty()
                && text.chars().count() <= 80
                && !text
                    .chars()
                    .any(|c| c.is_control() || crate::text::changes_how_text_is_shown(c)),
            text.to_owned(),
            "system name",
            input,
            "1 to 80 printable characters, none invisible or changing the direction of text",
        )
        .map(Self)
    }
}
string_identifier!(SystemName, "The sending system's name.", "Niche RMS");

/// Joinery's own id for a case. A case is opened by the first message that names it, so the id
/// is Joinery's, not any agency's.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct CaseId(uuid::Uuid);

impl CaseId {
    /// A new id. Version 7 UUIDs begin with the time, so new cases sort after old ones and
    /// indexes on the id grow at their end.
    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7())
    }

    pub fn parse(input: &str) -> Result<Self, IdError> {
        uuid::Uuid::parse_str(input)
            .map(Self)
            .map_err(|_| IdError::Format {
                kind: "case id",
                input: super::quoted(input),
                expected: "a UUID",
            })
    }
}

impl std::fmt::Display for CaseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl utoipa::PartialSchema for CaseId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Uuid,
            )))
            .description(Some("Joinery's id for a case."))
            .into()
    }
}
impl utoipa::ToSchema for CaseId {}

/// A message's place in the order Joinery accepted messages: the feed's cursor, a webhook's
/// delivery mark, an item's number in the audit trail. Starts after [`Sequence::START`].
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct Sequence(i64);

impl Sequence {
    /// Before the first message.
    pub const START: Self = Self(0);

    pub const fn new(number: i64) -> Self {
        Self(number)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    /// A cursor as a reader hands it back: a number Joinery gave out.
    /// Only digits, at most 18 of them (as the API document states): no sign, no spaces.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        Some(input)
            .filter(|text| {
                (1..=18).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
            })
            .and_then(|text| text.parse::<i64>().ok())
            .map(Self)
            .ok_or_else(|| IdError::Format {
                kind: "cursor",
                input: super::quoted(input),
                expected: "a cursor from this feed (a whole number)",
            })
    }
}

impl std::fmt::Display for Sequence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A data-quality problem, as an agency's administrator resolves it: one found in a source
/// message (`source-12`) or in a canonical message (`message-3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExceptionId {
    Source(i64),
    Message(i64),
}

impl ExceptionId {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let parsed = match input.split_once('-') {
            Some(("source", number)) => number.parse().ok().map(Self::Source),
            Some(("message", number)) => number.parse().ok().map(Self::Message),
            _ => None,
        };
        parsed.ok_or_else(|| IdError::Format {
            kind: "problem id",
            input: super::quoted(input),
            expected: "`source-N` or `message-N`",
        })
    }
}

impl std::fmt::Display for ExceptionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Source(number) => write!(f, "source-{number}"),
            Self::Message(number) => write!(f, "message-{number}"),
        }
    }
}

impl serde::Serialize for ExceptionId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A message kept whole because no case it names could be found from it (`unplaced-7`), until
/// its agency's administrator places it on its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnplacedId(i64);

impl UnplacedId {
    pub fn new(number: i64) -> Self {
        Self(number)
    }

    pub fn number(self) -> i64 {
        self.0
    }

    pub fn parse(input: &str) -> Result<Self, IdError> {
        input
            .strip_prefix("unplaced-")
            .and_then(|number| number.parse::<i64>().ok())
            .filter(|number| *number > 0)
            .map(Self)
            .ok_or_else(|| IdError::Format {
                kind: "unplaced message id",
                input: super::quoted(input),
                expected: "`unplaced-N`",
            })
    }
}

impl std::fmt::Display for UnplacedId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unplaced-{}", self.0)
    }
}

impl serde::Serialize for UnplacedId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_refuse_spaces_and_overlong_text() {
        assert!(MessageId::parse("NICHE-2026-000123").is_ok());
        assert!(MessageId::parse("has space").is_err());
        assert!(MessageId::parse("").is_err());
        assert!(ActionId::parse(&"x".repeat(65)).is_err());
        assert!(SystemName::parse("Niche RMS").is_ok());
        assert!(SystemName::parse("bad\nname").is_err());
    }

    #[test]
    fn problem_ids_and_cursors_round_trip() {
        for id in [ExceptionId::Source(12), ExceptionId::Message(3)] {
            assert_eq!(ExceptionId::parse(&id.to_string()), Ok(id));
        }
        assert!(ExceptionId::parse("source-x").is_err());
        assert!(ExceptionId::parse("other-1").is_err());
        let unplaced = UnplacedId::new(7);
        assert_eq!(UnplacedId::parse(&unplaced.to_string()), Ok(unplaced));
        assert!(UnplacedId::parse("unplaced-0").is_err());
        assert!(UnplacedId::parse("unplaced-x").is_err());
        assert_eq!(Sequence::parse("42"), Ok(Sequence::new(42)));
        assert!(Sequence::parse("-1").is_err());
        assert!(Sequence::parse("+1").is_err());
        assert!(Sequence::parse(&"9".repeat(19)).is_err());
    }

    #[test]
    fn case_id_round_trips() {
        let id = CaseId::generate();
        assert_eq!(CaseId::parse(&id.to_string()), Ok(id));
        assert!(CaseId::parse("not-a-uuid").is_err());
    }
}
