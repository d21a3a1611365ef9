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
    let (mut translated, mut rejected, mut unplaced) = (0, 0, 0);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        match SourceFormat::CommonPlatform.translate(&court(), &text, &data) {
            // Names no case: kept whole, to be placed, and says why.
            Ok(translation) if translation.unplaced => {
                unplaced += 1;
                assert!(
                    translation
                        .problems
                        .iter()
                        .any(|p| p.code == "case-unplaced"),
                    "{}",
                    file.display()
                );
            }
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
    assert_eq!(translated + rejected + unplaced, 15);
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

fn translated(name: &str) -> Option<Translation> {
    let data = standing_data()?;
    let text = example("common-platform", name);
    Some(
        SourceFormat::CommonPlatform
            .translate(&court(), &text, &data)
            .unwrap_or_else(|e| panic!("{name}: {e}")),
    )
}

fn payloads(translation: &Translation) -> Vec<&Payload> {
    translation.events.iter().map(|e| &e.payload).collect()
}

#[test]
fn a_sentencing_hearings_results_become_a_result_a_verdict_with_its_day_and_a_sentence() {
    let Some(translation) = translated("sentence-with-results.json") else {
        return;
    };
    assert!(
        translation.problems.is_empty(),
        "{:?}",
        translation.problems
    );
    let case = &translation.events[0].case;
    assert_eq!(
        case.asn.as_ref().map(ToString::to_string).as_deref(),
        Some("2605AA0100000001234F"),
        "the ASN is read from the person defendant"
    );
    let all = payloads(&translation);
    let lines: Vec<(Option<u16>, String)> = all
        .iter()
        .filter_map(|p| match p {
            Payload::HearingResult(result) => Some(result.results.iter()),
            _ => None,
        })
        .flatten()
        .map(|line| (line.offence_sequence, line.code.to_string()))
        .collect();
    // The offence's community order, and the defendant's costs given as text alone: kept as
    // `1000` with no problem raised.
    assert_eq!(
        lines,
        [(Some(1), "1116".to_owned()), (None, "1000".to_owned())]
    );
    let sentence = all.iter().find_map(|p| match p {
        Payload::Sentence(sentence) => Some(sentence),
        _ => None,
    });
    let sentence = sentence.unwrap_or_else(|| panic!("no sentence in {all:?}"));
    assert!(sentence.supervised_by_probation);
    assert_eq!(sentence.disposals.len(), 1, "costs are not a disposal");
    assert_eq!(sentence.disposals[0].duration_months, Some(12));
    let verdict = all.iter().find_map(|p| match p {
        Payload::Verdict(verdict) => Some(verdict),
        _ => None,
    });
    assert_eq!(
        verdict.and_then(|v| v.convicted_on).map(|d| d.to_string()),
        Some("2026-03-17".to_owned())
    );
}

#[test]
fn an_ineffective_trial_gives_its_reason_bail_after_the_hearing_and_the_next_hearing() {
    let Some(translation) = translated("trial-ineffective-adjourned.json") else {
        return;
    };
    assert!(
        translation.problems.is_empty(),
        "{:?}",
        translation.problems
    );
    let all = payloads(&translation);
    let result = all.iter().find_map(|p| match p {
        Payload::HearingResult(result) => Some(result),
        _ => None,
    });
    let result = result.unwrap_or_else(|| panic!("no result in {all:?}"));
    assert_eq!(
        result.trial,
        Some(joinery_domain::journey::TrialEffectiveness::Ineffective)
    );
    assert_eq!(
        result
            .trial_reason
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("Prosecution witness absent (M1)")
    );
    // The hearing-level result for this defendant is matched to the case by its master id.
    assert!(
        result
            .results
            .iter()
            .any(|line| line.offence_sequence.is_none())
    );
    let bail = all.iter().find_map(|p| match p {
        Payload::Bail(bail) => Some(bail),
        _ => None,
    });
    // The custody status after the hearing (`B`) replaces the status before it (`U`).
    assert_eq!(
        bail.map(|b| b.status),
        Some(joinery_domain::journey::BailStatus::ConditionalBail)
    );
    assert_eq!(bail.map(|b| b.conditions.len()), Some(1));
    let adjourned = all.iter().find_map(|p| match p {
        Payload::Adjournment(adjournment) => Some(adjournment),
        _ => None,
    });
    let adjourned = adjourned.unwrap_or_else(|| panic!("no adjournment in {all:?}"));
    assert_eq!(
        adjourned.reason,
        joinery_domain::journey::AdjournmentReason::WitnessAbsent
    );
    assert_eq!(
        adjourned
            .next_court
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("B05PK00")
    );
    let listed: Vec<String> = all
        .iter()
        .filter_map(|p| match p {
            Payload::HearingListed(listed) => Some(listed.starts_at.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(listed, ["2026-05-05T10:00:00Z", "2026-06-16T10:00:00Z"]);
}

/// A hearing whose case has charges but no sitting day: the charges are kept, dated by the
/// results; a next hearing at a court the standing data does not know is a problem, and the
/// adjournment is kept.
#[test]
fn a_case_heard_on_no_sitting_day_keeps_its_charges_and_an_unknown_next_court_is_a_problem() {
    let Some(data) = standing_data() else { return };
    let mut json: Value = serde_json::from_str(&example(
        "common-platform",
        "trial-ineffective-adjourned.json",
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    json["hearing"]["hearingDays"] = Value::Array(Vec::new());
    let next = &mut json["hearing"]["prosecutionCases"][0]["defendants"][0]["offences"][0]["judicialResults"]
        [0]["nextHearing"];
    next["courtCentre"]["code"] = Value::String("B99ZZ00".into());
    let translation = SourceFormat::CommonPlatform
        .translate(&court(), &json.to_string(), &data)
        .unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<&str> = translation.problems.iter().map(|p| p.code).collect();
    assert!(codes.contains(&"hearing-days-missing"), "{codes:?}");
    assert!(codes.contains(&"next-court-unknown"), "{codes:?}");
    let charge = translation
        .events
        .iter()
        .find(|e| matches!(e.payload, Payload::Charge(_)));
    assert_eq!(
        charge.map(|e| e.occurred_at.to_string()).as_deref(),
        Some("2026-03-24T00:00:00Z"),
        "dated by the earliest date the case gives (its plea)"
    );
    assert!(
        !payloads(&translation).iter().any(|p| matches!(p, Payload::HearingListed(l) if l.starts_at.to_string().starts_with("2026-05"))),
        "a hearing with no sitting day is not listed"
    );
    assert!(
        payloads(&translation)
            .iter()
            .any(|p| matches!(p, Payload::Adjournment(a) if a.next_court.is_some())),
        "the adjournment keeps the court it names"
    );
}

#[tokio::test]
async fn common_platform_results_move_the_case_on_and_show_on_its_journey() {
    let server = TestServer::start().await;
    if standing_data().is_none() {
        return;
    }
    let mut case_ids = Vec::new();
    for name in ["first-hearing.json", "sentence-with-results.json"] {
        let answer = server
            .post_format("LVCJC", "common-platform", example("common-platform", name))
            .await;
        assert_eq!(answer.status(), StatusCode::CREATED, "{name}");
        let answer: Value = answer.json().await.unwrap_or_else(|e| panic!("{e}"));
        case_ids.push(
            answer["case_ids"][0]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    assert_eq!(case_ids[0], case_ids[1], "both hearings are of one case");
    let case_id = &case_ids[0];
    let (_, case) = server
        .fetch("LVCJC", &format!("/api/v1/cases/{case_id}"))
        .await;
    assert_eq!(case["stage"], "under_order", "{case}");
    assert_eq!(case["offences"][0]["convicted_on"], "2026-03-17", "{case}");
    assert_eq!(case["offences"][0]["committed_on"], "2026-02-10", "{case}");
    let resulted = case["hearings"]
        .as_array()
        .map(|all| all.iter().filter(|h| h["resulted"] == true).count());
    assert_eq!(resulted, Some(1), "{case}");
}

#[test]
fn on_common_platform_too_a_committal_in_words_is_listed_and_an_offence_in_error_stripped() {
    let Some(data) = standing_data() else { return };
    let mut json: Value =
        serde_json::from_str(&example("common-platform", "sentence-with-results.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    let result = &mut json["hearing"]["prosecutionCases"][0]["defendants"][0]["offences"][0]["judicialResults"]
        [0];
    result["cjsCode"] = Value::String("4014".into());
    result["category"] = Value::String("INTERMEDIARY".into());
    result["resultText"] = Value::String(
        "Committed to Liverpool Crown Court for sentence on 19/05/2026 at 10:00 on unconditional bail"
            .into(),
    );
    let translation = SourceFormat::CommonPlatform
        .translate(&court(), &json.to_string(), &data)
        .unwrap_or_else(|e| panic!("{e}"));
    let listed: Vec<String> = payloads(&translation)
        .iter()
        .filter_map(|p| match p {
            Payload::HearingListed(l) => Some(format!("{} {}", l.court, l.starts_at)),
            _ => None,
        })
        .collect();
    assert!(
        listed.contains(&"C05LV00 2026-05-19T10:00:00Z".to_owned()),
        "{listed:?}"
    );
    let offence = &mut json["hearing"]["prosecutionCases"][0]["defendants"][0]["offences"][0];
    offence["judicialResults"][0]["cjsCode"] = Value::String("4583".into());
    let translation = SourceFormat::CommonPlatform
        .translate(&court(), &json.to_string(), &data)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !payloads(&translation).iter().any(|p| matches!(
            p,
            Payload::Plea(_) | Payload::Verdict(_) | Payload::Sentence(_)
        )),
        "the offence in error and its plea, verdict and sentence are stripped"
    );
    assert!(
        translation.unmodelled.iter().any(|u| u.value == "TH68001"),
        "and kept listed"
    );
}
