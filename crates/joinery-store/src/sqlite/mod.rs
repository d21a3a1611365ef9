//! The embedded default: one SQLite file in WAL mode, durable on commit (`synchronous=FULL`).
//! One connection writes; a small pool reads beside it, as WAL allows.

mod append;
mod read;
mod registry;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use joinery_domain::{AgencyCode, CaseId, Submission};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, Row, SqliteConnection, SqlitePool};
use tokio::sync::Mutex;

use crate::{
    Agency, AppendOutcome, CaseLookup, CaseRecord, EventStore, KeyHash, StoreError, StoreFuture,
    TimelineEntry,
};

/// The schema, one migration per step, applied in order and recorded in `PRAGMA user_version`.
const MIGRATIONS: &[&str] = &[include_str!("../../migrations/sqlite/0001_events.sql")];

/// The SQLite event store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    /// The one connection that writes, held rather than pooled: a pool pings a connection each
    /// time it is returned, a round trip added to every group commit. `None` once closed.
    writer: Arc<Mutex<Option<SqliteConnection>>>,
    readers: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if need be) the database at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 64 MiB of page cache per connection, not SQLite's 2 MiB default: the indexes a
            // writer touches stay in memory instead of being read back through system calls.
            .pragma("cache_size", "-65536")
            // Statement journals in memory: a multi-row insert keeps one in case a row fails,
            // and in a temporary file it costs a write system call per page.
            .pragma("temp_store", "memory")
            .statement_cache_capacity(400);
        let mut writer = SqliteConnection::connect_with(&options).await?;
        migrate(&mut writer).await?;
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self {
            writer: Arc::new(Mutex::new(Some(writer))),
            readers,
        })
    }

    /// Closes the readers and the writer, checkpointing the WAL. Writes after this fail.
    pub async fn close(&self) {
        self.readers.close().await;
        let writer = self.writer.lock().await.take();
        if let Some(Err(error)) = match writer {
            Some(connection) => Some(connection.close().await),
            None => None,
        } {
            tracing::warn!(%error, "closing the writer connection");
        }
    }

    /// Runs `work` on the writer connection, one unit of work at a time.
    async fn write<T>(
        &self,
        work: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut writer = self.writer.lock().await;
        let connection = writer.as_mut().ok_or(StoreError::Closed)?;
        work(connection).await
    }
}

async fn migrate(connection: &mut SqliteConnection) -> Result<(), StoreError> {
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    let mut tx = connection.begin_with("BEGIN IMMEDIATE").await?;
    let found: i64 = sqlx::query("PRAGMA user_version")
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    if found > known {
        return Err(StoreError::SchemaTooNew { found, known });
    }
    for (index, migration) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(found).unwrap_or(0))
    {
        sqlx::raw_sql(sqlx::AssertSqlSafe(*migration))
            .execute(&mut *tx)
            .await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "PRAGMA user_version = {}",
            index + 1
        )))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

impl EventStore for SqliteStore {
    fn append(&self, batch: Vec<Submission>) -> StoreFuture<'_, Vec<AppendOutcome>> {
        Box::pin(self.write(async move |connection| append::append(connection, batch).await))
    }

    fn find_case(&self, lookup: CaseLookup) -> StoreFuture<'_, Option<CaseId>> {
        Box::pin(read::find_case(&self.readers, lookup))
    }

    fn case(&self, id: CaseId) -> StoreFuture<'_, Option<CaseRecord>> {
        Box::pin(read::case(&self.readers, id))
    }

    fn timeline(&self, id: CaseId) -> StoreFuture<'_, Vec<TimelineEntry>> {
        Box::pin(read::timeline(&self.readers, id))
    }

    fn add_agency(&self, agency: Agency) -> StoreFuture<'_, ()> {
        Box::pin(self.write(async move |connection| registry::add_agency(connection, agency).await))
    }

    fn agencies(&self) -> StoreFuture<'_, Vec<Agency>> {
        Box::pin(read::agencies(&self.readers))
    }

    fn add_api_key(&self, agency: AgencyCode, key: KeyHash) -> StoreFuture<'_, ()> {
        Box::pin(
            self.write(async move |connection| {
                registry::add_api_key(connection, agency, key).await
            }),
        )
    }

    fn agency_for_key(&self, key: KeyHash) -> StoreFuture<'_, Option<Agency>> {
        Box::pin(read::agency_for_key(&self.readers, key))
    }
}
