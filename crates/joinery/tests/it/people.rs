//! Signing in: Argon2id passwords, session cookies, idle expiry, lockout after repeated failures,
//! one-time passwords that must be changed, and the audit entries of it all.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{PASSWORD, TestServer};

fn sql(server: &TestServer, statement: &str) {
    server
        .db
        .execute_directly(statement)
        .unwrap_or_else(|error| panic!("{statement}: {error}"));
}

#[tokio::test]
async fn a_sign_in_sets_a_secure_http_only_strict_cookie_and_sign_out_ends_it() {
    let server = TestServer::start().await;
    server.add_person("po.walsh").await;
    let response = server.sign_in("po.walsh", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("cookie")
        .to_owned();
    for attribute in [
        "__Host-joinery_session=",
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/",
    ] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let answer: Value = response.json().await.expect("json");
    assert_eq!(
        answer,
        json!({"username": "po.walsh", "agency": "PROBNW",
        "role": "probation_officer", "must_change_password": false})
    );
    let person = server.person("po.walsh").await;
    let (status, _) = person.fetch("/api/v1/session").await;
    assert_eq!(status, StatusCode::OK);
    let out = person.get("/api/v1/session").send().await.expect("get");
    assert_eq!(out.status(), StatusCode::OK);
    let ended = reqwest::Client::new()
        .delete(format!("{}/api/v1/session", server.base))
        .header("cookie", &person.cookie)
        .send()
        .await
        .expect("sign out");
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    let (status, _) = person.fetch("/api/v1/session").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_name_are_refused_alike() {
    let server = TestServer::start().await;
    server.add_person("po.walsh").await;
    let wrong = server.sign_in("po.walsh", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong: Value = wrong.json().await.expect("json");
    let unknown: Value = server
        .sign_in("no.one", "whatever")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(wrong, unknown);
    assert_eq!(wrong["type"], "urn:joinery:problem:sign-in-failed");
    let bad_name: Value = server
        .sign_in("Not A Name", "x")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(bad_name["errors"][0]["field"], "username");
}

#[tokio::test]
async fn five_failures_lock_the_account_even_against_the_right_password() {
    let server = TestServer::start().await;
    server.add_person("cps.shah").await;
    let wait_out_the_hold = || {
        sql(
            &server,
            "UPDATE users SET locked_until = '2000-01-01T00:00:00Z' WHERE username = 'cps.shah'",
        );
    };
    for failure in 1..=joinery_app::LOCK_AFTER_FAILURES {
        let response = server.sign_in("cps.shah", "guessing").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        if failure == 2 {
            // Straight after a second failure the account is held off: even the right password
            // is refused, unchecked and uncounted.
            let held = server.sign_in("cps.shah", PASSWORD).await;
            assert_eq!(held.status(), StatusCode::UNAUTHORIZED);
        }
        if failure < joinery_app::LOCK_AFTER_FAILURES {
            wait_out_the_hold();
        }
    }
    let locked = server.sign_in("cps.shah", PASSWORD).await;
    assert_eq!(
        locked.status(),
        StatusCode::UNAUTHORIZED,
        "locked for at least ten minutes"
    );
    let locked_until = server
        .db
        .rows("SELECT locked_until FROM users WHERE username = 'cps.shah'")[0][0]
        .clone()
        .expect("locked");
    let until = joinery_domain::Timestamp::parse(&locked_until).expect("time");
    assert!(
        joinery_domain::Timestamp::now().until(until)
            >= std::time::Duration::from_secs(10 * 60 - 5)
    );
    sql(
        &server,
        "UPDATE users SET locked_until = '2000-01-01T00:00:00Z' WHERE username = 'cps.shah'",
    );
    assert_eq!(
        server.sign_in("cps.shah", PASSWORD).await.status(),
        StatusCode::CREATED
    );
    let failures = server
        .db
        .number("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'");
    assert_eq!(failures, 7, "five counted, one held, one locked");
    let signed_in = server.db.number(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'signed_in' \
         AND actor = 'user:cps.shah@CPSMER'",
    );
    assert_eq!(signed_in, 1);
}

#[tokio::test]
async fn a_session_idle_for_thirty_minutes_has_expired() {
    let server = TestServer::start().await;
    let person = server.person("la.byrne").await;
    let (status, _) = person.fetch("/api/v1/session").await;
    assert_eq!(status, StatusCode::OK);
    sql(
        &server,
        "UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00Z'",
    );
    let (status, problem) = person.fetch("/api/v1/session").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["type"], "urn:joinery:problem:session-expired");
}

#[tokio::test]
async fn a_one_time_password_must_be_changed_before_anything_else() {
    let server = TestServer::start().await;
    server
        .app()
        .add_user(
            joinery_domain::Username::parse("pc.new").expect("name"),
            joinery_domain::AgencyCode::parse("MERPOL").expect("agency"),
            joinery_domain::Role::PoliceOfficer,
            "issued-password-1234".to_owned(),
            true,
        )
        .await
        .expect("add");
    let response = server.sign_in("pc.new", "issued-password-1234").await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("cookie")
        .to_owned();
    let answer: Value = response.json().await.expect("json");
    assert_eq!(answer["must_change_password"], true);
    let client = reqwest::Client::new();
    let read = client
        .get(format!("{}/api/v1/cases/by-urn/05AA1234526", server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("read");
    let problem: Value = read.json().await.expect("json");
    assert_eq!(
        problem["type"],
        "urn:joinery:problem:password-change-required"
    );
    let short = client
        .put(format!("{}/api/v1/session/password", server.base))
        .header("cookie", &cookie)
        .json(&json!({"current_password": "issued-password-1234", "new_password": "short"}))
        .send()
        .await
        .expect("change");
    let problem: Value = short.json().await.expect("json");
    assert_eq!(problem["errors"][0]["field"], "new_password");
    let changed = client.put(format!("{}/api/v1/session/password", server.base)).header("cookie", &cookie)
        .json(&json!({"current_password": "issued-password-1234", "new_password": "a much longer passphrase"}))
        .send().await.expect("change");
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let read = client
        .get(format!("{}/api/v1/cases/by-urn/05AA1234526", server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("read");
    assert_eq!(
        read.status(),
        StatusCode::NOT_FOUND,
        "now an ordinary reader"
    );
    assert_eq!(
        server
            .sign_in("pc.new", "a much longer passphrase")
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_role_must_belong_in_its_agency() {
    let server = TestServer::start().await;
    let added = server
        .app()
        .add_user(
            joinery_domain::Username::parse("dj.wrong").expect("name"),
            joinery_domain::AgencyCode::parse("MERPOL").expect("agency"),
            joinery_domain::Role::Judge,
            PASSWORD.to_owned(),
            false,
        )
        .await;
    let message = added.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("`judge` does not belong in agency `MERPOL`"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_and_lockouts_hold_across_servers_on_one_database() {
    // Two servers on one database, behind one load balancer: a person signed in on one is
    // signed in on the other, and guesses spread over both count towards one lockout.
    let server = TestServer::start().await;
    let (other, other_store) = server.beside().await;
    let person = server.person("po.walsh").await;
    let home = |base: String, cookie: String| async move {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .get(format!("{base}/"))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request")
            .status()
    };
    assert_eq!(
        home(other.clone(), person.cookie.clone()).await,
        StatusCode::OK,
        "signed in on the first, served by the second"
    );
    assert_ne!(
        home(other.clone(), "__Host-joinery_session=forged".to_owned()).await,
        StatusCode::OK
    );

    server.add_person("cps.shah").await;
    let guess = |base: String| async move {
        reqwest::Client::new()
            .post(format!("{base}/api/v1/session"))
            .json(&serde_json::json!({ "username": "cps.shah", "password": "not the password" }))
            .send()
            .await
            .expect("request")
            .status()
    };
    for attempt in 0..5 {
        let base = if attempt % 2 == 0 {
            server.base.clone()
        } else {
            other.clone()
        };
        assert_eq!(guess(base).await, StatusCode::UNAUTHORIZED);
    }
    let right = reqwest::Client::new()
        .post(format!("{other}/api/v1/session"))
        .json(&serde_json::json!({ "username": "cps.shah", "password": PASSWORD }))
        .send()
        .await
        .expect("request")
        .status();
    assert_ne!(
        right,
        StatusCode::CREATED,
        "five wrong guesses over two servers lock the account on both"
    );
    other_store.close().await;
}
