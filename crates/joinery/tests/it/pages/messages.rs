//! The messages page of an agency's administrator: refused messages, and problems resolved.

use reqwest::StatusCode;

use crate::support::TestServer;
use crate::support::html::form_token;

#[tokio::test]
async fn an_administrator_sees_refused_messages_and_resolves_problems() {
    let server = TestServer::start().await;
    let charge = serde_json::json!({"message_id": "M-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-01T10:00:00Z", "case": {"urn": "05AA6666626"}, "type": "charge",
        "payload": {"offences": [{"sequence": 1, "code": "ZZ99999", "wording": "Unknown."}]}});
    server.post("MERPOL", charge.to_string()).await;
    server.post("MERPOL", "{\"not\": \"a message\"}").await;
    // Not JSON at all: refused whole, and listed like any other refusal.
    let garbage = server.post("MERPOL", "this is not JSON").await;
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    server
        .add_user(
            "admin.merpol",
            "MERPOL",
            joinery_domain::Role::Administrator,
        )
        .await;
    let admin = server.signed_in("admin.merpol").await;
    let text = admin.page("/messages").await.1;
    assert!(
        text.contains("Refused messages") && text.contains("message_id"),
        "{text}"
    );
    let refused = text
        .rsplit("Refused messages, newest first")
        .next()
        .and_then(|table| table.split("<tbody").nth(1))
        .and_then(|body| body.split("</tbody>").next())
        .unwrap_or_default()
        .matches("<tr class=\"govuk-table__row\">")
        .count();
    assert_eq!(refused, 2, "both refusals are listed: {text}");
    assert!(text.contains("Refused messages (2)"), "counted: {text}");
    assert!(
        text.contains("<li>The whole message: the body is not JSON"),
        "{text}"
    );
    if !server.has_reference() {
        return;
    }
    assert!(text.contains("ZZ99999"), "{text}");
    let id = text
        .split("name=\"id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    // An administrator cannot open cases: no link that would answer "Page not found".
    assert!(!text.contains("Open the case"), "{text}");
    let unsaid = admin
        .submit(
            "/messages/resolve",
            &form_token(&text),
            &[("id", id.as_str()), ("note", "")],
        )
        .await;
    assert_eq!(unsaid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unsaid = unsaid.text().await.unwrap_or_default();
    assert!(
        unsaid.contains("<a href=\"#note\">Enter how the problem was resolved"),
        "{unsaid}"
    );
    let resolved = admin
        .submit(
            "/messages/resolve",
            &form_token(&text),
            &[
                ("id", id.as_str()),
                ("note", "Code corrected to TH68010 in Niche."),
            ],
        )
        .await;
    assert_eq!(resolved.status(), StatusCode::SEE_OTHER);
    let after = admin.page("/messages").await.1;
    assert!(
        !after.contains("ZZ99999"),
        "resolved, its value not kept in the history"
    );
    let history = after.split("id=\"resolved\"").nth(1).unwrap_or_default();
    assert!(
        history.contains("admin.merpol") && history.contains("Code corrected to TH68010 in Niche."),
        "{after}"
    );
    let officer = server.person("pc.hughes").await;
    assert_eq!(officer.page("/messages").await.0, StatusCode::FORBIDDEN);
}
