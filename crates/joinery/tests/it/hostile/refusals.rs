//! What a refused message leaves behind: its reasons are listed for the sending agency's
//! administrator and audited, and neither quotes anything the message said (a person's name in
//! a bad reference, an address typed as a field name).

use reqwest::StatusCode;
use serde_json::json;

use crate::need_to_know::URN;
use crate::support::TestServer;

#[tokio::test]
async fn a_refusal_is_kept_as_why_never_what_the_message_said() {
    let server = TestServer::start().await;
    let named = json!({"message_id": "R-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-05-01T10:00:00Z", "case": {"urn": "Jordan Example"},
        "type": "arrest", "payload": {"person": {"given_name": "Jordan", "family_name": "Example",
        "Lives at 12 Acacia Avenue": true}}});
    let response = server.post("MERPOL", named.to_string()).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answer = response.text().await.expect("problem");
    assert!(
        answer.contains("Jordan Example"),
        "the sender is told: {answer}"
    );
    let unknown = json!({"message_id": "R-2", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-05-01T10:00:00Z", "case": {"urn": URN},
        "type": "arrest", "payload": {"person": {"given_name": "Jordan", "family_name": "Example",
        "Lives at 12 Acacia Avenue": true}}});
    assert_eq!(
        server.post("MERPOL", unknown.to_string()).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, rejections) = server.fetch("MERPOL", "/api/v1/rejections").await;
    let kept = rejections.to_string();
    assert!(kept.contains("is not a valid URN"), "{kept}");
    assert!(kept.contains("is not a field of this message"), "{kept}");
    for said in ["Jordan", "Example", "Acacia"] {
        assert!(!kept.contains(said), "`{said}` was kept: {kept}");
    }
    let audited: String = server
        .db
        .rows("SELECT detail FROM audit_log WHERE action = 'messages_rejected'")
        .into_iter()
        .flatten()
        .flatten()
        .collect::<Vec<_>>()
        .join(",");
    assert!(!audited.contains("Acacia"), "{audited}");
}
