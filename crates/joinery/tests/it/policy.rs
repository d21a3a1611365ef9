//! The policy directory an operator points Joinery at: used when valid, refused with the reason
//! when not, and recorded in the audit trail when loaded.

use std::path::{Path, PathBuf};

fn repository_policy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policy")
}

/// A copy of the repository's policy directory, with `change` applied to `sharing.cedar`.
fn policy_copy(change: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("directory");
    for entry in std::fs::read_dir(repository_policy()).expect("policy directory") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let mut text = std::fs::read_to_string(&path).expect("read");
            if path.file_name().is_some_and(|name| name == "sharing.cedar") {
                text = change(text);
            }
            std::fs::write(dir.path().join(path.file_name().expect("name")), text).expect("write");
        }
    }
    dir
}

#[test]
fn an_invalid_policy_directory_is_refused_with_the_file_and_the_reason() {
    let dir = policy_copy(|text| text.replace("principal.role", "principal.rank"));
    let error = joinery::server::load_policy(Some(dir.path()))
        .err()
        .expect("refused");
    let message = format!("{error:#}");
    assert!(
        message.contains("cannot be used") && message.contains("rank"),
        "{message}"
    );

    let dir = policy_copy(|text| format!("{text}\npermit (principal, action, resource"));
    let message = format!(
        "{:#}",
        joinery::server::load_policy(Some(dir.path()))
            .err()
            .expect("refused")
    );
    assert!(
        message.contains("sharing.cedar") && message.contains("does not parse"),
        "{message}"
    );

    let missing = joinery::server::load_policy(Some(Path::new("/nonexistent/policies")));
    assert!(format!("{:#}", missing.err().expect("refused")).contains("/nonexistent/policies"));
}

#[tokio::test]
async fn a_valid_policy_directory_is_used_and_its_digest_recorded() {
    let dir = policy_copy(|text| text.replace("&&\n  resource.case.convicted", ""));
    let policy = joinery::server::load_policy(Some(dir.path())).expect("valid");
    assert_ne!(
        policy.digest(),
        joinery_policy::SharingPolicy::builtin().digest()
    );
    let matrix = joinery_policy::compute_matrix(&policy).expect("matrix");
    let cell = matrix
        .cell(
            joinery_domain::Role::Prosecutor,
            joinery_domain::Category::PreSentenceReport,
        )
        .expect("cell");
    assert_eq!(
        cell.full.as_deref(),
        Some("team"),
        "the local change is in force"
    );

    let data = tempfile::tempdir().expect("directory");
    let database = data.path().join("joinery.sqlite");
    let digest = policy.digest().to_owned();
    let (store, _state) = joinery::server::open(&database, policy, None)
        .await
        .expect("open");
    store.close().await;
    let connection = rusqlite::Connection::open(&database).expect("open");
    let detail: String = connection
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'policy_loaded'",
            [],
            |row| row.get(0),
        )
        .expect("recorded");
    assert!(detail.contains(&digest), "{detail}");
}
