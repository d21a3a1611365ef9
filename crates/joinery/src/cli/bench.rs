//! `joinery bench`: measurements that print figures, each against a baseline measured in the
//! same run.

use std::time::Duration;

use joinery::bench;

use super::say;

#[derive(clap::Subcommand)]
pub(crate) enum BenchCommand {
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
        /// A PostgreSQL server (`postgres://…`) to run both sides on, each in a database made
        /// for it there and dropped after; SQLite files by default.
        #[arg(long)]
        database: Option<String>,
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
    /// A case the reader may see nothing of against an id no case has: whether the time a
    /// refusal takes tells that the case exists.
    NotFound {
        /// Items on the hidden case.
        #[arg(long, default_value_t = 200)]
        items: usize,
        /// Asks of each kind; the medians are reported.
        #[arg(long, default_value_t = 200)]
        asks: usize,
    },
    /// Failed sign-ins at once, round after round: resident memory with Joinery's bound on
    /// password hashes, against the same checks started at once with nothing bounding them.
    SignInFlood {
        /// Sign-ins at once in each round.
        #[arg(long, default_value_t = 200)]
        attempts: usize,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// The pages of a national year (made by `joinery generate`, or made first with
    /// `--cases`) for its busiest agencies' people, each against the same page built with
    /// nothing decided: p50 and p99.
    National {
        /// The directory `joinery generate` wrote.
        #[arg(long, default_value = "joinery-national")]
        data_dir: std::path::PathBuf,
        /// Make a year of this many cases in `data_dir` first, and report what it cost.
        #[arg(long)]
        cases: Option<u32>,
        /// Times each page is built per side.
        #[arg(long, default_value_t = 200)]
        rounds: usize,
        /// The year in this PostgreSQL database (`joinery generate --database`), not in
        /// `data_dir` (whose credentials are read all the same).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// Management information's reports of a served national year while its agencies'
    /// systems send more messages over HTTP, against the same reports with nothing arriving:
    /// p50 and p99 of each.
    Live {
        /// The directory `joinery generate` wrote (its credentials are read).
        #[arg(long, default_value = "joinery-national")]
        data_dir: std::path::PathBuf,
        /// The `joinery serve` of that year.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        addr: String,
        /// Messages a second the agencies' systems send.
        #[arg(long, default_value_t = 200.0)]
        rate: f64,
        /// The number of the first case sent: past the year's own.
        #[arg(long, default_value_t = 5_000_001)]
        first: u32,
        /// The seed the cases sent are drawn with.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// How long each phase asks for, in seconds.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
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

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

pub(crate) async fn bench(command: BenchCommand) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    match command {
        BenchCommand::Ingest {
            messages,
            senders,
            rounds,
            database,
        } => {
            let engine = match &database {
                Some(_) => "PostgreSQL",
                None => "SQLite",
            };
            let durable = match &database {
                Some(_) => "committed, synchronous_commit",
                None => "WAL, synchronous=FULL",
            };
            say!(
                "ingest benchmark on {engine}: {messages} model-office messages, durable ({durable}), median of {rounds} rounds"
            );
            let figures =
                bench::ingest(messages, senders, rounds, dir.path(), database.as_deref()).await?;
            let raw = match &database {
                Some(_) => "COPY (binary)",
                None => "inserts",
            };
            say!(
                "raw {engine} {raw}, 1,000 rows per transaction: {:>10.0} rows/s",
                figures.raw_rows_per_second
            );
            say!(
                "joinery, {senders} senders, group commit: {:>10.0} messages/s (validated, stored, projected, acknowledged)",
                figures.joinery_messages_per_second
            );
            say!(
                "ratio joinery / raw: {:.3} (target at least 0.25)",
                figures.ratio()
            );
        }
        BenchCommand::CaseView { items, views } => {
            say!(
                "case-view benchmark: one case of {items} items read from SQLite, median of {views} views per side and reader"
            );
            let (figures, audit) = bench::case_view(items, views, dir.path()).await?;
            say!("target: authorization adds under 20% and a view stays under 5 ms");
            for figure in &figures {
                say!(
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
            say!(
                "recording the disclosure in the audit trail (durable write, apart): {:.3} ms",
                ms(audit)
            );
        }
        BenchCommand::NotFound { items, asks } => {
            say!(
                "not-found benchmark: a case of {items} items hidden from a housing support worker, and an id no case has; median of {asks} asks each"
            );
            let figures = bench::not_found(items, asks, dir.path()).await?;
            say!(
                "a case the reader may see (read, decided, recorded): {:.3} ms",
                ms(figures.visible)
            );
            say!(
                "a case the reader may not see:                      {:.3} ms",
                ms(figures.hidden)
            );
            say!(
                "no such case:                                       {:.3} ms",
                ms(figures.missing)
            );
            say!(
                "ratio hidden / missing: {:.3} (target 1.00 ± 0.05; every refusal waits out {} ms)",
                figures.ratio(),
                joinery_app::NOT_FOUND_TAKES.as_millis()
            );
        }
        BenchCommand::SignInFlood { attempts, rounds } => {
            say!(
                "sign-in flood benchmark: {attempts} failed sign-ins at once (half of a real account, half of unknown names, each from its own address), {rounds} rounds"
            );
            let figures = bench::sign_in_flood(attempts, rounds, dir.path()).await?;
            say!("resident before: {:.1} MiB", figures.resident_before);
            for (round, (resident, (checked, busy))) in figures
                .joinery_rounds
                .iter()
                .zip(&figures.checked_and_busy)
                .enumerate()
            {
                say!(
                    "joinery round {}: {resident:.1} MiB ({checked} checked and refused, {busy} told to come back)",
                    round + 1
                );
            }
            let joinery_growth = figures.joinery_rounds.last().copied().unwrap_or_default()
                - figures.resident_before;
            let unbounded_growth =
                figures.unbounded - figures.joinery_rounds.last().copied().unwrap_or_default();
            say!(
                "unbounded, {attempts} checks at once: {:.1} MiB (+{unbounded_growth:.1} MiB)",
                figures.unbounded
            );
            say!(
                "growth: joinery +{joinery_growth:.1} MiB over {rounds} rounds, unbounded +{unbounded_growth:.1} MiB in one (ratio {:.3}; target: joinery flat, within 64 MiB)",
                joinery_growth / unbounded_growth.max(f64::EPSILON)
            );
        }
        BenchCommand::National {
            data_dir,
            cases,
            rounds,
            database,
        } => national(&data_dir, database.as_deref(), cases, rounds).await?,
        BenchCommand::Live {
            data_dir,
            addr,
            rate,
            first,
            seed,
            seconds,
        } => {
            say!(
                "live benchmark: management information of {} at {addr}, each report of each place asked in turn for {seconds} s with nothing arriving, then for {seconds} s while {rate} messages a second arrive; p50 and p99 in ms",
                data_dir.display()
            );
            let lasting = Duration::from_secs(seconds);
            let (figures, load) =
                bench::live(&addr, &data_dir, (first, seed), rate, lasting).await?;
            say!(
                "{:<13} {:<22} {:>7} {:>9} {:>9} {:>9} {:>9}",
                "report",
                "place",
                "asked",
                "quiet p50",
                "p99",
                "live p50",
                "p99"
            );
            for figure in &figures {
                say!(
                    "{:<13} {:<22} {:>7} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
                    figure.report,
                    if figure.place.is_empty() {
                        "England and Wales"
                    } else {
                        figure.place.as_str()
                    },
                    format!("{}+{}", figure.asked.0, figure.asked.1),
                    ms(figure.quiet.p50),
                    ms(figure.quiet.p99),
                    ms(figure.live.p50),
                    ms(figure.live.p99)
                );
            }
            let worst = |pick: fn(&bench::LiveFigures) -> Duration| {
                figures.iter().map(pick).max().unwrap_or_default()
            };
            say!(
                "while live: {} messages accepted ({} refused) in {:.1} s, {:.0} a second; worst p99 quiet {:.1} ms, live {:.1} ms (target under 100 ms)",
                load.accepted,
                load.refused,
                load.seconds,
                load.accepted as f64 / load.seconds.max(1e-9),
                ms(worst(|f| f.quiet.p99)),
                ms(worst(|f| f.live.p99))
            );
        }
        BenchCommand::Caseload { cases, rounds } => {
            say!(
                "caseload benchmark: {cases} model-office cases in SQLite; one page of 25 sorted by next hearing, median of {rounds} per side and reader"
            );
            for figure in bench::caseload(cases, rounds, dir.path()).await? {
                say!(
                    "{} — {} cases of the agency, {} with something to see\n  nothing decided {:.1} ms | Joinery {:.1} ms (x{:.2})",
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

/// `joinery bench national`: makes the year first if asked, then times its pages.
async fn national(
    data_dir: &std::path::Path,
    server: Option<&str>,
    cases: Option<u32>,
    rounds: usize,
) -> anyhow::Result<()> {
    if let Some(cases) = cases {
        let year = joinery::national::Year {
            cases,
            seed: 2026,
            today: joinery_domain::Timestamp::now().date(),
        };
        let made = joinery::national::make(data_dir, server, year, None, false).await?;
        say!(
            "generated: {} cases, {} messages in {:.0} s ({:.0} messages/s, {:.0} cases/s)",
            made.cases,
            made.accepted,
            made.seconds,
            made.accepted as f64 / made.seconds.max(1e-9),
            f64::from(made.cases) / made.seconds.max(1e-9)
        );
        say!(
            "on disk: {:.2} GB, {:.0} bytes a message; peak memory while loading {:.0} MiB",
            made.bytes as f64 / 1e9,
            made.bytes as f64 / made.accepted.max(1) as f64,
            made.peak_mib
        );
    }
    let file = data_dir.join("joinery.sqlite");
    let (database, described) = match server {
        Some(url) => {
            let database = joinery_store::Database::Server(url.to_owned());
            let described = database.described();
            (database, described)
        }
        None => {
            anyhow::ensure!(
                file.is_file(),
                "no year at {} (make one with joinery generate, or pass --cases)",
                file.display()
            );
            let size = std::fs::metadata(&file)?.len() as f64 / 1e9;
            (
                joinery_store::Database::File(file.clone()),
                format!("{} ({size:.2} GB)", file.display()),
            )
        }
    };
    let (store, state) = joinery::server::open_with(
        database,
        joinery::server::load_policy(None)?,
        None,
        joinery_app::OutboundPolicy::default(),
    )
    .await?;
    say!(
        "national benchmark: {described}; p50 and p99 of {rounds} builds per side; ratios = Joinery / nothing decided, at p50 and at p99"
    );
    let figures = bench::national(&state.app, &store, data_dir, rounds).await?;
    let mut reader = String::new();
    for figure in &figures {
        if figure.reader != reader {
            reader.clone_from(&figure.reader);
            say!("{reader}");
        }
        say!(
            "  {:<46} {:>4} shown | nothing decided p50 {:>7.2} p99 {:>7.2} ms | Joinery p50 {:>7.2} p99 {:>7.2} ms (x{:.2}, x{:.2})",
            figure.page,
            figure.shown,
            ms(figure.baseline.p50),
            ms(figure.baseline.p99),
            ms(figure.joinery.p50),
            ms(figure.joinery.p99),
            figure.ratios().0,
            figure.ratios().1
        );
    }
    let worst = figures
        .iter()
        .map(|figure| figure.joinery.p99)
        .max()
        .unwrap_or_default();
    let most = |pick: fn((f64, f64)) -> f64| {
        figures
            .iter()
            .map(|figure| pick(figure.ratios()))
            .fold(0.0, f64::max)
    };
    say!(
        "worst Joinery p99: {:.2} ms (goal: under 50 ms); highest ratio to nothing decided: x{:.2} at p50, x{:.2} at p99 (goal: within 1.5x)",
        ms(worst),
        most(|(p50, _)| p50),
        most(|(_, p99)| p99)
    );
    store.close().await;
    Ok(())
}
