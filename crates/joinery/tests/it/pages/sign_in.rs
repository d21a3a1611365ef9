//! Signing in with the GOV.UK form (CSRF-protected), the page after, an expired session,
//! signing out, the design systems' files and the security headers every page carries.

use reqwest::StatusCode;

use crate::support::html::{post_form, set_cookie, sign_in_form, visit};
use crate::support::{PASSWORD, TestServer};

#[tokio::test]
async fn a_person_signs_in_and_out_through_the_pages() {
    let server = TestServer::start().await;
    server.add_person("po.walsh").await;
    let (csrf, body) = sign_in_form(&server).await;
    assert!(body.contains("<label class=\"govuk-label\" for=\"username\">User name</label>"));
    let post = |username: &'static str, password: &'static str, token: String, cookie: String| {
        let server = &server;
        async move {
            let cookies = format!("__Host-joinery_csrf={cookie}");
            let fields = [
                ("username", username),
                ("password", password),
                ("csrf", token.as_str()),
            ];
            post_form(server, "/sign-in", &cookies, &fields).await
        }
    };
    let forged = post("po.walsh", PASSWORD, String::new(), csrf.clone()).await;
    assert_eq!(
        forged.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no token, no sign-in"
    );
    let wrong = post("po.walsh", "wrong", csrf.clone(), csrf.clone()).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = wrong.text().await.unwrap_or_default();
    assert!(
        page.contains("govuk-error-summary") && page.contains("<title>Error: Sign in"),
        "{page}"
    );
    assert!(
        page.contains("value=\"po.walsh\""),
        "the name typed is kept"
    );
    let signed_in = post("po.walsh", PASSWORD, csrf.clone(), csrf.clone()).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers()["location"], "/");
    let session = set_cookie(&signed_in, "__Host-joinery_session").unwrap_or_default();
    let cookies = format!("__Host-joinery_session={session}; __Host-joinery_csrf={csrf}");
    let home = visit(&server, "/", &cookies).await;
    assert_eq!(home.status(), StatusCode::OK);
    let text = home.text().await.unwrap_or_default();
    assert!(
        text.contains("po.walsh") && text.contains("Probation officer"),
        "{text}"
    );

    let out = post_form(&server, "/sign-out", &cookies, &[("csrf", csrf.as_str())]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(out.headers()["location"], "/sign-in?signed_out=1");
    let after = visit(&server, "/", &cookies).await;
    assert_eq!(
        after.headers()["location"],
        "/sign-in",
        "the session has ended"
    );
}

/// A link to a page, opened by someone not signed in, opens that page once they sign in; a
/// link whose onward address is another site signs them in to the home page instead.
#[tokio::test]
async fn a_page_asked_for_before_signing_in_opens_once_signed_in() {
    let server = TestServer::start().await;
    server.add_person("la.byrne").await;
    let asked = visit(&server, "/measures?report=trials", "").await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let to_sign_in = asked.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(to_sign_in, "/sign-in?next=%2Fmeasures%3Freport%3Dtrials");
    let form = visit(&server, &to_sign_in, "").await;
    let csrf = set_cookie(&form, "__Host-joinery_csrf").unwrap_or_default();
    let body = form.text().await.unwrap_or_default();
    assert!(
        body.contains("name=\"next\" value=\"/measures?report=trials\""),
        "{body}"
    );
    let cookies = format!("__Host-joinery_csrf={csrf}");
    let sign_in = |next: &'static str| {
        let (server, cookies, csrf) = (&server, cookies.clone(), csrf.clone());
        async move {
            let fields = [
                ("username", "la.byrne"),
                ("password", PASSWORD),
                ("csrf", csrf.as_str()),
                ("next", next),
            ];
            post_form(server, "/sign-in", &cookies, &fields).await
        }
    };
    // A wrong password keeps where they were going in the form.
    let wrong = post_form(
        &server,
        "/sign-in",
        &cookies,
        &[
            ("username", "la.byrne"),
            ("password", "wrong"),
            ("csrf", csrf.as_str()),
            ("next", "/measures?report=trials"),
        ],
    )
    .await;
    let page = wrong.text().await.unwrap_or_default();
    assert!(page.contains("name=\"next\" value=\"/measures?report=trials\""));
    let signed_in = sign_in("/measures?report=trials").await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers()["location"], "/measures?report=trials");
    for elsewhere in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let signed_in = sign_in(elsewhere).await;
        assert_eq!(signed_in.headers()["location"], "/", "{elsewhere}");
    }
    // A form's post is not carried (it would be replayed as a page).
    let posted = post_form(&server, "/sign-out", "", &[("csrf", "x")]).await;
    assert!(
        !posted
            .headers()
            .get("location")
            .and_then(|to| to.to_str().ok())
            .unwrap_or_default()
            .contains("next="),
        "{:?}",
        posted.headers()
    );
}

#[tokio::test]
async fn an_expired_session_says_so_and_unknown_pages_are_helpful() {
    let server = TestServer::start().await;
    let person = server.person("la.byrne").await;
    server
        .db
        .execute_directly("UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00Z'")
        .unwrap_or_else(|e| panic!("{e}"));
    let home = visit(&server, "/", &person.cookie).await;
    assert_eq!(home.headers()["location"], "/sign-in?expired=1");
    let page = visit(&server, "/sign-in?expired=1", "").await;
    assert!(
        page.text()
            .await
            .unwrap_or_default()
            .contains("Your session ended after 30 minutes without use")
    );
    let missing = visit(&server, "/no/such/page", "").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let text = missing.text().await.unwrap_or_default();
    assert!(
        text.contains("Page not found") && !text.contains("panicked"),
        "{text}"
    );
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_the_design_systems_are_served() {
    let server = TestServer::start().await;
    let page = visit(&server, "/sign-in", "").await;
    let headers = page.headers();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap_or_default();
    assert!(
        csp.contains("default-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let cookie = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Secure"),
        "{cookie}"
    );
    let own = visit(&server, "/assets/joinery.css", "").await;
    assert_eq!(own.status(), StatusCode::OK);
    assert!(
        own.text().await.unwrap_or_default().contains("arial"),
        "no GDS Transport"
    );
    if server.state.node_modules.is_some() {
        let govuk = visit(&server, "/assets/govuk-frontend.min.css", "").await;
        assert_eq!(govuk.status(), StatusCode::OK);
        assert_eq!(govuk.headers()["content-type"], "text/css; charset=utf-8");
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs the design systems with npm ci"
        );
    }
    let elsewhere = visit(&server, "/assets/../../Cargo.toml", "").await;
    assert_eq!(
        elsewhere.status(),
        StatusCode::NOT_FOUND,
        "only the listed files are served"
    );
}
