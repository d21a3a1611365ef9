//! `joinery serve` and `joinery demo`: Joinery on a database, or a fresh model office of six
//! agencies, a person in every role and a few hundred cases at every stage.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use joinery::{load, model_office, server};
use joinery_app::OutboundPolicy;
use joinery_domain::measures::disclosure::Threshold;
use joinery_domain::{Payload, Timestamp};

use super::say;

#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite", value_parser = super::database)]
    database: joinery_store::Database,
    #[arg(long, env = "JOINERY_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[command(flatten)]
    serving: Serving,
}

#[derive(clap::Args)]
pub(crate) struct DemoArgs {
    #[arg(long, default_value = "joinery-demo")]
    data_dir: PathBuf,
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// How many synthetic cases to create.
    #[arg(long, default_value_t = 300)]
    cases: u32,
    #[command(flatten)]
    serving: Serving,
}

/// What a served Joinery runs with, whether on a database or as the demo.
#[derive(clap::Args)]
struct Serving {
    /// A directory of Cedar policies (a `.cedarschema` and `.cedar` files) to use instead of
    /// the built-in sharing agreement.
    #[arg(long, env = "JOINERY_POLICIES")]
    policies: Option<PathBuf>,
    /// The MoJ standing data's `data` directory (default: installed by `npm ci` here).
    #[arg(long, env = "JOINERY_REFERENCE")]
    reference: Option<PathBuf>,
    /// A host agencies' webhooks may reach by plain `http`, or at an address inside a private
    /// network (an agency's endpoint on the same network); repeat, or separate with commas.
    /// Every other webhook must be `https` to public addresses.
    #[arg(
        long = "webhook-host",
        env = "JOINERY_WEBHOOK_HOSTS",
        value_delimiter = ','
    )]
    webhook_hosts: Vec<String>,
    /// Management information shows no count above zero and under this (at least 2): the
    /// Government Statistical Service's usual 10 by default.
    #[arg(long, env = "JOINERY_SUPPRESS_UNDER", default_value_t = 10)]
    suppress_under: u64,
    /// On a PostgreSQL database other servers share: install this server's agreement even
    /// though the servers decide by another (changing the agreement for every server; restart
    /// the others with the same policy files). Without it such a server refuses to start.
    #[arg(long)]
    replace_agreement: bool,
}

impl Serving {
    /// The store at `database` and the application on it, as these options say; `demo` fetches
    /// the standing data when it is missing.
    async fn open(
        &self,
        database: impl Into<joinery_store::Database>,
        demo: bool,
    ) -> anyhow::Result<(joinery_store::SqlStore, joinery_web::AppState)> {
        let policy = server::load_policy(self.policies.as_deref())?;
        let standing = joinery::reference::for_server(self.reference.as_deref(), demo);
        let outbound = OutboundPolicy::trusting(&self.webhook_hosts);
        let threshold = Threshold::new(self.suppress_under).with_context(|| {
            format!(
                "`--suppress-under` must be at least 2, not {}",
                self.suppress_under
            )
        })?;
        let serving = server::Serving {
            outbound,
            threshold,
            replace_agreement: self.replace_agreement,
        };
        server::open_serving(database, policy, standing, serving).await
    }
}

pub(crate) async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let (store, state) = args.serving.open(&args.database, false).await?;
    let listener = server::bind(args.addr).await?;
    tracing::info!(addr = %args.addr, "serving");
    server::warm_measures(&state);
    server::serve(listener, state).await?;
    store.close().await;
    Ok(())
}

/// Creates the model office afresh in `data_dir`, writes the credentials, and serves it.
pub(crate) async fn demo(args: DemoArgs) -> anyhow::Result<()> {
    let DemoArgs {
        data_dir,
        addr,
        cases,
        serving,
    } = args;
    let database = joinery::credentials::fresh_database(&data_dir)?;
    let listener = server::bind(addr).await?;
    let (store, state) = serving.open(&database, true).await?;
    let app = &state.app;
    let mut credentials = Vec::new();
    for agency in model_office::agencies() {
        credentials.push(joinery::credentials::agency_with_key(app, agency).await?);
    }
    let today = Timestamp::now().date();
    let mut dice = model_office::Dice::new(0x10CA1);
    // Made and loaded a thousand messages at a time: memory holds a chunk, not the office.
    // A case under a probation order with a referral, noted on the way: every kind of demo user
    // has something to see on it, and something withheld.
    let example = std::sync::OnceLock::new();
    let messages = (1..=cases)
        .filter_map(move |number| model_office::case_messages(number, today, &mut dice))
        .flatten()
        .inspect(|message| {
            if let (Payload::Referral(_), Some(urn)) = (&message.payload, &message.case.urn) {
                let _ = example.set(urn.to_string());
            }
        });
    let expected = usize::try_from(cases)? * 15;
    let summary = load::load_messages(app, messages, expected, cases > 10_000).await?;
    anyhow::ensure!(
        summary.rejected == 0,
        "the model office sent bad messages:\n{}",
        summary.report().join("\n")
    );
    let mut users = Vec::new();
    for (name, agency, role) in model_office::PEOPLE {
        users.push(joinery::credentials::person(app, name, agency, role).await?);
    }
    let credentials_path = data_dir.join("demo-credentials.json");
    let document = serde_json::json!({
        "address": format!("http://{addr}"), "agencies": credentials, "users": users,
    });
    std::fs::write(&credentials_path, serde_json::to_string_pretty(&document)?)?;
    say!(
        "Joinery model office: {cases} cases, {} messages from {} agencies",
        summary.accepted,
        credentials.len()
    );
    say!("database: {}", database.display());
    say!("credentials: {}", credentials_path.display());
    for entry in &credentials {
        say!(
            "  {:<7} {}",
            entry["agency"].as_str().unwrap_or_default(),
            entry["api_key"].as_str().unwrap_or_default()
        );
    }
    say!("people (sign in at http://{addr}/ in a browser, or with POST /api/v1/session):");
    for entry in &users {
        say!(
            "  {:<11} {:<7} {:<19} {}",
            entry["username"].as_str().unwrap_or_default(),
            entry["agency"].as_str().unwrap_or_default(),
            entry["role"].as_str().unwrap_or_default(),
            entry["password"].as_str().unwrap_or_default()
        );
    }
    let example_urn = example.get().cloned().unwrap_or_default();
    say!("a case under a probation order: URN {example_urn}");
    say!("serving on http://{addr}  (open it in a browser and sign in as a person above)");
    say!(
        "  or: curl -H 'Authorization: Bearer <police key>' http://{addr}/api/v1/cases/by-urn/{example_urn}"
    );
    server::serve(listener, state).await?;
    store.close().await;
    Ok(())
}
