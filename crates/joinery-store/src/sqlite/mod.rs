//! The embedded default: one SQLite file in WAL mode, durable on commit (`synchronous=FULL`).
//! One connection writes; a small pool of read-only connections reads beside it, as WAL allows.
//! SQLite calls block, so each runs on Tokio's blocking threads, never on the async workers.

mod append;
mod read;
mod registry;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use joinery_domain::{AgencyCode, CaseId, Submission};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::{
    Agency, AppendOutcome, CaseLookup, CaseRecord, EventStore, KeyHash, StoreError, StoreFuture,
    TimelineEntry,
};

/// The schema, one migration per step, applied in order and recorded in `PRAGMA user_version`.
const MIGRATIONS: &[&str] = &[include_str!("../../migrations/sqlite/0001_events.sql")];

/// Read-only connections kept open between reads.
const IDLE_READERS: usize = 8;

/// The SQLite event store. Cloning shares the same connections.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    /// The one connection that writes; `None` once closed.
    writer: Mutex<Option<Connection>>,
    /// Idle read-only connections; a read takes one or opens another.
    readers: Mutex<Vec<Connection>>,
}

/// Opens a connection with the settings every connection shares.
fn connect(path: &Path, read_only: bool) -> rusqlite::Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let connection = Connection::open_with_flags(path, flags)?;
    connection.busy_timeout(Duration::from_secs(10))?;
    connection.pragma_update(None, "foreign_keys", true)?;
    // 64 MiB of page cache, not SQLite's 2 MiB default: the indexes a writer touches stay in
    // memory instead of being read back through system calls.
    connection.pragma_update(None, "cache_size", -65_536)?;
    // A multi-row statement's journal in memory rather than a temporary file.
    connection.pragma_update(None, "temp_store", "MEMORY")?;
    connection.set_prepared_statement_cache_capacity(64);
    if !read_only {
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(connection)
}

impl SqliteStore {
    /// Opens (creating if need be) the database at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let path = path.to_owned();
        blocking(move || {
            let mut writer = connect(&path, false)?;
            migrate(&mut writer)?;
            Ok(Self {
                inner: Arc::new(Inner {
                    path,
                    writer: Mutex::new(Some(writer)),
                    readers: Mutex::new(Vec::new()),
                }),
            })
        })
        .await
    }

    /// Closes every connection, checkpointing the WAL. Writes after this fail.
    pub async fn close(&self) {
        let inner = Arc::clone(&self.inner);
        let closed = blocking(move || {
            inner
                .readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clear();
            let writer = inner
                .writer
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(writer) = writer {
                writer
                    .close()
                    .map_err(|(_, error)| StoreError::from(error))?;
            }
            Ok(())
        })
        .await;
        if let Err(error) = closed {
            tracing::warn!(%error, "closing the store");
        }
    }

    /// Runs `work` on the writer connection, on a blocking thread.
    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        blocking(move || {
            let mut writer = inner.writer.lock().unwrap_or_else(PoisonError::into_inner);
            work(writer.as_mut().ok_or(StoreError::Closed)?)
        })
        .await
    }

    /// Runs `work` on a read-only connection, on a blocking thread.
    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        blocking(move || {
            let idle = inner
                .readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let connection = match idle {
                Some(connection) => connection,
                None => connect(&inner.path, true)?,
            };
            let result = work(&connection);
            let mut readers = inner.readers.lock().unwrap_or_else(PoisonError::into_inner);
            if readers.len() < IDLE_READERS {
                readers.push(connection);
            }
            result
        })
        .await
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| StoreError::Worker(error.to_string()))?
}

fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > known {
        return Err(StoreError::SchemaTooNew { found, known });
    }
    for (version, migration) in (1..)
        .zip(MIGRATIONS)
        .skip(usize::try_from(found).unwrap_or(0))
    {
        tx.execute_batch(migration)?;
        tx.pragma_update(None, "user_version", version)?;
    }
    tx.commit()?;
    Ok(())
}

impl EventStore for SqliteStore {
    fn append(&self, batch: Vec<Submission>) -> StoreFuture<'_, Vec<AppendOutcome>> {
        Box::pin(self.write(move |connection| append::append(connection, &batch)))
    }

    fn find_case(&self, lookup: CaseLookup) -> StoreFuture<'_, Option<CaseId>> {
        Box::pin(self.read(move |connection| read::find_case(connection, &lookup)))
    }

    fn case(&self, id: CaseId) -> StoreFuture<'_, Option<CaseRecord>> {
        Box::pin(self.read(move |connection| read::case(connection, id)))
    }

    fn timeline(&self, id: CaseId) -> StoreFuture<'_, Vec<TimelineEntry>> {
        Box::pin(self.read(move |connection| read::timeline(connection, id)))
    }

    fn add_agency(&self, agency: Agency) -> StoreFuture<'_, ()> {
        Box::pin(self.write(move |connection| registry::add_agency(connection, &agency)))
    }

    fn agencies(&self) -> StoreFuture<'_, Vec<Agency>> {
        Box::pin(self.read(read::agencies))
    }

    fn add_api_key(&self, agency: AgencyCode, key: KeyHash) -> StoreFuture<'_, ()> {
        Box::pin(self.write(move |connection| registry::add_api_key(connection, &agency, key)))
    }

    fn agency_for_key(&self, key: KeyHash) -> StoreFuture<'_, Option<Agency>> {
        Box::pin(self.read(move |connection| read::agency_for_key(connection, key)))
    }
}
