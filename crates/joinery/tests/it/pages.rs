//! The web pages, over real HTTP: signing in with the GOV.UK form (CSRF-protected), the page
//! after, an expired session, signing out, the design systems' files, the security headers.

use reqwest::StatusCode;
use reqwest::redirect::Policy;

use crate::support::{PASSWORD, TestServer};

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The value of the cookie `name` set by `response`.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

async fn sign_in_form(server: &TestServer) -> (String, String) {
    let page = browser()
        .get(format!("{}/sign-in", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = set_cookie(&page, "joinery_csrf").unwrap_or_default();
    let body = page.text().await.unwrap_or_default();
    assert!(
        body.contains(&format!("name=\"csrf\" value=\"{csrf}\"")),
        "the form carries the token"
    );
    (csrf, body)
}

#[tokio::test]
async fn a_person_signs_in_and_out_through_the_pages() {
    let server = TestServer::start().await;
    server.add_person("po.walsh").await;
    let (csrf, body) = sign_in_form(&server).await;
    assert!(body.contains("<label class=\"govuk-label\" for=\"username\">User name</label>"));
    let client = browser();
    let post = |username: &str, password: &str, token: &str, cookie: &str| {
        client
            .post(format!("{}/sign-in", server.base))
            .header("cookie", format!("joinery_csrf={cookie}"))
            .form(&[
                ("username", username),
                ("password", password),
                ("csrf", token),
            ])
            .send()
    };
    let forged = post("po.walsh", PASSWORD, "", &csrf)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        forged.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no token, no sign-in"
    );
    let wrong = post("po.walsh", "wrong", &csrf, &csrf)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
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
    let signed_in = post("po.walsh", PASSWORD, &csrf, &csrf)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers()["location"], "/");
    let session = set_cookie(&signed_in, "joinery_session").unwrap_or_default();
    let cookies = format!("joinery_session={session}; joinery_csrf={csrf}");
    let home = client
        .get(format!("{}/", server.base))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(home.status(), StatusCode::OK);
    let text = home.text().await.unwrap_or_default();
    assert!(
        text.contains("po.walsh") && text.contains("probation_officer"),
        "{text}"
    );

    let out = client
        .post(format!("{}/sign-out", server.base))
        .header("cookie", &cookies)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(out.headers()["location"], "/sign-in?signed_out=1");
    let after = client
        .get(format!("{}/", server.base))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        after.headers()["location"],
        "/sign-in",
        "the session has ended"
    );
}

#[tokio::test]
async fn an_expired_session_says_so_and_unknown_pages_are_helpful() {
    let server = TestServer::start().await;
    let person = server.person("la.byrne").await;
    rusqlite::Connection::open(server.database())
        .and_then(|c| {
            c.execute(
                "UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00Z'",
                [],
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let home = browser()
        .get(format!("{}/", server.base))
        .header("cookie", &person.cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(home.headers()["location"], "/sign-in?expired=1");
    let page = browser()
        .get(format!("{}/sign-in?expired=1", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        page.text()
            .await
            .unwrap_or_default()
            .contains("Your session ended after 30 minutes without use")
    );
    let missing = browser()
        .get(format!("{}/no/such/page", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
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
    let page = browser()
        .get(format!("{}/sign-in", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
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
    let own = browser()
        .get(format!("{}/assets/joinery.css", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(own.status(), StatusCode::OK);
    assert!(
        own.text().await.unwrap_or_default().contains("arial"),
        "no GDS Transport"
    );
    if server.state.node_modules.is_some() {
        let govuk = browser()
            .get(format!("{}/assets/govuk-frontend.min.css", server.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(govuk.status(), StatusCode::OK);
        assert_eq!(govuk.headers()["content-type"], "text/css; charset=utf-8");
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs the design systems with npm ci"
        );
    }
    let elsewhere = browser()
        .get(format!("{}/assets/../../Cargo.toml", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        elsewhere.status(),
        StatusCode::NOT_FOUND,
        "only the listed files are served"
    );
}

#[tokio::test]
async fn the_caseload_and_case_pages_show_only_what_the_person_may_see() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let probation = server.person("po.walsh").await;
    let caseload = probation
        .get("/")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(caseload.status(), StatusCode::OK);
    let text = caseload.text().await.unwrap_or_default();
    assert!(
        text.contains(&format!("href=\"/cases/{id}\"")) && text.contains("05AA4242426"),
        "{text}"
    );
    assert!(
        text.contains("Kit Corlett") && text.contains("Under order"),
        "{text}"
    );

    let case = probation
        .get(&format!("/cases/{id}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(case.status(), StatusCode::OK);
    let page = case.text().await.unwrap_or_default();
    assert!(
        page.contains("moj-timeline__item") && page.contains("by PROBNW"),
        "{page}"
    );
    assert!(
        page.contains("Proposal: community order"),
        "their own report"
    );
    for withheld in ["full code test", "Ince", "class B drugs", "Exhibit JS/1"] {
        assert!(
            !page.contains(withheld),
            "`{withheld}` leaked into the page"
        );
    }
    if server.state.reference.is_some() {
        assert!(
            page.contains("Theft from a shop") || page.contains("TH68010"),
            "offence title shown"
        );
    }

    let housing = server.person("sw.evans").await;
    let theirs = housing
        .get("/")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(theirs.contains("There are no cases to show"), "{theirs}");
    let refused = housing
        .get(&format!("/cases/{id}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert!(
        refused
            .text()
            .await
            .unwrap_or_default()
            .contains("Page not found")
    );
    let filtered = probation
        .get("/?stage=awaiting_trial")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        filtered
            .text()
            .await
            .unwrap_or_default()
            .contains("There are no cases to show")
    );
}

#[tokio::test]
async fn a_judge_opens_the_list_reads_the_summary_and_comments_privately() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let okafor = server.person("dj.okafor").await;
    let list = okafor
        .get("/court-list?date=2030-07-29")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(list.status(), StatusCode::OK);
    let text = list.text().await.unwrap_or_default();
    let link = format!("/cases/{id}/hearing?date=2030-07-29");
    assert!(
        text.contains(&link) && text.contains("Kit Corlett") && text.contains("Report submitted"),
        "{text}"
    );

    let summary = okafor
        .get(&link)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.status(), StatusCode::OK);
    let page = summary.text().await.unwrap_or_default();
    assert!(
        page.contains("Since the last hearing") && page.contains("You have not commented"),
        "{page}"
    );
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let cookies = format!("{}; joinery_csrf={csrf}", okafor.cookie);
    let posted = browser()
        .post(format!("{}/cases/{id}/comments", server.base))
        .header("cookie", &cookies)
        .form(&[
            ("text", "Ask about housing at review."),
            ("csrf", csrf.as_str()),
            ("date", "2030-07-29"),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let again = okafor
        .get(&link)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(
        again.contains("Ask about housing at review."),
        "the comment is there at the next look"
    );
    let roberts = server.person("dj.roberts").await;
    let theirs = roberts
        .get(&format!("/cases/{id}/hearing"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(
        !theirs.contains("Ask about housing"),
        "never another judge's comment"
    );
    let adviser = server.person("la.byrne").await;
    let refused = adviser
        .get(&link)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "the hearing summary is for judges"
    );
    let forged = browser()
        .post(format!("{}/cases/{id}/comments", server.base))
        .header("cookie", &okafor.cookie)
        .form(&[
            ("text", "Forged."),
            ("csrf", "guess"),
            ("date", "2030-07-29"),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, no comment"
    );
}

#[tokio::test]
async fn governance_sees_who_has_seen_a_case_the_grants_and_the_matrix() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let probation = server.person("po.walsh").await;
    let read = probation
        .get(&format!("/cases/{id}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read.status(), StatusCode::OK);
    let refused = probation
        .get("/governance")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let governance = server.person("ig.price").await;
    let page = governance
        .get("/governance")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(
        page.contains("Who may see what") && page.contains("Legal advice"),
        "{page}"
    );
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let looked_up = browser()
        .post(format!("{}/governance", server.base))
        .header(
            "cookie",
            format!("{}; joinery_csrf={csrf}", governance.cookie),
        )
        .form(&[("urn", "05AA4242426"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
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

#[tokio::test]
async fn an_administrator_sees_refused_messages_and_resolves_problems() {
    let server = TestServer::start().await;
    let charge = serde_json::json!({"message_id": "M-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-01T10:00:00Z", "case": {"urn": "05AA6666626"}, "type": "charge",
        "payload": {"offences": [{"sequence": 1, "code": "ZZ99999", "wording": "Unknown."}]}});
    server.post("MERPOL", charge.to_string()).await;
    server.post("MERPOL", "{\"not\": \"a message\"}").await;
    joinery::people::add_user(
        server.state.store.as_ref(),
        joinery_domain::Username::parse("admin.merpol").unwrap_or_else(|e| panic!("{e}")),
        joinery_domain::AgencyCode::parse("MERPOL").unwrap_or_else(|e| panic!("{e}")),
        joinery_domain::Role::Administrator,
        PASSWORD.to_owned(),
        false,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let signed_in = server.sign_in("admin.merpol", PASSWORD).await;
    let cookie = set_cookie(&signed_in, "joinery_session").unwrap_or_default();
    let page = browser()
        .get(format!("{}/messages", server.base))
        .header("cookie", format!("joinery_session={cookie}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let csrf = set_cookie(&page, "joinery_csrf").unwrap_or_default();
    let text = page.text().await.unwrap_or_default();
    assert!(
        text.contains("Refused messages") && text.contains("message_id"),
        "{text}"
    );
    if server.state.reference.is_none() {
        return;
    }
    assert!(text.contains("ZZ99999"), "{text}");
    let id = text
        .split("name=\"id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let cookies = format!("joinery_session={cookie}; joinery_csrf={csrf}");
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
    let refused = officer
        .get("/messages")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
