//! Nothing a court sends goes unread and unlisted. For every MoJ fixture and every example of
//! the project's own, in both court formats, each value in the message is either listed as one
//! Joinery does not model (by its path, with its value), or found in what the translation
//! produced (its events, problems or source identifier) — except values the translation turns
//! into something else (a code into a word, a date into a timestamp), which are named here by
//! field. A value read and then dropped fails this test; so does a listing that names a value
//! the message does not hold.

use std::path::PathBuf;

use joinery_domain::AgencyCode;
use joinery_ingest::{SourceFormat, Translation, xml};
use serde_json::Value;

use crate::support::fixtures;
use crate::support::standing_data;

fn court() -> AgencyCode {
    AgencyCode::parse("LVCJC").unwrap_or_else(|e| panic!("{e}"))
}

/// Lower case, whitespace runs as one space: a text value as Joinery keeps it.
fn normal(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Everything the translation produced, in lower case, to look values up in.
fn produced(translation: &Translation) -> String {
    let mut all = serde_json::to_string(&translation.events).unwrap_or_default();
    for problem in &translation.problems {
        all.push_str(&problem.value);
        all.push('\n');
    }
    all.push_str(translation.source_identifier.as_deref().unwrap_or_default());
    normal(&all)
}

/// Checks one message's leaves, given as (path, field name, value), against its translation.
fn check(
    name: &str,
    leaves: &[(String, String, String)],
    translation: &Translation,
    transformed: &[&str],
) {
    let produced = produced(translation);
    for (path, field, value) in leaves {
        let listed = translation
            .unmodelled
            .iter()
            .any(|u| &u.field == path && &u.value == value);
        let carried = produced.contains(&normal(value))
            || produced.contains(&normal(
                serde_json::to_string(value)
                    .unwrap_or_default()
                    .trim_matches('"'),
            ));
        assert!(
            listed || carried || transformed.contains(&field.as_str()),
            "{name}: `{path}` = `{value}` is neither translated nor listed as unmodelled"
        );
    }
    for unmodelled in &translation.unmodelled {
        assert!(
            leaves
                .iter()
                .any(|(path, _, value)| path == &unmodelled.field && value == &unmodelled.value),
            "{name}: `{}` is listed but the message does not hold it",
            unmodelled.field
        );
    }
}

/// Common Platform fields whose values become something else: codes and words into Joinery's
/// enumerations, dates and times into timestamps, ids used to match results to defendants.
const CP_TRANSFORMED: &[&str] = &[
    "sittingDay",
    "listedStartDateTime",
    "pleaValue",
    "cjsVerdictCode",
    "categoryType",
    "category",
    "description",
    "isConvictedResult",
    "isEffectiveTrial",
    "postHearingCustodyStatus",
    "primaryDurationUnit",
    "primaryDurationValue",
    "code",
    "type",
    "listingNumber",
    "masterDefendantId",
    "id",
    "modeOfTrial",
    "arrestSummonsNumber",
    "adjournmentReason",
];

fn json_leaves(value: &Value, path: &str, out: &mut Vec<(String, String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}/{key}")
                };
                json_leaves(child, &child_path, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                json_leaves(child, &format!("{path}/{index}"), out);
            }
        }
        Value::Null => {}
        Value::String(text) if text.trim().is_empty() => {}
        leaf => {
            // An array element's field is its parent's name.
            let field = path
                .rsplit('/')
                .find(|part| part.parse::<usize>().is_err())
                .unwrap_or_default()
                .to_owned();
            let text = match leaf {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            out.push((path.to_owned(), field, text));
        }
    }
}

fn common_platform_files() -> Vec<PathBuf> {
    let mut files = fixtures::examples("common-platform", "json");
    files.extend(fixtures::shared("common-platform", "json").unwrap_or_default());
    files
}

#[test]
fn no_value_of_a_common_platform_message_goes_unread_and_unlisted() {
    let Some(data) = standing_data() else { return };
    let mut checked = 0;
    for file in common_platform_files() {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        let Ok(translation) = SourceFormat::CommonPlatform.translate(&court(), &text, &data) else {
            continue;
        };
        let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        let mut leaves = Vec::new();
        json_leaves(&json, "", &mut leaves);
        check(
            &file.display().to_string(),
            &leaves,
            &translation,
            CP_TRANSFORMED,
        );
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} checked");
}

/// SPI elements whose values become something else: SPI codes into Joinery's words, sums into
/// pence, sequence numbers into numbers, short ASNs into long ones.
const SPI_TRANSFORMED: &[&str] = &[
    "Plea",
    "Finding",
    "BailStatus",
    "ModeOfTrial",
    "FinalDisposalIndicator",
    "DurationUnit",
    "DurationValue",
    "ResultAmountSterling",
    "OffenceSequenceNumber",
    "ProsecutorReference",
    // A next hearing's time is kept on its listing; where its court is malformed there is no
    // listing, and the adjournment keeps the day alone (the court's code is the problem).
    "TimeOfHearing",
];

fn xml_leaves(element: &xml::Element, out: &mut Vec<(String, String, String)>) {
    element.walk("ResultedCaseMessage", &mut |path, child| {
        let value = child.text.trim();
        if child.children.is_empty() && !value.is_empty() {
            out.push((path.to_owned(), child.name.clone(), value.to_owned()));
        }
    });
}

#[test]
fn no_element_of_an_spi_result_goes_unread_and_unlisted() {
    let Some(data) = standing_data() else { return };
    let mut files = fixtures::examples("spi-results", "xml");
    files.extend(fixtures::shared("spi-results", "xml").unwrap_or_default());
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        let Ok(translation) = SourceFormat::SpiResults.translate(&court(), &text, &data) else {
            continue;
        };
        if translation.unplaced {
            continue;
        }
        let root = xml::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let message = if root.name == "ResultedCaseMessage" {
            &root
        } else {
            root.at("Message/ResultedCaseMessage")
                .unwrap_or_else(|| panic!("{}", file.display()))
        };
        let mut leaves = Vec::new();
        xml_leaves(message, &mut leaves);
        check(
            &file.display().to_string(),
            &leaves,
            &translation,
            SPI_TRANSFORMED,
        );
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} checked");
}
