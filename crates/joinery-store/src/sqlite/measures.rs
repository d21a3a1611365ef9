//! Management information in SQL: the cells each case counts in, moved in the transaction that
//! folds the case. `mi_tallies` counts what each case counts (`measures::tallies`) by month
//! (and the piece of its ISO week in that month), court and police force; `mi_timeliness` keeps the days each ended stretch (or piece of
//! requested work) took, for exact medians; `mi_open` counts what open cases hold open, by the
//! day that tells how long. A report adds up cells and never reads the cases.
//!
//! A transaction gathers the cells its cases moved (each case's cells before, subtracted from
//! its cells now) and writes the sum once, in key order, at commit: a national load moves the
//! same country-wide cells thousands of times a commit.

use std::collections::BTreeMap;

use joinery_domain::journey::OffenceType;
use joinery_domain::measures::{DayCounts, Measure, Month, Scope, Week, offence_type, tallies};
use joinery_domain::{AgencyCode, AgencyKind, CaseState};
use rusqlite::{Connection, params};

use super::caseloads::Lookups;
use crate::error::{Error, corrupt};

/// Where a case counts when no court has listed it, or no police force is on it.
const NONE: &str = "-";

/// A cell a case counts in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Cell {
    /// One count of `measure` at a court and force in a month (in the piece of an ISO week
    /// within it), as a value with a detail.
    Tally {
        measure: &'static str,
        month: String,
        court: String,
        force: String,
        offence_type: &'static str,
        value: &'static str,
        detail: String,
        week: String,
    },
    /// One thing held open at a court and force now, as a value with a detail, kept by a day
    /// (its Julian day number).
    Open {
        measure: &'static str,
        court: String,
        force: String,
        offence_type: &'static str,
        value: &'static str,
        detail: String,
        day: i32,
    },
    /// One stretch that took `days` and ended in a month, at a court with a force (or, `*` and
    /// `*`, anywhere); in the order the table keeps them (month first: a live commit's cells
    /// lie together in the current month), so a commit writes in order.
    Days {
        stretch: &'static str,
        month: String,
        court: String,
        force: String,
        offence_type: &'static str,
        days: i64,
        week: String,
    },
}

/// The cells one case counts in, with how many times.
pub(super) type Counted = BTreeMap<Cell, i64>;

/// One thing a case counts, with where: the measure's facts, as kept and as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub measure: Measure,
    pub on: time::Date,
    /// The court agency, or `-` for none.
    pub court: String,
    /// The police force on the case, or `-` for none.
    pub force: String,
    /// The type of the case's principal offence (`measures::offence_type`), or `-` for a
    /// data-quality problem.
    pub offence_type: &'static str,
    pub value: &'static str,
    pub detail: String,
    /// The stretch's days, for timeliness.
    pub days: Option<i64>,
}

/// Everything a case in `state` counts, with its court and police force.
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
    let force = state
        .agencies
        .iter()
        .find(|agency| kinds.get(*agency) == Some(&AgencyKind::Police))
        .map_or_else(|| NONE.to_owned(), ToString::to_string);
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
            offence_type,
            value: tally.value,
            detail: tally.detail,
            days: tally.days,
        })
        .collect())
}

/// What one data-quality problem counts, at its sender's place (a court's problems at the
/// court, a police force's at the force, any other agency's only in the whole country's):
/// raised in the month it was raised; while open, open since the day it was raised; once
/// resolved, resolved in that month with the days it took. By the sending agency's kind, and
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
    let (court, force) = match kind {
        Some(AgencyKind::Court) => (sender.to_string(), NONE.to_owned()),
        Some(AgencyKind::Police) => (NONE.to_owned(), sender.to_string()),
        _ => (NONE.to_owned(), NONE.to_owned()),
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
        court: court.clone(),
        force: force.clone(),
        offence_type: NONE,
        value: kind.map_or("", AgencyKind::as_str),
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
        let mut query = tx.prepare(&format!(
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

/// The cells `facts` (one case's) count in.
fn counted(facts: &[Fact]) -> Counted {
    let mut counted = Counted::new();
    for fact in facts.iter().cloned() {
        if fact.measure.is_open() {
            *counted
                .entry(Cell::Open {
                    measure: fact.measure.as_str(),
                    court: fact.court,
                    force: fact.force,
                    offence_type: fact.offence_type,
                    value: fact.value,
                    detail: fact.detail,
                    day: fact.on.to_julian_day(),
                })
                .or_default() += 1;
            continue;
        }
        let month = Month::of(fact.on).to_string();
        let week = Week::of(fact.on).to_string();
        if let (true, Some(days)) = (fact.measure.has_days(), fact.days) {
            // At its court with its force only: a force's and the country's medians add up
            // their courts' cells as they are read (and the reader keeps what it read).
            *counted
                .entry(Cell::Days {
                    stretch: fact.measure.as_str(),
                    month: month.clone(),
                    court: fact.court.clone(),
                    force: fact.force.clone(),
                    offence_type: fact.offence_type,
                    days,
                    week: week.clone(),
                })
                .or_default() += 1;
        }
        *counted
            .entry(Cell::Tally {
                measure: fact.measure.as_str(),
                month,
                court: fact.court,
                force: fact.force,
                offence_type: fact.offence_type,
                value: fact.value,
                detail: fact.detail,
                week,
            })
            .or_default() += 1;
    }
    counted
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
/// `each`: what `joinery export` writes; how many. Reads every case: for the operator's
/// command line, never for a page.
pub fn each_fact<E: std::error::Error + Send + Sync + 'static>(
    path: &std::path::Path,
    mut each: impl FnMut(&Fact) -> Result<(), E>,
) -> Result<u64, ExportError> {
    let connection = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(Error::from)?;
    let mut lookups = Lookups::default();
    let mut query = connection
        .prepare("SELECT state FROM cases ORDER BY case_no")
        .map_err(Error::from)?;
    let mut rows = query.query([]).map_err(Error::from)?;
    let mut written = 0;
    while let Some(row) = rows.next().map_err(Error::from)? {
        let json: String = row.get(0).map_err(Error::from)?;
        let state: CaseState = serde_json::from_str(&json).map_err(corrupt)?;
        for fact in facts(&connection, &state, &mut lookups)? {
            each(&fact).map_err(|error| ExportError::Write(Box::new(error)))?;
            written += 1;
        }
    }
    drop(rows);
    for fact in every_exception_fact(&connection, &mut lookups)? {
        each(&fact).map_err(|error| ExportError::Write(Box::new(error)))?;
        written += 1;
    }
    Ok(written)
}

/// The cells a transaction moved: what its cases count now, less what they counted before.
#[derive(Debug, Default)]
pub(super) struct Moved(BTreeMap<Cell, i64>);

impl Moved {
    /// Moves a case from the cells its facts counted in `before` (none, for a case the
    /// transaction opened or one folded again after the cells were emptied) to those of `now`.
    /// Most messages change no fact, and then no cell is built.
    pub(super) fn case(&mut self, before: &[Fact], now: &[Fact]) {
        if before == now {
            return;
        }
        for (cell, times) in counted(before) {
            *self.0.entry(cell).or_default() -= times;
        }
        for (cell, times) in counted(now) {
            *self.0.entry(cell).or_default() += times;
        }
    }

    /// Writes every cell that moved, in key order; a cell left with no cases goes (the upsert
    /// says what it left, so a cell that still counts something is not sought again). The
    /// cells' version is raised when any moved.
    pub(super) fn write(self, tx: &Connection) -> Result<(), Error> {
        // Every moved day count moves its tally too: the tallies name every month moved.
        let mut months: Vec<(&'static str, &str)> = self
            .0
            .iter()
            .filter(|(_, change)| **change != 0)
            .filter_map(|(cell, _)| match cell {
                Cell::Tally { measure, month, .. } => Some((*measure, month.as_str())),
                // What is open is kept by no month: its version is under `-`.
                Cell::Open { measure, .. } => Some((*measure, NONE)),
                Cell::Days { .. } => None,
            })
            .collect();
        months.sort_unstable();
        months.dedup();
        let mut raise = tx.prepare_cached(
            "INSERT INTO mi_versions (measure, month, version) VALUES (?1, ?2, 1) \
             ON CONFLICT DO UPDATE SET version = version + 1",
        )?;
        for (measure, month) in months {
            raise.execute(params![measure, month])?;
        }
        drop(raise);
        let mut tally = tx.prepare_cached(
            "INSERT INTO mi_tallies \
             (measure, month, court, force, offence_type, value, detail, week, cases) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
             ON CONFLICT DO UPDATE SET cases = cases + excluded.cases \
             RETURNING cases",
        )?;
        let mut tally_emptied = tx.prepare_cached(
            "DELETE FROM mi_tallies WHERE measure = ?1 AND month = ?2 AND court = ?3 \
             AND force = ?4 AND offence_type = ?5 AND value = ?6 AND detail = ?7 AND week = ?8 \
             AND cases = 0",
        )?;
        let mut days = tx.prepare_cached(
            "INSERT INTO mi_timeliness \
             (stretch, month, court, force, offence_type, days, week, cases) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
             ON CONFLICT DO UPDATE SET cases = cases + excluded.cases \
             RETURNING cases",
        )?;
        let mut days_emptied = tx.prepare_cached(
            "DELETE FROM mi_timeliness WHERE stretch = ?1 AND month = ?2 AND court = ?3 \
             AND force = ?4 AND offence_type = ?5 AND days = ?6 AND week = ?7 AND cases = 0",
        )?;
        let mut open = tx.prepare_cached(
            "INSERT INTO mi_open (measure, court, force, offence_type, value, detail, day, cases) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
             ON CONFLICT DO UPDATE SET cases = cases + excluded.cases \
             RETURNING cases",
        )?;
        let mut open_emptied = tx.prepare_cached(
            "DELETE FROM mi_open WHERE measure = ?1 AND court = ?2 AND force = ?3 \
             AND offence_type = ?4 AND value = ?5 AND detail = ?6 AND day = ?7 AND cases = 0",
        )?;
        for (cell, change) in self.0 {
            if change == 0 {
                continue;
            }
            match cell {
                Cell::Open {
                    measure,
                    court,
                    force,
                    offence_type,
                    value,
                    detail,
                    day,
                } => {
                    moved_cell(
                        &mut open,
                        &mut open_emptied,
                        params![measure, court, force, offence_type, value, detail, day],
                        change,
                    )?;
                }
                Cell::Tally {
                    measure,
                    month,
                    court,
                    force,
                    offence_type,
                    value,
                    detail,
                    week,
                } => {
                    moved_cell(
                        &mut tally,
                        &mut tally_emptied,
                        params![
                            measure,
                            month,
                            court,
                            force,
                            offence_type,
                            value,
                            detail,
                            week
                        ],
                        change,
                    )?;
                }
                Cell::Days {
                    stretch,
                    month,
                    court,
                    force,
                    offence_type,
                    days: length,
                    week,
                } => {
                    moved_cell(
                        &mut days,
                        &mut days_emptied,
                        params![stretch, month, court, force, offence_type, length, week],
                        change,
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// Adds `change` to the cell at `key` (the upsert's parameters but the last) and deletes it
/// if that leaves it counting nothing.
fn moved_cell(
    upsert: &mut rusqlite::CachedStatement<'_>,
    emptied: &mut rusqlite::CachedStatement<'_>,
    key: &[&dyn rusqlite::ToSql],
    change: i64,
) -> Result<(), Error> {
    let mut with_change = key.to_vec();
    with_change.push(&change);
    let left: i64 = upsert.query_row(with_change.as_slice(), |row| row.get(0))?;
    if left == 0 {
        emptied.execute(key)?;
    }
    Ok(())
}

/// Empties every cell: the refold counts every case again.
pub(super) fn forget(tx: &Connection) -> Result<(), Error> {
    tx.execute_batch(
        "DELETE FROM mi_timeliness; DELETE FROM mi_tallies; DELETE FROM mi_open; \
         UPDATE mi_versions SET version = version + 1;",
    )?;
    Ok(())
}

/// How many cases took each number of days in `measure` (one with days), by the month their
/// stretch ended and the piece of its ISO week in that month, among the months `from` to `to`
/// (inclusive) in `scope`.
pub(super) fn timeliness(
    connection: &Connection,
    measure: Measure,
    from: Month,
    to: Month,
    scope: &Scope,
) -> Result<BTreeMap<(Month, Week), DayCounts>, Error> {
    // The cells are kept at each court with each force: a scope's figures add up those it
    // covers. Each month is read apart: the cells lie by month, then court. Every offence
    // type's cells are added up unless one is asked for.
    let court = scope.court.as_ref().map(ToString::to_string);
    let force = scope.force.as_ref().map(ToString::to_string);
    let offence_type = scope.offence_type.map(OffenceType::as_str);
    let mut rows: Vec<(String, String, i64, i64)> = Vec::new();
    let mut month = from;
    while month <= to {
        let at = month.to_string();
        let stretch = measure.as_str();
        rows.extend(match (&court, &force) {
            (Some(court), Some(force)) => super::rows::<(String, String, i64, i64)>(
                connection,
                TIMELINESS,
                params![stretch, at, court, force, offence_type],
            )?,
            (Some(court), None) => super::rows(
                connection,
                TIMELINESS_OF_COURT,
                params![stretch, at, court, offence_type],
            )?,
            (None, Some(force)) => super::rows(
                connection,
                TIMELINESS_OF_FORCE,
                params![stretch, at, force, offence_type],
            )?,
            (None, None) => super::rows(
                connection,
                TIMELINESS_EVERYWHERE,
                params![stretch, at, offence_type],
            )?,
        });
        month = month.next();
    }
    let mut months: BTreeMap<(Month, Week), DayCounts> = BTreeMap::new();
    for (month, week, days, cases) in rows {
        let month = Month::parse(&month).map_err(corrupt)?;
        let week = Week::parse(&week).map_err(corrupt)?;
        months
            .entry((month, week))
            .or_default()
            .add(days, u64::try_from(cases).map_err(corrupt)?);
    }
    Ok(months)
}

/// The day counts of one court's cells with one force in a month, of one offence type (`?5`)
/// or of every one (`NULL`). Not added up here: the cells of each type come in the key's order,
/// not by days, and adding them up in SQL would sort them every time; `DayCounts` adds them as
/// they come.
pub(super) const TIMELINESS: &str = "SELECT month, week, days, cases FROM mi_timeliness \
     WHERE stretch = ?1 AND month = ?2 AND court = ?3 AND force = ?4 \
     AND (?5 IS NULL OR offence_type = ?5)";

/// The day counts of one court's cells with every force it has cases of, in a month, of one
/// offence type (`?4`) or of every one (`NULL`); added up as they come, as above.
pub(super) const TIMELINESS_OF_COURT: &str = "SELECT month, week, days, cases FROM mi_timeliness \
     WHERE stretch = ?1 AND month = ?2 AND court = ?3 AND (?4 IS NULL OR offence_type = ?4)";

/// The day counts of one force's cells at every court, in a month: the month's cells read by
/// index and the force's kept (a reader keeps what it read, and reads it again in the
/// background once it moves).
pub(super) const TIMELINESS_OF_FORCE: &str = "SELECT month, week, days, cases FROM mi_timeliness \
     WHERE stretch = ?1 AND month = ?2 AND force = ?3 AND (?4 IS NULL OR offence_type = ?4)";

/// The day counts of every court's cells in a month, for the whole country.
pub(super) const TIMELINESS_EVERYWHERE: &str = "SELECT month, week, days, cases \
     FROM mi_timeliness WHERE stretch = ?1 AND month = ?2 AND (?3 IS NULL OR offence_type = ?3)";

/// The version of `measure`'s cells of the months `from` to `to`: the sum of each month's, so
/// it rises whenever any of them moves.
pub(super) fn version(
    connection: &Connection,
    measure: Measure,
    from: Month,
    to: Month,
) -> Result<u64, Error> {
    let version: i64 = connection.prepare_cached(VERSION)?.query_row(
        params![measure.as_str(), from.to_string(), to.to_string()],
        |row| row.get(0),
    )?;
    u64::try_from(version).map_err(corrupt)
}

/// The version of what is open in `measure`: it rises whenever any of its cells moves.
pub(super) fn open_version(connection: &Connection, measure: Measure) -> Result<u64, Error> {
    let version: i64 = connection
        .prepare_cached(VERSION)?
        .query_row(params![measure.as_str(), NONE, NONE], |row| row.get(0))?;
    u64::try_from(version).map_err(corrupt)
}

pub(super) const VERSION: &str = "SELECT COALESCE(SUM(version), 0) FROM mi_versions \
     WHERE measure = ?1 AND month BETWEEN ?2 AND ?3";

/// Every court-by-force cell of `measure` in the months `from` to `to`.
pub(super) fn tallies_between(
    connection: &Connection,
    measure: Measure,
    from: Month,
    to: Month,
) -> Result<Vec<TallyRow>, Error> {
    type Row = (String, String, String, String, String, String, String, i64);
    let rows: Vec<Row> = super::rows(
        connection,
        TALLIES,
        params![measure.as_str(), from.to_string(), to.to_string()],
    )?;
    rows.into_iter()
        .map(
            |(month, week, court, force, offence_type, value, detail, cases)| {
                Ok(TallyRow {
                    month: Month::parse(&month).map_err(corrupt)?,
                    week: Week::parse(&week).map_err(corrupt)?,
                    court: place(&court)?,
                    force: place(&force)?,
                    offence_type,
                    value,
                    detail,
                    cases: u64::try_from(cases).map_err(corrupt)?,
                })
            },
        )
        .collect()
}

pub(super) const TALLIES: &str = "SELECT month, week, court, force, offence_type, value, \
     detail, cases FROM mi_tallies WHERE measure = ?1 AND month BETWEEN ?2 AND ?3";

/// Every court-by-force cell of what is open in `measure`, each day put in its band of days
/// before `today`, with the bands' counts added up.
pub(super) fn open_between(
    connection: &Connection,
    measure: Measure,
    today: time::Date,
) -> Result<Vec<OpenRow>, Error> {
    // The rows come in key order, so a cell's days come together: its text is read once, when
    // the next cell starts, and its days counted into its bands (a national year's cells of
    // what is open are a few hundred thousand rows, read on a grid's first look).
    let bands = joinery_domain::measures::bands(measure).len();
    let mut statement = connection.prepare_cached(OPEN)?;
    let mut rows = statement.query(params![measure.as_str()])?;
    let mut out = Vec::new();
    let mut current: Option<([String; 5], Vec<u64>)> = None;
    let finish = |cell: Option<([String; 5], Vec<u64>)>, out: &mut Vec<OpenRow>| {
        let Some(([court, force, offence_type, value, detail], counts)) = cell else {
            return Ok::<(), Error>(());
        };
        let (court, force) = (place(&court)?, place(&force)?);
        for (band, cases) in counts.into_iter().enumerate() {
            if cases > 0 {
                out.push(OpenRow {
                    band,
                    court: court.clone(),
                    force: force.clone(),
                    offence_type: offence_type.clone(),
                    value: value.clone(),
                    detail: detail.clone(),
                    cases,
                });
            }
        }
        Ok(())
    };
    while let Some(row) = rows.next()? {
        let same = match &current {
            Some((key, _)) => (0..5).all(|i| {
                row.get_ref(i)
                    .ok()
                    .and_then(|value| value.as_str().ok())
                    .is_some_and(|text| text == key[i])
            }),
            None => false,
        };
        if !same {
            finish(current.take(), &mut out)?;
            let key = [
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ];
            current = Some((key, vec![0; bands.max(1)]));
        }
        let day: i32 = row.get(5)?;
        let day = time::Date::from_julian_day(day).map_err(corrupt)?;
        let cases: i64 = row.get(6)?;
        if let Some((_, counts)) = &mut current {
            let band = band_of(measure, day, today).min(counts.len() - 1);
            counts[band] += u64::try_from(cases).map_err(corrupt)?;
        }
    }
    finish(current, &mut out)?;
    Ok(out)
}

pub(super) const OPEN: &str = "SELECT court, force, offence_type, value, detail, day, cases \
     FROM mi_open WHERE measure = ?1 ORDER BY court, force, offence_type, value, detail, day";

fn place(code: &str) -> Result<Option<AgencyCode>, Error> {
    (code != NONE)
        .then(|| AgencyCode::parse(code))
        .transpose()
        .map_err(corrupt)
}

use joinery_domain::measures::band_of;
use joinery_ports::{OpenRow, TallyRow};
