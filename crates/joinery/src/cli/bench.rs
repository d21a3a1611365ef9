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
        } => {
            say!(
                "ingest benchmark: {messages} model-office messages, durable (WAL, synchronous=FULL), median of {rounds} rounds"
            );
            let figures = bench::ingest(messages, senders, rounds, dir.path()).await?;
            say!(
                "raw SQLite, 1,000 rows per transaction: {:>10.0} rows/s",
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
