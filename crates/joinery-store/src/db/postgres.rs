//! A connection to PostgreSQL through the synchronous `postgres` client, as the store's code
//! runs on its own threads (the writer's, and Tokio's blocking threads for reads). Statements
//! are prepared once per connection and kept, as rusqlite's cache keeps SQLite's, with their
//! `?N` placeholders written as PostgreSQL's `$N`.

use std::cell::RefCell;
use std::collections::HashMap;

use postgres::{Client, NoTls, Row, Statement};

use super::Param;
use crate::error::Error;

/// One client and the statements prepared on it.
pub(crate) struct PgConnection {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
}

/// Statements kept per connection; past this the cache starts again (a bound on memory).
const KEPT_STATEMENTS: usize = 512;

impl PgConnection {
    /// Connects to the server at `url` (`postgres://…`), unencrypted: the server is expected on
    /// the same host or a private network, as the README says.
    pub(crate) fn connect(url: &str) -> Result<Self, Error> {
        let mut config: postgres::Config = url.parse()?;
        // A server that does not answer is unavailable, not a hang: unless the URL says
        // otherwise, a connection is given up after five seconds.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(5));
        }
        let mut client = config.connect(NoTls)?;
        // The server's notices (a table that already exists, say) are not the operator's news.
        client.batch_execute("SET client_min_messages TO warning")?;
        Ok(Self {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
        })
    }

    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Statement, Error> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.borrow_mut().prepare(&placeholders(sql))?;
        let mut statements = self.statements.borrow_mut();
        if statements.len() >= KEPT_STATEMENTS {
            statements.clear();
        }
        statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    pub(crate) fn execute(
        &self,
        statement: &Statement,
        values: &[&dyn Param],
    ) -> Result<usize, Error> {
        let values: Vec<_> = values.iter().map(|value| value.pg()).collect();
        let changed = self.client.borrow_mut().execute(statement, &values)?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    pub(crate) fn query(
        &self,
        statement: &Statement,
        values: &[&dyn Param],
    ) -> Result<Vec<Row>, Error> {
        let values: Vec<_> = values.iter().map(|value| value.pg()).collect();
        Ok(self.client.borrow_mut().query(statement, &values)?)
    }

    pub(crate) fn batch(&self, sql: &str) -> Result<(), Error> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }

    /// Whether the server still answers (a connection kept idle may have been closed).
    pub(crate) fn is_closed(&self) -> bool {
        self.client.borrow().is_closed()
    }
}

/// `sql` with each `?N` placeholder written `$N` (and a bare `?` numbered after the one
/// before it, as SQLite numbers it), outside quoted text.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut last = 0u32;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(digit) = chars.next_if(char::is_ascii_digit) {
                    digits.push(digit);
                }
                last = digits.parse().unwrap_or(last + 1);
                out.push('$');
                out.push_str(&last.to_string());
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
    use super::placeholders;

    #[test]
    fn numbered_placeholders_are_written_as_postgresql_writes_them() {
        assert_eq!(
            placeholders("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND d = ?12 AND e = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND d = $12 AND e = $13"
        );
    }
}
