//! Coded values in the words people use: `police_bail` as `Police bail`; agencies by name; days
//! and times as GOV.UK writes them, in the United Kingdom's time (`12 August 2026, 12:00` for
//! `2026-08-12T11:00:00Z`, British Summer Time), from the time zone database bundled in.

use joinery_app::Agency;
use joinery_domain::AgencyCode;

/// A coded value (an enum named in snake case in the API) in words: `police_bail` as
/// `Police bail`.
pub(crate) fn words<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(label))
        .unwrap_or_default()
}

/// `awaiting_trial` as `Awaiting trial`.
pub(crate) fn label(code: &str) -> String {
    let spaced = code.replace('_', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// An agency by its name, or its code when Joinery does not know it.
pub(crate) fn agency_name(agencies: &[Agency], code: &AgencyCode) -> String {
    agencies
        .iter()
        .find(|agency| agency.code == *code)
        .map_or_else(|| code.to_string(), |agency| agency.name.to_string())
}

/// The United Kingdom's time zone.
fn london() -> &'static jiff::tz::TimeZone {
    static LONDON: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
    LONDON.get_or_init(|| {
        jiff::tz::TimeZone::get("Europe/London").unwrap_or_else(|error| {
            // The database is bundled in, so this is a build defect, not a user's problem.
            tracing::error!(%error, "no Europe/London in the bundled time zone database");
            jiff::tz::TimeZone::UTC
        })
    })
}

/// An instant written as RFC 3339 (as every stored and served time is), in UK time.
fn in_london(at: &impl std::fmt::Display) -> Option<jiff::ZonedDateTime> {
    let instant: jiff::Timestamp = at.to_string().parse().ok()?;
    Some(instant.to_zoned_datetime(london().clone()))
}

/// A timestamp's date and time to the minute, in words and UK time: `12 August 2026, 12:00`.
/// Text that is not a timestamp is shown as it is.
pub(crate) fn minute(at: &impl std::fmt::Display) -> String {
    match in_london(at) {
        Some(zoned) => zoned.strftime("%-d %B %Y, %H:%M").to_string(),
        None => at.to_string(),
    }
}

/// A timestamp's time of day in UK time: `10:00`.
pub(crate) fn clock(at: &impl std::fmt::Display) -> String {
    match in_london(at) {
        Some(zoned) => zoned.strftime("%H:%M").to_string(),
        None => String::new(),
    }
}

/// A timestamp's day in words, in UK time: `12 August 2026`.
pub(crate) fn on_day(at: &impl std::fmt::Display) -> String {
    match in_london(at) {
        Some(zoned) => zoned.strftime("%-d %B %Y").to_string(),
        None => at.to_string(),
    }
}

/// A day in words, as GOV.UK writes dates: `3 December 2026`.
pub(crate) fn day(date: time::Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_words_in_uk_time_summer_or_winter() {
        let summer = joinery_domain::Timestamp::parse("2026-08-12T11:00:00Z")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(minute(&summer), "12 August 2026, 12:00");
        assert_eq!(clock(&summer), "12:00");
        let winter = joinery_domain::Timestamp::parse("2026-12-03T09:30:00Z")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(minute(&winter), "3 December 2026, 09:30");
        // Late on a summer evening in UTC is the next day in the UK.
        let late = joinery_domain::Timestamp::parse("2026-06-30T23:30:00Z")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(on_day(&late), "1 July 2026");
        assert_eq!(day(time::macros::date!(2026 - 12 - 03)), "3 December 2026");
        assert_eq!(minute(&"not a time"), "not a time");
    }
}
