//! The `joinery` command: serve the API, run the demo model office, load files, add people,
//! issue keys, check and print the sharing policy, verify the audit trail, and measure. Errors here are `anyhow`; the libraries' typed errors end at this boundary.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use joinery::{bench, load, model_office, people, server};
use joinery_domain::{AgencyCode, AgencyKind, Role, SystemName, Timestamp, Username};
use joinery_policy::{Matrix, SharingPolicy};
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
        /// A directory of Cedar policies (a `.cedarschema` and `.cedar` files) to use instead of
        /// the built-in sharing agreement.
        #[arg(long, env = "JOINERY_POLICIES")]
        policies: Option<PathBuf>,
        /// The MoJ standing data's `data` directory (default: installed by `npm ci` here).
        #[arg(long, env = "JOINERY_REFERENCE")]
        reference: Option<PathBuf>,
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
        #[arg(long, env = "JOINERY_POLICIES")]
        policies: Option<PathBuf>,
        #[arg(long, env = "JOINERY_REFERENCE")]
        reference: Option<PathBuf>,
    },
    /// Load canonical messages from files (JSON, JSON arrays or JSON lines) as one agency.
    Ingest {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite")]
        database: PathBuf,
        #[arg(long)]
        agency: String,
        /// `canonical` (JSON, JSON arrays or JSON lines), `csv` (one message a row, see
        /// docs/csv.md), `spi-results` or `common-platform` (one message a file).
        #[arg(long, default_value = "canonical")]
        format: String,
        #[arg(long, env = "JOINERY_REFERENCE")]
        reference: Option<PathBuf>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the canonical events a message in an agency's own format would become, with its
    /// data-quality problems and what Joinery does not model yet, as JSON. No database.
    Parse {
        /// The message's format: `spi-results`, `common-platform` or `csv`.
        #[arg(long)]
        format: String,
        /// The agency the message would come from.
        #[arg(long, default_value = "LVCJC")]
        agency: String,
        /// The standing data's `data` directory (installed by `npm ci`).
        #[arg(long, env = "JOINERY_REFERENCE")]
        reference: Option<PathBuf>,
        file: PathBuf,
    },
    /// Play the model office's agency systems against a running Joinery: new cases, sent over
    /// HTTP with each agency's key (the court sending SPI Results XML), at a chosen rate.
    Simulate {
        /// The Joinery to send to.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        addr: String,
        /// The demo's credentials file, with each agency's API key.
        #[arg(long, default_value = "joinery-demo/demo-credentials.json")]
        credentials: PathBuf,
        /// How many new cases to play out.
        #[arg(long, default_value_t = 50)]
        cases: u32,
        /// Messages a second.
        #[arg(long, default_value_t = 5.0)]
        rate: f64,
        /// The number of the first new case (cases from the demo run 1 to 300).
        #[arg(long, default_value_t = 1_000)]
        first: u32,
        #[arg(long, env = "JOINERY_REFERENCE")]
        reference: Option<PathBuf>,
    },
    /// Print the documented CSV layout of every message type (as in docs/csv.md).
    CsvLayout,
    /// Manage the people who sign in.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Check the sharing policy, or print who may see what.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
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
enum UsersCommand {
    /// Add a person. Prints a one-time password they must change at first sign-in, or reads
    /// the password from standard input with `--password-stdin`.
    Add {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite")]
        database: PathBuf,
        #[arg(long)]
        agency: String,
        /// police_officer, prosecutor, legal_adviser, judge, probation_officer, support_worker,
        /// manager, governance_officer or administrator.
        #[arg(long)]
        role: String,
        #[arg(long)]
        password_stdin: bool,
        /// The user name, e.g. `j.roberts`.
        name: String,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Validate the policies against the schema.
    Check {
        #[arg(long, env = "JOINERY_POLICIES")]
        policies: Option<PathBuf>,
    },
    /// Print who may see what, roles by categories, computed by asking the policy engine.
    Matrix {
        #[arg(long, env = "JOINERY_POLICIES")]
        policies: Option<PathBuf>,
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
    /// Case views with authorization against the same views without it, in one run.
    CaseView {
        /// Items on the case.
        #[arg(long, default_value_t = 200)]
        items: usize,
        /// Views per side and reader; the medians are reported.
        #[arg(long, default_value_t = 500)]
        views: usize,
    },
    /// A caseload page with authorization (and its audit write) against the same page built
    /// with nothing decided, in one run.
    Caseload {
        /// Model-office cases stored.
        #[arg(long, default_value_t = 2_000)]
        cases: u32,
        /// Pages per side and reader; the medians are reported.
        #[arg(long, default_value_t = 15)]
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
        Command::Serve {
            database,
            addr,
            policies,
            reference,
        } => {
            let policy = server::load_policy(policies.as_deref())?;
            let standing = joinery::reference::for_server(reference.as_deref(), false);
            let (store, state) = server::open(&database, policy, standing).await?;
            let listener = server::bind(addr).await?;
            tracing::info!(%addr, "serving");
            server::serve(listener, state).await?;
            store.close().await;
        }
        Command::Demo {
            data_dir,
            addr,
            cases,
            policies,
            reference,
        } => {
            let policy = server::load_policy(policies.as_deref())?;
            let standing = joinery::reference::for_server(reference.as_deref(), true);
            demo(data_dir, addr, cases, policy, standing).await?;
        }
        Command::Users { command } => users(command).await?,
        Command::CsvLayout => print!("{}", load::csv_layout()),
        Command::Simulate {
            addr,
            credentials,
            cases,
            rate,
            first,
            reference,
        } => simulate(&addr, &credentials, cases, rate, first, reference).await?,
        Command::Parse {
            format,
            agency,
            reference,
            file,
        } => parse(&format, &agency, reference, &file)?,
        Command::Policy { command } => policy(command)?,
        Command::Ingest {
            database,
            agency,
            format,
            reference,
            files,
        } => {
            let agency = AgencyCode::parse(&agency).context("--agency")?;
            let (store, state) = server::open(&database, SharingPolicy::builtin(), None).await?;
            let store_ref = state.store.as_ref();
            let summary = match format.as_str() {
                "canonical" | "csv" => {
                    let standing = joinery::reference::for_server(reference.as_deref(), false);
                    let standing = standing.as_deref();
                    if format == "csv" {
                        load::load_csv_files(store_ref, &agency, &files, standing).await?
                    } else {
                        load::load_files(store_ref, &agency, &files, standing, true).await?
                    }
                }
                other => {
                    let format = joinery_ingest::SourceFormat::parse(other).ok_or_else(|| {
                        anyhow::anyhow!(
                            "`{other}` is not a format Joinery reads; expected `canonical`, \
                             `csv`, `spi-results` or `common-platform`"
                        )
                    })?;
                    let dir = reference.unwrap_or_else(|| {
                        joinery::reference::default_dir(std::path::Path::new("."))
                    });
                    let standing = joinery::reference::load(&dir)?;
                    let store = state.store.as_ref();
                    load::load_source_files(store, &agency, format, &files, &standing).await?
                }
            };
            for problem in &summary.problems {
                eprintln!("{problem}");
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
        Command::Bench {
            command: BenchCommand::CaseView { items, views },
        } => {
            let dir = tempfile::tempdir()?;
            println!(
                "case-view benchmark: one case of {items} items read from SQLite, median of {views} views per side and reader"
            );
            let (figures, audit) = bench::case_view(items, views, dir.path()).await?;
            println!("target: authorization adds under 20% and a view stays under 5 ms");
            for figure in &figures {
                let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
                println!(
                    "{} — {} items shown\n  without authorization {:.3} ms\n  with, nothing remembered ({} Cedar decisions) {:.3} ms ({:+.1}%)\n  with, first view of another case of the same shape {:.3} ms ({:+.1}%)\n  with, viewed again {:.3} ms ({:+.1}%)",
                    figure.reader,
                    figure.items_visible,
                    ms(figure.baseline),
                    figure.cedar_evaluations,
                    ms(figure.authorized_cold),
                    figure.overhead_cold() * 100.0,
                    ms(figure.another_case),
                    figure.overhead_another_case() * 100.0,
                    ms(figure.authorized),
                    figure.overhead() * 100.0
                );
            }
            println!(
                "recording the disclosure in the audit trail (durable write, apart): {:.3} ms",
                audit.as_secs_f64() * 1e3
            );
        }
        Command::Bench {
            command: BenchCommand::Caseload { cases, rounds },
        } => {
            let dir = tempfile::tempdir()?;
            println!(
                "caseload benchmark: {cases} model-office cases in SQLite; one page of 25 sorted by next hearing, median of {rounds} per side and reader"
            );
            for figure in bench::caseload(cases, rounds, dir.path()).await? {
                let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
                println!(
                    "{} — {} cases of the agency, {} with something to see
  nothing decided {:.1} ms | Joinery {:.1} ms (x{:.2})",
                    figure.reader,
                    figure.cases,
                    figure.visible,
                    ms(figure.baseline),
                    ms(figure.authorized),
                    figure.ratio()
                );
            }
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

async fn users(command: UsersCommand) -> anyhow::Result<()> {
    let UsersCommand::Add {
        database,
        agency,
        role,
        password_stdin,
        name,
    } = command;
    let username = Username::parse(&name).context("the user name")?;
    let agency = AgencyCode::parse(&agency).context("--agency")?;
    let role = Role::parse(&role).context("--role")?;
    let (password, one_time) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        anyhow::ensure!(
            password.chars().count() >= 12,
            "the password from standard input must be at least 12 characters"
        );
        (password, false)
    } else {
        (people::generate_password()?, true)
    };
    let store = SqliteStore::open(&database).await?;
    let added = people::add_user(
        &store,
        username.clone(),
        agency,
        role,
        password.clone(),
        one_time,
    )
    .await;
    store.close().await;
    added?;
    if one_time {
        println!("{username}: one-time password {password} (to be changed at first sign-in)");
    } else {
        println!("{username}: added");
    }
    Ok(())
}

fn parse(
    format: &str,
    agency: &str,
    reference: Option<PathBuf>,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    let agency_code = AgencyCode::parse(agency).context("--agency")?;
    if format == "csv" {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let rows = joinery_ingest::parse_csv(&agency_code, &text, &load::example_of)
            .map_err(|rejection| anyhow::anyhow!("{}: rejected: {rejection}", file.display()))?;
        let shown: Vec<serde_json::Value> = rows
            .iter()
            .map(|(row, outcome)| match outcome {
                Ok(submission) => serde_json::json!({ "row": row, "event": submission.message() }),
                Err(rejection) => serde_json::json!({ "row": row, "rejected": rejection }),
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&shown)?);
        return Ok(());
    }
    let format = joinery_ingest::SourceFormat::parse(format).ok_or_else(|| {
        anyhow::anyhow!(
            "`{format}` is not a format Joinery reads; expected `spi-results`, `common-platform` \
             or `csv`"
        )
    })?;
    let dir =
        reference.unwrap_or_else(|| joinery::reference::default_dir(std::path::Path::new(".")));
    let standing = joinery::reference::load(&dir)?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    match format.translate(&agency_code, &text, &standing) {
        Ok(translation) => println!("{}", serde_json::to_string_pretty(&translation)?),
        Err(rejection) => anyhow::bail!("{}: rejected: {rejection}", file.display()),
    }
    Ok(())
}

async fn simulate(
    addr: &str,
    credentials: &std::path::Path,
    cases: u32,
    rate: f64,
    first: u32,
    reference: Option<PathBuf>,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(credentials).with_context(|| {
        format!(
            "reading {} (run `joinery demo` first)",
            credentials.display()
        )
    })?;
    let document: serde_json::Value = serde_json::from_str(&text)?;
    let mut keys = std::collections::HashMap::new();
    for agency in document["agencies"].as_array().into_iter().flatten() {
        if let (Some(code), Some(key)) = (agency["agency"].as_str(), agency["api_key"].as_str()) {
            keys.insert(AgencyCode::parse(code)?, key.to_owned());
        }
    }
    let dir =
        reference.unwrap_or_else(|| joinery::reference::default_dir(std::path::Path::new(".")));
    let standing = joinery::reference::load(&dir).ok();
    if standing.is_none() {
        eprintln!("no standing data: the court sends canonical results instead of SPI XML");
    }
    println!("simulating {cases} cases from case {first} at {rate} messages a second to {addr}");
    let sent = joinery::simulate::run(addr, &keys, first, cases, rate, standing.as_ref()).await?;
    for refusal in &sent.refused {
        eprintln!("refused: {refusal}");
    }
    println!(
        "sent {} canonical messages and {} SPI results; {} refused",
        sent.canonical,
        sent.spi_results,
        sent.refused.len()
    );
    Ok(())
}

fn policy(command: PolicyCommand) -> anyhow::Result<()> {
    match command {
        PolicyCommand::Check { policies } => {
            let policy = server::load_policy(policies.as_deref())?;
            println!(
                "{} policies valid against the schema (digest {})",
                policy.policy_ids().len(),
                policy.digest()
            );
        }
        PolicyCommand::Matrix { policies } => {
            let policy = server::load_policy(policies.as_deref())?;
            print!("{}", Matrix::compute(&policy)?.to_markdown());
        }
    }
    Ok(())
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
async fn demo(
    data_dir: PathBuf,
    addr: SocketAddr,
    cases: u32,
    policy: SharingPolicy,
    standing: Option<std::sync::Arc<joinery_reference::StandingData>>,
) -> anyhow::Result<()> {
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
    let (store, state) = server::open(&database, policy, standing).await?;
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
    let mut users = Vec::new();
    for (name, agency, role) in model_office::PEOPLE {
        let password = people::generate_password()?;
        people::add_user(
            state.store.as_ref(),
            Username::parse(name)?,
            AgencyCode::parse(agency)?,
            role,
            password.clone(),
            false,
        )
        .await?;
        users.push(serde_json::json!({
            "username": name, "agency": agency, "role": role, "password": password,
        }));
    }
    let credentials_path = data_dir.join("demo-credentials.json");
    let document = serde_json::json!({
        "address": format!("http://{addr}"), "agencies": credentials, "users": users,
    });
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
    println!("people (sign in at http://{addr}/ in a browser, or with POST /api/v1/session):");
    for entry in &users {
        println!(
            "  {:<11} {:<7} {:<19} {}",
            entry["username"].as_str().unwrap_or_default(),
            entry["agency"].as_str().unwrap_or_default(),
            entry["role"].as_str().unwrap_or_default(),
            entry["password"].as_str().unwrap_or_default()
        );
    }
    // A case under a probation order with a referral: every kind of demo user has something
    // to see on it, and something withheld.
    let example_urn = messages
        .iter()
        .filter(|message| matches!(message.payload, joinery_domain::Payload::Referral(_)))
        .find_map(|message| message.case.urn.as_ref())
        .map(ToString::to_string)
        .unwrap_or_default();
    println!("a case under a probation order: URN {example_urn}");
    println!("serving on http://{addr}  (open it in a browser and sign in as a person above)");
    println!(
        "  or: curl -H 'Authorization: Bearer <police key>' http://{addr}/api/v1/cases/by-urn/{example_urn}"
    );
    server::serve(listener, state).await?;
    store.close().await;
    Ok(())
}
