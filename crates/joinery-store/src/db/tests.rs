//! What `db/` promises about PostgreSQL's pipelined writes and held rows (`held.rs`), checked
//! against a real server: each test makes its own database on the server `JOINERY_TEST_POSTGRES`
//! names and drops it after. Without one it says so and passes, outside CI only.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Connection, Param, PgConnection, TransactionBehavior, params};
use crate::Database;

static MADE: AtomicUsize = AtomicUsize::new(0);

/// A database of its own on the test server, dropped with it.
struct Scratch {
    server: String,
    name: String,
    connection: Option<Connection>,
}

impl Scratch {
    fn make(test: &str, schema: &str) -> Option<Self> {
        let Some(server) = std::env::var("JOINERY_TEST_POSTGRES")
            .ok()
            .filter(|url| !url.is_empty())
        else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{test}: under CI, JOINERY_TEST_POSTGRES must name a PostgreSQL server"
            );
            eprintln!("{test}: skipped, JOINERY_TEST_POSTGRES does not name a PostgreSQL server");
            return None;
        };
        let name = format!(
            "joinery_db_{}_{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        admin(&server, &format!("CREATE DATABASE {name}"));
        let Some(Database::Server(url)) = Database::parse(&server).named(&name) else {
            panic!("JOINERY_TEST_POSTGRES is not a PostgreSQL URL");
        };
        let connection =
            Connection::Postgres(Box::new(PgConnection::connect(&url).expect("connects")));
        connection.execute_batch(schema).expect("the test's schema");
        Some(Self {
            server,
            name,
            connection: Some(connection),
        })
    }

    fn connection(&mut self) -> &mut Connection {
        self.connection.as_mut().expect("open until dropped")
    }

    /// A write transaction, as the store's writer begins one.
    fn begin(&mut self) -> super::Transaction<'_> {
        self.connection()
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .expect("begins")
    }

    fn count(&mut self, table: &str) -> i64 {
        self.connection()
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), params![], |row| {
                row.get(0)
            })
            .expect("counts")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        drop(self.connection.take());
        admin(
            &self.server,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn admin(server: &str, sql: &str) {
    let mut client = postgres::Client::connect(server, postgres::NoTls).expect("the test server");
    client
        .batch_execute(sql)
        .expect("an administrative statement");
}

#[test]
fn rows_sent_without_waiting_are_read_by_the_statements_after_them() {
    let Some(mut db) = Scratch::make(
        "rows_sent_without_waiting_are_read_by_the_statements_after_them",
        "CREATE TABLE t (a BIGINT PRIMARY KEY, b TEXT)",
    ) else {
        return;
    };
    let tx = db.begin();
    let mut insert = tx
        .prepare_cached("INSERT INTO t (a, b) VALUES (?1, ?2)")
        .expect("prepares");
    for (a, b) in [(1_i64, Some("one")), (2, None), (3, Some("three"))] {
        insert.run(params![a, b]).expect("sent");
    }
    drop(insert);
    let seen: i64 = tx
        .query_row("SELECT COUNT(*) FROM t", params![], |row| row.get(0))
        .expect("reads");
    assert_eq!(seen, 3, "a read after held rows sees them");
    let keys = [1_i64, 9, 3, 2];
    let runs: Vec<[&dyn Param; 1]> = keys.iter().map(|key| [key as &dyn Param]).collect();
    let found = tx
        .prepare_cached("SELECT b FROM t WHERE a = ?1")
        .expect("prepares")
        .query_each(&runs, |row| row.get::<_, Option<String>>(0))
        .expect("asks each");
    assert_eq!(
        found,
        vec![
            Some(Some("one".to_owned())),
            None,
            Some(Some("three".to_owned())),
            Some(None)
        ],
        "each run answered in order, a run with no row as none"
    );
    tx.commit().expect("commits");
    assert_eq!(db.count("t"), 3);
}

#[test]
fn a_failed_write_among_those_sent_fails_the_commit_and_keeps_nothing() {
    let Some(mut db) = Scratch::make(
        "a_failed_write_among_those_sent_fails_the_commit_and_keeps_nothing",
        "CREATE TABLE t (a BIGINT PRIMARY KEY); CREATE TABLE u (a BIGINT)",
    ) else {
        return;
    };
    let tx = db.begin();
    let mut into_t = tx
        .prepare_cached("INSERT INTO t (a) VALUES (?1)")
        .expect("prepares");
    into_t.run(params![1_i64]).expect("sent");
    into_t.run(params![1_i64]).expect("sent: refused later");
    drop(into_t);
    tx.prepare_cached("INSERT INTO u (a) VALUES (?1)")
        .expect("prepares")
        .run(params![7_i64])
        .expect("sent");
    let error = tx.commit().expect_err("the duplicate key fails the commit");
    let code = match &error {
        crate::error::Error::Postgres(error) => error.code().cloned(),
        _ => None,
    };
    assert_eq!(
        code,
        Some(postgres::error::SqlState::UNIQUE_VIOLATION),
        "the failure is the write's own: {error:?}"
    );
    assert_eq!(db.count("t"), 0, "nothing of the transaction is kept");
    assert_eq!(db.count("u"), 0, "nor what was sent after the failure");
}

#[test]
fn an_upsert_of_one_key_twice_in_a_transaction_counts_both() {
    let Some(mut db) = Scratch::make(
        "an_upsert_of_one_key_twice_in_a_transaction_counts_both",
        "CREATE TABLE c (k TEXT PRIMARY KEY, n BIGINT NOT NULL)",
    ) else {
        return;
    };
    let tx = db.begin();
    let mut upsert = tx
        .prepare_cached(
            "INSERT INTO c (k, n) VALUES (?1, ?2) ON CONFLICT (k) DO UPDATE SET n = c.n + excluded.n",
        )
        .expect("prepares");
    for (key, n) in [("x", 1_i64), ("y", 10), ("x", 2), ("x", 4)] {
        upsert.run(params![key, n]).expect("sent");
    }
    drop(upsert);
    tx.commit().expect("commits");
    let counts: Vec<(String, i64)> = db
        .connection()
        .prepare_cached("SELECT k, n FROM c ORDER BY k")
        .expect("prepares")
        .query_map(params![], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("reads")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(counts, vec![("x".to_owned(), 7), ("y".to_owned(), 10)]);
}

#[test]
fn a_row_goes_after_the_row_it_refers_to_whatever_was_held_before() {
    let Some(mut db) = Scratch::make(
        "a_row_goes_after_the_row_it_refers_to_whatever_was_held_before",
        "CREATE TABLE parent (p BIGINT PRIMARY KEY); \
         CREATE TABLE child (c BIGINT NOT NULL REFERENCES parent (p)); \
         INSERT INTO parent (p) VALUES (1)",
    ) else {
        return;
    };
    let tx = db.begin();
    let child = "INSERT INTO child (c) VALUES (?1)";
    let parent = "INSERT INTO parent (p) VALUES (?1)";
    // A child of a stored parent, then a new parent, then its child: sent table by table in
    // the order first held, the second child would go before its parent.
    tx.prepare_cached(child)
        .expect("prepares")
        .run(params![1_i64])
        .expect("sent");
    tx.prepare_cached(parent)
        .expect("prepares")
        .run(params![2_i64])
        .expect("sent");
    tx.prepare_cached(child)
        .expect("prepares")
        .run(params![2_i64])
        .expect("sent");
    tx.commit().expect("every row refers to one before it");
    assert_eq!(db.count("child"), 2);
    assert_eq!(db.count("parent"), 2);
}

#[test]
fn a_query_walked_in_order_gives_every_row_once_in_order_a_page_at_a_time() {
    let Some(mut db) = Scratch::make(
        "a_query_walked_in_order_gives_every_row_once_in_order_a_page_at_a_time",
        "CREATE TABLE w (k BIGINT NOT NULL, tie BIGINT NOT NULL); \
         INSERT INTO w SELECT n, n % 7 FROM generate_series(1, 20000) AS n",
    ) else {
        return;
    };
    let walked = |connection: &Connection| -> Vec<i64> {
        let mut statement = connection
            .prepare_cached("SELECT k FROM w WHERE k > ?1 ORDER BY tie, k DESC")
            .expect("prepares");
        let mut rows = statement.walk(params![0_i64]).expect("walks");
        let mut keys = Vec::new();
        while let Some(row) = rows.next().expect("a row") {
            keys.push(row.get::<_, i64>(0).expect("k"));
        }
        keys
    };
    let mut expected: Vec<i64> = (1..=20000).collect();
    expected.sort_by_key(|k| (k % 7, -k));
    // Outside a transaction the rows arrive at once; inside one, a cursor gives them in pages
    // of 100, 400, 1,600, then 6,400 at most (three times here) until the rest.
    assert_eq!(walked(db.connection()), expected);
    let tx = db.connection().unchecked_transaction().expect("begins");
    assert_eq!(walked(&tx), expected);
    assert_eq!(
        walked(&tx),
        expected,
        "a second cursor in the same transaction"
    );
    tx.commit().expect("ends");
    // The next transaction names its cursors as this one did.
    let tx = db.connection().unchecked_transaction().expect("begins");
    assert_eq!(walked(&tx), expected, "a cursor of the same name, anew");
    tx.commit().expect("ends");
}
