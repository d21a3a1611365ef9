//! Management information in SQL: the cells each case counts in, moved in the transaction that
//! folds the case. `mi_tallies` counts what each case counts (`measures::tallies`) by month
//! (and the piece of its ISO week in that month), court, police force, CPS area, probation
//! service and offence type, and,
//! for a stretch or a piece of requested work, by the days it took, for exact medians;
//! `mi_open` counts what open cases hold open, by the day that tells how long. A report adds up
//! cells and never reads the cases.
//!
//! Here, what each case and each data-quality problem counts (its facts, as kept and as
//! exported); `cells` moves the cells they count in, `read` adds cells up for a report.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::db::Connection;
use joinery_domain::measures::{Measure, offence_type, tallies};
use joinery_domain::{AgencyCode, AgencyKind, CaseState};

use super::caseloads::Lookups;
use crate::error::{Error, corrupt};

mod cells;
mod read;

pub(super) use cells::{Moved, forget};
pub(super) use read::{
    OPEN, TALLIES, TIMELINESS, TIMELINESS_EVERYWHERE, TIMELINESS_OF_COURT, TIMELINESS_OF_FORCE,
    VERSION, open_between, open_version, tallies_between, timeliness, version,
};

/// Where a case counts when no court has listed it, or no police force is on it.
const NONE: &str = "-";

/// One thing a case counts, with where: the measure's facts, as kept and as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub measure: Measure,
    pub on: time::Date,
    /// The court agency, or `-` for none.
    pub court: String,
    /// The police force on the case, or `-` for none.
    pub force: String,
    /// The CPS area on the case, or `-` for none.
    pub prosecutor: String,
    /// The probation service on the case, or `-` for none.
    pub probation: String,
    /// The type of the case's principal offence (`measures::offence_type`), or `-` for a
    /// data-quality problem.
    pub offence_type: &'static str,
    /// The value the measure splits by: its own words (a trial's outcome), or, for a
    /// data-quality problem, the code of the agency that sent the message.
    pub value: Cow<'static, str>,
    pub detail: String,
    /// The stretch's days, for timeliness.
    pub days: Option<i64>,
}

/// Everything a case in `state` counts, with its court, police force, CPS area and probation
/// service.
pub(super) fn facts(
    tx: &Connection,
    state: &CaseState,
    lookups: &mut Lookups,
) -> Result<Vec<Fact>, Error> {
    let mut kinds = BTreeMap::new();
    let asked = state.actions.iter().map(|action| &action.owner);
    for agency in state.agencies.iter().chain(asked) {
        if let Some(kind) = lookups.kind(tx, agency)? {
            kinds.insert(agency.clone(), kind);
        }
    }
    let tallies = tallies(state, &kinds);
    if tallies.is_empty() {
        return Ok(Vec::new());
    }
    // A case's force, CPS area and probation service are those of their kind on its team (the
    // first by code, should it have two: a case moved from one to another counts at both).
    let on_team = |kind: AgencyKind| {
        state
            .agencies
            .iter()
            .find(|agency| kinds.get(*agency) == Some(&kind))
            .map_or_else(|| NONE.to_owned(), ToString::to_string)
    };
    let force = on_team(AgencyKind::Police);
    let prosecutor = on_team(AgencyKind::Cps);
    let probation = on_team(AgencyKind::Probation);
    let offence_type = offence_type(state).as_str();
    Ok(tallies
        .into_iter()
        .map(|tally| Fact {
            measure: tally.measure,
            on: tally.on,
            court: tally
                .court
                .as_ref()
                .map_or_else(|| NONE.to_owned(), ToString::to_string),
            force: force.clone(),
            prosecutor: prosecutor.clone(),
            probation: probation.clone(),
            offence_type,
            value: Cow::Borrowed(tally.value),
            detail: tally.detail,
            days: tally.days,
        })
        .collect())
}

/// What one data-quality problem counts, at its sender's place (a court's problems at the
/// court, a police force's at the force, a CPS area's and a probation service's at theirs, a
/// support service's only in the whole country's):
/// raised in the month it was raised; while open, open since the day it was raised; once
/// resolved, resolved in that month with the days it took. By the sending agency (its code), and
/// the problem's code.
pub(super) fn exception_facts(
    tx: &Connection,
    lookups: &mut Lookups,
    sender: &AgencyCode,
    code: &str,
    raised: &str,
    resolved: Option<&str>,
) -> Result<Vec<Fact>, Error> {
    let kind = lookups.kind(tx, sender)?;
    let at = |place: AgencyKind| {
        if kind == Some(place) {
            sender.to_string()
        } else {
            NONE.to_owned()
        }
    };
    let day = |at: &str| {
        joinery_domain::Timestamp::parse(at)
            .map(|at| at.date())
            .map_err(corrupt)
    };
    let raised = day(raised)?;
    let fact = |measure: Measure, on: time::Date, days: Option<i64>| Fact {
        measure,
        on,
        court: at(AgencyKind::Court),
        force: at(AgencyKind::Police),
        prosecutor: at(AgencyKind::Cps),
        probation: at(AgencyKind::Probation),
        offence_type: NONE,
        // By the sending agency's code; a report names it and groups agencies by kind.
        value: if kind.is_some() {
            Cow::Owned(sender.to_string())
        } else {
            Cow::Borrowed("")
        },
        detail: code.to_owned(),
        days,
    };
    let mut facts = vec![fact(Measure::Exceptions, raised, None)];
    match resolved {
        None => facts.push(fact(Measure::OpenExceptions, raised, None)),
        Some(resolved) => {
            let resolved = day(resolved)?;
            let days = (resolved - raised).whole_days().max(0);
            facts.push(fact(Measure::ExceptionsResolved, resolved, Some(days)));
        }
    }
    Ok(facts)
}

/// Every data-quality problem's facts, to `moved`: the refold counts them again after it
/// emptied every cell.
pub(super) fn count_exceptions(
    tx: &Connection,
    lookups: &mut Lookups,
    moved: &mut Moved,
) -> Result<(), Error> {
    moved.case(&[], &every_exception_fact(tx, lookups)?);
    Ok(())
}

/// Every data-quality problem's facts, as kept.
fn every_exception_fact(tx: &Connection, lookups: &mut Lookups) -> Result<Vec<Fact>, Error> {
    let mut facts = Vec::new();
    for table in ["exceptions", "message_exceptions"] {
        let mut query = tx.prepare_cached(&format!(
            "SELECT agency, code, raised_at, resolved_at FROM {table}"
        ))?;
        let mut rows = query.query([])?;
        while let Some(row) = rows.next()? {
            let agency: String = row.get(0)?;
            let code: String = row.get(1)?;
            let raised: String = row.get(2)?;
            let resolved: Option<String> = row.get(3)?;
            let agency = AgencyCode::parse(&agency).map_err(corrupt)?;
            facts.extend(exception_facts(
                tx,
                lookups,
                &agency,
                &code,
                &raised,
                resolved.as_deref(),
            )?);
        }
    }
    Ok(facts)
}

/// Writing an export failed: reading the store, or the writer.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] joinery_ports::StoreError),
    #[error("writing the export failed: {0}")]
    Write(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<Error> for ExportError {
    fn from(error: Error) -> Self {
        Self::Store(error.into())
    }
}

/// Every fact of every stored case, case by case, then of every data-quality problem, to
/// `each`: what `joinery export` writes; how many. Reads every case, in one snapshot, walked
/// (never all held at once): for the operator's command line, never for a page. On a
/// PostgreSQL server it must be called from a thread outside any async runtime.
pub fn each_fact<E: std::error::Error + Send + Sync + 'static>(
    database: &super::Database,
    mut each: impl FnMut(&Fact) -> Result<(), E>,
) -> Result<u64, ExportError> {
    let connection = match database {
        super::Database::File(path) => Connection::Sqlite(
            rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(Error::from)?,
        ),
        super::Database::Server(url) => {
            Connection::Postgres(Box::new(crate::db::PgConnection::connect(url)?))
        }
    };
    let tx = connection.unchecked_transaction()?;
    let connection: &Connection = &tx;
    let mut lookups = Lookups::default();
    let mut query = connection.prepare_cached("SELECT state FROM cases ORDER BY case_no")?;
    let mut rows = query.walk([])?;
    let mut written = 0;
    while let Some(row) = rows.next()? {
        let json: String = row.get(0)?;
        let state: CaseState = serde_json::from_str(&json).map_err(corrupt)?;
        for fact in facts(connection, &state, &mut lookups)? {
            each(&fact).map_err(|error| ExportError::Write(Box::new(error)))?;
            written += 1;
        }
    }
    drop(rows);
    drop(query);
    for fact in every_exception_fact(connection, &mut lookups)? {
        each(&fact).map_err(|error| ExportError::Write(Box::new(error)))?;
        written += 1;
    }
    tx.commit()?;
    Ok(written)
}
