//! The command line: the commands and their arguments, and where each goes. One module a
//! command group; each prints through [`say!`], so that output whose reader has gone (`| head`)
//! ends the command quietly instead of panicking.

mod accounts;
mod audit;
mod bench;
mod export;
mod generate;
mod ingest;
mod migrate;
mod policy;
mod report;
mod serve;
mod simulate;

use clap::{Parser, Subcommand};

/// Writes a line to standard output, failing (not panicking) when the reader has gone.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}
pub(crate) use say;

#[derive(Parser)]
#[command(
    name = "joinery",
    version,
    about = "Joins up the criminal justice agencies working on the same cases."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the pages on a database.
    Serve(serve::ServeArgs),
    /// Create a fresh model office (agencies, keys, a few hundred cases) and serve it.
    Demo(serve::DemoArgs),
    /// Make a national year (England and Wales's agencies and about 1.5 million cases, shaped
    /// by the published figures) through the same intake as the API, into a fresh database,
    /// with people at the busiest agencies and their credentials.
    Generate(generate::GenerateArgs),
    /// Load messages from files as one agency, through the same intake as the API.
    Ingest(ingest::IngestArgs),
    /// Print the canonical events a message in an agency's own format would become, with its
    /// data-quality problems and what Joinery does not model yet, as JSON. No database.
    Parse(ingest::ParseArgs),
    /// Play the model office's agency systems against a running Joinery: new cases, sent over
    /// HTTP with each agency's key (the court sending SPI Results XML), at a chosen rate.
    Simulate(simulate::SimulateArgs),
    /// Print the documented CSV layout of every message type (as in docs/csv.md).
    CsvLayout,
    /// Manage the people who sign in.
    Users {
        #[command(subcommand)]
        command: accounts::UsersCommand,
    },
    /// Check the sharing policy, or print who may see what.
    Policy {
        #[command(subcommand)]
        command: policy::PolicyCommand,
    },
    /// Manage agency systems' API keys.
    Keys {
        #[command(subcommand)]
        command: accounts::KeysCommand,
    },
    /// Manage the agencies known to Joinery.
    Agencies {
        #[command(subcommand)]
        command: accounts::AgenciesCommand,
    },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Print how the database runs each query that serves a page (SQLite's `EXPLAIN QUERY
    /// PLAN`; PostgreSQL's generic plan, with sequential scans priced out), and whether each
    /// reads by index.
    Plans {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite", value_parser = database)]
        database: joinery_store::Database,
    },
    /// Write the facts management information counts (no case named) as CSV, for checking
    /// the reports against another engine.
    Export(export::ExportArgs),
    /// Print a management information report (timeliness, trials, adjournments, blockages,
    /// caseload or data_quality) for a person, as the agreement lets them see it, with small
    /// counts suppressed.
    Report(report::ReportArgs),
    /// Copy a SQLite file whole (messages, sources, audit trail, people, keys and the read
    /// models) into a PostgreSQL database, and verify the copy's audit trail there. Copying
    /// again changes nothing.
    Migrate(migrate::MigrateArgs),
    /// Measure performance.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
}

pub(crate) async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::serve(args).await,
        Command::Demo(args) => serve::demo(args).await,
        Command::Generate(args) => generate::generate(args).await,
        Command::Ingest(args) => ingest::ingest(args).await,
        Command::Parse(args) => ingest::parse(args),
        Command::Simulate(args) => simulate::simulate(args).await,
        Command::CsvLayout => {
            use std::io::Write as _;
            write!(
                std::io::stdout().lock(),
                "{}",
                joinery_ingest::documented_csv_layout()
            )?;
            Ok(())
        }
        Command::Users { command } => accounts::users(command).await,
        Command::Policy { command } => policy::policy(command),
        Command::Keys { command } => accounts::keys(command).await,
        Command::Agencies { command } => accounts::agencies(command).await,
        Command::Audit { command } => audit::audit(command).await,
        Command::Plans { database } => {
            // Opening the store brings its schema up to date first.
            joinery_store::SqlStore::open_at(&database)
                .await?
                .close()
                .await;
            for plan in joinery_store::query_plans(&database)? {
                let verdict = if plan.uses_indexes() {
                    "by index"
                } else {
                    "SCANS A TABLE"
                };
                say!("{} ({verdict})", plan.serves);
                for step in &plan.steps {
                    say!("  {step}");
                }
            }
            Ok(())
        }
        Command::Report(args) => report::report(args).await,
        Command::Export(args) => export::export(args),
        Command::Migrate(args) => migrate::migrate(args).await,
        Command::Bench { command } => bench::bench(command).await,
    }
}

/// Whether `error` is standard output's reader having gone away.
pub(crate) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// `--database`: a `postgres://` URL names a PostgreSQL server, anything else a SQLite file.
pub(crate) fn database(text: &str) -> Result<joinery_store::Database, std::convert::Infallible> {
    Ok(joinery_store::Database::parse(text))
}
