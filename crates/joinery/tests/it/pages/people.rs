//! An agency's people, for its administrators: an account locked by failed sign-ins unlocked, a
//! person who has left deactivated (their sessions end at once) and brought back; never their own
//! account, never another agency's people.

use reqwest::StatusCode;

use crate::support::html::form_token;
use crate::support::{PASSWORD, TestServer};

#[tokio::test]
async fn an_administrator_unlocks_a_locked_account_and_deactivates_someone_who_has_left() {
    let server = TestServer::start().await;
    server.add_person("la.byrne").await;
    server.add_person("pc.hughes").await;
    let admin = server.person("admin.moss").await;
    // Locked, as five wrong passwords leave it: the right one is refused too.
    server
        .db
        .execute_directly(
            "UPDATE users SET failed_sign_ins = 5, locked_until = '2099-01-01T00:00:00Z' \
             WHERE username = 'la.byrne'",
        )
        .expect("lock");
    assert_eq!(
        server.sign_in("la.byrne", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (status, page) = admin.page("/people").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Locked until 1 January 2099, 00:00 after 5 failed sign-ins"),
        "{page}"
    );
    assert!(
        !page.contains("pc.hughes"),
        "only the agency's own people: {page}"
    );
    let csrf = form_token(&page);
    let change = |who: &'static str, what: &'static str| {
        let (admin, csrf) = (&admin, &csrf);
        async move {
            admin
                .submit(
                    "/people/access",
                    csrf,
                    &[("username", who), ("change", what)],
                )
                .await
        }
    };
    let unlocked = change("la.byrne", "unlock").await;
    assert_eq!(
        unlocked
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok()),
        Some("/people?done=unlock")
    );
    let byrne = server.signed_in("la.byrne").await;
    assert_eq!(byrne.page("/").await.0, StatusCode::OK);

    // She leaves: deactivated, her open session ends and she cannot sign in again.
    assert_eq!(
        change("la.byrne", "deactivate").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_ne!(
        byrne.page("/").await.0,
        StatusCode::OK,
        "her session has ended"
    );
    assert_eq!(
        server.sign_in("la.byrne", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (_, page) = admin.page("/people?done=deactivate").await;
    assert!(
        page.contains("The person is deactivated") && page.contains("Deactivated "),
        "{page}"
    );
    // Brought back, she signs in again.
    assert_eq!(
        change("la.byrne", "reactivate").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        server.sign_in("la.byrne", PASSWORD).await.status(),
        StatusCode::CREATED
    );

    // Not their own account; not another agency's people (nothing changes, nothing recorded).
    assert_eq!(
        change("admin.moss", "deactivate").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        change("pc.hughes", "deactivate")
            .await
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok()),
        Some("/people")
    );
    assert_eq!(
        server.sign_in("pc.hughes", PASSWORD).await.status(),
        StatusCode::CREATED
    );
    // Someone who is not an administrator has no such page.
    let byrne = server.signed_in("la.byrne").await;
    assert_eq!(byrne.page("/people").await.0, StatusCode::FORBIDDEN);
    let trail = crate::audit::entries(&server.db);
    let changes: Vec<&str> = trail
        .iter()
        .filter(|(_, action, _, _)| action.starts_with("account_"))
        .map(|(_, action, _, _)| action.as_str())
        .collect();
    assert_eq!(
        changes,
        [
            "account_unlocked",
            "account_deactivated",
            "account_reactivated"
        ]
    );
}
