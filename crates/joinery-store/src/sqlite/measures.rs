//! Management information's timeliness in SQL: the day counts of every cell a case's ended
//! stretches fall in (`mi_timeliness`), moved in the transaction that folds the case when a
//! milestone moves, so that a report adds up cells and never reads the cases.

use std::collections::BTreeMap;

use joinery_domain::measures::{DayCounts, Interval, Milestones};
use joinery_domain::{AgencyKind, CaseState};
use rusqlite::{Connection, params};
use time::Date;

use super::caseloads::Lookups;
use crate::error::{Error, corrupt};

/// Where a stretch counts when no court has listed the case, or no police force is on it.
const NONE: &str = "-";
/// The cell for every court, or every force.
const EVERY: &str = "*";

/// One ended stretch of a case, with the cells it counts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Kept {
    ended_on: String,
    days: i64,
    court: String,
    force: String,
}

/// A case's ended stretches, by name.
pub(super) type Stretches = BTreeMap<&'static str, Kept>;

/// What a case in `state` counts: each ended stretch, with where.
pub(super) fn stretches(
    tx: &Connection,
    state: &CaseState,
    lookups: &mut Lookups,
) -> Result<Stretches, Error> {
    let court = state
        .hearings
        .iter()
        .min_by_key(|hearing| hearing.starts_at)
        .map_or_else(|| NONE.to_owned(), |hearing| hearing.court.to_string());
    let mut force = NONE.to_owned();
    for agency in &state.agencies {
        if lookups.kind(tx, agency)? == Some(AgencyKind::Police) {
            force = agency.to_string();
            break;
        }
    }
    Ok(Milestones::of(state)
        .stretches()
        .map(|(interval, ended, days)| {
            (
                interval.as_str(),
                Kept {
                    ended_on: ended.to_string(),
                    days,
                    court: court.clone(),
                    force: force.clone(),
                },
            )
        })
        .collect())
}

/// Moves a case's stretches in the cells from `before` (what its state said when the
/// transaction first touched it; nothing, for a case it opened or one folded again from its
/// events after its cells were emptied) to `now`. Most messages move no milestone, and then
/// nothing is written.
pub(super) fn write(tx: &Connection, before: &Stretches, now: &Stretches) -> Result<(), Error> {
    if before == now {
        return Ok(());
    }
    for (stretch, kept) in before {
        if now.get(stretch) != Some(kept) {
            count(tx, stretch, kept, -1)?;
        }
    }
    for (stretch, kept) in now {
        if before.get(stretch) != Some(kept) {
            count(tx, stretch, kept, 1)?;
        }
    }
    Ok(())
}

/// Empties every cell: the refold counts every case again.
pub(super) fn forget(tx: &Connection) -> Result<(), Error> {
    tx.execute("DELETE FROM mi_timeliness", [])?;
    Ok(())
}

/// Adds `change` cases to every cell `kept` counts in: its court and force, every court by its
/// force, and the whole country. A court's figures add up its forces' cells (a court's cases
/// come from few forces); a force's and the country's have cells of their own.
fn count(tx: &Connection, stretch: &str, kept: &Kept, change: i64) -> Result<(), Error> {
    let month = kept
        .ended_on
        .get(..7)
        .ok_or_else(|| corrupt("a day too short"))?;
    let mut add = tx.prepare_cached(
        "INSERT INTO mi_timeliness (stretch, month, court, force, days, cases) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO UPDATE SET cases = cases + excluded.cases",
    )?;
    let mut emptied = tx.prepare_cached(
        "DELETE FROM mi_timeliness WHERE stretch = ?1 AND month = ?2 AND court = ?3 \
         AND force = ?4 AND days = ?5 AND cases = 0",
    )?;
    for (court, force) in [
        (kept.court.as_str(), kept.force.as_str()),
        (EVERY, kept.force.as_str()),
        (EVERY, EVERY),
    ] {
        add.execute(params![stretch, month, court, force, kept.days, change])?;
        if change < 0 {
            emptied.execute(params![stretch, month, court, force, kept.days])?;
        }
    }
    Ok(())
}

/// How many cases took each number of days over `interval`, among those whose stretch ended
/// in the months `from` to `to` (inclusive) at `court` and `force` (`None`: every one).
pub(super) fn timeliness(
    connection: &Connection,
    interval: Interval,
    from: Date,
    to: Date,
    court: Option<&str>,
    force: Option<&str>,
) -> Result<DayCounts, Error> {
    let month = |day: Date| day.to_string().get(..7).unwrap_or_default().to_owned();
    // One court's figures add up its forces' cells; every court's are cells of their own.
    let force = match (court, force) {
        (Some(_), None) => None,
        (_, force) => Some(force.unwrap_or(EVERY)),
    };
    let rows: Vec<(i64, i64)> = super::rows(
        connection,
        TIMELINESS,
        params![
            interval.as_str(),
            month(from),
            month(to),
            court.unwrap_or(EVERY),
            force
        ],
    )?;
    let mut counts = DayCounts::default();
    for (days, cases) in rows {
        counts.add(days, u64::try_from(cases).map_err(corrupt)?);
    }
    Ok(counts)
}

/// The day counts of a court's cells (every court's: `*`), of one force or every force (`NULL`),
/// over months.
pub(super) const TIMELINESS: &str = "SELECT days, SUM(cases) FROM mi_timeliness \
     WHERE stretch = ?1 AND month BETWEEN ?2 AND ?3 AND court = ?4 AND (?5 IS NULL OR force = ?5) \
     GROUP BY days";
