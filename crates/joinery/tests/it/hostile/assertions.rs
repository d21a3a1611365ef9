//! Asserting another kind of agency's facts: each type of message is sent only by the kinds of
//! agency that own it (`joinery_domain::assertions`), in every format, and a refusal names the
//! type and who may send it, keeps nothing of the message, and is listed for the sender.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::need_to_know::{URN, whole_case};
use crate::support::{TestServer, fixtures};

fn from_police(id: &str, kind: &str, payload: Value) -> Value {
    json!({"message_id": id, "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-05-01T10:00:00Z", "case": {"urn": URN}, "type": kind,
        "payload": payload})
}

#[tokio::test]
async fn a_police_key_cannot_send_court_results_listings_sentences_or_consent() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    let (_, before) = server.fetch("MERPOL", &format!("/api/v1/cases/{id}")).await;
    let attempts = [
        from_police(
            "F-1",
            "hearing_listed",
            json!({"hearing_id": "H-9", "court": "B05PK00", "starts_at": "2026-06-01T10:00:00Z",
                "purpose": "trial", "judge": "dj.roberts"}),
        ),
        from_police(
            "F-2",
            "hearing_result",
            json!({"hearing_id": "H-1", "results": [{"code": "4506", "text": "Adjourned"}]}),
        ),
        from_police(
            "F-3",
            "verdict",
            json!({"offence_sequence": 1, "finding": "guilty"}),
        ),
        from_police(
            "F-4",
            "sentence",
            json!({"disposals": [{"code": "1015", "text": "Fine"}], "supervised_by_probation": false}),
        ),
        from_police(
            "F-5",
            "consent_given",
            json!({"category": "health", "source": "Said so"}),
        ),
        from_police(
            "F-6",
            "report_submitted",
            json!({"report": "pre_sentence_report", "summary": "Written by the police."}),
        ),
    ];
    for attempt in &attempts {
        let response = server.post("MERPOL", attempt.to_string()).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{attempt}");
        let problem: Value = response.json().await.expect("problem");
        assert_eq!(problem["type"], "urn:joinery:problem:not-entitled");
        let kind = attempt["type"].as_str().expect("type");
        let detail = problem["detail"].as_str().expect("detail");
        assert!(
            detail.contains(&format!("`{kind}`")) && detail.contains("a police force may not"),
            "{detail}"
        );
        assert_eq!(problem["errors"][0]["field"], "type");
    }
    // A batch is answered message by message: the police's own fact goes in, the court's not.
    let own = from_police(
        "F-7",
        "intelligence",
        json!({"text": "Seen with known associates."}),
    );
    let batch = json!([own, attempts[2]]);
    let answer: Value = server
        .post("MERPOL", batch.to_string())
        .await
        .json()
        .await
        .expect("answer");
    assert_eq!(
        (answer["accepted"].as_u64(), answer["rejected"].as_u64()),
        (Some(1), Some(1))
    );

    let (_, after) = server.fetch("MERPOL", &format!("/api/v1/cases/{id}")).await;
    assert_eq!(after["stage"], before["stage"]);
    assert_eq!(after["hearings"], before["hearings"]);
    assert_eq!(after["sentence"], before["sentence"]);
    // Listed for the police's administrator: why, never what.
    let (_, rejections) = server.fetch("MERPOL", "/api/v1/rejections").await;
    let listed = rejections.to_string();
    assert!(listed.contains("may not send"), "{listed}");
    assert!(
        !listed.contains("Said so") && !listed.contains("dj.roberts"),
        "{listed}"
    );
}

#[tokio::test]
async fn a_police_key_cannot_send_a_courts_own_formats() {
    let server = TestServer::start().await;
    for (format, kind, extension) in [
        ("spi-results", "spi-results", "xml"),
        ("common-platform", "common-platform", "json"),
    ] {
        let example = fixtures::examples(kind, extension)
            .into_iter()
            .next()
            .expect("an example");
        let body = std::fs::read_to_string(&example).expect("example");
        let response = server.post_format("MERPOL", format, body).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{format}");
        let problem: Value = response.json().await.expect("problem");
        assert_eq!(problem["type"], "urn:joinery:problem:not-entitled");
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains(&format!("`{format}`")) && d.contains("courts")),
            "{problem}"
        );
    }
    let (_, problems) = server.fetch("MERPOL", "/api/v1/exceptions").await;
    assert_eq!(problems, json!([]), "nothing of the messages was kept");
}
