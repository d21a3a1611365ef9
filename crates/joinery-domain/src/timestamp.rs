//! An instant in UTC, written and read as RFC 3339 text, so every stored and served time has one
//! unambiguous form and orders correctly as text.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// An instant, normalised to UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    pub fn now() -> Self {
        Self(OffsetDateTime::now_utc())
    }

    pub fn from_offset(at: OffsetDateTime) -> Self {
        Self(at.to_offset(time::UtcOffset::UTC))
    }

    pub fn parse(input: &str) -> Result<Self, String> {
        OffsetDateTime::parse(input, &Rfc3339)
            .map(Self::from_offset)
            .map_err(|_| {
                format!("`{input}` is not an RFC 3339 date and time, e.g. `2026-03-01T10:15:00Z`")
            })
    }

    /// The instant `duration` later.
    pub fn after(self, duration: std::time::Duration) -> Self {
        Self(self.0 + duration)
    }

    /// How long before `later` this instant is; zero if it is not before.
    pub fn until(self, later: Self) -> std::time::Duration {
        (later.0 - self.0).try_into().unwrap_or_default()
    }

    pub fn date(self) -> time::Date {
        self.0.date()
    }

    /// Fixed-width text (nanoseconds always written) so that text order is time order.
    pub fn sortable(self) -> String {
        let t = self.0;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.nanosecond()
        )
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.format(&Rfc3339) {
            Ok(text) => f.write_str(&text),
            Err(_) => Err(std::fmt::Error),
        }
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::DateTime,
            )))
            .examples([serde_json::json!("2026-03-01T10:15:00Z")])
            .into()
    }
}
impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_normalise_to_utc_and_sort_as_text() {
        let a = Timestamp::parse("2026-03-01T10:15:00+01:00").map(Timestamp::sortable);
        assert_eq!(a.as_deref(), Ok("2026-03-01T09:15:00.000000000Z"));
        assert!(Timestamp::parse("yesterday").is_err());
    }
}
