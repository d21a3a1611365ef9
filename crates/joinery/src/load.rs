//! Bulk loading: messages from files (JSON, JSON arrays, JSON lines, CSV, or one message a file
//! in an agency's own format) or from the model office, through the application layer's intake,
//! as the API takes them: the same validation, the same store and group commit, and refusals
//! recorded for the sending agency.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use joinery_app::{
    App, MessageAnswer, MessageStatus, Rejection, SourceFormat, SourceIntake, SourceStatus,
};
use joinery_domain::assertions::Sender;
use joinery_domain::{AgencyCode, AgencyKind, CanonicalMessage, MessageFormat, Submission};
use joinery_ingest::split_document;

/// Messages per intake: large enough to share a commit, small enough to show progress.
const CHUNK: usize = 48_000;

/// How many places of a load share one reason, kept: the first few.
const EXAMPLES: usize = 3;

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    /// Why messages were refused, or kept with data-quality problems: each reason (in the words
    /// that may be kept, without what a message said) with how many and the first few places
    /// (`file#index`, `file row N`). However many messages share a reason, it is one entry.
    pub reasons: BTreeMap<String, Reason>,
}

/// One reason a load met, how often, and where first.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reason {
    pub count: usize,
    pub first_at: Vec<String>,
}

impl Summary {
    fn count(&mut self, answer: &MessageAnswer, place: impl FnOnce() -> String) {
        match answer.status {
            MessageStatus::Accepted => self.accepted += 1,
            MessageStatus::Duplicate => self.duplicate += 1,
            MessageStatus::Rejected => {
                self.rejected += 1;
                let why = if answer.errors.is_empty() {
                    answer.detail.clone().unwrap_or_else(|| "refused".into())
                } else {
                    kept(&answer.errors)
                };
                self.note(format!("rejected: {why}"), place);
            }
        }
    }

    fn refuse(&mut self, place: impl std::fmt::Display, rejection: &Rejection) {
        self.rejected += 1;
        self.note(format!("rejected: {}", kept(&rejection.problems)), || {
            place.to_string()
        });
    }

    fn unreadable(&mut self, place: impl std::fmt::Display, why: impl std::fmt::Display) {
        self.rejected += 1;
        self.note(format!("rejected: {why}"), || place.to_string());
    }

    fn note(&mut self, why: String, place: impl FnOnce() -> String) {
        let reason = self.reasons.entry(why).or_default();
        reason.count += 1;
        if reason.first_at.len() < EXAMPLES {
            reason.first_at.push(place());
        }
    }

    /// A line a reason, most frequent first: `3 × rejected: … (first at a.json#1, a.json#4)`.
    pub fn report(&self) -> Vec<String> {
        let mut reasons: Vec<(&String, &Reason)> = self.reasons.iter().collect();
        reasons.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        reasons
            .into_iter()
            .map(|(why, reason)| {
                format!(
                    "{} × {why} (first at {})",
                    reason.count,
                    reason.first_at.join(", ")
                )
            })
            .collect()
    }
}

/// A refusal's problems as they may be kept, without the row a CSV problem names (the place
/// says it), so that every message refused for one reason shares it.
fn kept(problems: &[joinery_app::FieldProblem]) -> String {
    problems
        .iter()
        .map(|problem| {
            let kept = problem.kept();
            let field = match kept.field.split_once(": ") {
                Some((row, field)) if row.starts_with("row ") => field.to_owned(),
                _ => kept.field,
            };
            if field.is_empty() {
                kept.problem
            } else {
                format!("{field}: {}", kept.problem)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Offers `parsed` (each with its place, for the summary) as `sender`, a chunk at a time.
async fn receive_all(
    app: &App,
    sender: &Sender,
    parsed: Vec<(String, Result<Submission, Rejection>)>,
    bar: &ProgressBar,
    summary: &mut Summary,
) -> anyhow::Result<()> {
    let mut parsed = parsed.into_iter().peekable();
    while parsed.peek().is_some() {
        let (places, chunk): (Vec<String>, Vec<_>) = parsed.by_ref().take(CHUNK).unzip();
        let answers = app.receive(sender, MessageFormat::Canonical, chunk).await?;
        for (answer, place) in answers.iter().zip(places) {
            summary.count(answer, || place);
        }
        bar.inc(answers.len() as u64);
    }
    Ok(())
}

/// Loads every message in `files` (JSON, JSON arrays or JSON lines), sent as `sender`.
pub async fn load_files(
    app: &App,
    sender: &Sender,
    files: &[PathBuf],
    progress: bool,
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    for file in files {
        let text = read(file)?;
        let documents = match split_document(&text, true) {
            Ok(documents) => documents,
            Err(error) => {
                summary.unreadable(file.display(), error);
                continue;
            }
        };
        let bar = progress_bar(documents.len(), progress);
        bar.set_message(file.display().to_string());
        let parsed = documents
            .iter()
            .enumerate()
            .map(|(index, raw)| {
                let place = format!("{}#{}", file.display(), index + 1);
                (place, app.parse_canonical(sender, raw.get()))
            })
            .collect();
        receive_all(app, sender, parsed, &bar, &mut summary).await?;
        bar.finish_and_clear();
    }
    Ok(summary)
}

/// One chunk of generated messages, serialized and parsed back as each agency's system would
/// have sent it, grouped by agency.
type Prepared = BTreeMap<AgencyCode, Vec<(String, Result<Submission, Rejection>)>>;

fn prepare(
    app: &App,
    senders: &BTreeMap<AgencyCode, Sender>,
    chunk: Vec<CanonicalMessage>,
) -> anyhow::Result<Prepared> {
    let mut by_agency: Prepared = BTreeMap::new();
    for message in chunk {
        let sender = senders
            .get(&message.agency)
            .with_context(|| format!("agency `{}` is not registered", message.agency))?;
        let text = serde_json::to_string(&message)?;
        let parsed = app.parse_canonical(sender, &text);
        by_agency
            .entry(message.agency)
            .or_default()
            .push((message.message_id.to_string(), parsed));
    }
    Ok(by_agency)
}

/// Loads generated messages, each serialized and parsed back as if its agency had sent it. They
/// are taken a chunk at a time as they come, so memory holds two chunks however many there are;
/// `expected` is how many there will be, for the progress bar.
///
/// While the store writes one chunk (on its own thread), the next is made and parsed here, so a
/// load keeps two cores busy.
pub async fn load_messages(
    app: &App,
    messages: impl IntoIterator<Item = CanonicalMessage>,
    expected: usize,
    progress: bool,
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    let bar = progress_bar(expected, progress);
    let senders = app.senders().await?;
    let mut messages = messages.into_iter();
    let next_chunk = |messages: &mut dyn Iterator<Item = CanonicalMessage>| {
        let chunk: Vec<CanonicalMessage> = messages.take(CHUNK).collect();
        (!chunk.is_empty()).then(|| prepare(app, &senders, chunk))
    };
    let mut prepared = next_chunk(&mut messages).transpose()?;
    while let Some(by_agency) = prepared.take() {
        // Every agency's share of the chunk at once: the store takes them into one
        // transaction, so a case the chunk touches is written (and its caseload rows decided)
        // once, not once an agency.
        // In the order a case's agencies act: the police arrest and charge before the court
        // results and probation reports, so a result never arrives ahead of its charge. The
        // sends reach the store's writer in the order they are polled, which is this one.
        let mut by_agency: Vec<_> = by_agency.into_iter().collect();
        by_agency.sort_by_key(|(agency, _)| {
            let kind = senders[agency].kind;
            AgencyKind::ALL.iter().position(|k| *k == kind)
        });
        let sent = futures_util::future::join_all(by_agency.into_iter().map(|(agency, parsed)| {
            let sender = &senders[&agency];
            async move {
                let (places, parsed): (Vec<String>, Vec<_>) = parsed.into_iter().unzip();
                let answers = app
                    .receive(sender, MessageFormat::Canonical, parsed)
                    .await?;
                anyhow::Ok((places, answers))
            }
        }));
        // The sends are polled first, which hands the chunk to the store's writer; the next
        // chunk is then made while it writes.
        let (answered, next) =
            futures_util::future::join(sent, async { next_chunk(&mut messages) }).await;
        for answered in answered {
            let (places, answers) = answered?;
            bar.inc(answers.len() as u64);
            for (answer, place) in answers.iter().zip(places) {
                summary.count(answer, || place);
            }
        }
        prepared = next.transpose()?;
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

fn read(file: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))
}

/// Loads messages in an agency's own `format`, one a file, sent as `sender`: each is kept whole
/// with its translated events and data-quality problems, or counted as rejected with the reason.
pub async fn load_source_files(
    app: &App,
    sender: &Sender,
    format: SourceFormat,
    files: &[PathBuf],
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    for file in files {
        let text = read(file)?;
        match app.receive_source(sender, format, &text).await? {
            SourceIntake::Stored(answer) => {
                match answer.status {
                    SourceStatus::Duplicate => summary.duplicate += 1,
                    SourceStatus::Accepted => summary.accepted += 1,
                }
                for problem in &answer.problems {
                    summary.note(
                        format!("kept with a problem: {}: {}", problem.field, problem.code),
                        || file.display().to_string(),
                    );
                }
            }
            SourceIntake::Unplaced(answer) => {
                // Kept whole, waiting for the agency's administrator to place it.
                match answer.duplicate {
                    true => summary.duplicate += 1,
                    false => summary.accepted += 1,
                }
                summary.note(
                    format!(
                        "kept unplaced, to be placed on its case: {}",
                        answer.unplaced_id
                    ),
                    || file.display().to_string(),
                );
            }
            SourceIntake::Rejected(rejection) => summary.refuse(file.display(), &rejection),
        }
    }
    Ok(summary)
}

/// Loads CSV files of canonical messages, one a row, sent as `sender`. Rows go through the same
/// intake as the API, a chunk at a time; every problem names its file and row.
pub async fn load_csv_files(
    app: &App,
    sender: &Sender,
    files: &[PathBuf],
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    for file in files {
        let text = read(file)?;
        let rows = match app.parse_csv(sender, &text) {
            Ok(rows) => rows,
            Err(rejection) => {
                summary.refuse(file.display(), &rejection);
                continue;
            }
        };
        let parsed = rows
            .into_iter()
            .map(|(row, parsed)| (format!("{} row {row}", file.display()), parsed))
            .collect();
        receive_all(app, sender, parsed, &ProgressBar::hidden(), &mut summary).await?;
    }
    Ok(summary)
}
