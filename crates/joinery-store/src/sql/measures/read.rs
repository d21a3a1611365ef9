//! Reading cells for a report: a measure's cells over a quarter, a scope's day counts, what
//! is open banded by days, and the versions a reader keeps what it read under.

use std::collections::BTreeMap;

use crate::db::{Connection, Row, params};
use joinery_domain::AgencyCode;
use joinery_domain::journey::OffenceType;
use joinery_domain::measures::{DayCounts, Measure, Month, Scope, Week, band_of};
use joinery_ports::{OpenRow, Places, TallyRow};

use super::NONE;
use crate::error::{Error, corrupt};

/// How many cases took each number of days in `measure` (one with days), by the month their
/// stretch ended and the piece of its ISO week in that month, among the months `from` to `to`
/// (inclusive) in `scope`.
pub(in crate::sql) fn timeliness(
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
    let prosecutor = scope.prosecutor.as_ref().map(ToString::to_string);
    let probation = scope.probation.as_ref().map(ToString::to_string);
    let offence_type = scope.offence_type.map(OffenceType::as_str);
    let mut rows: Vec<(String, String, i64, i64)> = Vec::new();
    let mut month = from;
    while month <= to {
        let at = month.to_string();
        let stretch = measure.as_str();
        let (prosecutor, probation) = (&prosecutor, &probation);
        rows.extend(match (&court, &force) {
            (Some(court), Some(force)) => crate::sql::rows::<(String, String, i64, i64)>(
                connection,
                TIMELINESS,
                params![
                    stretch,
                    at,
                    court,
                    force,
                    offence_type,
                    prosecutor,
                    probation
                ],
            )?,
            (Some(court), None) => crate::sql::rows(
                connection,
                TIMELINESS_OF_COURT,
                params![stretch, at, court, offence_type, prosecutor, probation],
            )?,
            (None, Some(force)) => crate::sql::rows(
                connection,
                TIMELINESS_OF_FORCE,
                params![stretch, at, force, offence_type, prosecutor, probation],
            )?,
            (None, None) => crate::sql::rows(
                connection,
                TIMELINESS_EVERYWHERE,
                params![stretch, at, offence_type, prosecutor, probation],
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
/// or of every one (`NULL`), of one CPS area (`?6`) and probation service (`?7`) or of every one
/// (`NULL`). Not added up here: the cells of each type come in the key's order, not by days, and
/// adding them up in SQL would sort them every time; `DayCounts` adds them as they come.
pub(in crate::sql) const TIMELINESS: &str = "SELECT month, week, days, cases FROM mi_tallies \
     WHERE measure = ?1 AND month = ?2 AND court = ?3 AND force = ?4 \
     AND (CAST(?5 AS TEXT) IS NULL OR offence_type = ?5) AND (CAST(?6 AS TEXT) IS NULL OR prosecutor = ?6) \
     AND (CAST(?7 AS TEXT) IS NULL OR probation = ?7)";

/// The day counts of one court's cells with every force it has cases of, in a month, narrowed
/// as above (`?4` to `?6`); added up as they come.
pub(in crate::sql) const TIMELINESS_OF_COURT: &str = "SELECT month, week, days, cases FROM mi_tallies \
     WHERE measure = ?1 AND month = ?2 AND court = ?3 AND (CAST(?4 AS TEXT) IS NULL OR offence_type = ?4) \
     AND (CAST(?5 AS TEXT) IS NULL OR prosecutor = ?5) AND (CAST(?6 AS TEXT) IS NULL OR probation = ?6)";

/// The day counts of one force's cells at every court, in a month: the month's cells read by
/// index and the force's kept (a reader keeps what it read, and reads it again in the
/// background once it moves); narrowed as above (`?4` to `?6`).
pub(in crate::sql) const TIMELINESS_OF_FORCE: &str = "SELECT month, week, days, cases FROM mi_tallies \
     WHERE measure = ?1 AND month = ?2 AND force = ?3 AND (CAST(?4 AS TEXT) IS NULL OR offence_type = ?4) \
     AND (CAST(?5 AS TEXT) IS NULL OR prosecutor = ?5) AND (CAST(?6 AS TEXT) IS NULL OR probation = ?6)";

/// The day counts of every court's cells in a month, for the whole country, a CPS area or a
/// probation service (`?4`, `?5`; read by the month's index as a force's are).
pub(in crate::sql) const TIMELINESS_EVERYWHERE: &str = "SELECT month, week, days, cases \
     FROM mi_tallies WHERE measure = ?1 AND month = ?2 AND (CAST(?3 AS TEXT) IS NULL OR offence_type = ?3) \
     AND (CAST(?4 AS TEXT) IS NULL OR prosecutor = ?4) AND (CAST(?5 AS TEXT) IS NULL OR probation = ?5)";

/// The version of `measure`'s cells of the months `from` to `to`: the sum of each month's, so
/// it rises whenever any of them moves.
pub(in crate::sql) fn version(
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
pub(in crate::sql) fn open_version(
    connection: &Connection,
    measure: Measure,
) -> Result<u64, Error> {
    let version: i64 = connection
        .prepare_cached(VERSION)?
        .query_row(params![measure.as_str(), NONE, NONE], |row| row.get(0))?;
    u64::try_from(version).map_err(corrupt)
}

pub(in crate::sql) const VERSION: &str = "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM mi_versions \
     WHERE measure = ?1 AND month BETWEEN ?2 AND ?3";

/// Every court-by-force cell of `measure` in the months `from` to `to`, added up over days.
pub(in crate::sql) fn tallies_between(
    connection: &Connection,
    measure: Measure,
    from: Month,
    to: Month,
) -> Result<Vec<TallyRow>, Error> {
    // The rows come in the key's order: a cell's rows by days (then by week) lie together, so
    // its text is read once, when it starts, and its weeks' counts added up until the next
    // starts (a national quarter of a stretch is some hundred thousand rows by days). A
    // measure without days has one row a cell.
    let mut statement = connection.prepare_cached(TALLIES)?;
    let mut rows = statement.query(params![measure.as_str(), from.to_string(), to.to_string()])?;
    let mut out = Vec::new();
    // A cell's text (month to detail) with its weeks' counts.
    type Adding = Option<([String; 8], Vec<(String, i64)>)>;
    let mut current: Adding = None;
    let finish = |cell: Adding, out: &mut Vec<TallyRow>| {
        let Some((
            [
                month,
                court,
                force,
                prosecutor,
                probation,
                offence_type,
                value,
                detail,
            ],
            weeks,
        )) = cell
        else {
            return Ok::<(), Error>(());
        };
        let month = Month::parse(&month).map_err(corrupt)?;
        let places = places([&court, &force, &prosecutor, &probation])?;
        for (week, cases) in weeks {
            out.push(TallyRow {
                month,
                week: Week::parse(&week).map_err(corrupt)?,
                places: places.clone(),
                offence_type: offence_type.clone(),
                value: value.clone(),
                detail: detail.clone(),
                cases: u64::try_from(cases).map_err(corrupt)?,
            });
        }
        Ok(())
    };
    while let Some(row) = rows.next()? {
        if !current
            .as_ref()
            .is_some_and(|(key, _)| same_cell(&row, key))
        {
            finish(current.take(), &mut out)?;
            current = Some((cell_text(&row)?, Vec::new()));
        }
        let week = row.get_str(8)?;
        let cases: i64 = row.get(9)?;
        if let Some((_, weeks)) = &mut current {
            match weeks.iter_mut().find(|(kept, _)| kept == week) {
                Some((_, counted)) => *counted += cases,
                None => weeks.push((week.to_owned(), cases)),
            }
        }
    }
    finish(current, &mut out)?;
    Ok(out)
}

pub(in crate::sql) const TALLIES: &str = "SELECT month, court, force, prosecutor, probation, \
     offence_type, value, detail, week, cases FROM mi_tallies \
     WHERE measure = ?1 AND month BETWEEN ?2 AND ?3 \
     ORDER BY month, court, force, prosecutor, probation, offence_type, value, detail";

/// Every court-by-force cell of what is open in `measure`, each day put in its band of days
/// before `today`, with the bands' counts added up.
pub(in crate::sql) fn open_between(
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
    type Adding = Option<([String; 7], Vec<u64>)>;
    let mut current: Adding = None;
    let finish = |cell: Adding, out: &mut Vec<OpenRow>| {
        let Some((
            [
                court,
                force,
                prosecutor,
                probation,
                offence_type,
                value,
                detail,
            ],
            counts,
        )) = cell
        else {
            return Ok::<(), Error>(());
        };
        let places = places([&court, &force, &prosecutor, &probation])?;
        for (band, cases) in counts.into_iter().enumerate() {
            if cases > 0 {
                out.push(OpenRow {
                    band,
                    places: places.clone(),
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
        if !current
            .as_ref()
            .is_some_and(|(key, _)| same_cell(&row, key))
        {
            finish(current.take(), &mut out)?;
            current = Some((cell_text(&row)?, vec![0; bands.max(1)]));
        }
        let day: i64 = row.get(7)?;
        let day = i32::try_from(day).map_err(corrupt)?;
        let day = time::Date::from_julian_day(day).map_err(corrupt)?;
        let cases: i64 = row.get(8)?;
        if let Some((_, counts)) = &mut current {
            let band = band_of(measure, day, today).min(counts.len() - 1);
            counts[band] += u64::try_from(cases).map_err(corrupt)?;
        }
    }
    finish(current, &mut out)?;
    Ok(out)
}

pub(in crate::sql) const OPEN: &str = "SELECT court, force, prosecutor, probation, offence_type, \
     value, detail, day, cases FROM mi_open WHERE measure = ?1 \
     ORDER BY court, force, prosecutor, probation, offence_type, value, detail, day";

/// Whether `row`'s first columns are the text of `key`: a cell's rows lie together, so a reader
/// compares each row's text with the cell's without copying it.
fn same_cell<const N: usize>(row: &Row<'_>, key: &[String; N]) -> bool {
    key.iter()
        .enumerate()
        .all(|(column, kept)| row.get_str(column).is_ok_and(|text| text == kept))
}

/// `row`'s first columns, as text: a cell's, read once when it starts.
fn cell_text<const N: usize>(row: &Row<'_>) -> Result<[String; N], Error> {
    let mut key: [String; N] = std::array::from_fn(|_| String::new());
    for (column, text) in key.iter_mut().enumerate() {
        *text = row.get(column)?;
    }
    Ok(key)
}

/// A cell's places, read from their columns (court, force, CPS area, probation service).
fn places(columns: [&str; 4]) -> Result<Places, Error> {
    let place = |code: &str| {
        (code != NONE)
            .then(|| AgencyCode::parse(code))
            .transpose()
            .map_err(corrupt)
    };
    let [court, force, prosecutor, probation] = columns;
    Ok(Places {
        court: place(court)?,
        force: place(force)?,
        prosecutor: place(prosecutor)?,
        probation: place(probation)?,
    })
}
