//! Coded values in the words people use: `police_bail` as `Police bail`.

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

/// A timestamp's date and time to the minute, as a page shows it: `2026-03-14 10:00`.
pub(crate) fn minute(at: &impl std::fmt::Display) -> String {
    let text = at.to_string();
    text.get(..16).unwrap_or(&text).replace('T', " ")
}
