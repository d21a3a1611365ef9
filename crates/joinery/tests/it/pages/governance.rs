//! The information-governance page: who has seen a case, the grants to review, the matrix with
//! who may break glass, and beside it who may assert what.

use reqwest::StatusCode;

use crate::support::TestServer;
use crate::support::html::form_token;

#[tokio::test]
async fn governance_sees_who_has_seen_a_case_the_grants_and_the_matrix() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let probation = server.person("po.walsh").await;
    assert_eq!(
        probation.page(&format!("/cases/{id}")).await.0,
        StatusCode::OK
    );
    assert_eq!(probation.page("/governance").await.0, StatusCode::FORBIDDEN);

    let governance = server.person("ig.price").await;
    let page = governance.page("/governance").await.1;
    assert!(
        page.contains("Who may see what") && page.contains("Legal advice"),
        "{page}"
    );
    let row = |name: &str| {
        page.split(&format!(">{name}</th>"))
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        row("Intelligence").contains("never"),
        "no glass for intelligence"
    );
    assert!(page.contains("Who may assert what"), "{page}");
    assert!(
        row("Hearing result").contains("Courts"),
        "{}",
        row("Hearing result")
    );
    assert!(
        row("Consent given").contains("Probation services and voluntary services"),
        "{}",
        row("Consent given")
    );
    let (_, answer) = governance.fetch("/api/v1/governance/policy-matrix").await;
    let sentence = answer["who_may_assert"]
        .as_array()
        .and_then(|all| all.iter().find(|a| a["type"] == "sentence"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(sentence["sent_by"], serde_json::json!(["court"]));
    let csrf = form_token(&page);
    let look_up = |urn: &'static str| {
        let (governance, csrf) = (&governance, &csrf);
        async move {
            governance
                .submit("/governance", csrf, &[("urn", urn)])
                .await
        }
    };
    for (urn, problem) in [
        ("05AA42", "Enter a URN, for example"),
        ("05AA9999926", "There is no case with that URN"),
    ] {
        let sent_back = look_up(urn).await;
        assert_eq!(sent_back.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let sent_back = sent_back.text().await.unwrap_or_default();
        assert!(
            sent_back.contains(&format!("<a href=\"#urn\">{problem}"))
                && sent_back.contains(&format!("value=\"{urn}\"")),
            "{sent_back}"
        );
    }
    let looked_up = look_up("05AA4242426").await;
    assert_eq!(looked_up.status(), StatusCode::OK);
    let text = looked_up.text().await.unwrap_or_default();
    assert!(
        text.contains("user:po.walsh@PROBNW") && text.contains("Case read"),
        "{text}"
    );
    assert!(
        !text.contains("Corlett"),
        "the audit holds references, not names"
    );
}
