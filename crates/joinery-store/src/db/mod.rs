//! One way for the store's SQL to reach either engine it runs on: the embedded SQLite file
//! (rusqlite) or a PostgreSQL server (the `postgres` client). The store's code is written once,
//! against [`Connection`], [`Statement`] and [`Row`], whose methods are named as rusqlite's are;
//! what differs between the engines is kept here and in `postgres.rs`.
//!
//! The SQL is written in what both engines read alike: `?N` placeholders (sent to PostgreSQL as
//! `$N`), `INSERT … ON CONFLICT DO NOTHING`, `COALESCE`, `CAST(… AS BIGINT)`. The few statements
//! that cannot be said alike ask [`Connection::engine`] and say each.
//!
//! Not here: connection pooling, the writer's queue, migrations (the store's own, per engine).

mod held;
mod postgres;
#[cfg(test)]
mod tests;

use std::ops::Deref;

pub(crate) use self::postgres::{PgConnection, PgStatement, placeholders, renumbered};
use crate::error::Error;

/// Which engine a connection speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    Sqlite,
    Postgres,
}

/// A value the store binds to a statement: one both engines can take.
pub(crate) trait Param: Sync {
    fn lite(&self) -> &dyn rusqlite::ToSql;
    fn pg(&self) -> &(dyn ::postgres::types::ToSql + Sync);
}

/// The Rust types the store binds, each one PostgreSQL takes for a column of the schema (its
/// integers are all `BIGINT`, which takes an `i64` and nothing narrower): binding an `i32` or a
/// `u16` does not compile, rather than failing on one engine only.
pub(crate) trait Bindable {}

impl Bindable for i64 {}
impl Bindable for f64 {}
impl Bindable for bool {}
impl Bindable for String {}
impl Bindable for str {}
impl Bindable for Vec<u8> {}
impl Bindable for [u8] {}
impl<T: Bindable> Bindable for Option<T> {}
impl<T: Bindable + ?Sized> Bindable for &T {}
impl Bindable for std::borrow::Cow<'_, str> {}

impl<T: rusqlite::ToSql + ::postgres::types::ToSql + Sync + Bindable> Param for T {
    fn lite(&self) -> &dyn rusqlite::ToSql {
        self
    }

    fn pg(&self) -> &(dyn ::postgres::types::ToSql + Sync) {
        self
    }
}

/// A value the store reads from a column: one both engines can give, of a type PostgreSQL gives
/// for a column of the schema (an `i64` from an integer, never anything narrower).
pub(crate) trait Column:
    rusqlite::types::FromSql + for<'a> ::postgres::types::FromSql<'a> + Readable
{
}

/// The Rust types the store reads columns as.
pub(crate) trait Readable: Sized {
    /// The value of a narrower integer PostgreSQL gives for an expression (`SELECT 1` is an
    /// `integer`), read as this type if it is an integer.
    fn widened(_value: i64) -> Option<Self> {
        None
    }
}

impl Readable for i64 {
    fn widened(value: i64) -> Option<Self> {
        Some(value)
    }
}
impl Readable for f64 {}
impl Readable for bool {}
impl Readable for String {}
impl Readable for Vec<u8> {}
impl<T: Readable> Readable for Option<T> {
    fn widened(value: i64) -> Option<Self> {
        T::widened(value).map(Some)
    }
}

impl<T: rusqlite::types::FromSql + for<'a> ::postgres::types::FromSql<'a> + Readable> Column for T {}

/// A statement's parameters, in order.
pub(crate) trait Params {
    fn values(&self) -> &[&dyn Param];
}

impl Params for &[&dyn Param] {
    fn values(&self) -> &[&dyn Param] {
        self
    }
}

impl<const N: usize> Params for [&dyn Param; N] {
    fn values(&self) -> &[&dyn Param] {
        self
    }
}

/// The parameters of a statement, in order: `params![a, b]`.
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::db::Param]
    };
    ($($value:expr),+ $(,)?) => {
        &[$(&$value as &dyn $crate::db::Param),+] as &[&dyn $crate::db::Param]
    };
}
pub(crate) use params;

/// A column's position, as rusqlite's `get::<_, T>(index)` takes it.
pub(crate) trait ColumnIndex: Copy {
    fn index(self) -> usize;
}

impl ColumnIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// A connection to either engine.
pub(crate) enum Connection {
    Sqlite(rusqlite::Connection),
    Postgres(Box<PgConnection>),
}

/// How a transaction begins: `Immediate` for one that writes (it waits for the one writer's
/// turn: SQLite's write lock, or on PostgreSQL the store's advisory lock, which every server's
/// writer takes, so that what one transaction reads of sequence numbers and the audit chain's
/// head holds until it commits); `Deferred` for reads that must agree with each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransactionBehavior {
    Immediate,
    Deferred,
}

impl Connection {
    pub(crate) fn engine(&self) -> Engine {
        match self {
            Self::Sqlite(_) => Engine::Sqlite,
            Self::Postgres(_) => Engine::Postgres,
        }
    }

    /// Whether the connection can no longer be used (a PostgreSQL server closed it).
    pub(crate) fn is_closed(&self) -> bool {
        match self {
            Self::Sqlite(_) => false,
            Self::Postgres(connection) => connection.is_closed(),
        }
    }

    /// The statement for `sql`, prepared once per connection and kept.
    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>, Error> {
        Ok(match self {
            Self::Sqlite(connection) => Statement::Sqlite(connection.prepare_cached(sql)?),
            Self::Postgres(connection) => {
                Statement::Postgres(connection, connection.prepare_cached(sql)?)
            }
        })
    }

    /// Runs `sql` once with `params`, answering how many rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: impl Params) -> Result<usize, Error> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// Runs statements with no parameters, separated by semicolons.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<(), Error> {
        match self {
            Self::Sqlite(connection) => Ok(connection.execute_batch(sql)?),
            Self::Postgres(connection) => connection.batch(sql),
        }
    }

    /// The first row `sql` gives, read by `read`; [`Error::NoRows`] if it gives none.
    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        read: impl FnOnce(&Row<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.prepare_cached(sql)?.query_row(params, read)
    }

    /// Begins a transaction, ended by [`Transaction::commit`] or rolled back when dropped.
    pub(crate) fn transaction_with_behavior(
        &mut self,
        behavior: TransactionBehavior,
    ) -> Result<Transaction<'_>, Error> {
        self.begin(behavior)
    }

    fn begin(&self, behavior: TransactionBehavior) -> Result<Transaction<'_>, Error> {
        match (self, behavior) {
            (Self::Sqlite(connection), TransactionBehavior::Immediate) => {
                connection.execute_batch("BEGIN IMMEDIATE")?;
            }
            (Self::Sqlite(connection), TransactionBehavior::Deferred) => {
                connection.execute_batch("BEGIN DEFERRED")?;
            }
            (Self::Postgres(connection), TransactionBehavior::Immediate) => connection.batch(
                "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(4242001)",
            )?,
            (Self::Postgres(connection), TransactionBehavior::Deferred) => {
                connection.batch("BEGIN ISOLATION LEVEL REPEATABLE READ")?;
            }
        }
        Ok(Transaction {
            connection: self,
            open: true,
        })
    }

    /// A transaction for reads that must agree with each other, on a connection the caller
    /// holds shared (nothing else runs on it meanwhile: each read has its connection).
    pub(crate) fn unchecked_transaction(&self) -> Result<Transaction<'_>, Error> {
        self.begin(TransactionBehavior::Deferred)
    }
}

/// An open transaction; it reads and writes as its connection does.
pub(crate) struct Transaction<'c> {
    connection: &'c Connection,
    open: bool,
}

impl Transaction<'_> {
    pub(crate) fn commit(mut self) -> Result<(), Error> {
        self.open = false;
        self.connection.execute_batch("COMMIT")
    }
}

impl Deref for Transaction<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.connection
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open
            && let Err(error) = self.connection.execute_batch("ROLLBACK")
        {
            tracing::warn!(%error, "rolling back a transaction");
        }
    }
}

/// A prepared statement of either engine.
pub(crate) enum Statement<'c> {
    Sqlite(rusqlite::CachedStatement<'c>),
    Postgres(&'c PgConnection, PgStatement),
}

impl Statement<'_> {
    pub(crate) fn execute(&mut self, params: impl Params) -> Result<usize, Error> {
        let values = params.values();
        match self {
            Self::Sqlite(statement) => Ok(statement.execute(rusqlite::params_from_iter(
                values.iter().map(|value| value.lite()),
            ))?),
            Self::Postgres(connection, statement) => connection.execute(statement, values),
        }
    }

    /// Runs the statement for its effect alone. On PostgreSQL it is sent without waiting for
    /// its answer, which comes back with the next statement waited for (or the commit): a
    /// transaction's run of writes is one round trip. A failure shows there, and PostgreSQL
    /// takes nothing after it in the transaction.
    pub(crate) fn run(&mut self, params: impl Params) -> Result<(), Error> {
        let values = params.values();
        match self {
            Self::Sqlite(statement) => statement
                .execute(rusqlite::params_from_iter(
                    values.iter().map(|value| value.lite()),
                ))
                .map(drop)
                .map_err(Error::from),
            Self::Postgres(connection, statement) => connection.send(statement, values),
        }
    }

    /// Every row, read in order.
    pub(crate) fn query(&mut self, params: impl Params) -> Result<Rows<'_>, Error> {
        self.rows(params, false)
    }

    /// The rows of a query walked in its order and left when the reader has enough: on
    /// PostgreSQL, inside a transaction, a cursor read a page at a time (planned to give its
    /// first rows soon, not all of them at least cost), so a walk that stops after 25 rows of
    /// 200,000 reads about a page of them; elsewhere as [`Self::query`].
    pub(crate) fn walk(&mut self, params: impl Params) -> Result<Rows<'_>, Error> {
        self.rows(params, true)
    }

    fn rows(&mut self, params: impl Params, walked: bool) -> Result<Rows<'_>, Error> {
        let values = params.values();
        Ok(match self {
            Self::Sqlite(statement) => Rows::Sqlite(statement.query(
                rusqlite::params_from_iter(values.iter().map(|value| value.lite())),
            )?),
            Self::Postgres(connection, statement) if walked => {
                Rows::Postgres(connection.walk(statement, values)?, None)
            }
            Self::Postgres(connection, statement) => {
                Rows::Postgres(connection.all(statement, values)?, None)
            }
        })
    }

    /// Every row, each read by `read`, gathered.
    pub(crate) fn query_map<T>(
        &mut self,
        params: impl Params,
        mut read: impl FnMut(&Row<'_>) -> Result<T, Error>,
    ) -> Result<std::vec::IntoIter<Result<T, Error>>, Error> {
        let mut rows = self.query(params)?;
        let mut read_rows = Vec::new();
        while let Some(row) = rows.next()? {
            read_rows.push(read(&row));
        }
        Ok(read_rows.into_iter())
    }

    /// The first row (if any) of each run of the statement, one run per item of `runs`, read by
    /// `read`, in order. On PostgreSQL every run is sent before any answer is read: one round
    /// trip for them all.
    pub(crate) fn query_each<P: Params, T>(
        &mut self,
        runs: &[P],
        read: impl FnMut(&Row<'_>) -> Result<T, Error>,
    ) -> Result<Vec<Option<T>>, Error> {
        Ok(self
            .query_runs(runs, 1, read)?
            .into_iter()
            .map(|rows| rows.into_iter().next())
            .collect())
    }

    /// Every row (up to `most` each) of each run of the statement, one run per item of `runs`,
    /// read by `read`, each run's in its order. On PostgreSQL, as [`Self::query_each`], one
    /// round trip for them all.
    pub(crate) fn query_runs<P: Params, T>(
        &mut self,
        runs: &[P],
        most: usize,
        mut read: impl FnMut(&Row<'_>) -> Result<T, Error>,
    ) -> Result<Vec<Vec<T>>, Error> {
        match self {
            Self::Sqlite(_) => runs
                .iter()
                .map(|values| {
                    let mut rows = self.query(values.values())?;
                    let mut read_rows = Vec::new();
                    while read_rows.len() < most
                        && let Some(row) = rows.next()?
                    {
                        read_rows.push(read(&row)?);
                    }
                    Ok(read_rows)
                })
                .collect(),
            Self::Postgres(connection, statement) => connection
                .query_each(statement, runs.iter().map(Params::values))?
                .iter()
                .map(|rows| {
                    rows.iter()
                        .take(most)
                        .map(|row| read(&Row::Postgres(row)))
                        .collect()
                })
                .collect(),
        }
    }

    /// The first row, read by `read`; [`Error::NoRows`] if there is none.
    pub(crate) fn query_row<T>(
        &mut self,
        params: impl Params,
        read: impl FnOnce(&Row<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => read(&row),
            None => Err(Error::NoRows),
        }
    }
}

/// The rows a query gives, read one at a time.
pub(crate) enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    /// PostgreSQL's rows arrive a page at a time; the one being read is kept beside them.
    Postgres(postgres::Walk<'s>, Option<::postgres::Row>),
}

impl Rows<'_> {
    pub(crate) fn next(&mut self) -> Result<Option<Row<'_>>, Error> {
        match self {
            Self::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Self::Postgres(rows, current) => {
                *current = rows.next()?;
                Ok(current.as_ref().map(Row::Postgres))
            }
        }
    }
}

/// One row of either engine.
#[derive(Clone, Copy)]
pub(crate) enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r ::postgres::Row),
}

impl<'r> Row<'r> {
    /// The text of column `index`, borrowed from the row rather than copied.
    pub(crate) fn get_str(&self, index: usize) -> Result<&'r str, Error> {
        match *self {
            Self::Sqlite(row) => Ok(row
                .get_ref(index)?
                .as_str()
                .map_err(rusqlite::Error::from)?),
            Self::Postgres(row) => Ok(row.try_get(index)?),
        }
    }

    /// The value of column `index`.
    pub(crate) fn get<I: ColumnIndex, T: Column>(&self, index: I) -> Result<T, Error> {
        match self {
            Self::Sqlite(row) => Ok(row.get(index.index())?),
            Self::Postgres(row) => {
                let index = index.index();
                let narrow = row.columns().get(index).map(::postgres::Column::type_);
                if narrow == Some(&::postgres::types::Type::INT4)
                    && let Some(value) = row.try_get::<_, Option<i32>>(index)?
                    && let Some(widened) = T::widened(i64::from(value))
                {
                    return Ok(widened);
                }
                row.try_get(index).map_err(Error::from)
            }
        }
    }
}

/// Reading one row as a tuple of its columns.
pub(crate) trait FromRow: Sized {
    fn from_row(row: &Row<'_>) -> Result<Self, Error>;
}

macro_rules! tuple_from_row {
    ($($name:ident $index:tt),+) => {
        impl<$($name: Column),+> FromRow for ($($name,)+) {
            fn from_row(row: &Row<'_>) -> Result<Self, Error> {
                Ok(($(row.get::<usize, $name>($index)?,)+))
            }
        }
    };
}

tuple_from_row!(A 0);
tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

/// `None` for a query that found no row, as rusqlite's extension of the same name.
pub(crate) trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>, Error>;
}

impl<T> OptionalExtension<T> for Result<T, Error> {
    fn optional(self) -> Result<Option<T>, Error> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::NoRows | Error::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(error) => Err(error),
        }
    }
}
