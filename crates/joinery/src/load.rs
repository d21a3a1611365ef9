//! Bulk loading: messages from files (JSON, JSON arrays, JSON lines) or from the model office,
//! through the same validation and the same store (and group commit) as the API.

use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use joinery_domain::{AgencyCode, CanonicalMessage};
use joinery_ingest::{noting_unknown_codes, parse_message, split_document};
use joinery_reference::StandingData;
use joinery_store::{AppendOutcome, EventStore};

/// Messages per append: large enough to share a commit, small enough to show progress.
const CHUNK: usize = 1_000;

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    /// Where and why, for each rejected message (`file#index: reason`) and each data-quality
    /// problem in an accepted one.
    pub problems: Vec<String>,
}

impl Summary {
    fn count(&mut self, outcome: &AppendOutcome, place: impl FnOnce() -> String) {
        match outcome {
            AppendOutcome::Accepted { .. } => self.accepted += 1,
            AppendOutcome::Duplicate { .. } => self.duplicate += 1,
            AppendOutcome::Conflict { problem } => {
                self.rejected += 1;
                self.problems
                    .push(format!("{}: rejected: {problem}", place()));
            }
        }
    }
}

/// Loads every message in `files`, sent as `agency`.
pub async fn load_files(
    store: &dyn EventStore,
    agency: &AgencyCode,
    files: &[PathBuf],
    standing: Option<&StandingData>,
    progress: bool,
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    for file in files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
        let documents = match split_document(&text, true) {
            Ok(documents) => documents,
            Err(error) => {
                summary.rejected += 1;
                summary
                    .problems
                    .push(format!("{}: rejected: {error}", file.display()));
                continue;
            }
        };
        let bar = progress_bar(documents.len(), progress);
        bar.set_message(file.display().to_string());
        let mut pending = Vec::new();
        let mut places = Vec::new();
        for (index, raw) in documents.iter().enumerate() {
            match parse_message(agency, raw.get()) {
                Ok(submission) => {
                    pending.push(noting_unknown_codes(submission, standing));
                    places.push(index);
                }
                Err(rejection) => {
                    summary.rejected += 1;
                    summary.problems.push(format!(
                        "{}#{}: rejected: {rejection}",
                        file.display(),
                        index + 1
                    ));
                }
            }
            if pending.len() == CHUNK || index + 1 == documents.len() {
                let outcomes = store.append(std::mem::take(&mut pending)).await?;
                for (outcome, index) in outcomes.iter().zip(places.drain(..)) {
                    summary.count(outcome, || format!("{}#{}", file.display(), index + 1));
                }
            }
            bar.inc(1);
        }
        bar.finish_and_clear();
    }
    Ok(summary)
}

/// Loads generated messages, each serialized and parsed back as if its agency had sent it.
pub async fn load_messages(
    store: &dyn EventStore,
    messages: &[CanonicalMessage],
    progress: bool,
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    let bar = progress_bar(messages.len(), progress);
    for chunk in messages.chunks(CHUNK) {
        let mut pending = Vec::with_capacity(chunk.len());
        for message in chunk {
            let text = serde_json::to_string(message)?;
            match parse_message(&message.agency, &text) {
                Ok(submission) => pending.push(submission),
                Err(rejection) => {
                    summary.rejected += 1;
                    summary
                        .problems
                        .push(format!("{}: rejected: {rejection}", message.message_id));
                }
            }
        }
        for outcome in store.append(pending).await?.iter() {
            summary.count(outcome, String::new);
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(summary)
}

fn progress_bar(length: usize, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(length as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Loads messages in an agency's own `format`, one a file, sent as `agency`: each is kept whole
/// with its translated events and data-quality problems, or counted as rejected with the reason.
pub async fn load_source_files(
    store: &dyn EventStore,
    agency: &AgencyCode,
    format: joinery_ingest::SourceFormat,
    files: &[PathBuf],
    standing: &StandingData,
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    for file in files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        match format.translate(agency, &text, standing) {
            Ok(translation) => {
                let answer =
                    joinery_web::sources::store_translation(store, agency, &text, translation)
                        .await?;
                match answer.status {
                    "duplicate" => summary.duplicate += 1,
                    _ => summary.accepted += 1,
                }
                for problem in &answer.problems {
                    summary.problems.push(format!(
                        "{}: {}: {}",
                        file.display(),
                        problem.field,
                        problem.explanation
                    ));
                }
            }
            Err(rejection) => {
                summary.rejected += 1;
                summary
                    .problems
                    .push(format!("{}: rejected: {rejection}", file.display()));
            }
        }
    }
    Ok(summary)
}

/// The canonical example of each message type, by type, to read CSV cells by.
pub fn example_of(kind: &str) -> Option<serde_json::Value> {
    joinery_web::MESSAGE_EXAMPLES
        .iter()
        .find(|(example_kind, _)| example_kind.as_str() == kind)
        .and_then(|(_, text)| serde_json::from_str(text).ok())
}

/// The documented CSV layout, generated from the examples.
pub fn csv_layout() -> String {
    let examples: Vec<(&str, serde_json::Value)> = joinery_web::MESSAGE_EXAMPLES
        .iter()
        .filter_map(|(kind, text)| Some((kind.as_str(), serde_json::from_str(text).ok()?)))
        .collect();
    joinery_ingest::csv_layout(&examples)
}

/// Loads CSV files of canonical messages, one a row, sent as `agency`. Rows are stored in
/// chunks through the same validation and group commit as the API; every problem names its
/// file and row.
pub async fn load_csv_files(
    store: &dyn EventStore,
    agency: &AgencyCode,
    files: &[PathBuf],
    standing: Option<&StandingData>,
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    for file in files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let rows = match joinery_ingest::parse_csv(agency, &text, &example_of) {
            Ok(rows) => rows,
            Err(rejection) => {
                summary.rejected += 1;
                summary
                    .problems
                    .push(format!("{}: rejected: {rejection}", file.display()));
                continue;
            }
        };
        for chunk in rows.chunks(CHUNK) {
            let mut valid = Vec::new();
            let mut places = Vec::new();
            for (row, outcome) in chunk {
                match outcome {
                    Ok(submission) => {
                        valid.push(noting_unknown_codes(submission.clone(), standing));
                        places.push(*row);
                    }
                    Err(rejection) => {
                        summary.rejected += 1;
                        summary
                            .problems
                            .push(format!("{}: rejected: {rejection}", file.display()));
                    }
                }
            }
            let outcomes = store.append(valid).await?;
            for (outcome, row) in outcomes.iter().zip(places) {
                summary.count(outcome, || format!("{} row {row}", file.display()));
            }
        }
    }
    Ok(summary)
}
