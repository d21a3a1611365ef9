//! The database a test runs on. By default a SQLite file in the test's own directory; with
//! `JOINERY_TEST_ENGINE=postgres`, a fresh PostgreSQL database made for the test on the server
//! `JOINERY_TEST_POSTGRES` names (a URL of a database to connect to while making it, such as
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the test ends.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use joinery_store::Database;

/// Which engine this run of the suite stores on.
pub fn on_postgres() -> bool {
    std::env::var("JOINERY_TEST_ENGINE").is_ok_and(|engine| engine == "postgres")
}

/// The server the PostgreSQL half makes its databases on, if it is set.
pub fn postgres_server() -> Option<String> {
    std::env::var("JOINERY_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// One test's database; a PostgreSQL one is dropped with it.
pub enum TestDatabase {
    File(PathBuf),
    Server {
        /// Where it was made from, to drop it from.
        server: String,
        name: String,
        url: String,
    },
}

static MADE: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    /// A fresh database for a test whose files go in `dir`.
    pub fn fresh(dir: &Path) -> Self {
        if !on_postgres() {
            return Self::File(dir.join("joinery.sqlite"));
        }
        let server = postgres_server()
            .expect("JOINERY_TEST_ENGINE=postgres needs JOINERY_TEST_POSTGRES, a server's URL");
        Self::made_on(server)
    }

    /// A fresh PostgreSQL database whichever engine the run stores on, for a test of moving
    /// between them; `None` (said, and under CI a failure) when no server is set.
    pub fn fresh_postgres(test: &str) -> Option<Self> {
        match postgres_server() {
            Some(server) => Some(Self::made_on(server)),
            None if std::env::var_os("CI").is_some() => {
                panic!("{test}: under CI, JOINERY_TEST_POSTGRES must name a PostgreSQL server")
            }
            None => {
                eprintln!(
                    "{test}: skipped, JOINERY_TEST_POSTGRES does not name a PostgreSQL server"
                );
                None
            }
        }
    }

    fn made_on(server: String) -> Self {
        let name = format!(
            "joinery_test_{}_{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        let url = match Database::parse(&server).named(&name) {
            Some(Database::Server(url)) => url,
            _ => panic!("JOINERY_TEST_POSTGRES is not a PostgreSQL URL: {server}"),
        };
        admin(
            &server,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        );
        admin(&server, &format!("CREATE DATABASE {name}"));
        Self::Server { server, name, url }
    }

    /// Where the store is to open it.
    pub fn location(&self) -> Database {
        match self {
            Self::File(path) => Database::File(path.clone()),
            Self::Server { url, .. } => Database::Server(url.clone()),
        }
    }

    /// The SQLite file, for tests that look beneath the store at the file itself.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Self::File(path) => Some(path),
            Self::Server { .. } => None,
        }
    }

    /// Every row `sql` gives, read directly beneath the store, each value as text (`None` for
    /// NULL): what a test checks of what was stored, on either engine.
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self {
            Self::File(path) => {
                let connection = rusqlite::Connection::open(path).expect("open the test's file");
                let mut query = connection.prepare(sql).expect("prepare a test's query");
                let columns = query.column_count();
                let mut rows = query.query([]).expect("run a test's query");
                let mut out = Vec::new();
                while let Some(row) = rows.next().expect("read a row") {
                    out.push(
                        (0..columns)
                            .map(|column| text(row.get_ref(column).expect("a column")))
                            .collect(),
                    );
                }
                out
            }
            Self::Server { url, .. } => {
                let (url, sql) = (url.clone(), sql.to_owned());
                std::thread::spawn(move || {
                    let mut client = postgres::Client::connect(&url, postgres::NoTls)
                        .expect("connect to the test's database");
                    client
                        .simple_query(&sql)
                        .expect("run a test's query")
                        .into_iter()
                        .filter_map(|message| match message {
                            postgres::SimpleQueryMessage::Row(row) => Some(
                                (0..row.len())
                                    .map(|column| row.get(column).map(str::to_owned))
                                    .collect(),
                            ),
                            _ => None,
                        })
                        .collect()
                })
                .join()
                .expect("a thread reading the test's database")
            }
        }
    }

    /// The one number `sql` gives (a count, say).
    pub fn number(&self, sql: &str) -> i64 {
        self.rows(sql)
            .first()
            .and_then(|row| row.first().cloned().flatten())
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| panic!("`{sql}` gives no number"))
    }

    /// Runs `sql` on the database directly, beneath the store (as an attacker with the
    /// database's credentials would), answering the server's refusal if it refuses.
    pub fn execute_directly(&self, sql: &str) -> Result<(), String> {
        match self {
            Self::File(path) => rusqlite::Connection::open(path)
                .and_then(|connection| connection.execute_batch(sql))
                .map_err(|error| error.to_string()),
            Self::Server { url, .. } => {
                let (url, sql) = (url.clone(), sql.to_owned());
                std::thread::spawn(move || {
                    let mut client = postgres::Client::connect(&url, postgres::NoTls)
                        .map_err(|error| error.to_string())?;
                    client
                        .batch_execute(&sql)
                        .map_err(|error| format!("{error:?}"))
                })
                .join()
                .expect("a thread running SQL")
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Self::Server { server, name, .. } = self {
            admin(
                server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// A SQLite value as PostgreSQL's text protocol would give it.
fn text(value: rusqlite::types::ValueRef<'_>) -> Option<String> {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(number) => Some(number.to_string()),
        ValueRef::Real(number) => Some(number.to_string()),
        ValueRef::Text(text) => Some(String::from_utf8_lossy(text).into_owned()),
        ValueRef::Blob(bytes) => Some(format!(
            "\\x{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        )),
    }
}

/// Runs one statement on the server, on a thread of its own (the client blocks on a runtime of
/// its own, which a test's runtime may not).
fn admin(server: &str, sql: &str) {
    let (server, sql) = (server.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&server, postgres::NoTls)
            .expect("connect to JOINERY_TEST_POSTGRES");
        client
            .batch_execute(&sql)
            .expect("make or drop a test database");
    })
    .join()
    .expect("a thread making a test database");
}
