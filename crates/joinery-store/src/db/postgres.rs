//! A connection to PostgreSQL through `tokio-postgres`, driven from the store's own threads (the
//! writer's, and Tokio's blocking threads for reads) on a small runtime of the connection's own.
//! Statements are prepared once per connection and kept, as rusqlite's cache keeps SQLite's, with
//! their `?N` placeholders written as PostgreSQL's `$N`.
//!
//! Writes whose answer the caller does not wait for ([`PgConnection::send`]) are pipelined: each
//! is sent at once and its answer read with the next statement that is waited for, or at commit,
//! so a transaction's run of inserts costs one round trip to the server, not one each. The first
//! failure among them is what that next statement answers; PostgreSQL refuses everything after
//! a failure inside a transaction, so nothing sent after it takes effect either.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use tokio_postgres::{Client, NoTls, Row, Statement};

use super::Param;
use super::held::{Encoded, HELD_AT_MOST, Held, ManyRows, ManyRuns, names};
use crate::error::Error;

/// A write sent and not yet answered.
type Sent = Pin<Box<dyn Future<Output = Result<u64, tokio_postgres::Error>> + Send>>;

/// One client, the runtime that drives its connection, and the statements prepared on it.
pub(crate) struct PgConnection {
    /// Drives the connection (spawned onto it) whenever this connection waits for an answer.
    runtime: tokio::runtime::Runtime,
    client: Arc<Client>,
    statements: RefCell<HashMap<String, PgStatement>>,
    /// Writes sent whose answers are read with the next statement waited for, in order.
    sent: RefCell<Vec<Sent>>,
    /// Rows of single-row inserts not sent yet (see `held.rs`), in the order first held.
    held: RefCell<Vec<Held>>,
    /// Each foreign key's (referring table, referred table), read when first needed.
    foreign_keys: RefCell<Option<Vec<(String, String)>>>,
    /// Whether a transaction is open (cursors live only inside one).
    in_transaction: std::cell::Cell<bool>,
    /// Cursors declared so far, to name the next.
    cursors: std::cell::Cell<u64>,
}

/// A statement prepared on the server, with its text and, for a single-row insert, how it
/// carries many rows.
#[derive(Clone)]
pub(crate) struct PgStatement {
    statement: Statement,
    sql: Arc<str>,
    many: Option<Arc<ManyRows>>,
    /// For a query walked in order, the same declared as a cursor (`DECLARE … CURSOR FOR`).
    cursor: Option<Arc<str>>,
}

/// Statements kept per connection; past this the cache starts again (a bound on memory).
const KEPT_STATEMENTS: usize = 512;

/// Writes sent before their answers are read: past this, the next one waits for them (a bound on
/// the memory their answers and the server's buffers take).
const SENT_AT_MOST: usize = 4096;

/// Rows of a walked query read first, then four times as many each time more are read, up to
/// [`LAST_PAGE`].
const FIRST_PAGE: i64 = 100;

/// The most rows of a walked query read at once: a walk of every case (an export, a refold)
/// holds a page of them, not all.
const LAST_PAGE: i64 = 6_400;

/// The rows of a query, fetched a page at a time as they are read: the store walks some queries
/// in order until a page of its own is full (SQLite steps through them), and a caseload's
/// hundreds of thousands of rows must not all cross the wire for the 25 shown. Inside a
/// transaction such a query is a cursor, which keeps the query's order and snapshot exactly;
/// `FETCH` reads its next page.
pub(crate) struct Walk<'c> {
    connection: &'c PgConnection,
    /// The cursor's name; `None` once its last page is read, or for a query read whole.
    cursor: Option<String>,
    page: i64,
    rows: std::vec::IntoIter<Row>,
}

impl Walk<'_> {
    pub(crate) fn next(&mut self) -> Result<Option<Row>, Error> {
        if let Some(row) = self.rows.next() {
            return Ok(Some(row));
        }
        let Some(cursor) = &self.cursor else {
            return Ok(None);
        };
        let fetch = format!("FETCH {} FROM {cursor}", self.page);
        let rows = self
            .connection
            .answer(Some(""), self.connection.client.query(&fetch, &[]))?;
        self.fetched(rows);
        Ok(self.rows.next())
    }

    fn fetched(&mut self, rows: Vec<Row>) {
        if i64::try_from(rows.len()).unwrap_or(i64::MAX) < self.page {
            self.cursor = None;
        }
        self.page = self.page.saturating_mul(4).min(LAST_PAGE);
        self.rows = rows.into_iter();
    }
}

impl PgConnection {
    /// Connects to the server at `url` (`postgres://…`), unencrypted: the server is expected on
    /// the same host or a private network, as the README says.
    pub(crate) fn connect(url: &str) -> Result<Self, Error> {
        let mut config: tokio_postgres::Config = url.parse()?;
        // A server that does not answer is unavailable, not a hang: unless the URL says
        // otherwise, a connection is given up after five seconds.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(5));
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| Error::Store(joinery_ports::StoreError::Unavailable(error.into())))?;
        let (client, connection) = runtime.block_on(config.connect(NoTls))?;
        runtime.spawn(async move {
            // How a connection ended shows as the next statement's error.
            if let Err(error) = connection.await {
                tracing::debug!(%error, "a connection to PostgreSQL ended");
            }
        });
        let connection = Self {
            runtime,
            client: Arc::new(client),
            statements: RefCell::new(HashMap::new()),
            sent: RefCell::new(Vec::new()),
            held: RefCell::new(Vec::new()),
            foreign_keys: RefCell::new(None),
            in_transaction: std::cell::Cell::new(false),
            cursors: std::cell::Cell::new(0),
        };
        // The server's notices (a table that already exists, say) are not the operator's news.
        connection.batch("SET client_min_messages TO warning")?;
        Ok(connection)
    }

    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<PgStatement, Error> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let text = placeholders(sql);
        let statement = self.answer(Some(""), self.client.prepare(&text))?;
        let many = ManyRows::of(&text, statement.params()).map(Arc::new);
        let cursor = walked(&text).map(Arc::from);
        let statement = PgStatement {
            statement,
            sql: text.into(),
            many,
            cursor,
        };
        let mut statements = self.statements.borrow_mut();
        if statements.len() >= KEPT_STATEMENTS {
            statements.clear();
        }
        statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    pub(crate) fn execute(
        &self,
        statement: &PgStatement,
        values: &[&dyn Param],
    ) -> Result<usize, Error> {
        let values: Vec<_> = values.iter().map(|value| value.pg()).collect();
        let changed = self.answer(
            Some(&statement.sql),
            self.client.execute(&statement.statement, &values),
        )?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    /// Sends a write without waiting for its answer: its values are encoded now (a value of the
    /// wrong type fails here), and whether it took effect is answered by the next statement
    /// waited for. A single-row insert's row may be held, to go with others (`held.rs`).
    pub(crate) fn send(&self, statement: &PgStatement, values: &[&dyn Param]) -> Result<(), Error> {
        if values.len() != statement.statement.params().len() {
            // As tokio-postgres itself says it, from the statement waited for.
            return self.execute(statement, values).map(drop);
        }
        let encoded = encoded(values, statement.statement.params())?;
        match &statement.many {
            Some(many) => {
                self.read_foreign_keys()?;
                self.hold(many, &statement.statement, encoded)
            }
            None => {
                self.release(Some(&statement.sql))?;
                self.send_now(&statement.statement, encoded)
            }
        }
    }

    /// Keeps a row of `many` to go with others, after sending the rows of any other statement
    /// into the same table (so that a table's rows go in the order they were sent).
    fn hold(&self, many: &Arc<ManyRows>, one: &Statement, row: Vec<Encoded>) -> Result<(), Error> {
        let key = many.key_of(&row);
        let joined = |table: &str| {
            self.foreign_keys
                .borrow()
                .iter()
                .flatten()
                .any(|(referring, referred)| {
                    (referring == table && *referred == many.table)
                        || (referred == table && *referring == many.table)
                })
        };
        // Rows held for one table go in the order sent, and so do those of tables joined by
        // a foreign key: a row may refer to one sent before it.
        let goes_first = self.held.borrow().iter().any(|held| {
            (held.many.table == many.table && !Arc::ptr_eq(&held.many, many))
                || (held.many.table != many.table && joined(&held.many.table))
                || key.as_ref().is_some_and(|key| held.keys.contains(key))
        });
        if goes_first {
            self.release(None)?;
        }
        let full = {
            let mut held = self.held.borrow_mut();
            let index = match held.iter().position(|held| Arc::ptr_eq(&held.many, many)) {
                Some(index) => index,
                None => {
                    held.push(Held {
                        many: Arc::clone(many),
                        one: one.clone(),
                        rows: Vec::new(),
                        keys: std::collections::HashSet::new(),
                    });
                    held.len() - 1
                }
            };
            let held = &mut held[index];
            held.keys.extend(key);
            held.rows.push(row);
            held.rows.len() >= HELD_AT_MOST
        };
        if full {
            self.release(None)?;
        }
        Ok(())
    }

    fn read_foreign_keys(&self) -> Result<(), Error> {
        if self.foreign_keys.borrow().is_some() {
            return Ok(());
        }
        let rows = self.answer(
            None,
            self.client.query(
                "SELECT conrelid::regclass::text, confrelid::regclass::text \
                 FROM pg_constraint WHERE contype = 'f'",
                &[],
            ),
        )?;
        let keys = rows
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect::<Result<_, tokio_postgres::Error>>()?;
        *self.foreign_keys.borrow_mut() = Some(keys);
        Ok(())
    }

    /// Sends the rows held of every table `sql` names, or names a table joined to by a foreign
    /// key (either way); every row held when `sql` is `None`.
    fn release(&self, sql: Option<&str>) -> Result<(), Error> {
        let going: Vec<Held> = {
            let mut held = self.held.borrow_mut();
            if held.is_empty() {
                return Ok(());
            }
            let foreign_keys = self.foreign_keys.borrow();
            let goes = |held: &Held| {
                let table = held.many.table.as_str();
                sql.is_none_or(|sql| {
                    names(sql, table)
                        || foreign_keys.iter().flatten().any(|(referring, referred)| {
                            (referring == table && names(sql, referred))
                                || (referred == table && names(sql, referring))
                        })
                })
            };
            let (going, staying) = std::mem::take(&mut *held).into_iter().partition(goes);
            *held = staying;
            going
        };
        for held in going {
            if held.rows.len() == 1 {
                let row = held.rows.into_iter().next().unwrap_or_default();
                self.send_now(&held.one, row)?;
            } else {
                let many = self.prepare_cached(&held.many.sql())?;
                self.send_now(&many.statement, held.many.arrays(&held.rows))?;
            }
        }
        Ok(())
    }

    /// Sends a statement whose values are encoded, its answer read with the next one waited for.
    fn send_now(&self, statement: &Statement, values: Vec<Encoded>) -> Result<(), Error> {
        let client = Arc::clone(&self.client);
        let statement = statement.clone();
        let mut write: Sent = Box::pin(async move { client.execute_raw(&statement, values).await });
        // Polled once here, the write is encoded and queued on the connection in the order it
        // was sent; the runtime writes it to the server with the next statement waited for.
        let mut context = Context::from_waker(Waker::noop());
        if let Poll::Ready(answer) = write.as_mut().poll(&mut context) {
            answer?;
            return Ok(());
        }
        let full = {
            let mut sent = self.sent.borrow_mut();
            sent.push(write);
            sent.len() >= SENT_AT_MOST
        };
        if full {
            self.answer(
                Some(""),
                std::future::ready(Ok::<_, tokio_postgres::Error>(())),
            )?;
        }
        Ok(())
    }

    /// The rows of `statement`, walked: inside a transaction, a query in order is a cursor
    /// read a page at a time as its rows are read; outside one, its rows arrive at once.
    pub(crate) fn walk(
        &self,
        statement: &PgStatement,
        values: &[&dyn Param],
    ) -> Result<Walk<'_>, Error> {
        let mut walk = Walk {
            connection: self,
            cursor: None,
            page: FIRST_PAGE,
            rows: Vec::new().into_iter(),
        };
        match &statement.cursor {
            Some(declare) if self.in_transaction.get() => {
                let number = self.cursors.get() + 1;
                self.cursors.set(number);
                let name = format!("joinery_walk_{number}");
                let declare = self.prepare_cached(&declare.replace("joinery_walk", &name))?;
                let values: Vec<_> = values.iter().map(|value| value.pg()).collect();
                let fetch = format!("FETCH {FIRST_PAGE} FROM {name}");
                // Declared and first read in one round trip.
                let declared = self.client.execute(&declare.statement, &values);
                let first = self.client.query(&fetch, &[]);
                let (_, rows) = self.answer(
                    Some(&statement.sql),
                    futures_util::future::try_join(declared, first),
                )?;
                walk.cursor = Some(name);
                walk.fetched(rows);
            }
            _ => walk.rows = self.query(statement, values)?.into_iter(),
        }
        Ok(walk)
    }

    /// Every row of `statement`, read at once, to be walked as a [`Walk`] is.
    pub(crate) fn all(
        &self,
        statement: &PgStatement,
        values: &[&dyn Param],
    ) -> Result<Walk<'_>, Error> {
        Ok(Walk {
            connection: self,
            cursor: None,
            page: FIRST_PAGE,
            rows: self.query(statement, values)?.into_iter(),
        })
    }

    pub(crate) fn query(
        &self,
        statement: &PgStatement,
        values: &[&dyn Param],
    ) -> Result<Vec<Row>, Error> {
        let values: Vec<_> = values.iter().map(|value| value.pg()).collect();
        self.answer(
            Some(&statement.sql),
            self.client.query(&statement.statement, &values),
        )
    }

    /// The rows of each run of `statement`, asked as one query where its parameters' types
    /// allow (`ManyRuns`), else sent all at once and read in order.
    pub(crate) fn query_each<'v>(
        &self,
        statement: &PgStatement,
        runs: impl Iterator<Item = &'v [&'v dyn Param]>,
    ) -> Result<Vec<Vec<Row>>, Error> {
        let types = statement.statement.params();
        let runs: Vec<&[&dyn Param]> = runs.collect();
        let many = ManyRuns::of(&statement.sql, types);
        let (Some(many), false) = (many, runs.len() < 2) else {
            let runs: Vec<Vec<_>> = runs
                .iter()
                .map(|values| values.iter().map(|value| value.pg()).collect())
                .collect();
            return self.answer(
                Some(&statement.sql),
                futures_util::future::try_join_all(
                    runs.iter()
                        .map(|values| self.client.query(&statement.statement, values)),
                ),
            );
        };
        let encoded = runs
            .iter()
            .map(|values| encoded(values, types))
            .collect::<Result<Vec<_>, _>>()?;
        let asked = self.prepare_cached(&many.sql)?;
        let arrays = many.arrays(&encoded);
        let values: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = arrays
            .iter()
            .map(|array| array as &(dyn tokio_postgres::types::ToSql + Sync))
            .collect();
        let rows = self.answer(
            Some(&asked.sql),
            self.client.query(&asked.statement, &values),
        )?;
        let mut answers: Vec<Vec<Row>> = runs.iter().map(|_| Vec::new()).collect();
        for row in rows {
            let run: i64 = row.try_get(row.len() - 1)?;
            let slot = usize::try_from(run - 1)
                .ok()
                .and_then(|index| answers.get_mut(index))
                .ok_or_else(|| crate::error::corrupt("a run's number is out of range"))?;
            slot.push(row);
        }
        Ok(answers)
    }

    /// Statements sent as text (`BEGIN`, `COMMIT`, a migration), after every row held.
    pub(crate) fn batch(&self, sql: &str) -> Result<(), Error> {
        let answer = self.answer(None, self.client.batch_execute(sql));
        if sql.starts_with("BEGIN") {
            self.in_transaction.set(answer.is_ok());
            // A transaction's cursors end with it: the next one's are named afresh from the
            // first, so that each name's `DECLARE` is prepared once per connection.
            self.cursors.set(0);
        } else if sql == "COMMIT" || sql == "ROLLBACK" {
            self.in_transaction.set(false);
        }
        answer
    }

    /// Waits for the writes sent before `next` and then for `next` itself; the first failure
    /// among them is the answer. Rows held go first if `next`'s text (`sql`) names their table,
    /// and all of them if it is not known.
    fn answer<T>(
        &self,
        sql: Option<&str>,
        next: impl Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T, Error> {
        let released = self.release(sql);
        let sent = std::mem::take(&mut *self.sent.borrow_mut());
        let answer = self.runtime.block_on(async move {
            let mut first = None;
            for write in sent {
                if let Err(error) = write.await {
                    first.get_or_insert(error);
                }
            }
            let answer = next.await;
            match first {
                Some(error) => Err(error.into()),
                None => Ok(answer?),
            }
        });
        released?;
        answer
    }

    /// Whether the server still answers (a connection kept idle may have been closed).
    pub(crate) fn is_closed(&self) -> bool {
        self.client.is_closed()
    }
}

/// Each of `values` encoded for its parameter's type.
fn encoded(
    values: &[&dyn Param],
    types: &[tokio_postgres::types::Type],
) -> Result<Vec<Encoded>, Error> {
    values
        .iter()
        .zip(types)
        .map(|(value, kind)| Encoded::of(value.pg(), kind))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| Error::Store(joinery_ports::StoreError::Database(error)))
}

/// `sql` declared as a cursor, if it is a query walked in order: a plain `SELECT` with an
/// `ORDER BY` and no `LIMIT` (a point lookup or a bounded query is read whole, at once).
fn walked(sql: &str) -> Option<String> {
    let walked = sql.trim_start().get(..7)?.eq_ignore_ascii_case("SELECT ")
        && sql.contains(" ORDER BY ")
        && !sql.contains(" LIMIT ")
        && !sql.contains(" FOR UPDATE")
        && !sql.contains(" FOR SHARE");
    walked.then(|| format!("DECLARE joinery_walk NO SCROLL CURSOR FOR {sql}"))
}

/// `sql` with each `?N` placeholder written `$N` (and a bare `?` numbered after the one
/// before it, as SQLite numbers it), outside quoted text.
pub(crate) fn placeholders(sql: &str) -> String {
    let mut last = 0;
    each_placeholder(sql, '?', |number| {
        last = number.unwrap_or(last + 1);
        Some(format!("${last}"))
    })
}

/// `sql` (with `$N` placeholders) with each placeholder outside quoted text written as `to(N)`.
pub(crate) fn renumbered(sql: &str, to: impl Fn(u32) -> String) -> String {
    each_placeholder(sql, '$', |number| number.map(&to))
}

/// `sql` with each `mark` outside quoted text, and the number after it (if any), written as
/// `to` says of the number; left as it is where `to` says nothing.
fn each_placeholder(
    sql: &str,
    mark: char,
    mut to: impl FnMut(Option<u32>) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == mark => {
                let mut digits = String::new();
                while let Some(digit) = chars.next_if(char::is_ascii_digit) {
                    digits.push(digit);
                }
                match to(digits.parse().ok()) {
                    Some(written) => out.push_str(&written),
                    None => {
                        out.push(c);
                        out.push_str(&digits);
                    }
                }
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{placeholders, renumbered};

    #[test]
    fn placeholders_are_renumbered_whole_and_outside_quotes() {
        assert_eq!(
            renumbered("a = $1 AND b = $12 AND c = '$1' AND d = $1", |n| format!(
                "p.x{n}"
            )),
            "a = p.x1 AND b = p.x12 AND c = '$1' AND d = p.x1"
        );
    }

    #[test]
    fn numbered_placeholders_are_written_as_postgresql_writes_them() {
        assert_eq!(
            placeholders("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND d = ?12 AND e = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND d = $12 AND e = $13"
        );
    }
}
