//! `joinery audit verify`: walks the audit trail's hash chain and names the first entry
//! altered, deleted or reordered.

use joinery_app::AuditVerdict;

use super::say;

#[derive(clap::Subcommand)]
pub(crate) enum AuditCommand {
    /// Walk the audit trail's hash chain; name the first entry altered, deleted or reordered.
    Verify {
        #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite", value_parser = super::database)]
        database: joinery_store::Database,
    },
}

pub(crate) async fn audit(command: AuditCommand) -> anyhow::Result<()> {
    let AuditCommand::Verify { database } = command;
    let (store, app) = joinery::server::open_for_operator(&database).await?;
    let verdict = app.verify_audit().await;
    store.close().await;
    match verdict? {
        AuditVerdict::Intact { entries } => {
            say!("audit trail intact: {entries} entries");
            Ok(())
        }
        AuditVerdict::Broken { seq, problem } => {
            anyhow::bail!("audit trail broken at entry {seq}: {problem}")
        }
    }
}
