//! Webhooks: an agency's endpoint receives the changes it may see, signed, in order, and
//! nothing else; a failed endpoint or a crash between commit and delivery loses nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use joinery_domain::{AgencyCode, Submission};
use joinery_ingest::parse_message;
use joinery_ports::{Actor, AuditAction, AuditDetail, AuditEvent, CaseStore, WebhookStore};
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::support::{TestServer, standing_data};

/// What an endpoint was sent: each delivery's signature header and body.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// An agency's endpoint: keeps what it is sent, answers with the status it is set to.
#[derive(Clone)]
pub(crate) struct Receiver {
    pub(crate) url: String,
    pub(crate) received: Received,
    pub(crate) status: Arc<AtomicU16>,
}

impl Receiver {
    pub(crate) async fn start() -> Self {
        let received: Received = Arc::default();
        let status = Arc::new(AtomicU16::new(200));
        let (kept, answer) = (Arc::clone(&received), Arc::clone(&status));
        let app = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: Bytes| {
                let (kept, answer) = (Arc::clone(&kept), Arc::clone(&answer));
                async move {
                    let signature = headers
                        .get(joinery::webhooks::SIGNATURE_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    kept.lock().await.push((signature, body.to_vec()));
                    StatusCode::from_u16(answer.load(Ordering::SeqCst)).unwrap_or(StatusCode::OK)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let url = format!(
            "http://{}/hook",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            url,
            received,
            status,
        }
    }

    /// Every change delivered with a 2xx answer, in order.
    pub(crate) async fn accepted_changes(&self) -> Vec<Value> {
        self.received
            .lock()
            .await
            .iter()
            .filter_map(|(_, body)| serde_json::from_slice::<Value>(body).ok())
            .flat_map(|page| page["changes"].as_array().cloned().unwrap_or_default())
            .collect()
    }
}

fn verify(secret: &str, signature: &str, body: &[u8]) -> bool {
    let Some((t, _)) = signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(','))
    else {
        return false;
    };
    let Ok(t) = t.parse::<i64>() else {
        return false;
    };
    joinery::webhooks::signature(secret, t, body).is_ok_and(|expected| expected == signature)
}

/// The model office's agencies registered, and the police force's system with a webhook to a
/// receiver of the test's own (secret `s3cret`), registered as an operator would.
async fn police_with_a_webhook(
    store: &joinery_store::SqlStore,
    state: &joinery_web::AppState,
) -> (AgencyCode, Receiver) {
    for agency in joinery::model_office::agencies() {
        state
            .app
            .add_agency(agency)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let receiver = Receiver::start().await;
    let police = AgencyCode::parse("MERPOL").unwrap_or_else(|e| panic!("{e}"));
    let audit = AuditEvent {
        actor: Actor::Operator,
        action: AuditAction::WebhookAdded,
        subject: None,
        detail: AuditDetail::Nothing {},
    };
    store
        .add_webhook(police.clone(), receiver.url.clone(), "s3cret".into(), audit)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (police, receiver)
}

pub(crate) async fn wait_for(receiver: &Receiver, count: usize) -> Vec<Value> {
    for _ in 0..100 {
        let changes = receiver.accepted_changes().await;
        if changes.len() >= count {
            return changes;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    receiver.accepted_changes().await
}

#[tokio::test]
async fn a_police_system_receives_the_court_result_for_its_case_signed_and_nothing_else() {
    let server = TestServer::start_trusting(&["127.0.0.1"]).await;
    if standing_data().is_none() {
        return;
    }
    let receiver = Receiver::start().await;
    let registered = server
        .client
        .post(format!("{}/api/v1/webhooks", server.base))
        .bearer_auth(server.key("MERPOL"))
        .json(&json!({"url": receiver.url}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(registered.status(), StatusCode::CREATED);
    let secret = registered.json::<Value>().await.unwrap_or_default()["secret"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let charge = json!({"message_id": "W-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-03T10:00:00Z",
        "case": {"urn": "05AA1234526", "asn": "2605AA0100000001234F"}, "type": "charge",
        "payload": {"offences": [{"sequence": 1, "code": "TH68001", "wording": "Stole a phone."}]}});
    let elsewhere = json!({"message_id": "W-2", "agency": "CPSMER", "system": "CMS",
        "occurred_at": "2011-09-02T10:00:00Z", "case": {"urn": "05AA7777726"},
        "type": "legal_advice", "payload": {"advice": "Privileged."}});
    server.send_all(&[charge, elsewhere]).await;
    let xml = crate::support::fixtures::example("spi-results", "sentence.xml");
    let posted = server.post_format("LVCJC", "spi-results", xml).await;
    assert_eq!(posted.status(), StatusCode::CREATED);

    let changes = wait_for(&receiver, 8).await;
    let types: Vec<&str> = changes.iter().filter_map(|c| c["type"].as_str()).collect();
    assert!(
        types.contains(&"hearing_result") && types.contains(&"sentence"),
        "{types:?}"
    );
    assert!(
        !types.contains(&"legal_advice"),
        "a change it may not see was sent"
    );
    let sequences: Vec<i64> = changes
        .iter()
        .filter_map(|c| c["sequence"].as_i64())
        .collect();
    assert!(
        sequences.windows(2).all(|pair| pair[0] < pair[1]),
        "in order: {sequences:?}"
    );
    for (signature, body) in receiver.received.lock().await.iter() {
        assert!(
            verify(&secret, signature, body),
            "a delivery's signature does not verify"
        );
        assert!(!verify("not the secret", signature, body));
    }
    // The worker records a delivery once the endpoint has answered, which may be just after
    // the endpoint has the changes in hand.
    let delivered = |deliveries: &Value| {
        deliveries
            .as_array()
            .is_some_and(|all| all.iter().any(|d| d["status"] == 200))
    };
    let mut deliveries = Value::Null;
    for _ in 0..100 {
        deliveries = server
            .get("MERPOL", "/api/v1/webhooks/deliveries")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        if delivered(&deliveries) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(delivered(&deliveries), "{deliveries}");
    let officer = server.person("pc.hughes").await;
    let (status, _) = officer.fetch("/api/v1/webhooks").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "for administrators and systems"
    );
}

#[tokio::test]
async fn nothing_committed_is_lost_when_delivery_fails_or_the_server_stops_before_it() {
    // The server "crashed" after committing: the store holds the changes and the webhook's
    // cursor, and no worker ran. A worker started afterwards delivers them.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (store, state) = joinery::server::open_with(
        &dir.path().join("joinery.sqlite"),
        joinery_policy::SharingPolicy::builtin(),
        None,
        joinery_app::OutboundPolicy::trusting(["127.0.0.1"]),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let (police, receiver) = police_with_a_webhook(&store, &state).await;
    let message = |n: u32| -> Submission {
        let text =
            json!({"message_id": format!("C-{n}"), "agency": "MERPOL", "system": "Niche RMS",
            "occurred_at": format!("2026-01-0{n}T10:00:00Z"), "case": {"urn": "05AA1111126"},
            "type": "bail", "payload": {"status": "police_bail"}})
            .to_string();
        parse_message(&police, &text).unwrap_or_else(|e| panic!("{e}"))
    };
    store
        .append(vec![message(1), message(2)])
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let deliveries = joinery::webhooks::Deliveries::new(Arc::clone(&state.app))
        .unwrap_or_else(|e| panic!("{e}"));
    receiver.status.store(503, Ordering::SeqCst);
    let sent = deliveries
        .deliver_due()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sent, 0, "a failed endpoint gets nothing marked delivered");
    let hooks = store.webhooks().await.unwrap_or_default();
    assert_eq!(
        (hooks[0].delivered_to, hooks[0].failures),
        (joinery_domain::Sequence::START, 1)
    );
    assert!(hooks[0].next_attempt_at.is_some(), "a retry is scheduled");

    receiver.status.store(200, Ordering::SeqCst);
    store
        .append(vec![message(3)])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let sent = deliveries
        .deliver_due()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sent, 3, "everything committed, once the endpoint is back");
    let ids: Vec<String> = receiver
        .accepted_changes()
        .await
        .iter()
        .filter_map(|c| c["message_id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        ids,
        ["C-1", "C-2", "C-1", "C-2", "C-3"],
        "the failed page again, then all, in order"
    );
    let again = deliveries
        .deliver_due()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, 0, "delivered once acknowledged");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_deliver_each_change_once_in_order() {
    // Two servers on one database, each with its delivery worker, both passing at once: each
    // webhook is leased to one of them at a time, so the endpoint is sent every change once.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = crate::support::database::TestDatabase::fresh(dir.path());
    let mut servers = Vec::new();
    for _ in 0..2 {
        servers.push(
            joinery::server::open_with(
                db.location(),
                joinery_policy::SharingPolicy::builtin(),
                None,
                joinery_app::OutboundPolicy::trusting(["127.0.0.1"]),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        );
    }
    let (store, state) = &servers[0];
    let (police, receiver) = police_with_a_webhook(store, state).await;
    let sent: Vec<String> = (1..=12).map(|n| format!("C-{n:02}")).collect();
    for (n, id) in sent.iter().enumerate() {
        let text = json!({"message_id": id, "agency": "MERPOL", "system": "Niche RMS",
            "occurred_at": format!("2026-01-01T10:{n:02}:00Z"), "case": {"urn": "05AA1111126"},
            "type": "bail", "payload": {"status": "police_bail"}})
        .to_string();
        store
            .append(vec![
                parse_message(&police, &text).unwrap_or_else(|e| panic!("{e}")),
            ])
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let workers: Vec<_> = servers
        .iter()
        .map(|(_, state)| {
            joinery::webhooks::Deliveries::new(Arc::clone(&state.app))
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let mut delivered = 0;
    for _ in 0..20 {
        let (first, second) = tokio::join!(workers[0].deliver_due(), workers[1].deliver_due());
        delivered += first.unwrap_or_else(|e| panic!("{e}"));
        delivered += second.unwrap_or_else(|e| panic!("{e}"));
        if delivered >= sent.len() {
            break;
        }
    }
    let ids: Vec<String> = receiver
        .accepted_changes()
        .await
        .iter()
        .filter_map(|c| c["message_id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids, sent, "every change once, in order");
    assert_eq!(delivered, sent.len());
    for (store, _) in &servers {
        store.close().await;
    }
}
