//! Making a national year in a directory: every agency registered with a key, the people of
//! the busiest agencies, and the year's cases loaded through the same intake as the API, with
//! what it cost.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use joinery_app::{App, OutboundPolicy};
use joinery_store::Database;

use super::plan::Tally;
use super::{Busiest, Year, agencies, busiest, messages_of, people, plans, tally};
use crate::{credentials, load, server};

/// What a generated year holds and cost, as printed.
pub struct Made {
    pub cases: u32,
    pub accepted: usize,
    pub seconds: f64,
    pub bytes: u64,
    pub peak_mib: f64,
    /// What the year's journeys made of the published figures.
    pub tally: Tally,
}

/// Makes `year` in `data_dir` (a fresh database and the credentials), printing its calibration
/// with a progress bar when `progress`. With `server` (a PostgreSQL database, which must hold no
/// messages yet) the year is stored there instead, and only the credentials go in `data_dir`.
pub async fn make(
    data_dir: &Path,
    server: Option<&str>,
    year: Year,
    reference: Option<&Path>,
    progress: bool,
) -> anyhow::Result<Made> {
    let database = match server {
        Some(url) => {
            std::fs::create_dir_all(data_dir)?;
            let asked = url.to_owned();
            tokio::task::spawn_blocking(move || holds_no_messages(&asked)).await??;
            Database::Server(url.to_owned())
        }
        None => Database::File(credentials::fresh_database(data_dir)?),
    };
    let policy = server::load_policy(None)?;
    let standing = crate::reference::for_server(reference, false);
    let (store, state) =
        server::open_with(&database, policy, standing, OutboundPolicy::default()).await?;
    let app = &state.app;
    let busiest_agencies = busiest().context("the national table names no agencies")?;
    let credentials = register(app, &busiest_agencies).await?;
    std::fs::write(
        data_dir.join("demo-credentials.json"),
        serde_json::to_string_pretty(&credentials)?,
    )?;

    let started = Instant::now();
    let figures = std::cell::RefCell::new(Tally::default());
    let messages = plans(year).collect_chunks(256).flat_map(|plans| {
        tally(&plans, &mut figures.borrow_mut());
        messages_of(&plans, year)
    });
    // About sixteen messages a case, for the progress bar.
    let expected = usize::try_from(year.cases)? * 16;
    let summary = load::load_messages(app, messages, expected, progress).await?;
    anyhow::ensure!(
        summary.rejected == 0,
        "the generator sent bad messages:\n{}",
        summary.report().join("\n")
    );
    store.close().await;
    let seconds = started.elapsed().as_secs_f64();
    let bytes = match server {
        Some(url) => {
            let url = url.to_owned();
            tokio::task::spawn_blocking(move || database_size(&url)).await??
        }
        None => ["joinery.sqlite", "joinery.sqlite-wal"]
            .iter()
            .filter_map(|file| std::fs::metadata(data_dir.join(file)).ok())
            .map(|meta| meta.len())
            .sum(),
    };
    Ok(Made {
        cases: year.cases,
        accepted: summary.accepted,
        seconds,
        bytes,
        peak_mib: peak_mib().unwrap_or(0.0),
        tally: figures.into_inner(),
    })
}

/// Refuses a PostgreSQL database that holds messages already: a year is made whole or not at all.
fn holds_no_messages(url: &str) -> anyhow::Result<()> {
    let mut client = postgres::Client::connect(url, postgres::NoTls)
        .with_context(|| "connecting to the --database server")?;
    let made: bool = client
        .query_one("SELECT to_regclass('messages') IS NOT NULL", &[])?
        .get(0);
    if made {
        let any: bool = client
            .query_one("SELECT EXISTS (SELECT 1 FROM messages)", &[])?
            .get(0);
        anyhow::ensure!(
            !any,
            "the --database already holds messages: give an empty one"
        );
    }
    Ok(())
}

/// The PostgreSQL database's size on disk, once vacuumed and its planner's statistics brought
/// up to date, as after any bulk load (autovacuum does both as rows arrive, where it runs): until
/// a table's pages are marked all-visible, every index-only scan of a read model (a caseload's
/// hearings in a window, counted) visits the table's rows too, ten times the cost.
fn database_size(url: &str) -> anyhow::Result<u64> {
    let mut client = postgres::Client::connect(url, postgres::NoTls)?;
    client.batch_execute("VACUUM (ANALYZE)")?;
    let bytes: i64 = client
        .query_one("SELECT pg_database_size(current_database())", &[])?
        .get(0);
    Ok(u64::try_from(bytes).unwrap_or_default())
}

/// Registers every agency with a key, and the people of the busiest agencies (before the
/// cases, so that their caseloads are kept as the cases arrive); returns the credentials.
async fn register(app: &App, busiest: &Busiest) -> anyhow::Result<serde_json::Value> {
    let mut keys = Vec::new();
    for agency in agencies() {
        keys.push(credentials::agency_with_key(app, agency).await?);
    }
    let mut users = Vec::new();
    for (name, agency, role) in people(busiest) {
        users.push(credentials::person(app, &name, &agency, role).await?);
    }
    Ok(serde_json::json!({
        "address": "http://127.0.0.1:8080", "agencies": keys, "users": users,
    }))
}

/// The most memory the process has held, in MiB (`VmHWM` of `/proc/self/status`).
pub fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Groups an iterator's items into vectors of `size`.
trait CollectChunks: Iterator + Sized {
    fn collect_chunks(self, size: usize) -> Chunks<Self> {
        Chunks { inner: self, size }
    }
}

impl<I: Iterator> CollectChunks for I {}

struct Chunks<I> {
    inner: I,
    size: usize,
}

impl<I: Iterator> Iterator for Chunks<I> {
    type Item = Vec<I::Item>;

    fn next(&mut self) -> Option<Self::Item> {
        let chunk: Vec<I::Item> = self.inner.by_ref().take(self.size).collect();
        (!chunk.is_empty()).then_some(chunk)
    }
}
