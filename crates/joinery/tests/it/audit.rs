//! The audit trail: disclosures and refusals are recorded as references, and tampering with any
//! entry is named by `verify`.

use std::path::Path;

use joinery_ports::{AuditStore, AuditVerdict, CaseStore};
use joinery_store::SqlStore;
use reqwest::StatusCode;

use crate::support::TestServer;

const BAIL: &str = r#"{"message_id":"A-1","agency":"MERPOL","system":"Niche RMS",
  "occurred_at":"2026-03-01T10:15:00Z","case":{"urn":"05AA8888826"},
  "type":"bail","payload":{"status":"police_bail","conditions":["Curfew 19:00 to 07:00"]}}"#;

/// (actor, action, subject, detail) of every entry, in order.
pub(crate) fn entries(
    database: &crate::support::database::TestDatabase,
) -> Vec<(String, String, Option<String>, String)> {
    database
        .rows("SELECT actor, action, subject, detail FROM audit_log ORDER BY seq")
        .into_iter()
        .map(|row| {
            let [actor, action, subject, detail] = <[Option<String>; 4]>::try_from(row)
                .unwrap_or_else(|row| panic!("an audit entry of four columns: {row:?}"));
            (
                actor.expect("actor"),
                action.expect("action"),
                subject,
                detail.expect("detail"),
            )
        })
        .collect()
}

#[tokio::test]
async fn disclosures_refusals_and_bad_keys_are_recorded_without_personal_data() {
    let server = TestServer::start().await;
    let accepted: serde_json::Value = server
        .post("MERPOL", BAIL)
        .await
        .json()
        .await
        .expect("json");
    let case_id = accepted["case_id"].as_str().expect("case id").to_owned();
    let named = BAIL
        .replace("A-1", "A-2")
        .replace(r#""Curfew 19:00 to 07:00""#, r#""""#);
    assert_eq!(
        server.post("MERPOL", named).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let read = server
        .get("MERPOL", &format!("/api/v1/cases/{case_id}"))
        .send()
        .await
        .expect("read");
    assert_eq!(read.status(), StatusCode::OK);
    let refused = server
        .get("PROBNW", &format!("/api/v1/cases/{case_id}"))
        .send()
        .await
        .expect("read");
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let forged = server
        .client
        .get(format!("{}/api/v1/cases/{case_id}", server.base))
        .bearer_auth("jny_forged")
        .send()
        .await
        .expect("request");
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);

    let log = entries(&server.db);
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|(actor, action, _, _)| (actor.as_str(), action.as_str()))
        .collect();
    assert!(
        actions.contains(&("system:MERPOL", "messages_received")),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("system:MERPOL", "messages_rejected")),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("unauthenticated", "authentication_failed")),
        "{actions:?}"
    );
    let reads: Vec<_> = log
        .iter()
        .filter(|(_, action, _, _)| action == "case_read")
        .collect();
    assert_eq!(
        reads.len(),
        1,
        "a refused read discloses nothing and records no disclosure"
    );
    assert_eq!(reads[0].0, "system:MERPOL");
    assert_eq!(reads[0].2.as_deref(), Some(case_id.as_str()));
    let rejected = log
        .iter()
        .find(|(_, action, _, _)| action == "messages_rejected")
        .expect("rejection");
    assert!(
        rejected.3.contains("/payload/conditions/0"),
        "{}",
        rejected.3
    );
    assert!(
        !rejected.3.contains("Curfew"),
        "the audit trail holds references, not content"
    );
}

async fn store_with_entries(path: &Path) -> SqlStore {
    let store = SqlStore::open(path).await.expect("open");
    let police = joinery_domain::AgencyCode::parse("MERPOL").expect("code");
    for number in 1..=4 {
        let text = BAIL.replace("A-1", &format!("A-{number}"));
        let submission = joinery_ingest::parse_message(&police, &text).expect("valid");
        store.append(vec![submission]).await.expect("append");
    }
    store
}

/// Runs `tampering` on the database with the append-only triggers out of the way, as someone
/// with direct access to the file could.
fn tamper(path: &Path, tampering: &str) {
    let connection = rusqlite::Connection::open(path).expect("open");
    connection
        .execute_batch(&format!(
            "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete; {tampering}"
        ))
        .expect("tamper");
}

#[tokio::test]
async fn verify_names_the_first_altered_deleted_or_reordered_entry() {
    let cases = [
        (
            "UPDATE audit_log SET detail = '{}' WHERE seq = 2",
            2,
            "altered",
        ),
        ("DELETE FROM audit_log WHERE seq = 2", 2, "missing"),
        (
            "UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; \
             UPDATE audit_log SET seq = 3 WHERE seq = -2",
            2,
            "does not follow",
        ),
    ];
    for (tampering, broken_at, problem_word) in cases {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("store.sqlite");
        let store = store_with_entries(&path).await;
        assert_eq!(
            store.verify_audit().await.expect("verify"),
            AuditVerdict::Intact { entries: 4 }
        );
        store.close().await;
        tamper(&path, tampering);
        let store = SqlStore::open(&path).await.expect("open");
        match store.verify_audit().await.expect("verify") {
            AuditVerdict::Broken { seq, problem } => {
                assert_eq!(seq, broken_at, "{tampering}");
                assert!(problem.contains(problem_word), "{tampering}: {problem}");
            }
            intact => panic!("{tampering}: {intact:?}"),
        }
    }
}

#[tokio::test]
async fn the_audit_trail_itself_refuses_updates_and_deletes() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("store.sqlite");
    store_with_entries(&path).await.close().await;
    let connection = rusqlite::Connection::open(&path).expect("open");
    for statement in [
        "UPDATE audit_log SET detail = '{}'",
        "DELETE FROM audit_log",
    ] {
        let refused = connection
            .execute(statement, [])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(refused.contains("append-only"), "{statement}: {refused}");
    }
}
