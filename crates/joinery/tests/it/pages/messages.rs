//! The messages page of an agency's administrator: refused messages, and problems resolved.

use reqwest::StatusCode;

use crate::support::html::{browser, set_cookie};
use crate::support::{PASSWORD, TestServer};

#[tokio::test]
async fn an_administrator_sees_refused_messages_and_resolves_problems() {
    let server = TestServer::start().await;
    let charge = serde_json::json!({"message_id": "M-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-01T10:00:00Z", "case": {"urn": "05AA6666626"}, "type": "charge",
        "payload": {"offences": [{"sequence": 1, "code": "ZZ99999", "wording": "Unknown."}]}});
    server.post("MERPOL", charge.to_string()).await;
    server.post("MERPOL", "{\"not\": \"a message\"}").await;
    server
        .app()
        .add_user(
            joinery_domain::Username::parse("admin.merpol").unwrap_or_else(|e| panic!("{e}")),
            joinery_domain::AgencyCode::parse("MERPOL").unwrap_or_else(|e| panic!("{e}")),
            joinery_domain::Role::Administrator,
            PASSWORD.to_owned(),
            false,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let signed_in = server.sign_in("admin.merpol", PASSWORD).await;
    let cookie = set_cookie(&signed_in, "__Host-joinery_session").unwrap_or_default();
    let page = browser()
        .get(format!("{}/messages", server.base))
        .header("cookie", format!("__Host-joinery_session={cookie}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let csrf = set_cookie(&page, "__Host-joinery_csrf").unwrap_or_default();
    let text = page.text().await.unwrap_or_default();
    assert!(
        text.contains("Refused messages") && text.contains("message_id"),
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
    let cookies = format!("__Host-joinery_session={cookie}; __Host-joinery_csrf={csrf}");
    let resolved = browser()
        .post(format!("{}/messages/resolve", server.base))
        .header("cookie", &cookies)
        .form(&[("id", id.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resolved.status(), StatusCode::SEE_OTHER);
    let after = browser()
        .get(format!("{}/messages", server.base))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !after.text().await.unwrap_or_default().contains("ZZ99999"),
        "resolved"
    );
    let officer = server.person("pc.hughes").await;
    assert_eq!(officer.page("/messages").await.0, StatusCode::FORBIDDEN);
}
