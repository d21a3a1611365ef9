//! `joinery export`: the facts management information counts, one row a fact (a stretch of a
//! case with its days, a trial, an adjournment), with the day, court, police force, CPS area,
//! probation service and offence type it counts at, as CSV. No case is named: no reference, no person. For checking Joinery's
//! reports against another engine (`bench/measures_duckdb.py`), and for an analyst's own
//! tools under the same data-sharing terms as the store itself.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;

use super::say;

#[derive(clap::Args)]
pub(crate) struct ExportArgs {
    /// The CSV file to write.
    #[arg(long)]
    out: PathBuf,
    /// A SQLite file, or a PostgreSQL server's `postgres://` URL.
    #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite", value_parser = super::database)]
    database: joinery_store::Database,
}

pub(crate) fn export(args: ExportArgs) -> anyhow::Result<()> {
    let file = std::fs::File::create(&args.out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(file));
    writer.write_record([
        "measure",
        "day",
        "month",
        "court",
        "force",
        "prosecutor",
        "probation",
        "offence_type",
        "value",
        "detail",
        "days",
    ])?;
    let started = std::time::Instant::now();
    // Read on a thread of its own: a PostgreSQL connection drives its own runtime, which may
    // not start inside the command line's.
    let written = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                joinery_store::each_fact(&args.database, |fact| {
                    let day = fact.on.to_string();
                    let days = fact.days.map(|days| days.to_string()).unwrap_or_default();
                    writer.write_record([
                        fact.measure.as_str(),
                        &day,
                        day.get(..7).unwrap_or_default(),
                        &fact.court,
                        &fact.force,
                        &fact.prosecutor,
                        &fact.probation,
                        fact.offence_type,
                        &fact.value,
                        &fact.detail,
                        &days,
                    ])
                })
            })
            .join()
            .map_err(|_| anyhow::anyhow!("the export's reading thread panicked"))
    })??;
    writer.flush()?;
    writer
        .into_inner()
        .map_err(|error| anyhow::anyhow!("cannot finish {}: {error}", args.out.display()))?
        .flush()?;
    say!(
        "wrote {written} facts to {} in {:.1} s",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    std::io::stdout().flush()?;
    Ok(())
}
