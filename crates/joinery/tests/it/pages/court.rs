//! The court list and the judge's hearing summary, with private comments.

use reqwest::StatusCode;

use crate::support::TestServer;
use crate::support::html::form_token;

#[tokio::test]
async fn a_judge_opens_the_list_reads_the_summary_and_comments_privately() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let okafor = server.person("dj.okafor").await;
    let (status, text) = okafor.page("/court-list?date=2030-07-29").await;
    assert_eq!(status, StatusCode::OK);
    let link = format!("/cases/{id}/hearing?date=2030-07-29");
    assert!(
        text.contains(&link)
            && text.contains("Kit Corlett")
            && text.contains("Report submitted")
            && text.contains("Police file in"),
        "{text}"
    );

    let (status, page) = okafor.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Since the last hearing")
            && page.contains("report submitted: Proposal: community order")
            && page.contains("You have not commented"),
        "{page}"
    );
    let csrf = form_token(&page);
    let comments = format!("/cases/{id}/comments");
    let comment = |text: &'static str| {
        let (okafor, comments, csrf) = (&okafor, &comments, &csrf);
        async move {
            okafor
                .submit(comments, csrf, &[("text", text), ("date", "2030-07-29")])
                .await
        }
    };
    let posted = comment("Ask about housing at review.").await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let empty = comment("  ").await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let empty = empty.text().await.unwrap_or_default();
    assert!(
        empty.contains("<a href=\"#comment\">Enter your comment</a>")
            && empty.contains("id=\"comment-error\""),
        "{empty}"
    );
    let again = okafor.page(&link).await.1;
    assert!(
        again.contains("Ask about housing at review."),
        "the comment is there at the next look"
    );
    let roberts = server.person("dj.roberts").await;
    let theirs = roberts.page(&format!("/cases/{id}/hearing")).await.1;
    assert!(
        !theirs.contains("Ask about housing"),
        "never another judge's comment"
    );
    let adviser = server.person("la.byrne").await;
    let refused = adviser.page(&link).await.0;
    assert_eq!(
        refused,
        StatusCode::FORBIDDEN,
        "the hearing summary is for judges"
    );
    let forged = okafor
        .forged(
            &format!("/cases/{id}/comments"),
            "guess",
            &[("text", "Forged."), ("date", "2030-07-29")],
        )
        .await;
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, no comment"
    );
}
