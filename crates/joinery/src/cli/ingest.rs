//! `joinery ingest` and `joinery parse`: messages from files, stored through the application
//! layer's intake exactly as the API takes them (refusals recorded for the agency), or shown as
//! the events they would become, without a database.

use std::path::{Path, PathBuf};

use anyhow::Context;
use joinery::load;
use joinery_app::SourceFormat;
use joinery_domain::AgencyCode;
use joinery_policy::SharingPolicy;

use super::say;

/// The formats Joinery reads from files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum IngestFormat {
    /// Canonical JSON: one message, a JSON array of them, or JSON lines.
    Canonical,
    /// One canonical message a row, in the layout of docs/csv.md.
    Csv,
    /// Libra SPI Results XML, one message a file.
    SpiResults,
    /// HMCTS Common Platform hearing JSON, one message a file.
    CommonPlatform,
}

impl IngestFormat {
    fn source(self) -> Option<SourceFormat> {
        match self {
            Self::Canonical | Self::Csv => None,
            Self::SpiResults => Some(SourceFormat::SpiResults),
            Self::CommonPlatform => Some(SourceFormat::CommonPlatform),
        }
    }
}

/// The formats `joinery parse` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ParseFormat {
    Csv,
    SpiResults,
    CommonPlatform,
}

#[derive(clap::Args)]
pub(crate) struct IngestArgs {
    #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite", value_parser = super::database)]
    database: joinery_store::Database,
    #[arg(long)]
    agency: String,
    #[arg(long, value_enum, default_value_t = IngestFormat::Canonical)]
    format: IngestFormat,
    #[arg(long, env = "JOINERY_REFERENCE")]
    reference: Option<PathBuf>,
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(clap::Args)]
pub(crate) struct ParseArgs {
    /// The message's format.
    #[arg(long, value_enum)]
    format: ParseFormat,
    /// The agency the message would come from.
    #[arg(long, default_value = "LVCJC")]
    agency: String,
    /// The standing data's `data` directory (installed by `npm ci`).
    #[arg(long, env = "JOINERY_REFERENCE")]
    reference: Option<PathBuf>,
    file: PathBuf,
}

pub(crate) async fn ingest(args: IngestArgs) -> anyhow::Result<()> {
    let agency = AgencyCode::parse(&args.agency).context("--agency")?;
    // The agencies' own formats cannot be read without the standing data; the others note the
    // codes it does not know when it is there.
    let standing = match args.format.source() {
        Some(_) => {
            let dir = args
                .reference
                .clone()
                .unwrap_or_else(|| joinery::reference::default_dir(Path::new(".")));
            Some(std::sync::Arc::new(joinery::reference::load(&dir)?))
        }
        None => joinery::reference::for_server(args.reference.as_deref(), false),
    };
    let (store, state) =
        joinery::server::open(&args.database, SharingPolicy::builtin(), standing).await?;
    let app = &state.app;
    // What the agency may send follows from its kind, so it must be registered.
    let sender = app.senders().await?.remove(&agency).with_context(|| {
        format!("agency `{agency}` is not registered (see `joinery agencies add`)")
    })?;
    let summary = match (args.format, args.format.source()) {
        (_, Some(format)) => load::load_source_files(app, &sender, format, &args.files).await?,
        (IngestFormat::Csv, None) => load::load_csv_files(app, &sender, &args.files).await?,
        _ => load::load_files(app, &sender, &args.files, true).await?,
    };
    for problem in summary.report() {
        eprintln!("{problem}");
    }
    say!(
        "accepted {}, duplicate {}, rejected {}",
        summary.accepted,
        summary.duplicate,
        summary.rejected
    );
    store.close().await;
    Ok(())
}

pub(crate) fn parse(args: ParseArgs) -> anyhow::Result<()> {
    let agency = AgencyCode::parse(&args.agency).context("--agency")?;
    let file = &args.file;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let format = match args.format {
        ParseFormat::Csv => {
            let rows = joinery_ingest::parse_csv(&agency, &text, &joinery_ingest::example_of)
                .map_err(|rejection| {
                    anyhow::anyhow!("{}: rejected: {rejection}", file.display())
                })?;
            let shown: Vec<serde_json::Value> = rows
                .iter()
                .map(|(row, outcome)| match outcome {
                    Ok(submission) => {
                        serde_json::json!({ "row": row, "event": submission.message() })
                    }
                    Err(rejection) => serde_json::json!({ "row": row, "rejected": rejection }),
                })
                .collect();
            return print_json(&shown);
        }
        ParseFormat::SpiResults => SourceFormat::SpiResults,
        ParseFormat::CommonPlatform => SourceFormat::CommonPlatform,
    };
    let dir = args
        .reference
        .unwrap_or_else(|| joinery::reference::default_dir(Path::new(".")));
    let standing = joinery::reference::load(&dir)?;
    match format.translate(&agency, &text, &standing) {
        Ok(translation) => print_json(&translation),
        Err(rejection) => anyhow::bail!("{}: rejected: {rejection}", file.display()),
    }
}

/// `value` as pretty JSON on standard output.
fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}
