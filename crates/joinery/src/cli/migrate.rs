//! `joinery migrate`: a centre moving up, its SQLite file copied whole into PostgreSQL, then the
//! copy's audit trail verified there.

use joinery_app::AuditVerdict;

use super::say;

#[derive(clap::Args)]
pub(crate) struct MigrateArgs {
    /// The SQLite file to copy.
    #[arg(long)]
    from: std::path::PathBuf,
    /// The PostgreSQL database to copy it into (`postgres://…`); its schema is made if need be.
    #[arg(long)]
    to: String,
}

pub(crate) async fn migrate(args: MigrateArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.from.is_file(),
        "`--from` is not a file: {}",
        args.from.display()
    );
    let target = joinery_store::Database::parse(&args.to);
    anyhow::ensure!(
        matches!(target, joinery_store::Database::Server(_)),
        "`--to` must be a PostgreSQL URL (postgres://…)"
    );
    let copied = joinery_store::copy_to_postgres(&args.from, &args.to).await?;
    let (mut rows, mut written) = (0, 0);
    for table in &copied {
        say!(
            "{:<22} {:>10} rows, {:>10} written now",
            table.table,
            table.rows,
            table.written
        );
        rows += table.rows;
        written += table.written;
    }
    say!(
        "copied {} tables into {}: {rows} rows, {written} written now ({} were there already)",
        copied.len(),
        target.described(),
        rows - written
    );
    let (store, app) = joinery::server::open_for_operator(&target).await?;
    let verdict = app.verify_audit().await;
    store.close().await;
    match verdict? {
        AuditVerdict::Intact { entries } => {
            say!("the copy's audit trail verifies: {entries} entries");
            Ok(())
        }
        AuditVerdict::Broken { seq, problem } => {
            anyhow::bail!("the copy's audit trail is broken at entry {seq}: {problem}")
        }
    }
}
