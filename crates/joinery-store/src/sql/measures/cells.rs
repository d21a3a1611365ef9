//! The cells facts count in, moved in the transaction that folds their case. A transaction
//! gathers the cells its cases moved (each case's cells before, subtracted from its cells now)
//! and writes the sum once, in key order, at commit: a national load moves the same
//! country-wide cells thousands of times a commit.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::db::{Connection, Engine, params};
use joinery_domain::measures::{Month, Week};

use super::{Fact, NONE};
use crate::error::Error;

/// A cell a case counts in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Cell {
    /// One count of `measure` at a court, force, CPS area and probation service in a month (in the piece of an ISO week
    /// within it), as a value with a detail and, for a measure with days, the days its stretch
    /// took (`NO_DAYS` for one without): a measure's count is its cells' added up over days,
    /// so each ended stretch is one row, not a tally beside a day count.
    Tally {
        measure: &'static str,
        month: String,
        court: String,
        force: String,
        prosecutor: String,
        probation: String,
        offence_type: &'static str,
        value: Cow<'static, str>,
        detail: String,
        days: i64,
        week: String,
    },
    /// One thing held open at a court, force, CPS area and probation service now, as a value with a detail, kept by a day
    /// (its Julian day number).
    Open {
        measure: &'static str,
        court: String,
        force: String,
        prosecutor: String,
        probation: String,
        offence_type: &'static str,
        value: Cow<'static, str>,
        detail: String,
        day: i64,
    },
}

/// The days of a cell of a measure without days (`Measure::has_days`).
const NO_DAYS: i64 = -1;

/// The cells one case counts in, with how many times.
type Counted = BTreeMap<Cell, i64>;

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
                    prosecutor: fact.prosecutor,
                    probation: fact.probation,
                    offence_type: fact.offence_type,
                    value: fact.value,
                    detail: fact.detail,
                    day: i64::from(fact.on.to_julian_day()),
                })
                .or_default() += 1;
            continue;
        }
        let days = fact
            .days
            .filter(|_| fact.measure.has_days())
            .unwrap_or(NO_DAYS);
        // At its court with its force only: a force's and the country's add up their courts'
        // cells as they are read (and the reader keeps what it read).
        *counted
            .entry(Cell::Tally {
                measure: fact.measure.as_str(),
                month: Month::of(fact.on).to_string(),
                court: fact.court,
                force: fact.force,
                prosecutor: fact.prosecutor,
                probation: fact.probation,
                offence_type: fact.offence_type,
                value: fact.value,
                detail: fact.detail,
                days,
                week: Week::of(fact.on).to_string(),
            })
            .or_default() += 1;
    }
    counted
}

/// The cells a transaction moved: what its cases count now, less what they counted before.
#[derive(Debug, Default)]
pub(in crate::sql) struct Moved(BTreeMap<Cell, i64>);

impl Moved {
    /// Moves a case from the cells its facts counted in `before` (none, for a case the
    /// transaction opened or one folded again after the cells were emptied) to those of `now`.
    /// Most messages change no fact, and then no cell is built.
    pub(in crate::sql) fn case(&mut self, before: &[Fact], now: &[Fact]) {
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

    /// Writes every cell that moved, in key order; a cell left with no cases goes. The cells'
    /// version is raised when any moved.
    pub(in crate::sql) fn write(self, tx: &Connection) -> Result<(), Error> {
        let mut months: Vec<(&'static str, &str)> = self
            .0
            .iter()
            .filter(|(_, change)| **change != 0)
            .map(|(cell, _)| match cell {
                Cell::Tally { measure, month, .. } => (*measure, month.as_str()),
                // What is open is kept by no month: its version is under `-`.
                Cell::Open { measure, .. } => (*measure, NONE),
            })
            .collect();
        months.sort_unstable();
        months.dedup();
        let mut raise = tx.prepare_cached(
            "INSERT INTO mi_versions (measure, month, version) VALUES (?1, ?2, ?3) \
             ON CONFLICT (measure, month) DO UPDATE SET version = mi_versions.version + 1",
        )?;
        for (measure, month) in months {
            raise.run(params![measure, month, 1_i64])?;
        }
        drop(raise);
        let mut tally = tx.prepare_cached(
            "INSERT INTO mi_tallies (measure, month, court, force, prosecutor, probation, \
             offence_type, value, detail, days, week, cases) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
             ON CONFLICT (measure, month, court, force, prosecutor, probation, offence_type, \
             value, detail, days, week) DO UPDATE SET cases = mi_tallies.cases + excluded.cases",
        )?;
        let mut tally_emptied = Losing::prepare(
            tx,
            "DELETE FROM mi_tallies WHERE measure = ?1 AND month = ?2 AND court = ?3 \
             AND force = ?4 AND prosecutor = ?5 AND probation = ?6 AND offence_type = ?7 \
             AND value = ?8 AND detail = ?9 AND days = ?10 AND week = ?11 AND cases",
            "?12",
        )?;
        let mut open = tx.prepare_cached(
            "INSERT INTO mi_open (measure, court, force, prosecutor, probation, offence_type, \
             value, detail, day, cases) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
             ON CONFLICT (measure, court, force, prosecutor, probation, offence_type, value, \
             detail, day) DO UPDATE SET cases = mi_open.cases + excluded.cases",
        )?;
        let mut open_emptied = Losing::prepare(
            tx,
            "DELETE FROM mi_open WHERE measure = ?1 AND court = ?2 AND force = ?3 \
             AND prosecutor = ?4 AND probation = ?5 AND offence_type = ?6 AND value = ?7 \
             AND detail = ?8 AND day = ?9 AND cases",
            "?10",
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
                    prosecutor,
                    probation,
                    offence_type,
                    value,
                    detail,
                    day,
                } => {
                    moved_cell(
                        &mut open,
                        &mut open_emptied,
                        params![
                            measure,
                            court,
                            force,
                            prosecutor,
                            probation,
                            offence_type,
                            value,
                            detail,
                            day
                        ],
                        change,
                    )?;
                }
                Cell::Tally {
                    measure,
                    month,
                    court,
                    force,
                    prosecutor,
                    probation,
                    offence_type,
                    value,
                    detail,
                    days,
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
                            prosecutor,
                            probation,
                            offence_type,
                            value,
                            detail,
                            days,
                            week
                        ],
                        change,
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// How a cell that loses cases is taken away when it has none left.
enum Losing<'c> {
    /// On SQLite the cell is deleted if it held just the cases it loses, and told by the count
    /// changed; otherwise it is lowered. Most cells that lose cases lose their last (a case's
    /// idle day moves on with each message), so the delete is tried first; neither statement
    /// returns the count: SQLite keeps a statement's `RETURNING` rows in a table of its own,
    /// which made each cell's write cost half as much again.
    Counted(crate::db::Statement<'c>),
    /// On PostgreSQL a count read waits for every write sent before it, so the cell is lowered
    /// and then deleted if that emptied it, neither waited for.
    Sent(crate::db::Statement<'c>),
}

impl<'c> Losing<'c> {
    /// `delete` is the cell's delete up to its `cases` column; `all` the parameter SQLite's
    /// compares it with.
    fn prepare(tx: &'c Connection, delete: &str, all: &str) -> Result<Self, Error> {
        Ok(match tx.engine() {
            Engine::Sqlite => Self::Counted(tx.prepare_cached(&format!("{delete} = {all}"))?),
            Engine::Postgres => Self::Sent(tx.prepare_cached(&format!("{delete} = 0"))?),
        })
    }
}

/// Adds `change` to the cell at `key` (the statements' parameters but the last): a cell that
/// loses all it counted goes instead.
fn moved_cell(
    upsert: &mut crate::db::Statement<'_>,
    losing: &mut Losing<'_>,
    key: &[&dyn crate::db::Param],
    change: i64,
) -> Result<(), Error> {
    let all = -change;
    if let (true, Losing::Counted(emptied)) = (change < 0, &mut *losing) {
        let mut with_all = key.to_vec();
        with_all.push(&all);
        if emptied.execute(with_all.as_slice())? == 1 {
            return Ok(());
        }
    }
    let mut with_change = key.to_vec();
    with_change.push(&change);
    upsert.run(with_change.as_slice())?;
    if let (true, Losing::Sent(emptied)) = (change < 0, losing) {
        emptied.run(key)?;
    }
    Ok(())
}

/// Empties every cell: the refold counts every case again.
pub(in crate::sql) fn forget(tx: &Connection) -> Result<(), Error> {
    tx.execute_batch(
        "DELETE FROM mi_tallies; DELETE FROM mi_open; \
         UPDATE mi_versions SET version = version + 1;",
    )?;
    Ok(())
}
