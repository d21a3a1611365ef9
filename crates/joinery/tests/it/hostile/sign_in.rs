//! Sign-in under attack: bursts of guesses at one account, floods of sign-ins from one place
//! and of names that do not exist, and a stolen session outliving a password change.

use reqwest::StatusCode;
use serde_json::json;
use tokio::task::JoinSet;

use crate::support::{PASSWORD, TestServer};

/// Sends every `(username, password)` at once; the statuses, in order sent.
async fn all_at_once(server: &TestServer, attempts: Vec<(String, String)>) -> Vec<StatusCode> {
    let mut set = JoinSet::new();
    for (index, (username, password)) in attempts.into_iter().enumerate() {
        let (client, url) = (
            server.client.clone(),
            format!("{}/api/v1/session", server.base),
        );
        set.spawn(async move {
            let response = client
                .post(url)
                .json(&json!({"username": username, "password": password}))
                .send()
                .await
                .expect("request");
            let retry_after = response.headers().get("retry-after").cloned();
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                assert!(retry_after.is_some(), "a 429 says when to come back");
            }
            (index, response.status())
        });
    }
    let mut statuses = set.join_all().await;
    statuses.sort_by_key(|(index, _)| *index);
    statuses.into_iter().map(|(_, status)| status).collect()
}

fn count(server: &TestServer, sql: &str) -> i64 {
    server.db.number(sql)
}

#[tokio::test]
async fn a_burst_of_guesses_checks_no_more_passwords_than_the_lockout_allows() {
    let server = TestServer::start().await;
    server.add_person("cps.shah").await;
    // The campaign's attack: 40 guesses at once, the right one last.
    let attempts = (0..39)
        .map(|n| ("cps.shah".to_owned(), format!("guess number {n}")))
        .chain([("cps.shah".to_owned(), PASSWORD.to_owned())])
        .collect();
    let statuses = all_at_once(&server, attempts).await;
    assert!(
        statuses.iter().all(|status| [
            StatusCode::CREATED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS
        ]
        .contains(status)),
        "{statuses:?}"
    );
    // Each attempt whose password was checked was counted first: wrong ones checked are at
    // most the lockout's allowance, never the burst.
    let wrong_checked = count(
        &server,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed' \
         AND actor = 'signing-in:cps.shah' AND detail LIKE '%\"locked\":false%'",
    );
    assert!(
        wrong_checked <= i64::from(joinery_app::LOCK_AFTER_FAILURES),
        "{wrong_checked} wrong passwords checked in one burst"
    );
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let audited = count(
        &server,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed' \
         AND actor = 'signing-in:cps.shah'",
    );
    assert_eq!(audited, refused as i64, "every refusal checked is audited");
}

#[tokio::test]
async fn a_flood_of_sign_ins_is_answered_at_once_and_limited_per_client() {
    let server = TestServer::start().await;
    let attempts: Vec<(String, String)> = (0..200)
        .map(|n| (format!("no.one{n}"), "not a password".to_owned()))
        .collect();
    let statuses = all_at_once(&server, attempts).await;
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let busy = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(refused + busy, 200, "{statuses:?}");
    assert!(
        refused <= joinery_app::CLIENT_BURST as usize + 1,
        "{refused} checked from one client"
    );
    assert!(busy >= 200 - joinery_app::CLIENT_BURST as usize - 1);
    // What was refused for being too many was not audited: a flood writes no rows.
    let audited = count(
        &server,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'",
    );
    assert_eq!(audited, refused as i64);

    let problem: serde_json::Value = server
        .sign_in("no.one", "again")
        .await
        .json()
        .await
        .expect("problem");
    assert_eq!(problem["type"], "urn:joinery:problem:too-many-requests");
}

#[tokio::test]
async fn changing_a_password_ends_every_other_session() {
    let server = TestServer::start().await;
    let here = server.person("po.walsh").await;
    let stolen = server.signed_in("po.walsh").await;
    assert_eq!(stolen.fetch("/api/v1/session").await.0, StatusCode::OK);
    let changed = server
        .client
        .put(format!("{}/api/v1/session/password", server.base))
        .header("cookie", &here.cookie)
        .json(&json!({"current_password": PASSWORD, "new_password": "a new and longer passphrase"}))
        .send()
        .await
        .expect("change");
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(here.fetch("/api/v1/session").await.0, StatusCode::OK);
    assert_eq!(
        stolen.fetch("/api/v1/session").await.0,
        StatusCode::UNAUTHORIZED,
        "the other session ended with the old password"
    );
}
