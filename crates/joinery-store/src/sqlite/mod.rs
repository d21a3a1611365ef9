//! The embedded default: one SQLite file in WAL mode, durable on commit (`synchronous=FULL`).
//! One connection writes; a small pool reads beside it, as WAL allows.

mod append;
mod read;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use joinery_domain::{AgencyCode, CaseId, Submission};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use crate::{
    Agency, AppendOutcome, CaseLookup, CaseRecord, EventStore, KeyHash, StoreError, StoreFuture,
    TimelineEntry,
};

/// The schema, one migration per step, applied in order and recorded in `PRAGMA user_version`.
const MIGRATIONS: &[&str] = &[include_str!("../../migrations/sqlite/0001_events.sql")];

/// The SQLite event store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
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
            .statement_cache_capacity(400);
        // The writer's one connection is the store's own: a liveness ping before each
        // transaction would only add a round trip to every group commit.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await?;
        migrate(&writer).await?;
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self { writer, readers })
    }

    /// Closes both pools, checkpointing the WAL.
    pub async fn close(&self) {
        self.readers.close().await;
        self.writer.close().await;
    }
}

async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
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
        Box::pin(append::append(&self.writer, batch))
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
        Box::pin(read::add_agency(&self.writer, agency))
    }

    fn agencies(&self) -> StoreFuture<'_, Vec<Agency>> {
        Box::pin(read::agencies(&self.readers))
    }

    fn add_api_key(&self, agency: AgencyCode, key: KeyHash) -> StoreFuture<'_, ()> {
        Box::pin(read::add_api_key(&self.writer, agency, key))
    }

    fn agency_for_key(&self, key: KeyHash) -> StoreFuture<'_, Option<Agency>> {
        Box::pin(read::agency_for_key(&self.readers, key))
    }
}
