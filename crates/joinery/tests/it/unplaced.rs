//! A court result that names no case (its PTIURN empty, its ASN failing its check) is kept whole,
//! never lost: listed for the court, placed on its case by the court's administrator (over the
//! API or on the messages page), after which it folds into the case like any other message and
//! the placement is audited. A placement never opens a case of its own.

use joinery_ports::AuditStore;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestServer;
use crate::support::fixtures::example;
use crate::support::html::form_token;

async fn unplaced_result(server: &TestServer) -> String {
    let kept = server
        .post_format(
            "LVCJC",
            "spi-results",
            example("spi-results", "sentence-unplaced.xml"),
        )
        .await;
    assert_eq!(kept.status(), StatusCode::ACCEPTED);
    let answer: Value = kept.json().await.unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<&str> = answer["problems"]
        .as_array()
        .map(|all| all.iter().filter_map(|p| p["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        codes.contains(&"case-unplaced") && codes.contains(&"asn-invalid"),
        "{answer}"
    );
    answer["unplaced_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"))
        .to_owned()
}

/// The example case, from its first appearance: its id.
async fn first_appearance(server: &TestServer) -> String {
    let stored = server
        .post_format(
            "LVCJC",
            "spi-results",
            example("spi-results", "first-appearance-adjourned.xml"),
        )
        .await;
    assert_eq!(stored.status(), StatusCode::CREATED);
    let answer: Value = stored.json().await.unwrap_or_else(|e| panic!("{e}"));
    answer["case_ids"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn place(server: &TestServer, agency: &str, id: &str, body: &Value) -> reqwest::RequestBuilder {
    server
        .client
        .post(format!("{}/api/v1/unplaced/{id}/place", server.base))
        .bearer_auth(server.key(agency))
        .json(body)
}

#[tokio::test]
async fn a_result_naming_no_case_is_kept_listed_and_placed_on_its_case_by_the_court() {
    let server = TestServer::start().await;
    if !server.has_reference() {
        return;
    }
    let case_id = first_appearance(&server).await;
    let id = unplaced_result(&server).await;
    // The same message again is the same one, not a second.
    assert_eq!(unplaced_result(&server).await, id);
    let (status, listed) = server.fetch("LVCJC", "/api/v1/unplaced").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["id"], id.as_str());
    // Another agency's system sees its own list, without the court's message, and cannot
    // place it.
    let (status, theirs) = server.fetch("MERPOL", "/api/v1/unplaced").await;
    assert_eq!((status, theirs), (StatusCode::OK, json!([])));
    let theirs = place(&server, "MERPOL", &id, &json!({"urn": "05AA1234526"}))
        .send()
        .await
        .expect("request");
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    // A malformed reference names its field; one of no case places nothing.
    let malformed = place(&server, "LVCJC", &id, &json!({"urn": "05-AA"}))
        .send()
        .await
        .expect("request");
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = malformed.json().await.unwrap_or_default();
    assert_eq!(problem["errors"][0]["field"], "urn", "{problem}");
    let nowhere = place(&server, "LVCJC", &id, &json!({"urn": "05AA9999926"}))
        .send()
        .await
        .expect("request");
    assert_eq!(nowhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, still) = server.fetch("LVCJC", "/api/v1/unplaced").await;
    assert_eq!(
        still.as_array().map(Vec::len),
        Some(1),
        "still listed: {still}"
    );
    let (_, before) = server
        .fetch("LVCJC", &format!("/api/v1/cases/{case_id}"))
        .await;
    assert_eq!(before["stage"], "awaiting_sentence", "{before}");
    // Placed on the case by its URN: the sentence folds into the case.
    let placed = place(&server, "LVCJC", &id, &json!({"urn": "05AA1234526"}))
        .send()
        .await
        .expect("request");
    assert_eq!(placed.status(), StatusCode::OK);
    let answer: Value = placed.json().await.unwrap_or_default();
    assert_eq!(answer["case_id"], case_id.as_str(), "{answer}");
    assert!(
        answer["message"]["events"].as_u64().is_some_and(|n| n > 0),
        "{answer}"
    );
    let (_, after) = server
        .fetch("LVCJC", &format!("/api/v1/cases/{case_id}"))
        .await;
    assert_eq!(after["stage"], "under_order", "{after}");
    let (_, listed) = server.fetch("LVCJC", "/api/v1/unplaced").await;
    assert_eq!(listed, json!([]), "placed, it leaves the list");
    let again = place(&server, "LVCJC", &id, &json!({"urn": "05AA1234526"}))
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::CONFLICT);
    // The placement is audited on the case, as the court's system.
    let case = joinery_domain::CaseId::parse(&case_id).unwrap_or_else(|e| panic!("{e}"));
    let audit = server
        .store
        .case_audit(case)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let placed = audit
        .iter()
        .find(|entry| entry.action == joinery_ports::AuditAction::MessagePlaced);
    let placed = placed.unwrap_or_else(|| panic!("no placement audited: {audit:?}"));
    assert_eq!(placed.detail["unplaced"], id.as_str(), "{placed:?}");
}

#[tokio::test]
async fn the_courts_administrator_places_a_result_on_the_messages_page() {
    let server = TestServer::start().await;
    if !server.has_reference() {
        return;
    }
    let case_id = first_appearance(&server).await;
    let id = unplaced_result(&server).await;
    server
        .add_user("admin.court", "LVCJC", joinery_domain::Role::Administrator)
        .await;
    let admin = server.signed_in("admin.court").await;
    let (status, text) = admin.page("/messages").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text.contains("Messages to place on their case (1)") && text.contains(&id),
        "{text}"
    );
    let token = form_token(&text);
    let unsaid = admin
        .submit(
            "/messages/place",
            &token,
            &[("id", id.as_str()), ("reference", "")],
        )
        .await;
    assert_eq!(unsaid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unsaid = unsaid.text().await.unwrap_or_default();
    assert!(
        unsaid.contains("<a href=\"#reference\">Enter the URN or ASN of the case"),
        "{unsaid}"
    );
    let nowhere = admin
        .submit(
            "/messages/place",
            &token,
            &[("id", id.as_str()), ("reference", "05AA9999926")],
        )
        .await;
    assert_eq!(nowhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        nowhere
            .text()
            .await
            .unwrap_or_default()
            .contains("No case has this URN or ASN")
    );
    // By the case's ASN, this time.
    let placed = admin
        .submit(
            "/messages/place",
            &token,
            &[("id", id.as_str()), ("reference", "2605AA0100000001234F")],
        )
        .await;
    assert_eq!(placed.status(), StatusCode::SEE_OTHER);
    let (_, text) = admin.page("/messages").await;
    assert!(text.contains("None waiting."), "{text}");
    let (_, case) = server
        .fetch("LVCJC", &format!("/api/v1/cases/{case_id}"))
        .await;
    assert_eq!(case["stage"], "under_order", "{case}");
}
