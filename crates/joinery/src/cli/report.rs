//! `joinery report NAME`: a management information report on the command line, asked on behalf
//! of a person (`--as`), so that the agreement decides what they may see and the look is
//! recorded, exactly as on the page; every count goes through the same disclosure control.

use anyhow::Context as _;
use joinery_app::{App, ReportForm, ReportName, ReportOutcome, ReportRequest};
use joinery_domain::journey::OffenceType;
use joinery_domain::measures::{Month, Period, Scope};
use joinery_domain::{AgencyCode, Username};

use super::say;

#[derive(clap::Args)]
pub(crate) struct ReportArgs {
    /// `timeliness`, `trials`, `adjournments`, `blockages`, `caseload` or `data_quality`.
    name: String,
    /// The person the report is for: what they may see is what it shows.
    #[arg(long = "as")]
    person: String,
    /// An ISO week (`2026-W48`), a month (`2026-11`) or a quarter (`2026-Q4`); this quarter
    /// by default.
    #[arg(long)]
    period: Option<String>,
    /// A court agency's code; every court (or the person's own centre) by default.
    #[arg(long)]
    court: Option<String>,
    /// A police force's code; every force (or the person's own area) by default.
    #[arg(long)]
    force: Option<String>,
    /// A CPS area's code; every CPS area (or the person's own) by default.
    #[arg(long)]
    prosecutor: Option<String>,
    /// A probation service's code; every probation service (or the person's own) by default.
    #[arg(long)]
    probation: Option<String>,
    /// The type of the cases' principal offence: `indictable_only`, `either_way`,
    /// `summary_non_motoring`, `summary_motoring` or `unclassified`; every type by default.
    #[arg(long)]
    offence_type: Option<String>,
    /// `table` (aligned columns), `csv` or `json`.
    #[arg(long, default_value = "table")]
    format: String,
    #[arg(long, env = "JOINERY_DATABASE", default_value = "joinery.sqlite", value_parser = super::database)]
    database: joinery_store::Database,
}

pub(crate) async fn report(args: ReportArgs) -> anyhow::Result<()> {
    let name = ReportName::parse(&args.name).with_context(|| {
        format!(
            "`{}` is not a report: choose timeliness, trials, adjournments, blockages, \
             caseload or data_quality",
            args.name
        )
    })?;
    let today = joinery_domain::Timestamp::now().date();
    let period = match &args.period {
        Some(text) => Period::parse(text)?,
        None => Period::Quarter(Month::of(today).quarter()),
    };
    let code = |text: &Option<String>| -> anyhow::Result<Option<AgencyCode>> {
        Ok(text.as_deref().map(AgencyCode::parse).transpose()?)
    };
    let asked = Scope {
        court: code(&args.court)?,
        force: code(&args.force)?,
        prosecutor: code(&args.prosecutor)?,
        probation: code(&args.probation)?,
        offence_type: None,
    };
    if asked.mixes_places() {
        anyhow::bail!(
            "narrow by `--court` or `--force`, or by `--prosecutor` or `--probation`: not both at once"
        );
    }
    let offence_type = args
        .offence_type
        .as_deref()
        .map(|text| {
            OffenceType::parse(text).with_context(|| {
                format!(
                    "`--offence-type` must be indictable_only, either_way, \
                     summary_non_motoring, summary_motoring or unclassified, not `{text}`"
                )
            })
        })
        .transpose()?;
    if !["table", "csv", "json"].contains(&args.format.as_str()) {
        anyhow::bail!(
            "`--format` must be table, csv or json, not `{}`",
            args.format
        );
    }
    let username = Username::parse(&args.person)?;
    let (store, app) = joinery::server::open_for_operator(&args.database).await?;
    let outcome = async {
        let reader = app
            .reader_named(username)
            .await?
            .with_context(|| format!("there is no person `{}`", args.person))?;
        let scope = Scope {
            offence_type,
            ..if asked.is_everywhere() {
                App::home_scope(&reader).unwrap_or_default()
            } else {
                asked
            }
        };
        let request = ReportRequest {
            report: name,
            period,
            scope,
            today,
        };
        anyhow::Ok(
            app.report(&reader, request, ReportForm::CommandLine)
                .await?,
        )
    }
    .await;
    store.close().await;
    let ReportOutcome::Shown(report) = outcome? else {
        anyhow::bail!(
            "the agreement does not let `{}` see that report there",
            args.person
        );
    };
    if args.format == "json" {
        say!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    for table in &report.tables {
        if args.format == "csv" {
            say!("# {}", table.name);
            say!("{}", table.csv()?.trim_end());
            continue;
        }
        say!("{} ({}): {}", table.title, report.period_words, {
            let named: Vec<&str> = [
                &report.court,
                &report.force,
                &report.prosecutor,
                &report.probation,
            ]
            .into_iter()
            .filter_map(Option::as_deref)
            .collect();
            if named.is_empty() {
                "England and Wales".to_owned()
            } else {
                named.join(", ")
            }
        });
        let mut lines = vec![
            std::iter::once(table.label.to_owned())
                .chain(table.columns.iter().map(|c| (*c).to_owned()))
                .collect::<Vec<_>>(),
        ];
        for row in &table.rows {
            lines.push(
                std::iter::once(row.label.clone())
                    .chain(row.cells.iter().map(ToString::to_string))
                    .collect(),
            );
        }
        let widths: Vec<usize> = (0..lines[0].len())
            .map(|i| {
                lines
                    .iter()
                    .map(|line| line[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for line in &lines {
            let cells: Vec<String> = line
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, width))| {
                    if i == 0 {
                        format!("{cell:<width$}")
                    } else {
                        format!("{cell:>width$}")
                    }
                })
                .collect();
            say!("  {}", cells.join("  "));
        }
        say!("");
    }
    say!(
        "[c]: not shown, fewer than {} cases or would give such a number away.",
        report.threshold
    );
    Ok(())
}
