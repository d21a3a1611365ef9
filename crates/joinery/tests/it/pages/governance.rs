//! The information-governance page: who has seen a case, the grants to review, the matrix.

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
