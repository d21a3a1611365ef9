//! Messages built to multiply what they cost: millions of empty XML elements in one body, a
//! Common Platform hearing whose every offence is a data-quality problem, a canonical charge of
//! thousands of offences. Each is refused with a problem that says which bound, and nothing of
//! it is kept.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestServer, fixtures};

async fn refused(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    response.json().await.expect("problem")
}

#[tokio::test]
async fn millions_of_empty_elements_are_refused_before_they_build_a_tree() {
    let server = TestServer::start().await;
    if !server.has_reference() {
        return;
    }
    // The campaign's body: `<a/>` over and over, under 8 MB.
    let body = format!(
        "<DeliverRequest>{}</DeliverRequest>",
        "<a/>".repeat(1_900_000)
    );
    assert!(body.len() < joinery_web::MAX_BODY_BYTES);
    let problem = refused(server.post_format("LVCJC", "spi-results", body).await).await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("more than 20000 elements")),
        "{problem}"
    );
}

#[tokio::test]
async fn a_hearing_whose_every_offence_is_a_problem_is_refused_not_stored() {
    let server = TestServer::start().await;
    if !server.has_reference() {
        return;
    }
    let mut hearing: Value = serde_json::from_str(&fixtures::example(
        "common-platform",
        "hearing-with-problems.json",
    ))
    .expect("json");
    let offence = hearing["hearing"]["prosecutionCases"][0]["defendants"][0]["offences"][0].clone();
    let offences: Vec<Value> = (1..=300)
        .map(|n| {
            let mut bad = offence.clone();
            bad["id"] = json!(format!("d4f6a8c0-2e4a-4c6e-8a0c-{n:012}"));
            bad["offenceCode"] = json!(format!("ZZ{n:05}"));
            bad["listingNumber"] = json!(n);
            bad
        })
        .collect();
    hearing["hearing"]["prosecutionCases"][0]["defendants"][0]["offences"] = json!(offences);
    let problem = refused(
        server
            .post_format("LVCJC", "common-platform", hearing.to_string())
            .await,
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("data-quality problems, more than the 100")),
        "{problem}"
    );
    let (_, listed) = server.fetch("LVCJC", "/api/v1/exceptions").await;
    assert_eq!(listed, json!([]), "no problem rows were written");
}

#[tokio::test]
async fn a_canonical_list_longer_than_any_real_message_is_refused_naming_it() {
    let server = TestServer::start().await;
    let offences: Vec<Value> = (1..=501)
        .map(|n| json!({"sequence": n, "code": "TH68001", "wording": "Stole a phone."}))
        .collect();
    let charge = json!({"message_id": "LONG-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-03T10:00:00Z", "case": {"urn": "05AA7171726"}, "type": "charge",
        "payload": {"offences": offences}});
    let problem = refused(server.post("MERPOL", charge.to_string()).await).await;
    assert_eq!(problem["errors"][0]["field"], "payload.offences");
}
