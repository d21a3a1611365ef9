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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_deciding_by_another_agreement_refuses_to_start_beside_the_others() {
    // On PostgreSQL several servers share the database: one started with other policy files
    // would decide the caseloads again under its agreement, and the others undo it. It refuses
    // to start, naming both digests, unless its operator is changing the agreement for all.
    let Some(db) = crate::support::database::TestDatabase::fresh_postgres("policy digest") else {
        return;
    };
    let open = |policy: joinery_policy::SharingPolicy, replace: bool| {
        let serving = joinery::server::Serving {
            outbound: joinery_app::OutboundPolicy::strict(),
            threshold: joinery_domain::measures::disclosure::Threshold::DEFAULT,
            replace_agreement: replace,
        };
        joinery::server::open_serving(db.location(), policy, None, serving)
    };
    let (first, _) = open(joinery_policy::SharingPolicy::builtin(), false)
        .await
        .expect("the first server");
    let changed = policy_copy(|text| text.replace("&&\n  resource.case.convicted", ""));
    let other = || joinery::server::load_policy(Some(changed.path())).expect("valid");
    let refused = open(other(), false).await.err().map(|e| format!("{e:#}"));
    let builtin = joinery_policy::SharingPolicy::builtin().digest().to_owned();
    let refused = refused.expect("a server with another agreement is refused");
    assert!(
        refused.contains(&builtin) && refused.contains(other().digest()),
        "{refused}"
    );
    let (second, _) = open(joinery_policy::SharingPolicy::builtin(), false)
        .await
        .expect("a server with the same agreement starts");
    let (replacing, _) = open(other(), true)
        .await
        .expect("the operator changes the agreement for all");
    for store in [first, second, replacing] {
        store.close().await;
    }
}
