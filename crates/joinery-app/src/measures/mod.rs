//! Management information: where cases wait, and on whom. A report adds up the cells the
//! projection keeps (never a case), for a period, a court centre and a police force area, beside
//! the period before; every count goes through disclosure control before it leaves here, and
//! who may see which scope is the agreement's decision, recorded in the audit trail whether
//! shown or refused.
//!
//! Each report is a list of tables in one shape (rows of labelled cells), so that the page, the
//! CSV file, the JSON answer and the command line show the same numbers.

mod cache;
mod grid;
mod open;
mod tables;

use joinery_domain::journey::OffenceType;
use joinery_domain::measures::disclosure::Threshold;
use joinery_domain::measures::{Period, Scope};
use joinery_domain::{AgencyKind, Reader, Role};
use joinery_ports::{AuditAction, AuditDetail, AuditEvent};
use serde::Serialize;

use crate::{App, AppError, actor};
use grid::Grids;

pub(crate) use cache::GridCache;
pub use tables::{CaseList, Cell, Row, Table};

/// The reports there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportName {
    /// Days between the journey's milestones: offence, charge, first listing, completion,
    /// sentence.
    Timeliness,
    /// Trials listed: effective, cracked or ineffective, and why.
    Trials,
    /// Hearings adjourned: why, and on whom.
    Adjournments,
    /// Work asked of an agency and waiting (how overdue, on whom), and work done in the period.
    Blockages,
    /// The open caseload: its age, and how long cases have been idle, on whom.
    Caseload,
    /// Data-quality problems in what agencies sent: raised, resolved and open.
    DataQuality,
}

impl ReportName {
    pub const ALL: [Self; 6] = [
        Self::Timeliness,
        Self::Trials,
        Self::Adjournments,
        Self::Blockages,
        Self::Caseload,
        Self::DataQuality,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timeliness => "timeliness",
            Self::Trials => "trials",
            Self::Adjournments => "adjournments",
            Self::Blockages => "blockages",
            Self::Caseload => "caseload",
            Self::DataQuality => "data_quality",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|name| name.as_str() == input)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Timeliness => "Timeliness",
            Self::Trials => "Trial effectiveness",
            Self::Adjournments => "Adjournments",
            Self::Blockages => "Work waiting",
            Self::Caseload => "Open cases",
            Self::DataQuality => "Data quality",
        }
    }
}

/// The form a report is shown in: recorded with each look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportForm {
    Page,
    Csv,
    Json,
    CommandLine,
}

impl ReportForm {
    fn as_str(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::Csv => "csv",
            Self::Json => "json",
            Self::CommandLine => "command_line",
        }
    }
}

/// What a reader asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    pub report: ReportName,
    pub period: Period,
    pub scope: Scope,
    /// The day what is open is counted back from: how overdue work is, how old and how long
    /// idle a case is.
    pub today: time::Date,
}

/// A report, ready to show: every count already protected.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub report: ReportName,
    pub title: &'static str,
    /// `YYYY-MM` or `YYYY-Qn`.
    pub period: String,
    pub period_words: String,
    pub previous_period: String,
    pub court: Option<String>,
    pub force: Option<String>,
    /// The CPS area the report is of, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prosecutor: Option<String>,
    /// The probation service the report is of, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probation: Option<String>,
    /// The type of principal offence the report is of (`OffenceType::as_str`), if one.
    pub offence_type: Option<&'static str>,
    /// What a reader should know about how the report was narrowed, if anything.
    pub note: Option<&'static str>,
    /// Counts above zero and under this are suppressed, shown as `[c]`.
    pub threshold: u64,
    /// When the cells of the report's oldest grid were read: a report may be shown from
    /// figures up to a few minutes old while newer ones are counted (`cache.rs`).
    #[serde(with = "time::serde::rfc3339")]
    pub counted_at: time::OffsetDateTime,
    pub tables: Vec<Table>,
}

/// What a reader gets.
#[derive(Debug, Clone)]
pub enum ReportOutcome {
    /// Boxed: a report is large beside a refusal.
    Shown(Box<Report>),
    /// The agreement does not let this reader see this scope.
    Refused,
}

impl App {
    /// The scope a reader sees when they name none: their own centre, force area, CPS area,
    /// probation service or country.
    /// `None` for a reader whose role sees no management information anywhere.
    pub fn home_scope(reader: &Reader) -> Option<Scope> {
        let own = Some(reader.agency.clone());
        match (reader.role, reader.agency_kind) {
            (Role::Manager | Role::LegalAdviser, AgencyKind::Court) => Some(Scope {
                court: own,
                ..Scope::default()
            }),
            (Role::Manager | Role::AreaAnalyst, AgencyKind::Police) => Some(Scope {
                force: own,
                ..Scope::default()
            }),
            (Role::Manager, AgencyKind::Cps) => Some(Scope {
                prosecutor: own,
                ..Scope::default()
            }),
            (Role::Manager, AgencyKind::Probation) => Some(Scope {
                probation: own,
                ..Scope::default()
            }),
            (Role::NationalAnalyst, _) => Some(Scope::default()),
            _ => None,
        }
    }

    /// Whether a report's rows link to the reader's own lists of the cases behind them: when it
    /// is over their own centre or area (so their caseload holds its cases) and the agreement
    /// lets their role see something of a case. Each case on a list is decided again.
    fn opens_cases_behind(&self, reader: &Reader, scope: &Scope) -> Result<bool, AppError> {
        if Self::home_scope(reader).as_ref() != Some(scope) {
            return Ok(false);
        }
        let matrix = self.policy.matrix()?;
        Ok(matrix.rows.iter().any(|(category, _)| {
            matrix
                .cell(reader.role, *category)
                .is_some_and(|cell| cell.full.is_some() || cell.summary.is_some())
        }))
    }

    /// The smallest count a report shows.
    pub fn threshold(&self) -> Threshold {
        self.threshold
    }

    /// A report, if the agreement lets `reader` see its scope; recorded either way.
    pub async fn report(
        &self,
        reader: &Reader,
        request: ReportRequest,
        form: ReportForm,
    ) -> Result<ReportOutcome, AppError> {
        let shown = self.policy.may_view_measures(reader, &request.scope)?;
        self.store
            .audit(vec![AuditEvent {
                actor: actor(reader),
                action: AuditAction::MeasuresViewed,
                subject: None,
                detail: AuditDetail::Measures {
                    report: request.report.as_str(),
                    period: request.period.to_string(),
                    court: request.scope.court.clone(),
                    force: request.scope.force.clone(),
                    prosecutor: request.scope.prosecutor.clone(),
                    probation: request.scope.probation.clone(),
                    form: form.as_str(),
                    shown,
                },
            }])
            .await?;
        if !shown {
            return Ok(ReportOutcome::Refused);
        }
        let offence_type = request.scope.offence_type;
        let mut request = request;
        let mut note = None;
        if request.report == ReportName::DataQuality && offence_type.is_some() {
            // A data-quality problem is about a message, not a case: it has no offence type.
            request.scope.offence_type = None;
            note = Some(
                "Data-quality problems are about the messages agencies sent, not cases, so \
                 they are not split by offence type: these are every problem's.",
            );
        }
        let mut grids = Grids::new(self);
        let mut tables = self.tables(&mut grids, &request).await?;
        let counted_at = grids.counted_at();
        if self.opens_cases_behind(reader, &request.scope)? {
            for table in &mut tables {
                table.link_cases();
            }
        }
        Ok(ReportOutcome::Shown(Box::new(Report {
            report: request.report,
            title: request.report.title(),
            period: request.period.to_string(),
            period_words: request.period.words(),
            previous_period: request.period.previous().words(),
            court: request.scope.court.as_ref().map(ToString::to_string),
            force: request.scope.force.as_ref().map(ToString::to_string),
            prosecutor: request.scope.prosecutor.as_ref().map(ToString::to_string),
            probation: request.scope.probation.as_ref().map(ToString::to_string),
            offence_type: offence_type.map(OffenceType::as_str),
            note,
            threshold: self.threshold.get(),
            counted_at,
            tables,
        })))
    }

    async fn tables(
        &self,
        grids: &mut Grids<'_>,
        request: &ReportRequest,
    ) -> Result<Vec<Table>, AppError> {
        match request.report {
            ReportName::Timeliness => tables::timeliness(grids, request).await,
            ReportName::Trials => tables::trials(grids, request).await,
            ReportName::Adjournments => tables::adjournments(grids, request).await,
            ReportName::Blockages => open::blockages(grids, request).await,
            ReportName::Caseload => open::caseload(grids, request).await,
            ReportName::DataQuality => open::data_quality(grids, request).await,
        }
    }

    /// Builds the grids every report of the current quarter reads, over the country, so that
    /// the first readers after a start are not kept waiting while they are built. Nobody is
    /// shown anything, so nothing is recorded.
    pub async fn warm_measures(&self, today: time::Date) -> Result<(), AppError> {
        let quarter = joinery_domain::measures::Month::of(today).quarter();
        for report in ReportName::ALL {
            let request = ReportRequest {
                report,
                period: Period::Quarter(quarter),
                scope: Scope::default(),
                today,
            };
            self.tables(&mut Grids::new(self), &request).await?;
        }
        Ok(())
    }
}
