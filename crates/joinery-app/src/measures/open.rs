//! The reports of where cases wait now, and on whom: work asked and not yet done (how overdue,
//! by the agency asked and by kind), requested work done in a period (on time, and how long it
//! took), and the open caseload (its age, and how long each case has been idle with who holds
//! its next step). What is open is counted back from today in bands of days; each band's count
//! comes from a protected grid like any other. Data quality is here too: the problems found in
//! what agencies sent, raised and resolved in a period and open now.

use joinery_domain::AgencyKind;
use joinery_domain::journey::ActionKind;
use joinery_domain::measures::disclosure::TOTAL;
use joinery_domain::measures::{Measure, bands};
use joinery_ports::Agency;

use super::ReportRequest;
use super::grid::Grids;
use super::grid::{Member, ProtectedGrid};
use super::tables::{Cell, Row, Table, change, counted_row, share, with_days};
use crate::AppError;

/// Work waiting now (how overdue, on whom, of what kind) and requested work done in the period.
pub(super) async fn blockages(
    grids: &mut Grids<'_>,
    request: &ReportRequest,
) -> Result<Vec<Table>, AppError> {
    let measure = Measure::OpenWork;
    let grid = grids.open(measure, request.today).await?;
    let (kinds, holders) = grid.members();
    let as_at = as_at(request);
    let mut by_band = Vec::new();
    for (index, (_, words)) in bands(measure).iter().enumerate() {
        let count =
            Cell::count(grid.shown(first(index), &request.scope, Member::Every, Member::Every));
        by_band.push((index, words, count));
    }
    let all = Cell::count(grid.shown(TOTAL, &request.scope, Member::Every, Member::Every));
    let mut rows: Vec<Row> = by_band
        .into_iter()
        .map(|(index, words, count)| Row {
            key: format!("band-{index}"),
            label: (*words).to_owned(),
            cells: vec![count, share(count, all)],
            total: false,
            cases: None,
        })
        .collect();
    rows.push(Row {
        key: "all".to_owned(),
        label: "All work waiting".to_owned(),
        cells: vec![all, share(all, all)],
        total: true,
        cases: None,
    });
    let agencies = grids.agencies().await?;
    let by_agency = named_agency_rows(&holders, &agencies, false);
    let by_kind = kinds
        .iter()
        .map(|kind| {
            (
                (*kind).to_owned(),
                ActionKind::parse(kind).map_or_else(|| (*kind).to_owned(), |k| k.words().into()),
                Member::Named(kind),
                Member::Every,
            )
        })
        .collect();
    Ok(vec![
        Table {
            name: "work-waiting",
            title: format!("Work waiting {as_at}, by how overdue"),
            definition: measure.definition().to_owned(),
            label: "How overdue",
            columns: vec!["Number", "Share"],
            rows,
            chart: 0,
        },
        banded(
            &grid,
            measure,
            request,
            (
                "work-waiting-by-agency",
                format!("Work waiting {as_at}, by the agency asked"),
            ),
            "Agency asked",
            by_agency,
            "All agencies",
        ),
        banded(
            &grid,
            measure,
            request,
            (
                "work-waiting-by-kind",
                format!("Work waiting {as_at}, by kind"),
            ),
            "Kind of work",
            by_kind,
            "All work",
        ),
        turnaround(grids, request).await?,
    ])
}

/// Each kind of requested work done in the period: how many, the share done by the day due,
/// and the median and 90th percentile days it took, beside the period before.
async fn turnaround(grids: &mut Grids<'_>, request: &ReportRequest) -> Result<Table, AppError> {
    let mut rows = Vec::new();
    for kind in ActionKind::ALL {
        let measure = Measure::Turnaround(kind);
        let [(done_now, median, p90), (done_before, median_before, _)] =
            with_days(grids, measure, request).await?;
        if done_now == Cell::Count(0) && done_before == Cell::Count(0) {
            continue;
        }
        let (on_time, _, _) = counted_row(
            grids,
            measure,
            request,
            ("on_time", String::new()),
            Member::Named("on_time"),
            Member::Every,
            Some((done_now, done_before)),
        )
        .await?;
        rows.push(Row {
            key: kind.as_str().to_owned(),
            label: kind.words().to_owned(),
            cells: vec![
                done_now,
                on_time.cells[1],
                median,
                p90,
                done_before,
                median_before,
                change(median, median_before),
            ],
            total: false,
            cases: None,
        });
    }
    Ok(Table {
        name: "turnaround",
        title: format!(
            "Requested work done in {}, and how long it took",
            request.period.words()
        ),
        definition: Measure::Turnaround(ActionKind::PreSentenceReport)
            .definition()
            .to_owned(),
        label: "Kind of work",
        columns: vec![
            "Done",
            "Done by the day due",
            "Median days",
            "90th percentile days",
            "Done, period before",
            "Median days, period before",
            "Change in median days",
        ],
        rows,
        chart: 2,
    })
}

/// The open caseload: its age by stage, and how long cases have been idle by stage and by who
/// holds the next step.
pub(super) async fn caseload(
    grids: &mut Grids<'_>,
    request: &ReportRequest,
) -> Result<Vec<Table>, AppError> {
    let as_at = as_at(request);
    let by_stage =
        |grid: &ProtectedGrid| -> Vec<(String, String, Member<'static>, Member<'static>)> {
            let (stages, _) = grid.members();
            joinery_domain::journey::Stage::ALL
                .iter()
                .filter(|stage| stages.contains(&stage.as_str()))
                .map(|stage| {
                    (
                        stage.as_str().to_owned(),
                        words(stage.as_str()),
                        Member::Named(stage.as_str()),
                        Member::Every,
                    )
                })
                .collect()
        };
    let ages = grids.open(Measure::OpenCases, request.today).await?;
    let idle = grids.open(Measure::Idle, request.today).await?;
    let (_, holders) = idle.members();
    let by_holder = agency_rows(&holders, false);
    let flow = flow(grids, request).await?;
    Ok(vec![
        banded(
            &ages,
            Measure::OpenCases,
            request,
            (
                "open-cases",
                format!("Open cases {as_at}, by stage and age"),
            ),
            "Stage",
            by_stage(&ages),
            "All open cases",
        ),
        banded(
            &idle,
            Measure::Idle,
            request,
            (
                "idle-cases",
                format!("Open cases {as_at}, by stage and days since anything happened"),
            ),
            "Stage",
            by_stage(&idle),
            "All open cases",
        ),
        banded(
            &idle,
            Measure::Idle,
            request,
            (
                "idle-by-holder",
                format!("Open cases {as_at}, by who holds the next step"),
            ),
            "Next step with",
            by_holder,
            "All open cases",
        ),
        flow.0,
        flow.1,
    ])
}

/// The milestones a cumulative flow draws, with their words.
const MILESTONES: [(&str, &str); 5] = [
    ("began", "Began"),
    ("charged", "Charged"),
    ("first_listed", "First listed"),
    ("completed", "Completed"),
    ("sentenced", "Sentenced"),
];

/// Cases reaching each milestone in each of the twelve months to the end of the period, and
/// the same added up month by month: the cumulative flow, whose lines' gaps are the work in
/// progress between milestones. A running total past a suppressed month is suppressed too.
async fn flow(grids: &mut Grids<'_>, request: &ReportRequest) -> Result<(Table, Table), AppError> {
    let last = *request
        .period
        .months()
        .last()
        .ok_or_else(|| AppError::Internal("a period has no months".to_owned()))?;
    let mut months = vec![last];
    while months.len() < 12 {
        let earlier = months[months.len() - 1].previous();
        months.push(earlier);
    }
    months.reverse();
    let mut by_month = Vec::new();
    let mut cumulative = Vec::new();
    let mut running: Vec<Cell> = vec![Cell::Count(0); MILESTONES.len()];
    for month in months {
        let period = joinery_domain::measures::Period::Month(month);
        let mut cells: Vec<Cell> = Vec::new();
        for (milestone, _) in MILESTONES {
            cells.push(Cell::count(
                grids
                    .shown(
                        Measure::Reached,
                        period,
                        &request.scope,
                        Member::Named(milestone),
                        Member::Every,
                    )
                    .await?,
            ));
        }
        for (total, cell) in running.iter_mut().zip(&cells) {
            *total = match (*total, *cell) {
                (Cell::Count(total), Cell::Count(count)) => Cell::Count(total + count),
                _ => Cell::Suppressed,
            };
        }
        by_month.push(Row {
            key: month.to_string(),
            label: month.words(),
            cells,
            total: false,
            cases: None,
        });
        cumulative.push(Row {
            key: month.to_string(),
            label: month.words(),
            cells: running.clone(),
            total: false,
            cases: None,
        });
    }
    let columns: Vec<&'static str> = MILESTONES.iter().map(|(_, words)| *words).collect();
    let definition = Measure::Reached.definition().to_owned();
    Ok((
        Table {
            name: "flow",
            title: "Cases reaching each stage, month by month".to_owned(),
            definition: definition.clone(),
            label: "Month",
            columns: columns.clone(),
            rows: by_month,
            chart: 0,
        },
        Table {
            name: "flow-cumulative",
            title: "Cases reaching each stage, added up over the twelve months (cumulative flow)"
                .to_owned(),
            definition,
            label: "Month",
            columns,
            rows: cumulative,
            chart: 3,
        },
    ))
}

/// A table of rows, each a value and detail of `measure`, with a column for each band of days
/// and one for all, and a total row: rows that count nothing in the scope are left out.
fn banded(
    grid: &ProtectedGrid,
    measure: Measure,
    request: &ReportRequest,
    (name, title): (&'static str, String),
    label: &'static str,
    rows: Vec<(String, String, Member<'_>, Member<'_>)>,
    total_label: &str,
) -> Table {
    let cells = |value: Member<'_>, detail: Member<'_>| -> Vec<Cell> {
        (0..bands(measure).len())
            .map(first)
            .chain([TOTAL])
            .map(|at| Cell::count(grid.shown(at, &request.scope, value, detail)))
            .collect()
    };
    let mut shown: Vec<Row> = rows
        .into_iter()
        .filter_map(|(key, label, value, detail)| {
            let cells = cells(value, detail);
            (cells.last() != Some(&Cell::Count(0))).then_some(Row {
                key,
                label,
                cells,
                total: false,
                cases: None,
            })
        })
        .collect();
    shown.push(Row {
        key: "all".to_owned(),
        label: total_label.to_owned(),
        cells: cells(Member::Every, Member::Every),
        total: true,
        cases: None,
    });
    let mut columns: Vec<&'static str> = bands(measure).iter().map(|(_, words)| *words).collect();
    columns.push("All");
    Table {
        name,
        title,
        definition: measure.definition().to_owned(),
        label,
        chart: columns.len() - 1,
        columns,
        rows: shown,
    }
}

fn first(band: usize) -> u32 {
    u32::try_from(band).unwrap_or(TOTAL)
}

/// "on 30 November 2026", as the open tables say when they were counted back from.
fn as_at(request: &ReportRequest) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:long] [year]");
    format!(
        "on {}",
        request
            .today
            .format(format)
            .unwrap_or_else(|_| request.today.to_string())
    )
}

/// A row for each kind of agency in `kinds`, named as the measure's value (`as_value`) or its
/// detail.
fn agency_rows<'a>(
    kinds: &[&'a str],
    as_value: bool,
) -> Vec<(String, String, Member<'a>, Member<'a>)> {
    kinds
        .iter()
        .map(|kind| {
            let (value, detail) = if as_value {
                (Member::Named(kind), Member::Every)
            } else {
                (Member::Every, Member::Named(kind))
            };
            ((*kind).to_owned(), agency_words(kind), value, detail)
        })
        .collect()
}

/// A row for each agency (by its code, the cells' value or detail), named by its kind and
/// name and in that order; what no agency known to Joinery is behind comes last.
fn named_agency_rows<'a>(
    codes: &[&'a str],
    agencies: &[Agency],
    as_value: bool,
) -> Vec<(String, String, Member<'a>, Member<'a>)> {
    let mut rows: Vec<_> = codes
        .iter()
        .map(|code| {
            let agency = agencies.iter().find(|agency| agency.code.as_str() == *code);
            let order = agency.map(|agency| (agency.kind, agency.name.to_string()));
            let label = agency.map_or_else(
                || "Not known".to_owned(),
                |agency| {
                    format!(
                        "{}: {} ({code})",
                        agency_words(agency.kind.as_str()),
                        agency.name
                    )
                },
            );
            (order.is_none(), order, code, label)
        })
        .collect();
    rows.sort();
    rows.into_iter()
        .map(|(_, _, code, label)| {
            let (value, detail) = if as_value {
                (Member::Named(code), Member::Every)
            } else {
                (Member::Every, Member::Named(code))
            };
            ((*code).to_owned(), label, value, detail)
        })
        .collect()
}

/// A kind of agency as a report names it.
fn agency_words(kind: &str) -> String {
    match AgencyKind::parse(kind) {
        Ok(AgencyKind::Police) => "Police".to_owned(),
        Ok(AgencyKind::Cps) => "CPS (prosecution)".to_owned(),
        Ok(AgencyKind::Court) => "Court".to_owned(),
        Ok(AgencyKind::Probation) => "Probation".to_owned(),
        Ok(AgencyKind::Voluntary) => "Support service".to_owned(),
        Err(_) => "Not known".to_owned(),
    }
}

/// A stage's name in words: `awaiting_trial` is "Awaiting trial".
fn words(name: &str) -> String {
    super::tables::capitalised(&name.replace('_', " "))
}

/// Data quality: problems raised in the period by code and by the agency that sent them, how
/// long those resolved took, and those still open by age.
pub(super) async fn data_quality(
    grids: &mut Grids<'_>,
    request: &ReportRequest,
) -> Result<Vec<Table>, AppError> {
    let (raised, before) = {
        let (_, raised_now, raised_before) = counted_row(
            grids,
            Measure::Exceptions,
            request,
            ("all", String::new()),
            Member::Every,
            Member::Every,
            None,
        )
        .await?;
        (raised_now, raised_before)
    };
    let (senders, codes) = grids.members(Measure::Exceptions, request.period).await?;
    let mut by_code = Vec::new();
    for code in &codes {
        let (row, now, was) = counted_row(
            grids,
            Measure::Exceptions,
            request,
            (code, code.clone()),
            Member::Every,
            Member::Named(code),
            Some((raised, before)),
        )
        .await?;
        if now != Cell::Count(0) || was != Cell::Count(0) {
            by_code.push(row);
        }
    }
    let (total, _, _) = counted_row(
        grids,
        Measure::Exceptions,
        request,
        ("all", "All problems".to_owned()),
        Member::Every,
        Member::Every,
        None,
    )
    .await?;
    by_code.push(total.clone());
    let agencies = grids.agencies().await?;
    let senders: Vec<&str> = senders.iter().map(String::as_str).collect();
    let mut by_sender = Vec::new();
    for (sender, label, value, detail) in named_agency_rows(&senders, &agencies, true) {
        let (row, _, _) = counted_row(
            grids,
            Measure::Exceptions,
            request,
            (&sender, label),
            value,
            detail,
            Some((raised, before)),
        )
        .await?;
        by_sender.push(row);
    }
    by_sender.push(total);
    let resolved = {
        let measure = Measure::ExceptionsResolved;
        let [(done, median, p90), (done_before, median_before, _)] =
            with_days(grids, measure, request).await?;
        Table {
            name: "problems-resolved",
            title: format!(
                "Data-quality problems resolved in {}, and how long they took",
                request.period.words()
            ),
            definition: measure.definition().to_owned(),
            label: "Problems",
            columns: vec![
                "Resolved",
                "Median days",
                "90th percentile days",
                "Resolved, period before",
                "Median days, period before",
                "Change in median days",
            ],
            rows: vec![Row {
                key: "all".to_owned(),
                label: "All problems".to_owned(),
                cells: vec![
                    done,
                    median,
                    p90,
                    done_before,
                    median_before,
                    change(median, median_before),
                ],
                total: false,
                cases: None,
            }],
            chart: 1,
        }
    };
    let open = grids.open(Measure::OpenExceptions, request.today).await?;
    let (open_senders, _) = open.members();
    let open_rows = named_agency_rows(&open_senders, &agencies, true);
    let as_at = as_at(request);
    Ok(vec![
        Table {
            name: "problems-by-code",
            title: format!(
                "Data-quality problems raised in {}, by code",
                request.period.words()
            ),
            definition: Measure::Exceptions.definition().to_owned(),
            label: "Code",
            columns: super::tables::COUNTED_COLUMNS.to_vec(),
            rows: by_code,
            chart: 0,
        },
        Table {
            name: "problems-by-sender",
            title: format!(
                "Data-quality problems raised in {}, by the agency that sent the message",
                request.period.words()
            ),
            definition: "The same problems, by the agency whose message they were in.".to_owned(),
            label: "Sent by",
            columns: super::tables::COUNTED_COLUMNS.to_vec(),
            rows: by_sender,
            chart: 0,
        },
        resolved,
        banded(
            &open,
            Measure::OpenExceptions,
            request,
            (
                "problems-open",
                format!("Data-quality problems open {as_at}, by days since raised"),
            ),
            "Sent by",
            open_rows,
            "All open problems",
        ),
    ])
}
