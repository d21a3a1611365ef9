//! `joinery users`, `joinery keys` and `joinery agencies`: the operator registers the agencies,
//! issues their systems' keys and adds the people who sign in, each recorded in the audit trail.

use anyhow::Context;
use joinery::server::open_for_operator as open;
use joinery_app::{Agency, MIN_PASSWORD_CHARS, generate_password};
use joinery_domain::{AgencyCode, AgencyKind, Role, SystemName, Username};

use super::say;

#[derive(clap::Subcommand)]
pub(crate) enum KeysCommand {
    /// Issue a key for an agency's system and print it (it is shown only once).
    Create {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite", value_parser = super::database)]
        database: joinery_store::Database,
        #[arg(long)]
        agency: String,
    },
}

#[derive(clap::Subcommand)]
pub(crate) enum UsersCommand {
    /// Add a person. Prints a one-time password they must change at first sign-in, or reads
    /// the password from standard input with `--password-stdin`.
    Add {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite", value_parser = super::database)]
        database: joinery_store::Database,
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

#[derive(clap::Subcommand)]
pub(crate) enum AgenciesCommand {
    /// Register an agency.
    Add {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite", value_parser = super::database)]
        database: joinery_store::Database,
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
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite", value_parser = super::database)]
        database: joinery_store::Database,
    },
}

pub(crate) async fn users(command: UsersCommand) -> anyhow::Result<()> {
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
            password.chars().count() >= MIN_PASSWORD_CHARS,
            "the password from standard input must be at least {MIN_PASSWORD_CHARS} characters"
        );
        (password, false)
    } else {
        (generate_password()?, true)
    };
    let (store, app) = open(&database).await?;
    let added = app
        .add_user(username.clone(), agency, role, password.clone(), one_time)
        .await;
    store.close().await;
    added?;
    if one_time {
        say!("{username}: one-time password {password} (to be changed at first sign-in)");
    } else {
        say!("{username}: added");
    }
    Ok(())
}

pub(crate) async fn keys(command: KeysCommand) -> anyhow::Result<()> {
    let KeysCommand::Create { database, agency } = command;
    let agency = AgencyCode::parse(&agency).context("--agency")?;
    let (store, app) = open(&database).await?;
    let key = app.create_key(agency).await;
    store.close().await;
    say!("{}", key?.reveal());
    Ok(())
}

pub(crate) async fn agencies(command: AgenciesCommand) -> anyhow::Result<()> {
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
            let (store, app) = open(&database).await?;
            let added = app.add_agency(agency).await;
            store.close().await;
            added?;
        }
        AgenciesCommand::List { database } => {
            let (store, app) = open(&database).await?;
            let agencies = app.agencies().await;
            store.close().await;
            for agency in agencies?.iter() {
                say!("{}\t{}\t{}", agency.code, agency.kind.as_str(), agency.name);
            }
        }
    }
    Ok(())
}
