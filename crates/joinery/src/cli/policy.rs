//! `joinery policy check` and `joinery policy matrix`: the sharing agreement validated against
//! its schema, and who may see what, computed by asking the policy engine.

use std::path::PathBuf;

use joinery::server;

use super::say;

#[derive(clap::Subcommand)]
pub(crate) enum PolicyCommand {
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

pub(crate) fn policy(command: PolicyCommand) -> anyhow::Result<()> {
    match command {
        PolicyCommand::Check { policies } => {
            let policy = server::load_policy(policies.as_deref())?;
            say!(
                "{} policies valid against the schema (digest {})",
                policy.policy_ids().len(),
                policy.digest()
            );
        }
        PolicyCommand::Matrix { policies } => {
            let policy = server::load_policy(policies.as_deref())?;
            let markdown = policy.matrix()?.to_markdown();
            use std::io::Write as _;
            write!(std::io::stdout().lock(), "{markdown}")?;
        }
    }
    Ok(())
}
