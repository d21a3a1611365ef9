//! The `joinery` command: serve the API, run the demo model office, load files, issue keys, and
//! measure ingest. Errors here are `anyhow`; the libraries' typed errors end at this boundary.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use joinery::{bench, load, model_office, server};
use joinery_domain::{AgencyCode, AgencyKind, SystemName, Timestamp};
use joinery_store::{
    Actor, Agency, ApiKey, AuditAction, AuditEvent, AuditVerdict, EventStore, SqliteStore,
};

#[derive(Parser)]
#[command(
    name = "joinery",
    version,
    about = "Joins up the criminal justice agencies working on the same cases."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API on a database.
    Serve {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite")]
        database: PathBuf,
        #[arg(long, env = "JOINERY_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Create a fresh model office (agencies, keys, a few hundred cases) and serve it.
    Demo {
        #[arg(long, default_value = "joinery-demo")]
        data_dir: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// How many synthetic cases to create.
        #[arg(long, default_value_t = 300)]
        cases: u32,
    },
    /// Load canonical messages from files (JSON, JSON arrays or JSON lines) as one agency.
    Ingest {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite")]
        database: PathBuf,
        #[arg(long)]
        agency: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Manage agency systems' API keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Manage the agencies known to Joinery.
    Agencies {
        #[command(subcommand)]
        command: AgenciesCommand,
    },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Measure performance.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Issue a key for an agency's system and print it (it is shown only once).
    Create {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite")]
        database: PathBuf,
        #[arg(long)]
        agency: String,
    },
}

#[derive(Subcommand)]
enum AgenciesCommand {
    /// Register an agency.
    Add {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite")]
        database: PathBuf,
        #[arg(long)]
        code: String,
        /// police, cps, court, probation or voluntary.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        name: String,
    },
    /// List the agencies.
    List {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite")]
        database: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the audit trail's hash chain; name the first entry altered, deleted or reordered.
    Verify {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite")]
        database: PathBuf,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Canonical-message ingest against raw batched SQLite inserts, durable, in one run.
    Ingest {
        #[arg(long, default_value_t = 100_000)]
        messages: usize,
        /// Concurrent senders, each waiting for its acknowledgement.
        #[arg(long, default_value_t = 512)]
        senders: usize,
        /// Rounds of each side; the medians are reported.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    // One core is left to the store's writer thread, which every durable write waits on:
    // request handling that preempts it slows every sender at once.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.saturating_sub(1).max(1))
        .enable_all()
        .build()?
        .block_on(run(Cli::parse()))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { database, addr } => {
            let (store, state) = server::open(&database).await?;
            let listener = server::bind(addr).await?;
            tracing::info!(%addr, "serving");
            server::serve(listener, state).await?;
            store.close().await;
        }
        Command::Demo {
            data_dir,
            addr,
            cases,
        } => demo(data_dir, addr, cases).await?,
        Command::Ingest {
            database,
            agency,
            files,
        } => {
            let agency = AgencyCode::parse(&agency).context("--agency")?;
            let (store, state) = server::open(&database).await?;
            let summary = load::load_files(state.store.as_ref(), &agency, &files, true).await?;
            for problem in &summary.problems {
                eprintln!("rejected {problem}");
            }
            println!(
                "accepted {}, duplicate {}, rejected {}",
                summary.accepted, summary.duplicate, summary.rejected
            );
            store.close().await;
        }
        Command::Keys {
            command: KeysCommand::Create { database, agency },
        } => {
            let agency = AgencyCode::parse(&agency).context("--agency")?;
            let store = SqliteStore::open(&database).await?;
            let key = ApiKey::generate()?;
            store.add_api_key(agency.clone(), key.hash()).await?;
            store
                .audit(vec![operator_event(AuditAction::KeyCreated, &agency)])
                .await?;
            println!("{}", key.reveal());
            store.close().await;
        }
        Command::Agencies { command } => agencies(command).await?,
        Command::Audit {
            command: AuditCommand::Verify { database },
        } => {
            let store = SqliteStore::open(&database).await?;
            let verdict = store.verify_audit().await?;
            store.close().await;
            match verdict {
                AuditVerdict::Intact { entries } => {
                    println!("audit trail intact: {entries} entries");
                }
                AuditVerdict::Broken { seq, problem } => {
                    anyhow::bail!("audit trail broken at entry {seq}: {problem}");
                }
            }
        }
        Command::Bench {
            command:
                BenchCommand::Ingest {
                    messages,
                    senders,
                    rounds,
                },
        } => {
            let dir = tempfile::tempdir()?;
            println!(
                "ingest benchmark: {messages} model-office messages, durable (WAL, synchronous=FULL), median of {rounds} rounds"
            );
            let figures = bench::ingest(messages, senders, rounds, dir.path()).await?;
            println!(
                "raw SQLite, 1,000 rows per transaction: {:>10.0} rows/s",
                figures.raw_rows_per_second
            );
            println!(
                "joinery, {senders} senders, group commit: {:>10.0} messages/s (validated, stored, projected, acknowledged)",
                figures.joinery_messages_per_second
            );
            println!(
                "ratio joinery / raw: {:.3} (target at least 0.25)",
                figures.ratio()
            );
        }
    }
    Ok(())
}

/// An audit event for something the operator did to an agency's registration.
fn operator_event(action: AuditAction, agency: &AgencyCode) -> AuditEvent {
    AuditEvent {
        actor: Actor::Operator,
        action,
        subject: Some(agency.to_string()),
        detail: serde_json::json!({}),
    }
}

async fn agencies(command: AgenciesCommand) -> anyhow::Result<()> {
    match command {
        AgenciesCommand::Add {
            database,
            code,
            kind,
            name,
        } => {
            let agency = Agency {
                code: AgencyCode::parse(&code).context("--code")?,
                kind: AgencyKind::parse(&kind).context("--kind")?,
                name: SystemName::parse(&name).context("--name")?,
            };
            let store = SqliteStore::open(&database).await?;
            let event = operator_event(AuditAction::AgencyAdded, &agency.code);
            store.add_agency(agency).await?;
            store.audit(vec![event]).await?;
            store.close().await;
        }
        AgenciesCommand::List { database } => {
            let store = SqliteStore::open(&database).await?;
            for agency in store.agencies().await? {
                println!("{}\t{}\t{}", agency.code, agency.kind.as_str(), agency.name);
            }
            store.close().await;
        }
    }
    Ok(())
}

/// Creates the model office afresh in `data_dir`, writes the credentials, and serves it.
async fn demo(data_dir: PathBuf, addr: SocketAddr, cases: u32) -> anyhow::Result<()> {
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let database = data_dir.join("joinery.sqlite");
    for stale in ["joinery.sqlite", "joinery.sqlite-wal", "joinery.sqlite-shm"] {
        let path = data_dir.join(stale);
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    let listener = server::bind(addr).await?;
    let (store, state) = server::open(&database).await?;
    let mut credentials = Vec::new();
    for agency in model_office::agencies() {
        let key = ApiKey::generate()?;
        store.add_agency(agency.clone()).await?;
        store.add_api_key(agency.code.clone(), key.hash()).await?;
        store
            .audit(vec![
                operator_event(AuditAction::AgencyAdded, &agency.code),
                operator_event(AuditAction::KeyCreated, &agency.code),
            ])
            .await?;
        credentials.push(serde_json::json!({
            "agency": agency.code, "kind": agency.kind, "name": agency.name, "api_key": key.reveal(),
        }));
    }
    let today = Timestamp::now().date();
    let mut dice = model_office::Dice::new(0x10CA1);
    let messages: Vec<_> = (1..=cases)
        .filter_map(|number| model_office::case_messages(number, today, &mut dice))
        .flatten()
        .collect();
    let summary = load::load_messages(state.store.as_ref(), &messages, false).await?;
    anyhow::ensure!(
        summary.rejected == 0,
        "the model office sent bad messages: {:?}",
        summary.problems
    );
    let credentials_path = data_dir.join("demo-credentials.json");
    let document =
        serde_json::json!({ "address": format!("http://{addr}"), "agencies": credentials });
    std::fs::write(&credentials_path, serde_json::to_string_pretty(&document)?)?;
    println!(
        "Joinery model office: {cases} cases, {} messages from {} agencies",
        summary.accepted,
        credentials.len()
    );
    println!("database: {}", database.display());
    println!("credentials: {}", credentials_path.display());
    for entry in &credentials {
        println!(
            "  {:<7} {}",
            entry["agency"].as_str().unwrap_or_default(),
            entry["api_key"].as_str().unwrap_or_default()
        );
    }
    let example_urn = messages
        .iter()
        .find_map(|message| message.case.urn.as_ref())
        .map(ToString::to_string)
        .unwrap_or_default();
    println!(
        "serving on http://{addr}  (try: curl -H 'Authorization: Bearer <police key>' http://{addr}/api/v1/cases/by-urn/{example_urn})"
    );
    server::serve(listener, state).await?;
    store.close().await;
    Ok(())
}
