//! Requests no client of ours sends: bodies of the wrong type or shape, query strings that do
//! not read, methods and addresses that do not exist. The API answers each in problem+json
//! naming what is wrong (never axum's or serde's own words), the pages with a page; and every
//! answer says it must not be sniffed or kept.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestServer;

/// The answer is problem+json of `status`; its body.
async fn problem(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status, "{:?}", response.url().path());
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/problem+json");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
    let body: Value = response.json().await.expect("problem+json");
    let text = body.to_string();
    assert!(
        !text.contains("Failed to deserialize") && !text.contains("JsonRejection"),
        "{text}"
    );
    body
}

#[tokio::test]
async fn every_api_error_is_a_problem_naming_what_is_wrong() {
    let server = TestServer::start().await;
    let session = format!("{}/api/v1/session", server.base);
    let plain = server
        .client
        .post(&session)
        .header("content-type", "text/plain")
        .body("username=a&password=b")
        .send()
        .await
        .expect("request");
    problem(plain, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    for (body, field) in [
        (json!({"username": 5, "password": "x"}), "username"),
        (json!({"username": "po.walsh"}), "password"),
        (
            json!({"username": "po.walsh", "password": "x", "admin": true}),
            "admin",
        ),
    ] {
        let response = server
            .client
            .post(&session)
            .json(&body)
            .send()
            .await
            .expect("request");
        let answer = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(answer["errors"][0]["field"], field, "{answer}");
    }
    let not_json = server
        .client
        .post(&session)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("request");
    problem(not_json, StatusCode::UNPROCESSABLE_ENTITY).await;

    let feed = server
        .get("MERPOL", "/api/v1/feed?limit=many")
        .send()
        .await
        .expect("feed");
    let answer = problem(feed, StatusCode::BAD_REQUEST).await;
    assert!(
        answer["detail"]
            .as_str()
            .is_some_and(|d| d.contains("limit")),
        "{answer}"
    );
    let wrong_method = server
        .client
        .delete(format!("{}/api/v1/messages", server.base))
        .send()
        .await
        .expect("request");
    problem(wrong_method, StatusCode::METHOD_NOT_ALLOWED).await;
    let nowhere = server
        .get("MERPOL", "/api/v1/nothing-here")
        .send()
        .await
        .expect("request");
    problem(nowhere, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn case_data_is_marked_neither_to_be_sniffed_nor_kept() {
    let server = TestServer::start().await;
    let arrest = json!({"message_id": "H-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-01T02:00:00Z", "case": {"urn": "05AA9191926"}, "type": "arrest",
        "payload": {"person": {"given_name": "Sam", "family_name": "Quayle"}}});
    let id = server.send_all(&[arrest]).await;
    let read = server
        .get("MERPOL", &format!("/api/v1/cases/{id}"))
        .send()
        .await
        .expect("read");
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.headers()["x-content-type-options"], "nosniff");
    assert_eq!(read.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn a_page_request_that_does_not_read_gets_a_page() {
    let server = TestServer::start().await;
    let posted = server
        .client
        .post(format!("{}/sign-in", server.base))
        .header("content-type", "application/json")
        .body(r#"{"username":"po.walsh"}"#)
        .send()
        .await
        .expect("request");
    assert_eq!(posted.status(), StatusCode::BAD_REQUEST);
    assert!(
        posted.headers()["content-type"]
            .to_str()
            .is_ok_and(|kind| kind.starts_with("text/html"))
    );
    let page = posted.text().await.expect("page");
    assert!(
        page.contains("govuk-heading-l") && page.contains("cannot be read"),
        "{page}"
    );
    let nowhere = server
        .client
        .get(format!("{}/no-such-page", server.base))
        .send()
        .await
        .expect("request");
    assert_eq!(nowhere.status(), StatusCode::NOT_FOUND);
    assert!(
        nowhere
            .text()
            .await
            .expect("page")
            .contains("Page not found")
    );
}
