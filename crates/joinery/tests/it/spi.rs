//! Court results in Libra "SPI Results" XML. Every MoJ fixture (`../shared/fixtures/`) is
//! translated without a panic, into canonical events or a clear rejection, and the values
//! extracted are checked against the XML itself; the project's own examples (`examples/`) are
//! kept once however often they are sent, their problems listed for the court.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use joinery_domain::{AgencyCode, Payload};
use joinery_ingest::{Translation, translate_spi_results};
use joinery_reference::StandingData;

use crate::support::fixtures::{self, example};

/// The MoJ's SPI Results fixtures, where this machine has them.
fn fixtures() -> Option<Vec<PathBuf>> {
    fixtures::shared("spi-results", "xml")
}

fn standing_data() -> Option<std::sync::Arc<StandingData>> {
    crate::support::standing_data()
}

/// The texts of every element named `name` in `xml`, found by plain text search: an account of
/// the message independent of the parser under test.
fn texts(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<DC:{name}>");
    let close = format!("</DC:{name}>");
    xml.match_indices(&open)
        .filter_map(|(at, _)| {
            let rest = &xml[at + open.len()..];
            rest.find(&close).map(|end| rest[..end].trim().to_owned())
        })
        .collect()
}

#[test]
fn an_offence_code_with_a_qualifier_the_standing_data_does_not_list_is_known_by_its_core() {
    let Some(data) = standing_data() else {
        return;
    };
    let code = |text: &str| {
        joinery_domain::OffenceCode::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    };
    let core = data
        .offence(&code("TH68001"))
        .expect("theft from a shop is listed");
    // `TH68001` with a qualifier letter the data has no entry for: the same offence, as
    // Bichard reads it, so neither unknown nor unclassified.
    assert!(
        data.offence(&code("TH68001Z"))
            .is_some_and(|qualified| qualified == core)
    );
    assert_eq!(
        data.offence_type(&code("TH68001Z")),
        data.offence_type(&code("TH68001"))
    );
    // A code unknown without its qualifier too stays unknown.
    assert!(data.offence(&code("ZZ99999A")).is_none());
}

fn court() -> AgencyCode {
    AgencyCode::parse("LVCJC").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_spi_fixture_becomes_events_or_a_clear_rejection() {
    let (Some(data), Some(files)) = (standing_data(), fixtures()) else {
        return;
    };
    let data = data.as_ref();
    let (mut translated, mut rejected, mut with_problems) = (0, 0, 0);
    for file in files {
        let xml = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        match translate_spi_results(&court(), &xml, data) {
            Ok(translation) => {
                translated += 1;
                assert!(
                    !translation.events.is_empty() || translation.unplaced,
                    "{}",
                    file.display()
                );
                if !translation.problems.is_empty() {
                    with_problems += 1;
                }
            }
            Err(rejection) => {
                rejected += 1;
                eprintln!("rejected {}: {rejection}", file.display());
                assert!(!rejection.problems.is_empty(), "{}", file.display());
                assert!(!rejection.to_string().is_empty());
            }
        }
    }
    eprintln!(
        "{translated} translated ({with_problems} with data-quality problems), {rejected} rejected"
    );
    assert_eq!(translated + rejected, 332);
    assert!(translated >= 320, "{translated} of 332 translated");
}

/// The XML without its offences resulted in error (result 4583), which the translation strips
/// as Bichard does; and those offences' codes.
fn without_entered_in_error(xml: &str) -> (String, Vec<String>) {
    let mut kept = String::new();
    let mut stripped = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<DC:Offence>") {
        let end = rest[start..]
            .find("</DC:Offence>")
            .map_or(rest.len(), |end| start + end + "</DC:Offence>".len());
        kept.push_str(&rest[..start]);
        let offence = &rest[start..end];
        if offence.contains("<DC:ResultCode>4583</DC:ResultCode>") {
            stripped.extend(texts(offence, "OffenceCode"));
        } else {
            kept.push_str(offence);
        }
        rest = &rest[end..];
    }
    kept.push_str(rest);
    (kept, stripped)
}

fn check_against_xml(file: &Path, xml: &str, translation: &Translation) {
    let name = file.display();
    let (xml, stripped) = without_entered_in_error(xml);
    let xml = xml.as_str();
    for code in &stripped {
        assert!(
            translation.unmodelled.iter().any(|u| &u.value == code),
            "{name}: offence {code}, resulted in error, is neither applied nor kept listed"
        );
    }
    let urn: Vec<String> = texts(xml, "PTIURN")
        .iter()
        .map(|t| t.to_ascii_uppercase())
        .collect();
    let case = &translation.events[0].case;
    if let Some(urn_seen) = &case.urn {
        assert_eq!(urn, [urn_seen.to_string()], "{name}: PTIURN");
    }
    // ASNs come long or short; both name the same number in its long form.
    let asn: Vec<String> = texts(xml, "ProsecutorReference")
        .iter()
        .map(|text| {
            joinery_domain::Asn::parse(text).map_or_else(|_| text.clone(), |a| a.to_string())
        })
        .collect();
    if let Some(asn_seen) = &case.asn {
        assert_eq!(asn, [asn_seen.to_string()], "{name}: ASN");
    } else if !asn.is_empty() {
        assert!(
            translation.problems.iter().any(|p| p.code == "asn-invalid"),
            "{name}: an ASN dropped silently"
        );
    }
    let offence_codes: BTreeSet<String> = texts(xml, "OffenceCode").into_iter().collect();
    let charged: BTreeSet<String> = translation
        .events
        .iter()
        .filter_map(|event| match &event.payload {
            Payload::Charge(charge) => Some(charge.offences.iter().map(|o| o.code.to_string())),
            _ => None,
        })
        .flatten()
        .collect();
    let format_problems: BTreeSet<&str> = translation
        .problems
        .iter()
        .filter(|p| p.code == "offence-code-format")
        .map(|p| p.value.as_str())
        .collect();
    for code in &offence_codes {
        assert!(
            charged.contains(&code.to_ascii_uppercase()) || format_problems.contains(code.as_str()),
            "{name}: offence code {code} lost"
        );
    }
    let result_codes: Vec<String> = texts(xml, "ResultCode");
    let resulted: Vec<String> = translation
        .events
        .iter()
        .filter_map(|event| match &event.payload {
            Payload::HearingResult(result) => {
                Some(result.results.iter().map(|r| r.code.to_string()))
            }
            _ => None,
        })
        .flatten()
        .collect();
    let result_problems = translation
        .problems
        .iter()
        .filter(|p| p.code == "result-code-format" || p.code == "result-empty")
        .count();
    let result_elements = xml.matches("<DC:Result>").count();
    assert_eq!(
        resulted.len() + result_problems,
        result_elements,
        "{name}: results"
    );
    // A result with text and no code is kept as `1000` with no problem raised, as Bichard
    // keeps it.
    assert!(
        !translation
            .problems
            .iter()
            .any(|p| p.code == "result-code-missing"),
        "{name}: an uncoded text result asked a person to resolve it"
    );
    let empty = translation
        .problems
        .iter()
        .filter(|p| p.code == "result-empty")
        .count();
    let coded_1000 = result_codes.iter().filter(|code| *code == "1000").count();
    let kept_1000 = resulted.iter().filter(|code| *code == "1000").count();
    assert_eq!(
        kept_1000 - coded_1000,
        result_elements - result_codes.len() - empty,
        "{name}: uncoded results"
    );
    for code in &resulted {
        assert!(
            result_codes.contains(code) || code == "1000",
            "{name}: result {code} not in the XML"
        );
    }
    let next_dates: BTreeSet<String> = xml
        .split("<DC:NextHearingDetails>")
        .skip(1)
        .flat_map(|details| {
            texts(
                details
                    .split("</DC:NextHearingDetails>")
                    .next()
                    .unwrap_or_default(),
                "DateOfHearing",
            )
        })
        .collect();
    let adjourned_to: BTreeSet<String> = translation
        .events
        .iter()
        .filter_map(|event| match &event.payload {
            Payload::Adjournment(adjournment) => adjournment.next_hearing_on.map(|d| d.to_string()),
            _ => None,
        })
        .collect();
    // Every next hearing the XML gives is adjourned to; any other comes from a committal's
    // words (`… on 08/10/2011 …`).
    assert!(
        next_dates.is_subset(&adjourned_to),
        "{name}: next hearing dates {next_dates:?} not all in {adjourned_to:?}"
    );
    for extra in adjourned_to.difference(&next_dates) {
        let parts: Vec<&str> = extra.split('-').collect();
        let in_words = format!("on {}/{}/{}", parts[2], parts[1], parts[0]);
        assert!(
            texts(xml, "ResultText")
                .iter()
                .any(|text| text.contains(&in_words)),
            "{name}: a next hearing on {extra} from nowhere"
        );
    }
}

#[test]
fn extracted_values_match_the_xml_itself() {
    let (Some(data), Some(files)) = (standing_data(), fixtures()) else {
        return;
    };
    let data = data.as_ref();
    let mut checked = 0;
    for file in files {
        let xml = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        if let Ok(translation) = translate_spi_results(&court(), &xml, data)
            && texts(&xml, "PTIURN").len() == 1
            && !translation.unplaced
        {
            check_against_xml(&file, &xml, &translation);
            checked += 1;
        }
    }
    assert!(checked >= 300, "only {checked} checked");
}

#[test]
fn the_projects_own_court_results_translate_cleanly_and_match_their_xml() {
    let Some(data) = standing_data() else { return };
    let files = fixtures::examples("spi-results", "xml");
    assert!(files.len() >= 2, "{files:?}");
    for file in files {
        let xml = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        let translation = translate_spi_results(&court(), &xml, data.as_ref())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if translation.unplaced {
            // The example of a result that names no case: its missing reference is its problem.
            assert!(
                translation
                    .problems
                    .iter()
                    .any(|p| p.code == "case-unplaced"),
                "{}",
                file.display()
            );
            continue;
        }
        // Only an offence resulted in error is left unread, kept listed with the message.
        let unread_offence = translation
            .unmodelled
            .iter()
            .all(|u| u.field.contains("/Offence/"))
            && xml.contains("<DC:ResultCode>4583</DC:ResultCode>");
        assert!(
            translation.problems.is_empty()
                && (translation.unmodelled.is_empty() || unread_offence),
            "{}: {:?} {:?}",
            file.display(),
            translation.problems,
            translation.unmodelled
        );
        check_against_xml(&file, &xml, &translation);
    }
}

#[test]
fn the_same_court_result_translates_to_the_same_events() {
    let Some(data) = standing_data() else { return };
    let data = data.as_ref();
    let xml = example("spi-results", "sentence.xml");
    let first = translate_spi_results(&court(), &xml, data).unwrap_or_else(|e| panic!("{e}"));
    let second = translate_spi_results(&court(), &xml, data).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first, second);
}

#[tokio::test]
async fn a_court_result_posted_twice_is_kept_once_and_its_problems_listed() {
    use crate::support::TestServer;
    use reqwest::StatusCode;
    let server = TestServer::start().await;
    if standing_data().is_none() {
        return;
    }
    let xml = example("spi-results", "sentence.xml");
    let post = |body: String| server.post_format("LVCJC", "spi-results", body);
    let first = post(xml.clone()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let answer: serde_json::Value = first.json().await.unwrap_or_else(|e| panic!("{e}"));
    let case_id = answer["case_ids"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let rows = || {
        let count = |sql: &str| server.db.number(sql);
        let states: String = server
            .db
            .rows("SELECT state || updated_at FROM cases ORDER BY case_no")
            .into_iter()
            .flatten()
            .flatten()
            .collect();
        (
            count("SELECT COUNT(*) FROM messages"),
            count("SELECT COUNT(*) FROM sources"),
            count("SELECT COUNT(*) FROM exceptions"),
            states,
        )
    };
    let before = rows();
    let second = post(xml.clone()).await;
    assert_eq!(second.status(), StatusCode::OK);
    let again: serde_json::Value = second.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again["status"], "duplicate");
    assert_eq!(rows(), before, "the second time changes nothing");

    let case = server
        .get("LVCJC", &format!("/api/v1/cases/{case_id}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let case: serde_json::Value = case.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(case["offences"][0]["code"], "TH68001");
    assert_eq!(case["offences"][0]["finding"], "guilty");
    assert_eq!(case["sentence"]["disposals"][0]["duration_months"], 12);
    assert_eq!(
        case["titles"]["offences"]["TH68001"],
        "Theft from the person of another"
    );
    assert_eq!(
        case["titles"]["courts"]["B05PK00"],
        "Liverpool Magistrates' Court"
    );
    assert_eq!(case["titles"]["results"]["1116"], "Community Order");
    let police = server
        .get("MERPOL", &format!("/api/v1/cases/{case_id}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        police.status(),
        StatusCode::NOT_FOUND,
        "the police are not on this case"
    );

    // The same court's result for another case whose ASN fails its check letter.
    let bad_asn = example("spi-results", "first-appearance-adjourned.xml")
        .replace("05AA1234526", "05AA1234626")
        .replace("2605AA0100000001234F", "2605AA0100000001235F");
    let kept = post(bad_asn).await;
    assert_eq!(
        kept.status(),
        StatusCode::CREATED,
        "an ASN failing its check is kept"
    );
    let listed: serde_json::Value = server.fetch("LVCJC", "/api/v1/exceptions").await.1;
    let problem = listed
        .as_array()
        .and_then(|all| all.iter().find(|p| p["code"] == "asn-invalid"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(problem["value"], "2605AA0100000001235F");
    assert!(problem["case_id"].is_string(), "{problem}");
    let other: serde_json::Value = server.fetch("MERPOL", "/api/v1/exceptions").await.1;
    assert_eq!(other, serde_json::json!([]), "each agency sees its own");

    let malformed = post("<DeliverRequest><Message>".to_owned()).await;
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = malformed.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("not well formed"),
        "{problem}"
    );
    let refused: serde_json::Value = server.fetch("LVCJC", "/api/v1/rejections").await.1;
    assert_eq!(refused[0]["format"], "spi-results");
    assert!(
        refused[0]["reasons"][0]["problem"]
            .as_str()
            .unwrap_or_default()
            .contains("not well formed"),
        "{refused}"
    );
    let rows = server
        .db
        .number("SELECT COUNT(*) FROM sources WHERE body LIKE '<DeliverRequest><Message>%'");
    assert_eq!(rows, 0, "a refused message is stored nowhere");
}

#[tokio::test]
async fn a_code_the_standing_data_does_not_know_is_accepted_and_listed_for_the_sender() {
    use crate::support::TestServer;
    let server = TestServer::start().await;
    if standing_data().is_none() {
        return;
    }
    let charge = serde_json::json!({"message_id": "Q-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-01T10:00:00Z", "case": {"urn": "05AA6666626"}, "type": "charge",
        "payload": {"offences": [
            {"sequence": 1, "code": "TH68006", "wording": "Stole a bicycle."},
            {"sequence": 2, "code": "ZZ99999", "wording": "An offence no one has heard of."}]}});
    let answer = server.post("MERPOL", charge.to_string()).await;
    assert_eq!(
        answer.status(),
        reqwest::StatusCode::CREATED,
        "accepted all the same"
    );
    let answer: serde_json::Value = answer.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer["problems"][0]["code"], "offence-code-unknown");
    assert_eq!(answer["problems"][0]["field"], "payload.offences[1].code");
    let listed: serde_json::Value = server.fetch("MERPOL", "/api/v1/exceptions").await.1;
    assert_eq!(listed[0]["source_id"], "Q-1");
    assert_eq!(listed[0]["format"], "canonical");
    assert_eq!(listed[0]["value"], "ZZ99999");
    assert_eq!(listed[0]["case_id"], answer["case_id"]);
}

#[tokio::test]
async fn every_fixture_goes_through_the_api_as_events_or_a_clear_rejection() {
    use crate::support::TestServer;
    let server = TestServer::start().await;
    if standing_data().is_none() {
        return;
    }
    let mut answered = 0;
    for (format, extension) in [("spi-results", "xml"), ("common-platform", "json")] {
        let Some(files) = fixtures::shared(format, extension) else {
            return;
        };
        for file in files {
            let body = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
            let response = server.post_format("LVCJC", format, body).await;
            let status = response.status().as_u16();
            let answer: serde_json::Value = response.json().await.unwrap_or_else(|e| panic!("{e}"));
            match status {
                200 | 201 => assert!(
                    answer["events"].as_u64().is_some_and(|n| n > 0),
                    "{}",
                    file.display()
                ),
                // Names no case: kept whole, to be placed.
                202 => assert!(
                    answer["unplaced_id"]
                        .as_str()
                        .is_some_and(|id| id.starts_with("unplaced-")),
                    "{}: {answer}",
                    file.display()
                ),
                422 => assert!(
                    answer["errors"][0]["problem"].is_string(),
                    "{}: {answer}",
                    file.display()
                ),
                other => panic!("{}: {other} {answer}", file.display()),
            }
            answered += 1;
        }
    }
    assert_eq!(answered, 347);
}

#[tokio::test]
async fn a_result_for_an_offence_the_case_lacks_is_a_problem_shown_on_the_case_until_resolved() {
    use crate::support::TestServer;
    use reqwest::StatusCode;
    let server = TestServer::start().await;
    if standing_data().is_none() {
        return;
    }
    let case = serde_json::json!({"urn": "05AA3333326"});
    let charge = serde_json::json!({"message_id": "R-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-01T10:00:00Z", "case": case, "type": "charge",
        "payload": {"offences": [{"sequence": 1, "code": "TH68006", "wording": "Stole a bicycle."}]}});
    let listed = serde_json::json!({"message_id": "R-2", "agency": "LVCJC", "system": "Libra",
        "occurred_at": "2026-03-02T10:00:00Z", "case": case, "type": "hearing_listed",
        "payload": {"hearing_id": "H-R", "court": "B01EF01", "starts_at": "2026-03-20T10:00:00Z",
                    "purpose": "first_appearance"}});
    server.send_all(&[charge, listed]).await;
    let result = serde_json::json!({"message_id": "R-3", "agency": "LVCJC", "system": "Libra",
        "occurred_at": "2026-03-20T11:00:00Z", "case": case, "type": "hearing_result",
        "payload": {"hearing_id": "H-R", "results": [
            {"offence_sequence": 1, "code": "1015", "text": "Fined"},
            {"offence_sequence": 9, "code": "1015", "text": "Fined again"}]}});
    let answer: serde_json::Value = server
        .post("LVCJC", result.to_string())
        .await
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer["status"], "accepted");
    assert_eq!(answer["problems"][0]["code"], "result-for-unknown-offence");
    assert_eq!(answer["problems"][0]["value"], "9");
    let case_id = answer["case_id"].as_str().unwrap_or_default().to_owned();

    let view: serde_json::Value = server
        .fetch("LVCJC", &format!("/api/v1/cases/{case_id}"))
        .await
        .1;
    let id = view["data_quality"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(view["data_quality"][0]["source_id"], "R-3");
    let police: serde_json::Value = server
        .fetch("MERPOL", &format!("/api/v1/cases/{case_id}"))
        .await
        .1;
    assert!(
        police["data_quality"].is_null(),
        "another agency's problems are its own"
    );

    let officer = server.person("la.byrne").await;
    let refused = officer
        .post(
            &format!("/api/v1/exceptions/{id}/resolve"),
            &serde_json::json!({}),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "administrators and systems resolve"
    );
    let resolve = || {
        server
            .client
            .post(format!("{}/api/v1/exceptions/{id}/resolve", server.base))
            .bearer_auth(server.key("LVCJC"))
            .send()
    };
    assert_eq!(
        resolve().await.unwrap_or_else(|e| panic!("{e}")).status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        resolve().await.unwrap_or_else(|e| panic!("{e}")).status(),
        StatusCode::NOT_FOUND
    );
    let open: serde_json::Value = server.fetch("LVCJC", "/api/v1/exceptions").await.1;
    assert!(
        open.as_array()
            .is_some_and(|all| all.iter().all(|e| e["id"] != id.as_str()))
    );
}

fn listed(translation: &Translation) -> Vec<(String, String)> {
    translation
        .events
        .iter()
        .filter_map(|event| match &event.payload {
            Payload::HearingListed(listed) => {
                Some((listed.court.to_string(), listed.starts_at.to_string()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_committal_given_only_in_words_lists_the_next_hearing_at_the_crown_court_it_names() {
    let Some(data) = standing_data() else { return };
    let xml = example("spi-results", "committed-for-sentence.xml");
    let translation =
        translate_spi_results(&court(), &xml, data.as_ref()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        translation.problems.is_empty(),
        "{:?}",
        translation.problems
    );
    assert_eq!(
        listed(&translation),
        [
            ("B05PK00".to_owned(), "2026-04-21T10:00:00Z".to_owned()),
            ("C05LV00".to_owned(), "2026-05-19T10:00:00Z".to_owned())
        ],
        "Liverpool Crown Court, from the result's words"
    );
    let crown = translation
        .events
        .iter()
        .find_map(|event| match &event.payload {
            Payload::HearingListed(listed) if listed.court.as_str() == "C05LV00" => {
                Some(listed.purpose)
            }
            _ => None,
        });
    assert_eq!(
        crown,
        Some(joinery_domain::journey::HearingPurpose::Sentence),
        "committed for sentence"
    );
    // The MoJ's own: a court the standing data knows by name, and one it does not, which is
    // a problem for a person to resolve, the adjournment kept.
    let Some(files) = fixtures() else { return };
    for file in files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let xml = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        let translation = translate_spi_results(&court(), &xml, data.as_ref())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let unknown = translation
            .problems
            .iter()
            .filter(|p| p.code == "next-court-unknown")
            .count();
        if name.starts_with("088-court-location-from-text") {
            assert!(
                listed(&translation)
                    .iter()
                    .any(|(court, _)| court == "C01SN00"),
                "{name}: Snaresbrook"
            );
            assert_eq!(unknown, 0, "{name}");
        }
        if name.starts_with("089-court-location-from-text-exception") {
            assert!(unknown > 0, "{name}: {:?}", translation.problems);
            assert!(
                translation.events.iter().any(
                    |e| matches!(&e.payload, Payload::Adjournment(a) if a.next_hearing_on.is_some())
                ),
                "{name}: the adjournment is kept"
            );
        }
    }
}

#[test]
fn an_offence_resulted_in_error_is_stripped_with_its_results_and_kept_listed() {
    let Some(data) = standing_data() else { return };
    let xml = example("spi-results", "offence-entered-in-error.xml");
    let translation =
        translate_spi_results(&court(), &xml, data.as_ref()).unwrap_or_else(|e| panic!("{e}"));
    let sequences: Vec<u16> = translation
        .events
        .iter()
        .flat_map(|event| match &event.payload {
            Payload::Charge(charge) => charge.offences.iter().map(|o| o.sequence).collect(),
            Payload::Plea(plea) => vec![plea.offence_sequence],
            Payload::Verdict(verdict) => vec![verdict.offence_sequence],
            Payload::HearingResult(result) => result
                .results
                .iter()
                .filter_map(|line| line.offence_sequence)
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    assert!(
        !sequences.is_empty() && sequences.iter().all(|s| *s == 1),
        "{sequences:?}"
    );
    assert!(
        translation.unmodelled.iter().any(|u| u.value == "TH68012"),
        "the offence entered in error is kept listed: {:?}",
        translation.unmodelled
    );
}
