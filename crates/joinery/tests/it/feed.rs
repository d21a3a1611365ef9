//! The change feed: a police system follows the court's results on its case, resumes from its
//! cursor, and never sees a change on a case it is not on.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestServer, standing_data};

async fn page(server: &TestServer, agency: &str, after: &str) -> Value {
    let response = server
        .get(agency, &format!("/api/v1/feed?after={after}&limit=500"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap_or_else(|e| panic!("{e}"))
}

fn types(page: &Value) -> Vec<String> {
    page["changes"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|c| c["type"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_police_system_follows_the_court_results_on_its_case_and_nothing_else() {
    let server = TestServer::start().await;
    if standing_data().is_none() {
        return;
    }
    let charge = json!({"message_id": "F-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-03T10:00:00Z",
        "case": {"urn": "05AA1234526", "asn": "2605AA0100000001234F"}, "type": "charge",
        "payload": {"offences": [{"sequence": 1, "code": "TH68001", "wording": "Stole a phone."}]}});
    let elsewhere = json!({"message_id": "F-2", "agency": "CPSMER", "system": "CMS",
        "occurred_at": "2011-09-02T10:00:00Z", "case": {"urn": "05AA7777726"},
        "type": "charging_decision", "payload": {"decision": "charge", "offences": ["TH68001"]}});
    server.send_all(&[charge, elsewhere]).await;
    let xml = crate::support::fixtures::example("spi-results", "sentence.xml");
    let posted = server.post_format("LVCJC", "spi-results", xml).await;
    assert_eq!(posted.status(), StatusCode::CREATED);
    let answer: Value = posted.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        answer["case_ids"].as_array().map(Vec::len),
        Some(1),
        "{answer}"
    );

    let first = page(&server, "MERPOL", "").await;
    let seen = types(&first);
    for expected in [
        "charge",
        "hearing_listed",
        "hearing_result",
        "verdict",
        "sentence",
    ] {
        assert!(
            seen.contains(&expected.to_owned()),
            "{expected} missing from {seen:?}"
        );
    }
    assert!(
        !seen.contains(&"charging_decision".to_owned()),
        "a change on another case leaked"
    );
    let cases: Vec<&Value> = first["changes"]
        .as_array()
        .map(|all| all.iter().map(|c| &c["case_id"]).collect())
        .unwrap_or_default();
    assert!(
        cases.windows(2).all(|pair| pair[0] == pair[1]),
        "one case only"
    );

    let next = first["next"].as_str().unwrap_or_default().to_owned();
    let quiet = page(&server, "MERPOL", &next).await;
    assert_eq!(quiet["changes"], json!([]));
    assert_eq!(
        quiet["next"],
        next.as_str(),
        "nothing new: the cursor stays"
    );

    let bail = json!({"message_id": "L-9", "agency": "LVCJC", "system": "Libra",
        "occurred_at": "2026-05-01T10:00:00Z", "case": {"urn": "05AA1234526"}, "type": "bail",
        "payload": {"status": "conditional_bail", "conditions": ["Curfew"]}});
    server.send_all(&[bail]).await;
    let resumed = page(&server, "MERPOL", &next).await;
    assert_eq!(types(&resumed), ["bail"]);

    let voluntary = page(&server, "VOLDRG", "").await;
    assert_eq!(
        voluntary["changes"],
        json!([]),
        "not on the case, nothing in the feed"
    );

    let bad = server
        .get("MERPOL", "/api/v1/feed?after=yesterday")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let problem: Value = bad.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(problem["errors"][0]["field"], "after");
}

/// Each agency's feed follows what its system may see as a case unfolds a message at a time
/// (each its own transaction): agencies joining the team, judges listed, a conviction, and
/// consent that opens changes made long before it. After every message, every agency's feed is
/// what its system sees on the case's own page.
#[tokio::test]
async fn each_feed_follows_what_its_system_may_see_as_a_case_unfolds() {
    let server = TestServer::start().await;
    let agencies: Vec<_> = joinery::model_office::agencies()
        .into_iter()
        .map(|agency| (agency.code, agency.kind))
        .collect();
    let check = || {
        crate::support::feeds::feeds_are_what_the_case_views_show(
            server.app(),
            &server.store,
            &agencies,
            usize::MAX,
        )
    };
    for message in crate::need_to_know::whole_case() {
        server.send_all(&[message]).await;
        check().await;
    }
    // Consent to share health, taken by the probation service supervising the order, opens the
    // health information recorded before it to the police.
    let police = joinery_domain::Reader::system(
        joinery_domain::AgencyCode::parse("MERPOL").expect("code"),
        joinery_domain::AgencyKind::Police,
    );
    let health_in_feed = || async {
        let page = server
            .app()
            .feed(&police, joinery_domain::Sequence::START, 500)
            .await
            .expect("feed");
        page.changes
            .iter()
            .any(|change| change.item.event.payload.kind().as_str() == "health")
    };
    assert!(!health_in_feed().await, "health before consent");
    let consent = json!({"message_id": "K-2", "agency": "PROBNW", "system": "nDelius",
        "occurred_at": "2026-05-01T09:00:00Z", "case": {"urn": crate::need_to_know::URN},
        "type": "consent_given", "payload": {"category": "health", "source": "Signed form"}});
    server.send_all(&[consent]).await;
    assert!(health_in_feed().await, "health once consent is taken");
    check().await;
}
