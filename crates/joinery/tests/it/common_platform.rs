//! HMCTS Common Platform hearings: every MoJ fixture (`../shared/fixtures/`) and every example
//! of the project's own (`examples/`) is translated without a panic, into canonical events or a
//! clear rejection, and the values extracted are checked against the JSON itself.

use std::collections::BTreeSet;
use std::path::Path;

use joinery_domain::{AgencyCode, Payload};
use joinery_ingest::{SourceFormat, Translation};
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::fixtures::{self, example};
use crate::support::{TestServer, standing_data};

fn court() -> AgencyCode {
    AgencyCode::parse("LVCJC").unwrap_or_else(|e| panic!("{e}"))
}

/// Every string at a key named `key`, anywhere in `value`.
fn strings_at(value: &Value, key: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (name, child) in map {
                match child {
                    Value::String(text) if name == key => found.push(text.clone()),
                    other => strings_at(other, key, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| strings_at(item, key, found)),
        _ => {}
    }
}

fn all(value: &Value, key: &str) -> Vec<String> {
    let mut found = Vec::new();
    strings_at(value, key, &mut found);
    found
}

/// Checks what was translated from `json` against the JSON itself, read independently of the
/// translation: URNs, offence codes, PNC IDs, the court and the first sitting day.
fn check_against_json(file: &Path, json: &Value, translation: &Translation) {
    let name = file.display();
    let urns: BTreeSet<String> = all(json, "caseURN").into_iter().collect();
    let seen: BTreeSet<String> = translation
        .events
        .iter()
        .filter_map(|event| event.case.urn.as_ref().map(ToString::to_string))
        .collect();
    let wrong_form: BTreeSet<String> = translation
        .problems
        .iter()
        .filter(|p| p.code == "urn-format")
        .map(|p| p.value.clone())
        .collect();
    assert_eq!(&seen | &wrong_form, urns, "{name}: URNs");
    for event in &translation.events {
        assert!(event.case.names_a_case(), "{name}: an event with no case");
    }
    let codes: BTreeSet<String> = all(json, "offenceCode").into_iter().collect();
    let charged: BTreeSet<String> = translation
        .events
        .iter()
        .filter_map(|event| match &event.payload {
            Payload::Charge(charge) => Some(charge.offences.iter().map(|o| o.code.to_string())),
            _ => None,
        })
        .flatten()
        .collect();
    let format_problems: BTreeSet<String> = translation
        .problems
        .iter()
        .filter(|p| p.code == "offence-code-format")
        .map(|p| p.value.clone())
        .collect();
    assert_eq!(&charged | &format_problems, codes, "{name}: offence codes");
    for pnc in all(json, "pncId") {
        let kept = translation.events.iter().any(|event| match &event.payload {
            Payload::Charge(charge) => charge
                .defendant
                .as_ref()
                .and_then(|d| d.pnc_id.as_ref())
                .is_some_and(|id| id.to_string() == pnc),
            _ => false,
        });
        let flagged = translation.problems.iter().any(|p| p.value == pnc);
        let nameless = translation
            .problems
            .iter()
            .any(|p| p.code == "defendant-name");
        assert!(kept || flagged || nameless, "{name}: PNC ID {pnc} lost");
    }
    let listed: Vec<&Payload> = translation
        .events
        .iter()
        .map(|e| &e.payload)
        .filter(|p| matches!(p, Payload::HearingListed(_)))
        .collect();
    if let Some(Payload::HearingListed(hearing)) = listed.first() {
        let court_code = json["hearing"]["courtCentre"]["code"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(hearing.court.as_str(), court_code, "{name}: court");
        let first_day = all(&json["hearing"]["hearingDays"], "sittingDay")
            .iter()
            .filter_map(|d| {
                let with_offset = if d.ends_with('Z') {
                    d.clone()
                } else {
                    format!("{d}Z")
                };
                joinery_domain::Timestamp::parse(&with_offset).ok()
            })
            .min();
        assert_eq!(
            Some(hearing.starts_at),
            first_day,
            "{name}: first sitting day"
        );
    }
}

#[test]
fn every_common_platform_fixture_becomes_events_or_a_clear_rejection() {
    let (Some(data), Some(files)) = (standing_data(), fixtures::shared("common-platform", "json"))
    else {
        return;
    };
    let (mut translated, mut rejected) = (0, 0);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        match SourceFormat::CommonPlatform.translate(&court(), &text, &data) {
            Ok(translation) => {
                translated += 1;
                check_against_json(&file, &json, &translation);
            }
            Err(rejection) => {
                rejected += 1;
                assert!(!rejection.problems.is_empty());
                eprintln!("rejected {}: {rejection}", file.display());
            }
        }
    }
    assert_eq!(translated + rejected, 15);
    assert!(translated >= 12, "{translated} of 15 translated");
}

#[test]
fn the_projects_own_hearings_translate_and_match_their_json() {
    let Some(data) = standing_data() else { return };
    let files = fixtures::examples("common-platform", "json");
    assert!(files.len() >= 2, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        let translation = SourceFormat::CommonPlatform
            .translate(&court(), &text, &data)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        check_against_json(&file, &json, &translation);
    }
}

#[tokio::test]
async fn a_common_platform_hearing_is_kept_with_its_problems_and_the_same_again_changes_nothing() {
    let server = TestServer::start().await;
    if standing_data().is_none() {
        return;
    }
    let text = example("common-platform", "hearing-with-problems.json");
    let post = || server.post_format("LVCJC", "common-platform", text.clone());
    let first = post().await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let answer: Value = first.json().await.unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<&str> = answer["problems"]
        .as_array()
        .map(|all| all.iter().filter_map(|p| p["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        codes.contains(&"urn-format") && codes.contains(&"offence-code-format"),
        "{answer}"
    );
    let second = post().await;
    assert_eq!(second.status(), StatusCode::OK);
    let case_id = answer["case_ids"][0].as_str().unwrap_or_default();
    let case: Value = server
        .fetch("LVCJC", &format!("/api/v1/cases/{case_id}"))
        .await
        .1;
    assert_eq!(
        case["court_case_ids"][0],
        "C4E8A2F6-1B3D-4E5F-9A7B-2C4D6E8F0A11"
    );
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let family = case["defendant"]["family_name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(all(&json, "lastName").contains(&family), "{family}");
    assert!(
        case["defendant"]["pnc_id"].is_null(),
        "a PNC ID failing its check is not used"
    );
    assert!(codes.contains(&"pnc-id-invalid"), "{answer}");
    // The court's system sees the problems on the case they were raised on.
    let on_case: Vec<&str> = case["data_quality"]
        .as_array()
        .map(|all| all.iter().filter_map(|p| p["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(on_case.len(), codes.len(), "{case}");
    assert!(on_case.contains(&"urn-format"), "{case}");
    assert_eq!(case["hearings"][0]["court"], "B05PK00");
    let unknown = server.post_format("LVCJC", "teletext", "x").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
