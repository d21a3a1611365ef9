//! `joinery migrate`: a centre's SQLite file copied whole into PostgreSQL, read there as it was
//! read from the file, its audit trail still one verifying chain; copying again changes nothing,
//! and a database holding another store's messages is refused.

use joinery_app::AuditVerdict;
use joinery_domain::AgencyCode;
use joinery_ports::{AuditStore, CaseStore};
use joinery_store::{CopyError, SqlStore};

use crate::support::TestServer;
use crate::support::database::TestDatabase;

/// Every table's rows as text, in the order of its columns: what is compared across engines.
fn table(db: &TestDatabase, table: &str) -> Vec<Vec<Option<String>>> {
    let mut rows = db.rows(&format!("SELECT * FROM {table}"));
    // A boolean is `1`/`0` in SQLite and `t`/`f` in PostgreSQL's text.
    for value in rows.iter_mut().flatten().flatten() {
        match value.as_str() {
            "t" => *value = "1".to_owned(),
            "f" => *value = "0".to_owned(),
            _ => {}
        }
    }
    rows.sort();
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_centres_file_is_copied_whole_into_postgresql_and_copying_again_changes_nothing() {
    let Some(target) = TestDatabase::fresh_postgres("migrate") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("centre.sqlite");
    let server = TestServer::start_on(TestDatabase::File(file.clone())).await;
    server.load_model_office(30).await;
    let person = server.person("po.walsh").await;
    let (status, _) = person.page("/").await;
    assert!(status.is_success());
    let source = &server.db;
    let url = match target.location() {
        joinery_store::Database::Server(url) => url,
        joinery_store::Database::File(_) => unreachable!("a PostgreSQL database"),
    };

    let copied = joinery_store::copy_to_postgres(&file, &url)
        .await
        .expect("copy");
    assert_eq!(copied.len(), 37, "every table");
    for table_copied in &copied {
        let name = table_copied.table;
        assert_eq!(
            table(source, name),
            table(&target, name),
            "{name} is the same in the copy"
        );
    }
    let messages = copied
        .iter()
        .find(|copied| copied.table == "messages")
        .expect("messages");
    assert!(
        messages.rows > 100 && messages.written == messages.rows,
        "{messages:?}"
    );

    // Read there as it was read from the file: a case, and the audit trail's chain.
    let on_postgres = SqlStore::open_at(&target.location())
        .await
        .expect("open the copy");
    let id = source.rows("SELECT id FROM cases ORDER BY case_no LIMIT 1")[0][0]
        .as_deref()
        .map(joinery_domain::CaseId::parse)
        .expect("a case")
        .expect("a case id");
    assert_eq!(
        on_postgres.case_history(id).await.expect("read the copy"),
        server.store.case_history(id).await.expect("read the file"),
    );
    let entries = source.number("SELECT COUNT(*) FROM audit_log");
    assert_eq!(
        on_postgres.verify_audit().await.expect("verify"),
        AuditVerdict::Intact {
            entries: u64::try_from(entries).expect("a count")
        }
    );
    on_postgres.close().await;

    // `joinery export` reads the copy's facts as it reads the file's: the same, in order.
    let facts = |database: joinery_store::Database| {
        std::thread::spawn(move || {
            let mut facts = Vec::new();
            joinery_store::each_fact(&database, |fact| {
                facts.push(fact.clone());
                Ok::<_, std::io::Error>(())
            })
            .expect("export");
            facts
        })
        .join()
        .expect("the export's thread")
    };
    let from_file = facts(joinery_store::Database::File(file.clone()));
    assert!(from_file.len() > 30, "{} facts", from_file.len());
    assert_eq!(facts(target.location()), from_file);

    // Copied again: nothing written.
    let again = joinery_store::copy_to_postgres(&file, &url)
        .await
        .expect("copy again");
    assert!(again.iter().all(|copied| copied.written == 0), "{again:?}");

    // Another centre's file into the same database: refused before anything is written.
    let other_dir = tempfile::tempdir().expect("temporary directory");
    let other_file = other_dir.path().join("other.sqlite");
    let other = TestServer::start_on(TestDatabase::File(other_file.clone())).await;
    other
        .app()
        .add_agency(joinery_app::Agency {
            code: AgencyCode::parse("LANCPOL").expect("a code"),
            kind: joinery_domain::AgencyKind::Police,
            name: joinery_domain::SystemName::parse("Lancashire (test)").expect("a name"),
        })
        .await
        .expect("an agency");
    let mut dice = joinery::model_office::Dice::new(99);
    let today = joinery_domain::Timestamp::now().date();
    let messages: Vec<_> = (1..=5)
        .filter_map(|n| joinery::model_office::case_messages(n + 1000, today, &mut dice))
        .flatten()
        .collect();
    joinery::load::load_messages(other.app(), messages.iter().cloned(), messages.len(), false)
        .await
        .expect("the other centre's cases");
    let before = target.number("SELECT COUNT(*) FROM messages");
    let refused = joinery_store::copy_to_postgres(&other_file, &url).await;
    assert!(
        matches!(refused, Err(CopyError::AnotherStore(_))),
        "{refused:?}"
    );
    assert_eq!(target.number("SELECT COUNT(*) FROM messages"), before);
}
