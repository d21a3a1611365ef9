//! The management information page: a report for a period, a court centre, a police force area,
//! a CPS area and a probation service (filters in the query string: codes and periods, never
//! personal data), each table with
//! a bar chart drawn on the server as SVG and the same numbers as a table beside it, and each
//! table as a CSV file. Who may see which scope is the agreement's decision.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use joinery_app::{
    App, CaseList, Report, ReportForm, ReportName, ReportOutcome, ReportRequest, Table,
};
use joinery_domain::AgencyCode;
use joinery_domain::journey::OffenceType;
use joinery_domain::measures::{Month, Period, Place, Scope};
use serde::Deserialize;

use super::PageError;
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use crate::AppState;

/// The filters, as typed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Filters {
    #[serde(default)]
    pub(crate) report: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    court: String,
    #[serde(default)]
    force: String,
    /// A CPS area's code.
    #[serde(default)]
    prosecutor: String,
    /// A probation service's code.
    #[serde(default)]
    probation: String,
    #[serde(default)]
    offence_type: String,
    /// For a CSV file: which of the report's tables.
    #[serde(default)]
    table: String,
}

/// One bar of a chart, laid out.
struct Bar {
    label: String,
    y: u32,
    width: u32,
    /// Where the value's words go, and what they say.
    text_x: u32,
    text: String,
}

/// A table with its chart.
struct Shown {
    table: Table,
    bars: Vec<Bar>,
    chart_height: u32,
    csv: String,
    /// Each row's link to the reader's own list of the cases behind it, if it has one.
    links: Vec<Option<String>>,
    linked: bool,
}

/// The caseload page (the home page) filtered to a list of cases.
fn caseload_link(list: CaseList) -> String {
    let mut query = vec![];
    if let Some(stage) = list.stage {
        query.push(("stage", stage.as_str()));
    }
    if list.overdue {
        query.extend([("overdue", "yes"), ("sort", "overdue")]);
    }
    format!(
        "/?{}",
        serde_urlencoded::to_string(query).unwrap_or_default()
    )
}

#[derive(Template)]
#[template(path = "measures.html")]
struct MeasuresPage {
    nav: Nav,
    errors: FormErrors,
    report: &'static str,
    reports: Vec<(&'static str, &'static str)>,
    period: String,
    /// Each kind of place's filter: its field, label, hint and value as shown.
    places: Vec<(&'static str, &'static str, &'static str, String)>,
    offence_type: String,
    /// The period, places and offence type, as a query string for the other reports' links.
    scope_query: String,
    offence_types: Vec<(&'static str, &'static str)>,
    note: Option<&'static str>,
    heading: String,
    threshold: u64,
    /// How long ago the figures were counted, in words.
    counted: String,
    tables: Vec<Shown>,
}

/// How long ago a report's figures were counted: they may be a few minutes old while newer
/// ones are counted.
fn counted_words(counted_at: time::OffsetDateTime) -> String {
    let minutes = (time::OffsetDateTime::now_utc() - counted_at).whole_minutes();
    match minutes {
        ..1 => "less than a minute ago".to_owned(),
        1 => "1 minute ago".to_owned(),
        _ => format!("{minutes} minutes ago"),
    }
}

/// Chart geometry, in SVG user units.
const LABEL_WIDTH: u32 = 260;
/// The most of a label a chart shows (the table beside it has it whole).
const LABEL_CHARS: usize = 30;
const BAR_SPACE: u32 = 360;
const BAR_HEIGHT: u32 = 22;
const BAR_GAP: u32 = 8;

fn bars(table: &Table) -> (Vec<Bar>, u32) {
    let values: Vec<Option<f64>> = table
        .rows
        .iter()
        .filter(|row| !row.total)
        .map(|row| row.cells.get(table.chart).and_then(|cell| cell.value()))
        .collect();
    let most = values.iter().flatten().fold(0.0_f64, |a, b| a.max(*b));
    let mut bars = Vec::new();
    let mut y = 0;
    for (row, value) in table.rows.iter().filter(|row| !row.total).zip(values) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let width = match value {
            Some(value) if most > 0.0 && value > 0.0 => {
                ((value / most) * f64::from(BAR_SPACE)).round() as u32
            }
            _ => 0,
        };
        bars.push(Bar {
            label: if row.label.chars().count() > LABEL_CHARS {
                let cut: String = row.label.chars().take(LABEL_CHARS - 1).collect();
                format!("{}…", cut.trim_end())
            } else {
                row.label.clone()
            },
            y,
            width,
            text_x: LABEL_WIDTH + width + 6,
            text: row
                .cells
                .get(table.chart)
                .map(ToString::to_string)
                .unwrap_or_default(),
        });
        y += BAR_HEIGHT + BAR_GAP;
    }
    (bars, y.max(BAR_HEIGHT))
}

/// The request the filters make, or what is wrong with them.
pub(crate) fn request(filters: &Filters, home: Option<Scope>) -> Result<ReportRequest, FormErrors> {
    let mut errors = FormErrors::default();
    let report = match filters.report.trim() {
        "" => ReportName::Timeliness,
        name => ReportName::parse(name).unwrap_or_else(|| {
            errors.add(
                "report",
                "Choose timeliness, trials, adjournments, blockages, caseload or data_quality",
            );
            ReportName::Timeliness
        }),
    };
    let today = time::OffsetDateTime::now_utc().date();
    let period = match filters.period.trim() {
        "" => Period::Quarter(Month::of(today).quarter()),
        text => Period::parse(text).unwrap_or_else(|_| {
            errors.add(
                "period",
                "Enter a week as YYYY-Www, for example 2026-W48, a month as YYYY-MM, for example 2026-11, or a quarter as YYYY-Qn, for example 2026-Q4",
            );
            Period::Quarter(Month::of(today).quarter())
        }),
    };
    let typed = filters.places();
    let asked = typed.iter().any(|text| !text.trim().is_empty());
    let mut places = Place::ALL
        .into_iter()
        .zip(typed)
        .map(|(place, text)| match text.trim() {
            "" | "*" => None,
            code => AgencyCode::parse(code).map(Some).unwrap_or_else(|_| {
                errors.add(
                    place.as_str(),
                    format!(
                        "Enter the {}'s code, for example {}",
                        place.words(),
                        example_code(place)
                    ),
                );
                None
            }),
        });
    let (court, force, prosecutor, probation) = (
        places.next().flatten(),
        places.next().flatten(),
        places.next().flatten(),
        places.next().flatten(),
    );
    let offence_type = match filters.offence_type.trim() {
        "" => None,
        text => OffenceType::parse(text).or_else(|| {
            errors.add("offence_type", "Choose an offence type from the list");
            None
        }),
    };
    let scope = Scope {
        court,
        force,
        prosecutor,
        probation,
        offence_type,
    };
    if scope.mixes_places() {
        let field = if scope.prosecutor.is_some() {
            "prosecutor"
        } else {
            "probation"
        };
        errors.add(
            field,
            "Narrow by a court or police force, or by a CPS area or probation service: not both at once",
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let scope = match home {
        Some(home) if !asked => Scope {
            offence_type,
            ..home
        },
        _ => scope,
    };
    Ok(ReportRequest {
        report,
        period,
        scope,
        today,
    })
}

pub(crate) async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let home = App::home_scope(&reader);
    let (errors, report) = match request(&filters, home) {
        Err(errors) => (errors, None),
        Ok(request) => match state.app.report(&reader, request, ReportForm::Page).await? {
            ReportOutcome::Refused => return Err(PageError::Forbidden),
            ReportOutcome::Shown(report) => (FormErrors::default(), Some(*report)),
        },
    };
    let page = MeasuresPage::new(signed.nav, errors, &filters, report);
    Ok(with_cookie(
        signed.set_csrf,
        html(page.errors.status(), &page),
    ))
}

/// One table of a report as a CSV file: recorded in the audit trail like the page.
pub(crate) async fn csv(
    State(state): State<AppState>,
    signed: Signed,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let request = request(&filters, App::home_scope(&reader)).map_err(|_| PageError::BadRequest)?;
    let report = match state.app.report(&reader, request, ReportForm::Csv).await? {
        ReportOutcome::Refused => return Err(PageError::Forbidden),
        ReportOutcome::Shown(report) => *report,
    };
    let table = report
        .tables
        .iter()
        .find(|table| table.name == filters.table.trim())
        .ok_or(PageError::NotFound)?;
    let body = table.csv()?;
    let file = format!(
        "attachment; filename=\"{}-{}.csv\"",
        table.name, report.period
    );
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, file),
        ],
        body,
    )
        .into_response())
}

/// A code a person could type for a place of this kind.
fn example_code(place: Place) -> &'static str {
    match place {
        Place::Court => "B01EF01",
        Place::Force => "MERPOL",
        Place::Prosecutor => "CPSMER",
        Place::Probation => "PROBNW",
    }
}

/// A filter's label, and its hint.
fn place_label(place: Place) -> (&'static str, &'static str) {
    match place {
        Place::Court => ("Court", "Its code; empty for every court"),
        Place::Force => ("Police force area", "Its code; empty for every force"),
        Place::Prosecutor => ("CPS area", "Its code; empty for every CPS area"),
        Place::Probation => (
            "Probation service",
            "Its code; empty for every probation service",
        ),
    }
}

impl Filters {
    /// The places as typed, in the order of `Place::ALL`.
    fn places(&self) -> [&str; 4] {
        [&self.court, &self.force, &self.prosecutor, &self.probation]
    }
}

impl MeasuresPage {
    fn new(nav: Nav, errors: FormErrors, filters: &Filters, report: Option<Report>) -> Self {
        let (report_name, period, places, offence_type) = match &report {
            Some(report) => (
                report.report.as_str(),
                report.period.clone(),
                [
                    &report.court,
                    &report.force,
                    &report.prosecutor,
                    &report.probation,
                ]
                .map(|place| place.clone().unwrap_or_default()),
                report.offence_type.unwrap_or_default().to_owned(),
            ),
            None => (
                ReportName::parse(filters.report.trim()).map_or("timeliness", ReportName::as_str),
                filters.period.clone(),
                filters.places().map(str::to_owned),
                filters.offence_type.clone(),
            ),
        };
        let mut scope: Vec<(&str, &str)> = vec![("period", period.as_str())];
        scope.extend(
            Place::ALL
                .iter()
                .zip(&places)
                .map(|(place, value)| (place.as_str(), value.as_str())),
        );
        scope.push(("offence_type", offence_type.as_str()));
        let scope_query = serde_urlencoded::to_string(&scope).unwrap_or_default();
        let query = |table: &str| {
            format!(
                "{}&{scope_query}",
                serde_urlencoded::to_string([("report", report_name), ("table", table)])
                    .unwrap_or_default()
            )
        };
        let heading = report.as_ref().map_or_else(
            || "Management information".to_owned(),
            |report| {
                let named: Vec<String> = Place::ALL
                    .into_iter()
                    .zip([
                        &report.court,
                        &report.force,
                        &report.prosecutor,
                        &report.probation,
                    ])
                    .filter_map(|(place, code)| {
                        let words = match place {
                            Place::Force => "police force area",
                            other => other.words(),
                        };
                        code.as_ref().map(|code| format!("{words} {code}"))
                    })
                    .collect();
                let place = if named.is_empty() {
                    "England and Wales".to_owned()
                } else {
                    named.join(", ")
                };
                let offences = report
                    .offence_type
                    .and_then(OffenceType::parse)
                    .map(|kind| format!(", {} offences", kind.words().to_lowercase()))
                    .unwrap_or_default();
                format!(
                    "{}: {place}{offences}, {}",
                    report.title, report.period_words
                )
            },
        );
        let threshold = report.as_ref().map_or(10, |report| report.threshold);
        let note = report.as_ref().and_then(|report| report.note);
        let counted = report
            .as_ref()
            .map(|report| counted_words(report.counted_at))
            .unwrap_or_default();
        let tables = report
            .map(|report| report.tables)
            .unwrap_or_default()
            .into_iter()
            .map(|table| {
                let (bars, chart_height) = bars(&table);
                let csv = format!("/measures.csv?{}", query(table.name));
                let links: Vec<Option<String>> = table
                    .rows
                    .iter()
                    .map(|row| row.cases.map(caseload_link))
                    .collect();
                Shown {
                    table,
                    bars,
                    chart_height,
                    csv,
                    linked: links.iter().any(Option::is_some),
                    links,
                }
            })
            .collect();
        Self {
            nav,
            errors,
            report: report_name,
            reports: ReportName::ALL
                .iter()
                .map(|name| (name.as_str(), name.title()))
                .collect(),
            period,
            places: Place::ALL
                .into_iter()
                .zip(places)
                .map(|(place, value)| {
                    let (label, hint) = place_label(place);
                    (place.as_str(), label, hint, value)
                })
                .collect(),
            offence_type,
            scope_query,
            offence_types: OffenceType::ALL
                .iter()
                .map(|kind| (kind.as_str(), kind.words()))
                .collect(),
            note,
            heading,
            threshold,
            counted,
            tables,
        }
    }
}
