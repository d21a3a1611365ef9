//! The HTTP API as an agency system meets it.

use joinery_domain::MessageKind;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestServer;
use crate::support::fixtures::examples;

const BAIL: &str = r#"{"message_id":"T-1","agency":"MERPOL","system":"Niche RMS",
  "occurred_at":"2026-03-01T10:15:00Z","case":{"urn":"05AA7777726"},
  "type":"bail","payload":{"status":"police_bail","conditions":["Curfew 19:00 to 07:00"]}}"#;

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("JSON body")
}

async fn problem_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response.headers().get("content-type").cloned();
    assert_eq!(
        content_type.as_ref().and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem = json_of(response).await;
    assert_eq!(problem["status"], status.as_u16());
    problem
}

async fn timeline_len(server: &TestServer, agency: &str, urn: &str) -> Option<usize> {
    let case = server
        .get(agency, &format!("/api/v1/cases/by-urn/{urn}"))
        .send()
        .await
        .ok()?;
    if case.status() != StatusCode::OK {
        return None;
    }
    let id = json_of(case).await["id"].as_str()?.to_owned();
    let timeline = json_of(
        server
            .get(agency, &format!("/api/v1/cases/{id}/timeline"))
            .send()
            .await
            .ok()?,
    )
    .await;
    timeline["entries"].as_array().map(Vec::len)
}

#[tokio::test]
async fn every_example_is_accepted_then_a_duplicate_and_shows_in_its_senders_timeline() {
    let server = TestServer::start().await;
    // The examples tell one case's story; sent in the order it happened, each sender is on the
    // case's team by the time it writes. The one step with no example of its own type (there is
    // one `action_requested`, the court's) is the police asking the CPS for its decision.
    let asked = json!({"message_id": "NICHE-EX-0009", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-02T13:00:00Z", "case": {"urn": "05AA1234526"},
        "type": "action_requested", "payload": {"action_id": "CHG-EX-0001",
        "action": "charging_decision", "owner": "CPSMER", "due_on": "2026-03-09"}});
    let mut journey: Vec<(Value, String)> = examples("messages", "json")
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).expect("example");
            (serde_json::from_str(&text).expect("example is JSON"), text)
        })
        .chain([(asked.clone(), asked.to_string())])
        .collect();
    journey.sort_by(|(a, _), (b, _)| a["occurred_at"].as_str().cmp(&b["occurred_at"].as_str()));
    for (example, text) in journey {
        let id = &example["message_id"];
        let agency = example["agency"].as_str().expect("agency");
        let first = server.post(agency, text.clone()).await;
        assert_eq!(first.status(), StatusCode::CREATED, "{id}");
        let answer = json_of(first).await;
        assert_eq!(answer["status"], "accepted");
        let again = json_of(server.post(agency, text.clone()).await).await;
        assert_eq!(again["status"], "duplicate", "{id}");
        assert_eq!(again["case_id"], answer["case_id"]);

        let case_id = answer["case_id"].as_str().expect("case id");
        let timeline = json_of(
            server
                .get(agency, &format!("/api/v1/cases/{case_id}/timeline"))
                .send()
                .await
                .expect("timeline"),
        )
        .await;
        let entries = timeline["entries"].as_array().expect("entries");
        if example["type"] == "retraction" {
            // What stands is shown: the retracted message and the retraction itself are not.
            let gone = [&example["message_id"], &example["payload"]["message_id"]];
            assert!(entries.iter().all(|e| !gone.contains(&&e["message_id"])));
            continue;
        }
        let entry = entries
            .iter()
            .find(|entry| entry["message_id"] == example["message_id"])
            .unwrap_or_else(|| panic!("{id} not in its timeline"));
        assert_eq!(entry["agency"], example["agency"]);
        assert_eq!(entry["system"], example["system"]);
        assert_eq!(entry["type"], example["type"]);
    }
}

#[tokio::test]
async fn every_message_type_has_exactly_one_example() {
    let names: Vec<String> = examples("messages", "json")
        .iter()
        .filter_map(|path| path.file_stem()?.to_str().map(str::to_owned))
        .collect();
    let kinds: Vec<String> = MessageKind::ALL
        .iter()
        .filter(|kind| kind.sent_by_systems())
        .map(|kind| kind.as_str().to_owned())
        .collect();
    let mut sorted_kinds = kinds.clone();
    sorted_kinds.sort();
    assert_eq!(names, sorted_kinds);
    for (kind, text) in joinery_app::MESSAGE_EXAMPLES {
        let value: Value = serde_json::from_str(text).expect("built-in example is JSON");
        assert_eq!(value["type"], kind.as_str());
    }
}

#[tokio::test]
async fn a_case_shows_its_stage_and_a_timeline_in_the_order_things_happened() {
    let server = TestServer::start().await;
    let charge = json!({"message_id":"T-2","agency":"MERPOL","system":"Niche RMS",
        "occurred_at":"2026-03-03T10:00:00Z","case":{"urn":"05AA7777726"},"type":"charge",
        "payload":{"offences":[{"sequence":1,"code":"TH68001","wording":"Stole a phone."}]}});
    // The charge arrives before the earlier bail: the timeline still runs in event order.
    assert_eq!(
        server.post("MERPOL", charge.to_string()).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        server.post("MERPOL", BAIL).await.status(),
        StatusCode::CREATED
    );
    let case = json_of(
        server
            .get("MERPOL", "/api/v1/cases/by-urn/05AA7777726")
            .send()
            .await
            .expect("case"),
    )
    .await;
    assert_eq!(case["stage"], "charged");
    assert_eq!(case["offences"][0]["code"], "TH68001");
    assert_eq!(case["bail"]["status"], "police_bail");
    let id = case["id"].as_str().expect("id");
    let timeline = json_of(
        server
            .get("MERPOL", &format!("/api/v1/cases/{id}/timeline"))
            .send()
            .await
            .expect("timeline"),
    )
    .await;
    let order: Vec<&str> = timeline["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(order, ["bail", "charge"]);
}

#[tokio::test]
async fn malformed_json_is_a_problem_and_stores_nothing() {
    let server = TestServer::start().await;
    let truncated = &BAIL[..BAIL.len() - 10];
    let problem = problem_of(
        server.post("MERPOL", truncated.to_owned()).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("not JSON"),
        "{problem}"
    );
    assert_eq!(timeline_len(&server, "MERPOL", "05AA7777726").await, None);
}

#[tokio::test]
async fn invalid_messages_name_the_field_and_store_nothing() {
    let server = TestServer::start().await;
    let cases = [
        (
            BAIL.replace("police_bail", "house_arrest"),
            "payload.status",
            "/payload/status",
        ),
        (
            BAIL.replace(r#"["Curfew 19:00 to 07:00"]"#, "42"),
            "payload.conditions",
            "/payload/conditions",
        ),
        (
            BAIL.replace(r#""system":"Niche RMS","#, ""),
            "system",
            "/system",
        ),
        (
            BAIL.replace(r#""type":"bail""#, r#""type":"bale""#),
            "type",
            "/type",
        ),
        (
            BAIL.replace(
                r#"{"urn":"05AA7777726"}"#,
                r#"{"asn":"1101ZD0100000448754A"}"#,
            ),
            "case.asn",
            "/case/asn",
        ),
        (
            BAIL.replace("2026-03-01T10:15:00Z", "1st March"),
            "occurred_at",
            "/occurred_at",
        ),
    ];
    for (body, field, pointer) in cases {
        let problem = problem_of(
            server.post("MERPOL", body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        assert_eq!(problem["errors"][0]["pointer"], pointer, "{problem}");
    }
    let problem = problem_of(
        server
            .post(
                "MERPOL",
                BAIL.replace(
                    r#"{"urn":"05AA7777726"}"#,
                    r#"{"asn":"1101ZD0100000448754A"}"#,
                ),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let text = problem["errors"][0]["problem"]
        .as_str()
        .expect("problem text");
    assert!(
        text.contains("`1101ZD0100000448754A`") && text.contains("`K`"),
        "{text}"
    );
    assert_eq!(timeline_len(&server, "MERPOL", "05AA7777726").await, None);
}

#[tokio::test]
async fn a_key_of_one_agency_cannot_send_as_another() {
    let server = TestServer::start().await;
    let problem = problem_of(server.post("CPSMER", BAIL).await, StatusCode::FORBIDDEN).await;
    assert_eq!(problem["errors"][0]["field"], "agency");
    assert_eq!(timeline_len(&server, "MERPOL", "05AA7777726").await, None);
    assert_eq!(timeline_len(&server, "CPSMER", "05AA7777726").await, None);
}

#[tokio::test]
async fn requests_without_a_valid_key_are_unauthenticated() {
    let server = TestServer::start().await;
    let anonymous = server
        .client
        .post(format!("{}/api/v1/messages", server.base))
        .body(BAIL)
        .send()
        .await
        .expect("request");
    problem_of(anonymous, StatusCode::UNAUTHORIZED).await;
    let forged = server
        .client
        .get(format!("{}/api/v1/cases/by-urn/05AA7777726", server.base))
        .bearer_auth("jny_forged")
        .send()
        .await
        .expect("request");
    problem_of(forged, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn the_same_id_with_a_different_body_is_a_conflict() {
    let server = TestServer::start().await;
    assert_eq!(
        server.post("MERPOL", BAIL).await.status(),
        StatusCode::CREATED
    );
    let changed = BAIL.replace("19:00", "20:00");
    problem_of(server.post("MERPOL", changed).await, StatusCode::CONFLICT).await;
    assert_eq!(
        timeline_len(&server, "MERPOL", "05AA7777726").await,
        Some(1)
    );
}

#[tokio::test]
async fn a_batch_is_answered_message_by_message() {
    let server = TestServer::start().await;
    let good: Value = serde_json::from_str(BAIL).expect("json");
    let mut second = good.clone();
    second["message_id"] = json!("T-9");
    let mut bad = good.clone();
    bad["message_id"] = json!("T-10");
    bad["payload"]["status"] = json!("house_arrest");
    let batch = json!([good, bad, second, good]);
    let response = server.post("MERPOL", batch.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer = json_of(response).await;
    let statuses: Vec<&str> = answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["status"].as_str())
        .collect();
    assert_eq!(statuses, ["accepted", "rejected", "accepted", "duplicate"]);
    assert_eq!(answer["results"][1]["errors"][0]["field"], "payload.status");
    assert_eq!(
        (
            answer["accepted"].as_u64(),
            answer["duplicate"].as_u64(),
            answer["rejected"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(
        timeline_len(&server, "MERPOL", "05AA7777726").await,
        Some(2)
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let server = TestServer::start().await;
    let huge = format!("[{}]", vec![BAIL; 40_000].join(","));
    assert!(huge.len() > joinery_web::MAX_BODY_BYTES);
    problem_of(
        server.post("MERPOL", huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
}

#[tokio::test]
async fn an_agency_not_on_the_case_is_told_it_does_not_exist() {
    let server = TestServer::start().await;
    let created = json_of(server.post("MERPOL", BAIL).await).await;
    let id = created["case_id"].as_str().expect("case id");
    for path in [
        format!("/api/v1/cases/{id}"),
        format!("/api/v1/cases/{id}/timeline"),
        "/api/v1/cases/by-urn/05AA7777726".to_owned(),
    ] {
        let refused = server.get("PROBNW", &path).send().await.expect("request");
        let refused = problem_of(refused, StatusCode::NOT_FOUND).await;
        let missing = server
            .get("PROBNW", "/api/v1/cases/by-urn/05AA9999926")
            .send()
            .await
            .expect("request");
        let missing = problem_of(missing, StatusCode::NOT_FOUND).await;
        assert_eq!(refused, missing, "{path}");
        assert_eq!(
            server
                .get("MERPOL", &path)
                .send()
                .await
                .expect("request")
                .status(),
            StatusCode::OK
        );
    }
    // Work asked by a court not yet on the case is kept but brings nobody onto it...
    let request = json!({"message_id":"C-1","agency":"LVCJC","system":"Libra","occurred_at":"2026-03-05T12:00:00Z",
        "case":{"urn":"05AA7777726"},"type":"action_requested",
        "payload":{"action_id":"PSR-1","action":"pre_sentence_report","owner":"PROBNW","due_on":"2026-03-26"}});
    assert_eq!(
        server.post("LVCJC", request.to_string()).await.status(),
        StatusCode::CREATED
    );
    let still_refused = server
        .get("PROBNW", &format!("/api/v1/cases/{id}"))
        .send()
        .await
        .expect("request");
    assert_eq!(still_refused.status(), StatusCode::NOT_FOUND);
    // ...until the court lists the case: then its request, folded again in order, gives
    // probation work on the case and makes it part of the team.
    let listed = json!({"message_id":"C-0","agency":"LVCJC","system":"Libra","occurred_at":"2026-03-04T16:00:00Z",
        "case":{"urn":"05AA7777726"},"type":"hearing_listed",
        "payload":{"hearing_id":"H-1","court":"B05PK00","starts_at":"2026-03-20T10:00:00Z","purpose":"first_appearance"}});
    assert_eq!(
        server.post("LVCJC", listed.to_string()).await.status(),
        StatusCode::CREATED
    );
    let now_visible = server
        .get("PROBNW", &format!("/api/v1/cases/{id}"))
        .send()
        .await
        .expect("request");
    assert_eq!(now_visible.status(), StatusCode::OK);
    let case = json_of(now_visible).await;
    assert_eq!(case["overdue_actions"][0]["action_id"], "PSR-1");
}

#[tokio::test]
async fn the_openapi_document_describes_the_api_with_every_example() {
    let server = TestServer::start().await;
    let document = json_of(
        server
            .client
            .get(format!("{}/api/v1/openapi.json", server.base))
            .send()
            .await
            .expect("request"),
    )
    .await;
    assert!(
        document["openapi"]
            .as_str()
            .expect("version")
            .starts_with("3.")
    );
    for path in [
        "/api/v1/messages",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/timeline",
        "/api/v1/cases/by-urn/{urn}",
        "/api/v1/cases/by-asn/{asn}",
        "/api/v1/session",
        "/api/v1/session/password",
        "/api/v1/cases/{id}/hearing-summary",
        "/api/v1/cases/{id}/comments",
        "/api/v1/cases/{id}/break-glass",
        "/api/v1/cases/{id}/audit",
        "/api/v1/governance/break-glass",
        "/api/v1/governance/policy-matrix",
    ] {
        assert!(document["paths"][path].is_object(), "{path} missing");
    }
    let examples = &document["paths"]["/api/v1/messages"]["post"]["requestBody"]["content"]["application/json"]
        ["examples"];
    for kind in MessageKind::ALL.into_iter().filter(|k| k.sent_by_systems()) {
        assert_eq!(examples[kind.as_str()]["value"]["type"], kind.as_str());
    }
    assert!(document["components"]["schemas"]["CanonicalMessage"].is_object());
}
