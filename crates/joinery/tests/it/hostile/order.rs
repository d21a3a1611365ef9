//! What the order of a list gives away: a caseload sorted by the store's "last changed" moved a
//! case to the top when the police added intelligence to it, telling a probation officer of a
//! change they may not see. The order comes from what the reader may see.

use serde_json::json;

use crate::support::TestServer;

/// A case probation works on (the court asked it for a report), arrested at `day`.
fn a_case(urn: &str, day: u8) -> Vec<serde_json::Value> {
    let at = |hour: u8| format!("2026-03-{day:02}T{hour:02}:00:00Z");
    vec![
        json!({"message_id": format!("{urn}-1"), "agency": "MERPOL", "system": "Niche",
            "occurred_at": at(2), "case": {"urn": urn}, "type": "arrest",
            "payload": {"person": {"given_name": "Sam", "family_name": "Quayle"}}}),
        json!({"message_id": format!("{urn}-2"), "agency": "LVCJC", "system": "Libra",
            "occurred_at": at(9), "case": {"urn": urn}, "type": "hearing_listed",
            "payload": {"hearing_id": format!("H-{urn}"), "court": "B05PK00",
                "starts_at": "2030-01-10T10:00:00Z", "purpose": "first_appearance"}}),
        json!({"message_id": format!("{urn}-3"), "agency": "LVCJC", "system": "Libra",
            "occurred_at": at(10), "case": {"urn": urn}, "type": "action_requested",
            "payload": {"action_id": format!("PSR-{urn}"), "action": "pre_sentence_report",
                "owner": "PROBNW", "due_on": "2030-01-01"}}),
    ]
}

/// The URNs on a caseload page, top to bottom.
fn order(page: &str, urns: &[&str]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = urns
        .iter()
        .filter_map(|urn| page.find(urn).map(|at| (at, (*urn).to_owned())))
        .collect();
    found.sort();
    found.into_iter().map(|(_, urn)| urn).collect()
}

#[tokio::test]
async fn a_change_the_reader_may_not_see_does_not_move_a_case_in_their_caseload() {
    let server = TestServer::start().await;
    let urns = ["05AA3131326", "05AA3232326", "05AA3333326"];
    for (day, urn) in (1..).zip(urns) {
        server.send_all(&a_case(urn, day)).await;
    }
    let probation = server.person("po.walsh").await;
    let (_, before) = probation.page("/").await;
    let first = order(&before, &urns);
    assert_eq!(
        first,
        ["05AA3333326", "05AA3232326", "05AA3131326"],
        "newest first"
    );

    // The police add intelligence to the oldest: probation may not see it.
    let intelligence = json!({"message_id": "INT-1", "agency": "MERPOL", "system": "Niche",
        "occurred_at": "2026-04-01T10:00:00Z", "case": {"urn": urns[0]}, "type": "intelligence",
        "payload": {"text": "Seen with known associates."}});
    server.send_all(&[intelligence]).await;
    let (_, after) = probation.page("/").await;
    assert_eq!(order(&after, &urns), first, "the order told of a change");

    // The police themselves see it move.
    let police = server.person("pc.hughes").await;
    let (_, theirs) = police.page("/").await;
    assert_eq!(order(&theirs, &urns)[0], urns[0]);
}

#[tokio::test]
async fn a_case_the_reader_may_not_see_answers_as_late_as_one_that_does_not_exist() {
    let server = TestServer::start().await;
    let id = server.send_all(&a_case("05AA3434326", 1)).await;
    let missing = "01890a5d-ac96-774b-bcce-b302099a8057";
    let mut answers = Vec::new();
    for path in [
        format!("/api/v1/cases/{id}"),
        format!("/api/v1/cases/{missing}"),
    ] {
        let started = std::time::Instant::now();
        let response = server.get("VOLHSG", &path).send().await.expect("request");
        let took = started.elapsed();
        assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND);
        // A floor, not a race: each refusal waits it out, whatever it cost to reach.
        assert!(
            took >= joinery_app::NOT_FOUND_TAKES,
            "{path} answered in {took:?}"
        );
        answers.push(response.text().await.expect("body"));
    }
    assert_eq!(answers[0], answers[1]);
}
