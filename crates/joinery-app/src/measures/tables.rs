//! The tables of each report, built from protected grids alone: a count is read from its grid
//! (suppressed or shown), a share only from two shown counts, and a median only beside a count
//! that is shown.

use std::fmt;

use joinery_domain::journey::TrialEffectiveness;
use joinery_domain::measures::disclosure::Shown;
use joinery_domain::measures::{Interval, Measure, adjournment_words};
use serde::{Serialize, Serializer};

use super::ReportRequest;
use super::grid::{Grids, Member};
use crate::AppError;

/// One table of a report.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// The table's name in a file name or a URL, e.g. `timeliness`.
    pub name: &'static str,
    pub title: String,
    /// What is counted, and the published definition it follows.
    pub definition: String,
    /// The heading of the rows' labels.
    pub label: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Row>,
    /// The column a chart draws, by index into `columns`.
    pub chart: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// What the row counts, as the measure's cells name it (`effective`, `witness_absent`,
    /// `offence_to_charge`); `all` for a total.
    pub key: String,
    pub label: String,
    pub cells: Vec<Cell>,
    /// A total of the rows above it.
    pub total: bool,
    /// The reader's own list of the cases behind the row, where the row has one and the
    /// reader may open cases (`App::report` decides); each case on it is decided again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cases: Option<CaseList>,
}

/// A caseload filtered to the cases behind a row: those at a stage, or those with overdue work
/// (longest overdue first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CaseList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<joinery_domain::journey::Stage>,
    pub overdue: bool,
}

/// One number of a table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Count(u64),
    Days(i64),
    /// A change since the period before, in days or cases.
    Change(i64),
    /// A share of the total, in tenths of a per cent.
    Percent(u64),
    /// Too few to show, or one that would give a count too few away: `[c]`.
    Suppressed,
    /// Nothing to measure (no case completed the stretch, say).
    Nothing,
}

impl Cell {
    pub(super) fn count(shown: Shown) -> Self {
        match shown {
            Shown::Count(count) => Self::Count(count),
            Shown::Suppressed => Self::Suppressed,
        }
    }

    /// The number a chart draws: `None` for what is not shown.
    pub fn value(self) -> Option<f64> {
        #[allow(clippy::cast_precision_loss)]
        match self {
            Self::Count(count) => Some(count as f64),
            Self::Days(days) | Self::Change(days) => Some(days as f64),
            Self::Percent(tenths) => Some(tenths as f64 / 10.0),
            Self::Suppressed | Self::Nothing => None,
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Count(count) => write!(f, "{count}"),
            Self::Days(days) => write!(f, "{days}"),
            Self::Change(change) if *change > 0 => write!(f, "+{change}"),
            Self::Change(change) => write!(f, "{change}"),
            Self::Percent(tenths) => write!(f, "{}.{}%", tenths / 10, tenths % 10),
            Self::Suppressed => f.write_str("[c]"),
            Self::Nothing => f.write_str(""),
        }
    }
}

/// In JSON a number is a number, `[c]` is the string `"[c]"`, and nothing is `null`.
impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Count(count) => serializer.serialize_u64(*count),
            Self::Days(days) | Self::Change(days) => serializer.serialize_i64(*days),
            Self::Percent(_) => serializer.serialize_f64(self.value().unwrap_or_default()),
            Self::Suppressed => serializer.serialize_str("[c]"),
            Self::Nothing => serializer.serialize_none(),
        }
    }
}

/// A share of `total`, when both are shown.
pub(super) fn share(count: Cell, total: Cell) -> Cell {
    match (count, total) {
        (Cell::Count(count), Cell::Count(total)) if total > 0 => {
            Cell::Percent((count * 1000 + total / 2) / total)
        }
        (Cell::Count(_), Cell::Count(_)) => Cell::Nothing,
        _ => Cell::Suppressed,
    }
}

/// The change in a median since the period before, when both are shown.
pub(super) fn change(now: Cell, before: Cell) -> Cell {
    match (now, before) {
        (Cell::Days(now), Cell::Days(before)) => Cell::Change(now - before),
        (Cell::Suppressed, _) | (_, Cell::Suppressed) => Cell::Suppressed,
        _ => Cell::Nothing,
    }
}

/// A measure with days (`Measure::has_days`) over the request's scope, in its period and the
/// one before: each its count, median and 90th percentile days (a median only beside a count
/// that is shown).
pub(super) async fn with_days(
    grids: &mut Grids<'_>,
    measure: Measure,
    request: &ReportRequest,
) -> Result<[(Cell, Cell, Cell); 2], AppError> {
    let mut shown = [(Cell::Nothing, Cell::Nothing, Cell::Nothing); 2];
    for (at, period) in [request.period, request.period.previous()]
        .into_iter()
        .enumerate()
    {
        let count = grids
            .shown(
                measure,
                period,
                &request.scope,
                Member::Every,
                Member::Every,
            )
            .await?;
        let (median, p90) = match count {
            Shown::Count(0) => (Cell::Nothing, Cell::Nothing),
            Shown::Suppressed => (Cell::Suppressed, Cell::Suppressed),
            Shown::Count(_) => {
                let days = grids.day_counts(measure, period, &request.scope).await?;
                (
                    days.median().map_or(Cell::Nothing, Cell::Days),
                    days.p90().map_or(Cell::Nothing, Cell::Days),
                )
            }
        };
        shown[at] = (Cell::count(count), median, p90);
    }
    Ok(shown)
}

/// Each stretch's cases, median and 90th percentile days, beside the period before.
pub(super) async fn timeliness(
    grids: &mut Grids<'_>,
    request: &ReportRequest,
) -> Result<Vec<Table>, AppError> {
    let mut rows = Vec::new();
    for interval in Interval::ALL {
        let measure = Measure::Timeliness(interval);
        let [(cases, median, p90), (cases_before, median_before, _)] =
            with_days(grids, measure, request).await?;
        rows.push(Row {
            key: interval.as_str().to_owned(),
            label: words_of(interval).to_owned(),
            cells: vec![
                cases,
                median,
                p90,
                cases_before,
                median_before,
                change(median, median_before),
            ],
            total: false,
            cases: None,
        });
    }
    Ok(vec![Table {
        name: "timeliness",
        title: "Days between the stages of a case".to_owned(),
        definition: Interval::ALL
            .map(|interval| format!("{}: {}", words_of(interval), interval.definition()))
            .join(" "),
        label: "Stage",
        columns: vec![
            "Cases",
            "Median days",
            "90th percentile days",
            "Cases, period before",
            "Median days, period before",
            "Change in median days",
        ],
        rows,
        chart: 1,
    }])
}

fn words_of(interval: Interval) -> &'static str {
    match interval {
        Interval::OffenceToCharge => "Offence to charge",
        Interval::ChargeToFirstListing => "Charge to first listing",
        Interval::FirstListingToCompletion => "First listing to completion",
        Interval::CompletionToSentence => "Completion to sentence",
        Interval::OffenceToCompletion => "Offence to completion",
    }
}

/// A row of counts of one value and detail (or their totals), its share of the total, and the
/// period before.
pub(super) async fn counted_row(
    grids: &mut Grids<'_>,
    measure: Measure,
    request: &ReportRequest,
    (key, label): (&str, String),
    value: Member<'_>,
    detail: Member<'_>,
    total: Option<(Cell, Cell)>,
) -> Result<(Row, Cell, Cell), AppError> {
    let previous = request.period.previous();
    let now = Cell::count(
        grids
            .shown(measure, request.period, &request.scope, value, detail)
            .await?,
    );
    let before = Cell::count(
        grids
            .shown(measure, previous, &request.scope, value, detail)
            .await?,
    );
    let (total_now, total_before) = total.unwrap_or((now, before));
    Ok((
        Row {
            key: if total.is_none() {
                "all".to_owned()
            } else {
                key.to_owned()
            },
            label,
            cells: vec![
                now,
                share(now, total_now),
                before,
                share(before, total_before),
            ],
            total: total.is_none(),
            cases: None,
        },
        now,
        before,
    ))
}

pub(super) const COUNTED_COLUMNS: [&str; 4] = [
    "Number",
    "Share",
    "Number, period before",
    "Share, period before",
];

/// Trials by how they went, and the courts' reasons for those that did not go ahead.
pub(super) async fn trials(
    grids: &mut Grids<'_>,
    request: &ReportRequest,
) -> Result<Vec<Table>, AppError> {
    let measure = Measure::Trials;
    let (total, now, before) = counted_row(
        grids,
        measure,
        request,
        ("all", "All trials".to_owned()),
        Member::Every,
        Member::Every,
        None,
    )
    .await?;
    let mut rows = Vec::new();
    for outcome in TrialEffectiveness::ALL {
        let words = match outcome {
            TrialEffectiveness::Effective => "Effective",
            TrialEffectiveness::Cracked => "Cracked",
            TrialEffectiveness::Ineffective => "Ineffective",
        };
        let (row, _, _) = counted_row(
            grids,
            measure,
            request,
            (outcome.as_str(), words.to_owned()),
            Member::Named(outcome.as_str()),
            Member::Every,
            Some((now, before)),
        )
        .await?;
        rows.push(row);
    }
    rows.push(total);
    let mut reasons = Vec::new();
    let (_, details) = grids.members(measure, request.period).await?;
    for outcome in [TrialEffectiveness::Cracked, TrialEffectiveness::Ineffective] {
        let (_, outcome_now, outcome_before) = counted_row(
            grids,
            measure,
            request,
            ("all", String::new()),
            Member::Named(outcome.as_str()),
            Member::Every,
            None,
        )
        .await?;
        for detail in details.iter().filter(|detail| !detail.is_empty()) {
            let key = format!("{}|{detail}", outcome.as_str());
            let (row, now, before) = counted_row(
                grids,
                measure,
                request,
                (&key, detail.clone()),
                Member::Named(outcome.as_str()),
                Member::Named(detail),
                Some((outcome_now, outcome_before)),
            )
            .await?;
            if now != Cell::Count(0) || before != Cell::Count(0) {
                reasons.push(row);
            }
        }
    }
    Ok(vec![
        Table {
            name: "trials",
            title: "Trials listed, by whether they went ahead".to_owned(),
            definition: Measure::Trials.definition().to_owned(),
            label: "Outcome",
            columns: COUNTED_COLUMNS.to_vec(),
            rows,
            chart: 0,
        },
        Table {
            name: "trial-reasons",
            title: "Why trials did not go ahead, as the courts recorded".to_owned(),
            definition: "Cracked and ineffective trials by the reason the court gave; each \
                         share is of that outcome's trials."
                .to_owned(),
            label: "Reason",
            columns: COUNTED_COLUMNS.to_vec(),
            rows: reasons,
            chart: 0,
        },
    ])
}

/// Adjournments by the reason given, and by the side held responsible.
pub(super) async fn adjournments(
    grids: &mut Grids<'_>,
    request: &ReportRequest,
) -> Result<Vec<Table>, AppError> {
    let measure = Measure::Adjournments;
    let (total, now, before) = counted_row(
        grids,
        measure,
        request,
        ("all", "All adjournments".to_owned()),
        Member::Every,
        Member::Every,
        None,
    )
    .await?;
    let (values, details) = grids.members(measure, request.period).await?;
    let mut by_reason = Vec::new();
    for value in &values {
        let (row, _, _) = counted_row(
            grids,
            measure,
            request,
            (value, adjournment_words(value).to_owned()),
            Member::Named(value),
            Member::Every,
            Some((now, before)),
        )
        .await?;
        by_reason.push(row);
    }
    by_reason.push(total.clone());
    let mut by_side = Vec::new();
    for detail in &details {
        let label = match detail.as_str() {
            "" => "Not recorded".to_owned(),
            side => capitalised(side),
        };
        let (row, _, _) = counted_row(
            grids,
            measure,
            request,
            (detail, label),
            Member::Every,
            Member::Named(detail),
            Some((now, before)),
        )
        .await?;
        by_side.push(row);
    }
    by_side.push(total);
    Ok(vec![
        Table {
            name: "adjournments",
            title: "Hearings adjourned, by reason".to_owned(),
            definition: Measure::Adjournments.definition().to_owned(),
            label: "Reason",
            columns: COUNTED_COLUMNS.to_vec(),
            rows: by_reason,
            chart: 0,
        },
        Table {
            name: "adjournments-by-side",
            title: "Hearings adjourned, by the side responsible".to_owned(),
            definition: "The same adjournments, by the agency the court held responsible."
                .to_owned(),
            label: "Side responsible",
            columns: COUNTED_COLUMNS.to_vec(),
            rows: by_side,
            chart: 0,
        },
    ])
}

pub(super) fn capitalised(word: &str) -> String {
    match word {
        "cps" => "CPS (prosecution)".to_owned(),
        other => {
            let mut chars = other.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

impl Table {
    /// Links each row that has a list of cases behind it to that list: an open case's stage,
    /// or work overdue.
    pub(super) fn link_cases(&mut self) {
        for row in &mut self.rows {
            row.cases = match self.name {
                "open-cases" | "idle-cases" => Some(CaseList {
                    stage: joinery_domain::journey::Stage::ALL
                        .into_iter()
                        .find(|stage| stage.as_str() == row.key),
                    overdue: false,
                }),
                "work-waiting" if row.key != "band-0" && !row.total => Some(CaseList {
                    stage: None,
                    overdue: true,
                }),
                _ => None,
            };
        }
    }

    /// The table as CSV: a heading row, then each row's label and cells as shown (`[c]` where
    /// suppressed).
    pub fn csv(&self) -> Result<String, AppError> {
        let mut heading = vec![self.label];
        heading.extend(self.columns.iter().copied());
        crate::csv_file::csv_text(
            &heading,
            self.rows.iter().map(|row| {
                std::iter::once(row.label.clone()).chain(row.cells.iter().map(ToString::to_string))
            }),
        )
    }
}
