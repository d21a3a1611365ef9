//! Text that would show as something else: a name with a right-to-left override (`U+202E`)
//! reads backwards from there on, and one with a zero-width space (`U+200B`) looks like another
//! name it is not. Both are refused wherever free text comes in, naming the field.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestServer;

#[tokio::test]
async fn names_and_text_that_would_show_as_something_else_are_refused() {
    let server = TestServer::start().await;
    let arrest = |id: &str, given: &str, system: &str| {
        json!({"message_id": id, "agency": "MERPOL", "system": system,
            "occurred_at": "2026-03-01T02:00:00Z", "case": {"urn": "05AA8181826"},
            "type": "arrest", "payload": {"person": {"given_name": given, "family_name": "Quayle"}}})
    };
    for (message, field) in [
        (
            arrest("T-1", "Sam\u{202E}maS", "Niche RMS"),
            "payload.person.given_name",
        ),
        (
            arrest("T-2", "Sa\u{200B}m", "Niche RMS"),
            "payload.person.given_name",
        ),
        (arrest("T-3", "Sam", "Niche\u{2066} RMS"), "system"),
    ] {
        let response = server.post("MERPOL", message.to_string()).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = response.json().await.expect("problem");
        assert_eq!(problem["errors"][0]["field"], field);
        let said = problem.to_string();
        assert!(
            !said.contains('\u{202E}') && !said.contains('\u{2066}'),
            "not shown back as sent: {said}"
        );
    }
    let bail = json!({"message_id": "T-4", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-01T09:00:00Z", "case": {"urn": "05AA8181826"}, "type": "bail",
        "payload": {"status": "police_bail", "conditions": ["Curfew\u{202E} 07:00 to 19:00"]}});
    let response = server.post("MERPOL", bail.to_string()).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
