//! `joinery bench ingest --database postgres://…`: scratch databases made on the server and
//! dropped after, and the raw side there: Joinery's own `messages` rows written 1,000 per
//! committed transaction by `COPY … FROM STDIN` in PostgreSQL's binary format (one round trip a
//! batch: what the server allows, as raw SQLite inserts are what the file allows), nothing
//! else.

use std::time::{Duration, Instant};

use joinery_domain::Timestamp;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;

/// A database made for one side of one round.
pub(super) struct ScratchDatabase {
    server: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    pub(super) async fn make(server: &str, side: &str) -> anyhow::Result<Self> {
        let name = format!("joinery_bench_{}_{side}", std::process::id());
        let url = match joinery_store::Database::parse(server).named(&name) {
            Some(joinery_store::Database::Server(url)) => url,
            _ => anyhow::bail!("`--database` is not a PostgreSQL URL"),
        };
        run(
            server,
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await?;
        run(server, format!("CREATE DATABASE {name}")).await?;
        Ok(Self {
            server: server.to_owned(),
            name,
            url,
        })
    }

    pub(super) fn url(&self) -> &str {
        &self.url
    }

    pub(super) async fn drop_it(self) -> anyhow::Result<()> {
        run(
            &self.server,
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        )
        .await
    }
}

/// Runs `sql` on `url`, on a blocking thread (the client blocks on a runtime of its own).
async fn run(url: &str, sql: String) -> anyhow::Result<()> {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
        // Its notices ("does not exist, skipping") are not the benchmark's figures.
        client.batch_execute("SET client_min_messages TO warning")?;
        client.batch_execute(&sql)?;
        anyhow::Ok(())
    })
    .await?
}

/// The physical limit on PostgreSQL: the same rows as the SQLite side's, into a table of the
/// schema's `messages` columns, key and unique index, 1,000 per committed transaction.
pub(super) async fn raw_inserts(
    url: &str,
    messages: &[(joinery_domain::AgencyCode, String)],
) -> anyhow::Result<Duration> {
    let rows = super::message_rows(messages)?;
    let received_at = Timestamp::now().sortable();
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
        client.batch_execute(
            "CREATE TABLE messages (seq BIGINT PRIMARY KEY, agency TEXT COLLATE \"C\" NOT NULL, \
             message_id TEXT COLLATE \"C\" NOT NULL, system TEXT COLLATE \"C\" NOT NULL, \
             format TEXT COLLATE \"C\" NOT NULL, kind TEXT COLLATE \"C\" NOT NULL, \
             case_no BIGINT NOT NULL, occurred_at TEXT COLLATE \"C\" NOT NULL, \
             received_at TEXT COLLATE \"C\" NOT NULL, body_sha256 BYTEA NOT NULL, \
             body TEXT COLLATE \"C\" NOT NULL, offence_types TEXT COLLATE \"C\", \
             UNIQUE (agency, message_id)); \
             CREATE INDEX messages_by_case ON messages (case_no)",
        )?;
        let types = [
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::BYTEA,
            Type::TEXT,
        ];
        let started = Instant::now();
        let mut seq: i64 = 0;
        for batch in rows.chunks(1_000) {
            let mut tx = client.transaction()?;
            let sink = tx.copy_in(
                "COPY messages (seq, agency, message_id, system, format, kind, case_no, \
                 occurred_at, received_at, body_sha256, body) FROM STDIN (FORMAT binary)",
            )?;
            let mut writer = BinaryCopyInWriter::new(sink, &types);
            for (agency, message_id, system, kind, occurred_at, sha256, body) in batch {
                seq += 1;
                writer.write(&[
                    &seq,
                    agency,
                    message_id,
                    system,
                    &"canonical",
                    kind,
                    &(seq / 8),
                    occurred_at,
                    &received_at,
                    &sha256.as_slice(),
                    body,
                ])?;
            }
            writer.finish()?;
            tx.commit()?;
        }
        anyhow::Ok(started.elapsed())
    })
    .await?
}
