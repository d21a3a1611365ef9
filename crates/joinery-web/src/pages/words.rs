//! Coded values in the words people use: `police_bail` as `Police bail`; agencies by name.

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

/// A timestamp's date and time to the minute, as a page shows it: `2026-03-14 10:00`.
pub(crate) fn minute(at: &impl std::fmt::Display) -> String {
    let text = at.to_string();
    text.get(..16).unwrap_or(&text).replace('T', " ")
}

/// A day in words, as GOV.UK writes dates: `3 December 2026`.
pub(crate) fn day(date: time::Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}
