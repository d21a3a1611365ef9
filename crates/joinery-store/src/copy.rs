//! `joinery migrate`: a centre's SQLite file copied whole into PostgreSQL — messages, sources,
//! the audit chain, people, keys, and the read models kept beside them — table by table in one
//! transaction, so that a copy is all there or not at all. Rows already there are left as they
//! are, so copying again changes nothing; a target that holds another store's messages is
//! refused before anything is written.

use std::path::Path;

use postgres::types::{ToSql, Type};
use rusqlite::types::Value;

use crate::error::Error;
use crate::sql::{Database, SqlStore};
use joinery_ports::StoreError;

/// Every table, in the order they were made: each after the tables it refers to.
const TABLES: &[&str] = &[
    "agencies",
    "api_keys",
    "messages",
    "cases",
    "case_refs",
    "case_agencies",
    "audit_log",
    "users",
    "sessions",
    "break_glass",
    "sources",
    "exceptions",
    "webhooks",
    "webhook_deliveries",
    "rejections",
    "message_exceptions",
    "projection",
    "case_hearings",
    "caseload_digest",
    "caseload_classes",
    "agency_feed",
    "caseload",
    "caseload_hearings",
    "caseload_actions",
    "caseload_stage_counts",
    "caseload_due_counts",
    "mi_versions",
    "case_people",
    "agency_work",
    "work_claims",
    "break_glass_reviews",
    "exception_resolutions",
    "hearing_resulting",
    "mi_tallies",
    "mi_open",
    "unplaced",
    "unplaced_placements",
];

/// The tables of one row and one column that say how the rest stands: the copy takes the
/// source's value.
const SETTINGS: &[&str] = &["projection", "caseload_digest"];

/// The tables with no key of their own: copied only into an empty table.
const UNKEYED: &[&str] = &["case_hearings"];

/// The tables whose numbers PostgreSQL gives: after a copy they go on from the highest copied.
const NUMBERED: &[(&str, &str)] = &[
    ("break_glass", "id"),
    ("sources", "source_no"),
    ("exceptions", "id"),
    ("webhooks", "id"),
    ("webhook_deliveries", "id"),
    ("rejections", "id"),
    ("message_exceptions", "id"),
    ("caseload_classes", "class_no"),
    ("unplaced", "unplaced_no"),
];

/// What a copy did to one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopied {
    pub table: &'static str,
    /// Rows in the SQLite file.
    pub rows: u64,
    /// Of them, written now (the rest were there already).
    pub written: u64,
}

/// Why a copy could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(
        "the target holds messages the file does not (its message {0} is not the file's): it is another store"
    )]
    AnotherStore(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Error> for CopyError {
    fn from(error: Error) -> Self {
        Self::Store(error.into())
    }
}

impl From<rusqlite::Error> for CopyError {
    fn from(error: rusqlite::Error) -> Self {
        Error::from(error).into()
    }
}

impl From<postgres::Error> for CopyError {
    fn from(error: postgres::Error) -> Self {
        Error::from(error).into()
    }
}

/// Copies the SQLite file at `from` into the PostgreSQL database at `to` (its schema made or
/// brought up to date first), answering what each table came to.
pub async fn copy_to_postgres(from: &Path, to: &str) -> Result<Vec<TableCopied>, CopyError> {
    // Opening each store brings its schema up to date (and refolds a file kept by an older
    // Joinery), so the two are copied at the same version.
    SqlStore::open(from).await?.close().await;
    SqlStore::open_at(&Database::Server(to.to_owned()))
        .await?
        .close()
        .await;
    let (from, to) = (from.to_owned(), to.to_owned());
    tokio::task::spawn_blocking(move || copy(&from, &to))
        .await
        .map_err(|error| StoreError::Worker(error.to_string()))?
}

fn copy(from: &Path, to: &str) -> Result<Vec<TableCopied>, CopyError> {
    let source =
        rusqlite::Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut target = postgres::Client::connect(to, postgres::NoTls)?;
    let mut tx = target.transaction()?;
    // Every server's writer waits while the copy is made.
    tx.batch_execute("SELECT pg_advisory_xact_lock(4242001)")?;
    same_store(&source, &mut tx)?;
    let mut copied = Vec::with_capacity(TABLES.len());
    for &table in TABLES {
        copied.push(copy_table(&source, &mut tx, table)?);
    }
    for (table, column) in NUMBERED {
        tx.batch_execute(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        ))?;
    }
    tx.commit()?;
    Ok(copied)
}

/// Refuses a target whose messages are not a beginning of the file's: another store's.
fn same_store(
    source: &rusqlite::Connection,
    target: &mut postgres::Transaction<'_>,
) -> Result<(), CopyError> {
    let last: Option<(i64, String, String)> = target
        .query_opt(
            "SELECT seq, agency, message_id FROM messages ORDER BY seq DESC LIMIT 1",
            &[],
        )?
        .map(|row| (row.get(0), row.get(1), row.get(2)));
    let Some((seq, agency, message_id)) = last else {
        return Ok(());
    };
    let same: Option<(String, String)> = {
        let mut query = source.prepare("SELECT agency, message_id FROM messages WHERE seq = ?1")?;
        let mut rows = query.query([seq])?;
        match rows.next()? {
            Some(row) => Some((row.get(0)?, row.get(1)?)),
            None => None,
        }
    };
    if same != Some((agency, message_id)) {
        return Err(CopyError::AnotherStore(seq));
    }
    Ok(())
}

fn copy_table(
    source: &rusqlite::Connection,
    target: &mut postgres::Transaction<'_>,
    table: &'static str,
) -> Result<TableCopied, CopyError> {
    let mut query = source.prepare(&format!("SELECT * FROM {table}"))?;
    let columns: Vec<String> = query
        .column_names()
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
    let (insert, skip) = if let (true, [column]) = (SETTINGS.contains(&table), &columns[..]) {
        // One row, one column, there from the schema's making: taken if it differs.
        (
            format!("UPDATE {table} SET {column} = $1 WHERE {column} IS DISTINCT FROM $1"),
            false,
        )
    } else {
        let filled = UNKEYED.contains(&table)
            && target
                .query_one(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), &[])?
                .get::<_, bool>(0);
        (
            format!(
                "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
                columns.join(", "),
                placeholders.join(", ")
            ),
            filled,
        )
    };
    let statement = target.prepare(&insert)?;
    let types = statement.params().to_vec();
    let mut rows = query.query([])?;
    let (mut read, mut written) = (0u64, 0u64);
    while let Some(row) = rows.next()? {
        read += 1;
        if skip {
            continue;
        }
        let values = (0..columns.len())
            .zip(&types)
            .map(|(index, kind)| bound(row.get::<_, Value>(index)?, kind))
            .collect::<Result<Vec<_>, CopyError>>()?;
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| &**value as _).collect();
        written += target.execute(&statement, &refs)?;
    }
    Ok(TableCopied {
        table,
        rows: read,
        written,
    })
}

/// A SQLite value as PostgreSQL's column of type `kind` takes it.
fn bound(value: Value, kind: &Type) -> Result<Box<dyn ToSql + Sync>, CopyError> {
    Ok(match (value, kind) {
        (Value::Null, &Type::INT8) => Box::new(None::<i64>),
        (Value::Null, &Type::BOOL) => Box::new(None::<bool>),
        (Value::Null, &Type::BYTEA) => Box::new(None::<Vec<u8>>),
        (Value::Null, _) => Box::new(None::<String>),
        (Value::Integer(number), &Type::BOOL) => Box::new(number != 0),
        (Value::Integer(number), _) => Box::new(number),
        (Value::Real(number), _) => Box::new(number),
        (Value::Text(text), _) => Box::new(text),
        (Value::Blob(bytes), _) => Box::new(bytes),
    })
}
