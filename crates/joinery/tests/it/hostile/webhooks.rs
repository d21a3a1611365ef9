//! Webhooks turned on Joinery itself: URLs that point inside, a stored URL that has come to
//! point inside (DNS rebinding, or a registration from before the rules), a redirect that would
//! re-POST the signed body elsewhere, one agency's silent endpoints holding up another's, and a
//! webhook that could not be taken away.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode as AxumStatus, header};
use axum::routing::post;
use joinery_domain::AgencyCode;
use joinery_ports::{Actor, AuditAction, AuditDetail, AuditEvent, WebhookStore};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::support::TestServer;
use crate::webhooks::{Receiver, wait_for};

async fn register(server: &TestServer, agency: &str, url: &str) -> reqwest::Response {
    server
        .client
        .post(format!("{}/api/v1/webhooks", server.base))
        .bearer_auth(server.key(agency))
        .json(&json!({ "url": url }))
        .send()
        .await
        .expect("request")
}

/// An arrest by the police and their request to the CPS: a change for each of them to see.
async fn a_case(server: &TestServer, urn: &str) {
    let arrest = json!({"message_id": format!("{urn}-1"), "agency": "MERPOL", "system": "Niche",
        "occurred_at": "2026-03-01T02:00:00Z", "case": {"urn": urn}, "type": "arrest",
        "payload": {"person": {"given_name": "Sam", "family_name": "Quayle"}}});
    let asked = json!({"message_id": format!("{urn}-2"), "agency": "MERPOL", "system": "Niche",
        "occurred_at": "2026-03-01T08:00:00Z", "case": {"urn": urn}, "type": "action_requested",
        "payload": {"action_id": "CHG-1", "action": "charging_decision", "owner": "CPSMER",
        "due_on": "2026-03-08"}});
    server.send_all(&[arrest, asked]).await;
}

#[tokio::test]
async fn a_webhook_pointing_inside_is_refused_at_registration() {
    let server = TestServer::start().await;
    let receiver = Receiver::start().await;
    for url in [
        receiver.url.as_str(),
        "https://127.0.0.1:8080/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://localhost:6379/",
        "https://[::1]/hook",
        "https://10.0.0.1/hook",
        "https://0x7f000001/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://hooks@127.0.0.1/",
    ] {
        let response = register(&server, "MERPOL", url).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        let problem: Value = response.json().await.expect("problem");
        assert_eq!(problem["errors"][0]["field"], "url", "{url}: {problem}");
    }
    let (_, hooks) = server.fetch("MERPOL", "/api/v1/webhooks").await;
    assert_eq!(hooks, json!([]));
    a_case(&server, "05AA6161626").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(receiver.received.lock().await.is_empty());
}

#[tokio::test]
async fn a_stored_webhook_that_has_come_to_point_inside_is_sent_nothing() {
    let server = TestServer::start().await;
    let receiver = Receiver::start().await;
    // As if registered before the rules, or its name since re-pointed inside.
    let audit = || AuditEvent {
        actor: Actor::Operator,
        action: AuditAction::WebhookAdded,
        subject: None,
        detail: AuditDetail::Nothing {},
    };
    let police = AgencyCode::parse("MERPOL").expect("code");
    let port = receiver
        .url
        .split(':')
        .nth(2)
        .and_then(|rest| rest.split('/').next());
    let by_name = format!("https://localhost:{}/hook", port.expect("port"));
    for url in [receiver.url.clone(), by_name] {
        server
            .store
            .add_webhook(police.clone(), url, "s3cret".into(), audit())
            .await
            .expect("stored");
    }
    a_case(&server, "05AA6262626").await;
    // The server's own worker may get there first; a pass here makes sure one has run.
    let deliveries =
        joinery::webhooks::Deliveries::new(Arc::clone(&server.state.app)).expect("worker");
    assert_eq!(deliveries.deliver_due().await.expect("pass"), 0);
    assert!(
        receiver.received.lock().await.is_empty(),
        "nothing was sent"
    );
    let (_, attempts) = server.fetch("MERPOL", "/api/v1/webhooks/deliveries").await;
    let attempts = attempts.as_array().expect("attempts");
    for webhook in [1, 2] {
        let refused = attempts.iter().any(|a| a["webhook_id"] == webhook);
        assert!(refused, "webhook {webhook} was not attempted: {attempts:?}");
    }
    for attempt in attempts {
        let error = attempt["error"].as_str().unwrap_or_default();
        assert!(
            attempt["status"].is_null()
                && (error.contains("`https://`") || error.contains("inside")),
            "{attempt}"
        );
    }
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let server = TestServer::start_trusting(&["127.0.0.1"]).await;
    let elsewhere = Receiver::start().await;
    let target = elsewhere.url.clone();
    let redirecting = Router::new().route(
        "/hook",
        post(move || {
            let target = target.clone();
            async move { (AxumStatus::TEMPORARY_REDIRECT, [(header::LOCATION, target)]) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, redirecting).await });
    assert_eq!(
        register(&server, "MERPOL", &url).await.status(),
        StatusCode::CREATED
    );
    a_case(&server, "05AA6363626").await;
    let deliveries =
        joinery::webhooks::Deliveries::new(Arc::clone(&server.state.app)).expect("worker");
    deliveries.deliver_due().await.expect("pass");
    assert!(
        elsewhere.received.lock().await.is_empty(),
        "the signed body was re-posted elsewhere"
    );
    let (_, attempts) = server.fetch("MERPOL", "/api/v1/webhooks/deliveries").await;
    assert_eq!(attempts[0]["status"], 307, "{attempts}");
    assert!(
        attempts[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("redirects are not followed")),
        "{attempts}"
    );
}

#[tokio::test]
async fn one_agencys_silent_endpoints_do_not_delay_anothers() {
    let server = TestServer::start_trusting(&["127.0.0.1"]).await;
    // Three endpoints that take the connection and never answer.
    for _ in 0..3 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        assert_eq!(
            register(&server, "CPSMER", &url).await.status(),
            StatusCode::CREATED
        );
    }
    let police = Receiver::start().await;
    assert_eq!(
        register(&server, "MERPOL", &police.url).await.status(),
        StatusCode::CREATED
    );
    a_case(&server, "05AA6464626").await;
    let deliveries =
        joinery::webhooks::Deliveries::new(Arc::clone(&server.state.app)).expect("worker");
    let mut running = JoinSet::new();
    deliveries
        .start_due(&mut running)
        .await
        .expect("deliveries started");
    let changes = wait_for(&police, 2).await;
    assert_eq!(changes.len(), 2, "the police's endpoint got its changes");
    let silent_still_waiting = running.len() - usize::from(running.try_join_next().is_some());
    assert!(
        silent_still_waiting >= 1,
        "the police were served while the CPS's endpoints were still silent"
    );
    running.abort_all();
}

#[tokio::test]
async fn a_webhook_can_be_removed_by_its_agency_alone_and_an_agency_has_a_few_at_most() {
    let server = TestServer::start_trusting(&["127.0.0.1"]).await;
    let receiver = Receiver::start().await;
    let created: Value = register(&server, "MERPOL", &receiver.url)
        .await
        .json()
        .await
        .expect("created");
    let id = created["id"].as_i64().expect("id");
    let delete = |agency: &str| {
        server
            .client
            .delete(format!("{}/api/v1/webhooks/{id}", server.base))
            .bearer_auth(server.key(agency))
            .send()
    };
    assert_eq!(
        delete("CPSMER").await.expect("request").status(),
        StatusCode::NOT_FOUND,
        "not another agency's to remove"
    );
    assert_eq!(
        delete("MERPOL").await.expect("request").status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        delete("MERPOL").await.expect("request").status(),
        StatusCode::NOT_FOUND
    );
    let (_, hooks) = server.fetch("MERPOL", "/api/v1/webhooks").await;
    assert_eq!(hooks, json!([]));
    a_case(&server, "05AA6565626").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(
        receiver.received.lock().await.is_empty(),
        "a removed webhook is sent nothing"
    );

    for _ in 0..joinery_app::MAX_WEBHOOKS {
        assert_eq!(
            register(&server, "MERPOL", &receiver.url).await.status(),
            StatusCode::CREATED
        );
    }
    let one_more = register(&server, "MERPOL", &receiver.url).await;
    assert_eq!(one_more.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
