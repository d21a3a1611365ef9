//! `joinery generate`: a national year of cases, made and stored through the real intake into a
//! fresh database, with the people of the busiest agencies and their credentials written beside
//! it, so that `joinery serve --database DIR/joinery.sqlite` can be signed into at once.

use std::path::PathBuf;

use joinery::national::{Year, make};
use joinery_domain::Timestamp;

use super::say;

#[derive(clap::Args)]
pub(crate) struct GenerateArgs {
    /// How many cases the year holds (a national year is about 1,500,000).
    #[arg(long, default_value_t = 1_500_000)]
    cases: u32,
    /// The same seed makes the same year.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Where the database and the credentials are written (made afresh).
    #[arg(long, default_value = "joinery-national")]
    data_dir: PathBuf,
    /// The day the year is seen from, `YYYY-MM-DD` (default: today).
    #[arg(long, value_parser = parse_day)]
    today: Option<time::Date>,
    /// Store the year in this PostgreSQL database (`postgres://…`, holding no messages yet)
    /// rather than a fresh SQLite file in the data directory.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    /// The MoJ standing data's `data` directory (default: installed by `npm ci` here).
    #[arg(long, env = "JOINERY_REFERENCE")]
    reference: Option<PathBuf>,
}

fn parse_day(text: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format).map_err(|error| format!("`{text}` is not YYYY-MM-DD: {error}"))
}

pub(crate) async fn generate(args: GenerateArgs) -> anyhow::Result<()> {
    let year = Year {
        cases: args.cases,
        seed: args.seed,
        today: args.today.unwrap_or_else(|| Timestamp::now().date()),
    };
    let made = make(
        &args.data_dir,
        args.database.as_deref(),
        year,
        args.reference.as_deref(),
        true,
    )
    .await?;
    say!("calibration (what the year's journeys made, against the published figures):");
    for (target, value) in made.tally.against_targets() {
        say!(
            "  {:<48} {value:>9.2}   target {:>9.2}",
            target.what,
            target.value
        );
    }
    say!(
        "a national year: {} cases, {} messages accepted, in {:.0} s ({:.0} messages/s)",
        made.cases,
        made.accepted,
        made.seconds,
        made.accepted as f64 / made.seconds.max(1e-9)
    );
    let database = match &args.database {
        Some(_) => "the --database".to_owned(),
        None => args.data_dir.join("joinery.sqlite").display().to_string(),
    };
    say!(
        "database: {database} ({:.2} GB on disk, {:.0} bytes a message)",
        made.bytes as f64 / 1e9,
        made.bytes as f64 / made.accepted.max(1) as f64
    );
    say!("peak memory: {:.0} MiB", made.peak_mib);
    say!(
        "credentials: {}",
        args.data_dir.join("demo-credentials.json").display()
    );
    if args.database.is_none() {
        say!("serve it: joinery serve --database {database}");
    }
    Ok(())
}
