//! `joinery bench ingest`: canonical-message ingest against the engine's own limit, in one run.
//!
//! On SQLite both sides write durably (WAL, `synchronous=FULL`) to fresh files in the same
//! directory; with `--database postgres://…` both write to fresh databases made on that server
//! (committed durably, PostgreSQL's default) and dropped after:
//! - raw: Joinery's `messages` rows for the same messages, inserted 1,000 per transaction
//!   through one prepared statement and nothing more: what the disk and SQLite allow;
//! - Joinery: concurrent senders each offering one message at a time through validation, the
//!   event store's group commit and the projection, each waiting for its acknowledgement
//!   (acknowledged means committed).

mod on_postgres;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use joinery_domain::Timestamp;
use joinery_ingest::parse_message;
use joinery_ports::{AppendOutcome, CaseStore};

use crate::model_office::{Dice, agencies, case_messages};

/// The figures of one run.
#[derive(Debug, Clone, Copy)]
pub struct IngestFigures {
    pub messages: usize,
    pub raw_rows_per_second: f64,
    pub joinery_messages_per_second: f64,
}

impl IngestFigures {
    pub fn ratio(&self) -> f64 {
        self.joinery_messages_per_second / self.raw_rows_per_second
    }
}

/// Model-office messages as their senders would send them: (agency, JSON text).
pub fn sample_messages(count: usize) -> anyhow::Result<Vec<(joinery_domain::AgencyCode, String)>> {
    let today = Timestamp::now().date();
    let mut dice = Dice::new(0x5EED);
    let mut messages = Vec::with_capacity(count);
    let mut number = 0;
    while messages.len() < count {
        number += 1;
        for message in case_messages(number, today, &mut dice).unwrap_or_default() {
            messages.push((message.agency.clone(), serde_json::to_string(&message)?));
        }
    }
    messages.truncate(count);
    Ok(messages)
}

/// Runs both sides `rounds` times, alternating, each on fresh files, and keeps the median of
/// each: a disk's speed drifts from second to second, and alternating exposes both sides to it.
pub async fn ingest(
    count: usize,
    senders: usize,
    rounds: usize,
    dir: &Path,
    server: Option<&str>,
) -> anyhow::Result<IngestFigures> {
    let messages = Arc::new(sample_messages(count)?);
    let mut raw = Vec::with_capacity(rounds);
    let mut joinery = Vec::with_capacity(rounds);
    for round in 0..rounds.max(1) {
        let (raw_time, joinery_time) = match server {
            None => {
                let raw_time =
                    raw_inserts(&dir.join(format!("raw-{round}.sqlite")), &messages).await?;
                let path = dir.join(format!("joinery-{round}.sqlite"));
                let joinery_time = joinery_ingest(&path, Arc::clone(&messages), senders).await?;
                (raw_time, joinery_time)
            }
            Some(server) => {
                let raw =
                    on_postgres::ScratchDatabase::make(server, &format!("raw_{round}")).await?;
                let raw_time = on_postgres::raw_inserts(raw.url(), &messages).await?;
                raw.drop_it().await?;
                let store =
                    on_postgres::ScratchDatabase::make(server, &format!("joinery_{round}")).await?;
                let database = joinery_store::Database::Server(store.url().to_owned());
                let joinery_time =
                    joinery_ingest(&database, Arc::clone(&messages), senders).await?;
                store.drop_it().await?;
                (raw_time, joinery_time)
            }
        };
        raw.push(count as f64 / raw_time.as_secs_f64());
        joinery.push(count as f64 / joinery_time.as_secs_f64());
    }
    Ok(IngestFigures {
        messages: count,
        raw_rows_per_second: median(&mut raw),
        joinery_messages_per_second: median(&mut joinery),
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// The same rows as [`raw_inserts`] into the `messages` table as PostgreSQL's schema has it.
pub(super) fn message_rows(
    messages: &[(joinery_domain::AgencyCode, String)],
) -> anyhow::Result<Vec<MessageRow>> {
    messages
        .iter()
        .map(|(agency, text)| {
            let submission = parse_message(agency, text).map_err(|r| anyhow::anyhow!("{r}"))?;
            let message = submission.message();
            anyhow::Ok((
                message.agency.to_string(),
                message.message_id.to_string(),
                message.system.to_string(),
                message.payload.kind().as_str(),
                message.occurred_at.sortable(),
                *submission.body_sha256(),
                text.clone(),
            ))
        })
        .collect()
}

/// A `messages` row: agency, message id, system, kind, occurred at, body digest, body.
pub(super) type MessageRow = (
    String,
    String,
    String,
    &'static str,
    String,
    [u8; 32],
    String,
);

/// The physical limit: Joinery's own `messages` rows for the same messages (every column, the
/// same key and unique index) inserted 1,000 per durable transaction through one prepared
/// statement, with the store's settings, and nothing else: no look-ups, events or projection.
async fn raw_inserts(
    path: &Path,
    messages: &[(joinery_domain::AgencyCode, String)],
) -> anyhow::Result<Duration> {
    let path = path.to_owned();
    let received_at = Timestamp::now().sortable();
    let rows = message_rows(messages)?;
    tokio::task::spawn_blocking(move || {
        let mut connection = rusqlite::Connection::open(&path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "cache_size", -65_536)?;
        connection.pragma_update(None, "temp_store", "MEMORY")?;
        connection.execute_batch(
            "CREATE TABLE messages (seq INTEGER PRIMARY KEY, agency TEXT NOT NULL, \
             message_id TEXT NOT NULL, system TEXT NOT NULL, format TEXT NOT NULL, \
             kind TEXT NOT NULL, case_no INTEGER NOT NULL, occurred_at TEXT NOT NULL, received_at TEXT NOT NULL, \
             body_sha256 BLOB NOT NULL, body TEXT NOT NULL, UNIQUE (agency, message_id)) STRICT",
        )?;
        let started = Instant::now();
        let mut seq: i64 = 0;
        for batch in rows.chunks(1_000) {
            let tx = connection.transaction()?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO messages (seq, agency, message_id, system, format, kind, \
                     case_no, occurred_at, received_at, body_sha256, body) \
                     VALUES (?1, ?2, ?3, ?4, 'canonical', ?5, ?6, ?7, ?8, ?9, ?10)",
                )?;
                for (agency, message_id, system, kind, occurred_at, sha256, body) in batch {
                    seq += 1;
                    insert.execute(rusqlite::params![
                        seq,
                        agency,
                        message_id,
                        system,
                        kind,
                        seq / 8,
                        occurred_at,
                        received_at,
                        sha256.as_slice(),
                        body
                    ])?;
                }
            }
            tx.commit()?;
        }
        anyhow::Ok(started.elapsed())
    })
    .await?
}

async fn joinery_ingest(
    database: impl Into<joinery_store::Database>,
    messages: Arc<Vec<(joinery_domain::AgencyCode, String)>>,
    senders: usize,
) -> anyhow::Result<Duration> {
    let (store, state) =
        crate::server::open(database, joinery_policy::SharingPolicy::builtin(), None).await?;
    for agency in agencies() {
        state.app.add_agency(agency).await?;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(senders);
    for _ in 0..senders {
        let (messages, next, store) = (Arc::clone(&messages), Arc::clone(&next), store.clone());
        tasks.push(tokio::spawn(async move {
            let mut accepted = 0usize;
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some((agency, text)) = messages.get(index) else {
                    break;
                };
                let submission = parse_message(agency, text).map_err(|r| anyhow::anyhow!("{r}"))?;
                let outcome = store.append(vec![submission]).await?;
                if matches!(outcome.first(), Some(AppendOutcome::Accepted { .. })) {
                    accepted += 1;
                }
            }
            anyhow::Ok(accepted)
        }));
    }
    let mut accepted = 0;
    for task in tasks {
        accepted += task.await??;
    }
    let elapsed = started.elapsed();
    anyhow::ensure!(
        accepted == messages.len(),
        "only {accepted} of {} messages were accepted",
        messages.len()
    );
    store.close().await;
    Ok(elapsed)
}
