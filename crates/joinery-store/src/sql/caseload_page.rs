//! A page of one class's caseload, costing what the page shows. The rows' own columns (stage,
//! latest item, the day their earliest open work fell due) are indexed; what depends on the time
//! asked (the next hearing to come, how many actions are overdue) is found from the hearings and
//! actions by case, and only where a filter, an order or the page itself needs it:
//!
//! - a filter that picks few cases (a hearing in the next days, overdue work with another
//!   filter or order) gathers exactly those cases by index range, with their keys, and they
//!   alone are ordered and counted;
//! - overdue work alone, longest overdue or most recently changed first, is walked in that
//!   order and counted from the class's counts by the day work fell due;
//! - otherwise the cases are walked in the order asked: by latest item; by next hearing (the
//!   hearings to come in time order, each case where it first appears, then the cases with none
//!   by latest item); by longest overdue (the cases with overdue work by the day it fell due,
//!   then the rest by latest item); until the page is full; and counted from the class's
//!   counts by stage, which the projection keeps with the rows.
//!
//! Ties are broken by the latest item, most recent first, as deciding on the fly breaks them.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::db::{Connection, OptionalExtension, Param, params};
use joinery_domain::{CaseId, Category, Sequence, Stage, Timestamp};
use joinery_ports::{CaseloadEntry, CaseloadOrder, CaseloadPage, CaseloadSlice, NextHearing};
use time::Date;

use crate::error::{Error, corrupt};

/// How a day is kept: `2026-11-30`, as `Date` displays it.
const DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A case's next hearing to come, for its class.
pub(super) const NEXT_AT: &str = "SELECT MIN(starts_at) FROM caseload_hearings \
                 WHERE class_no = ?1 AND case_no = ?2 AND starts_at >= ?3";
/// How many of a case's open actions are overdue, for its class.
pub(super) const OVERDUE: &str = "SELECT CAST(COALESCE(SUM(actions), 0) AS BIGINT) FROM caseload_actions \
                 WHERE class_no = ?1 AND case_no = ?2 AND due_on < ?3";
/// The class's cases with overdue work, longest overdue first (then by latest item), with
/// their stage: the order of the index itself.
pub(super) const BY_DUE: &str = "SELECT case_no, latest, stage, due_from FROM caseload \
             WHERE class_no = ?1 AND due_from < ?2 ORDER BY due_from, latest DESC";
/// How many of the class's cases have overdue work: its counts by the day work fell due.
pub(super) const COUNT_DUE: &str = "SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) \
             FROM caseload_due_counts WHERE class_no = ?1 AND due_on < ?2";
/// The class's cases with a hearing to come before a time, with their next one.
pub(super) const HEARD_BEFORE: &str = "SELECT h.case_no, MIN(h.starts_at), r.latest, r.stage, r.due_from \
             FROM caseload_hearings h \
             JOIN caseload r ON r.class_no = h.class_no AND r.case_no = h.case_no \
             WHERE h.class_no = ?1 AND h.starts_at >= ?2 AND h.starts_at < ?3 \
             GROUP BY h.case_no, r.latest, r.stage, r.due_from";
/// How many of the class's cases have a hearing to come before a time.
pub(super) const COUNT_HEARD_BEFORE: &str = "SELECT COUNT(DISTINCT case_no) FROM caseload_hearings \
             WHERE class_no = ?1 AND starts_at >= ?2 AND starts_at < ?3";
/// A case's row in its class.
pub(super) const ROW: &str =
    "SELECT latest, stage, due_from FROM caseload WHERE class_no = ?1 AND case_no = ?2";
/// The class's hearings to come, in time order.
pub(super) const BY_NEXT_HEARING: &str = "SELECT case_no, starts_at FROM caseload_hearings \
         WHERE class_no = ?1 AND starts_at >= ?2 ORDER BY starts_at";
/// The class's rows by latest item, most recent first (at one stage, if asked).
pub(super) const BY_LATEST: &str = "SELECT case_no, latest, stage, due_from FROM caseload \
         WHERE class_no = ?1 AND (CAST(?2 AS TEXT) IS NULL OR stage = ?2) ORDER BY latest DESC";
/// How many rows the class has (at one stage, if asked): its counts by stage.
pub(super) const COUNT_ROWS: &str = "SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) \
             FROM caseload_stage_counts \
             WHERE class_no = ?1 AND (CAST(?2 AS TEXT) IS NULL OR stage = ?2)";
/// The class's cases with any hearing to come (at one stage, if asked).
pub(super) const HEARD_AT_ALL: &str = "SELECT DISTINCT h.case_no FROM caseload_hearings h \
             JOIN caseload r ON r.class_no = h.class_no AND r.case_no = h.case_no \
             WHERE h.class_no = ?1 AND h.starts_at >= ?2 AND (CAST(?3 AS TEXT) IS NULL OR r.stage = ?3)";

/// A case of the class, with the keys found for it so far (`None`: not looked up yet).
#[derive(Debug, Clone)]
struct Candidate {
    case_no: i64,
    latest: i64,
    stage: String,
    next_at: Option<Option<String>>,
    /// The day the earliest of its open work falls or fell due.
    due_from: Option<String>,
}

impl Candidate {
    /// The day its longest overdue work fell due, if any is overdue on `today`.
    fn overdue_since(&self, today: &str) -> Option<&str> {
        self.due_from.as_deref().filter(|due| *due < today)
    }
}

/// The class asked about, and the times a page is asked at.
struct Class<'c> {
    connection: &'c Connection,
    class: i64,
    now: String,
    today: String,
}

impl Class<'_> {
    fn next_at(&self, case_no: i64) -> Result<Option<String>, Error> {
        self.connection
            .prepare_cached(NEXT_AT)?
            .query_row(params![self.class, case_no, self.now], |row| row.get(0))
    }

    /// The runs of a per-case statement (class, case, time) for each of `case_nos`.
    fn runs<'a>(&'a self, case_nos: &[&'a i64], at: &'a String) -> Vec<[&'a dyn Param; 3]> {
        case_nos
            .iter()
            .map(|case_no| [&self.class as &dyn Param, *case_no, at as &dyn Param])
            .collect()
    }

    /// Fills in `candidate`'s next hearing, if not yet found.
    fn with_next_at(&self, candidate: &mut Candidate) -> Result<(), Error> {
        if candidate.next_at.is_none() {
            candidate.next_at = Some(self.next_at(candidate.case_no)?);
        }
        Ok(())
    }

    /// The cases with overdue work, longest overdue first.
    fn overdue_cases(&self) -> Result<Vec<Candidate>, Error> {
        let rows: Vec<(i64, i64, String, Option<String>)> =
            super::rows(self.connection, BY_DUE, params![self.class, self.today])?;
        Ok(rows
            .into_iter()
            .map(|(case_no, latest, stage, due_from)| Candidate {
                case_no,
                latest,
                stage,
                next_at: None,
                due_from,
            })
            .collect())
    }

    /// The cases whose next hearing comes before `before`, with it, their latest item and stage.
    fn cases_heard_before(&self, before: &str) -> Result<Vec<Candidate>, Error> {
        let rows: Vec<(i64, String, i64, String, Option<String>)> = super::rows(
            self.connection,
            HEARD_BEFORE,
            params![self.class, self.now, before],
        )?;
        Ok(rows
            .into_iter()
            .map(|(case_no, next_at, latest, stage, due_from)| Candidate {
                case_no,
                latest,
                stage,
                next_at: Some(Some(next_at)),
                due_from,
            })
            .collect())
    }

    /// The cases of the class among `case_nos` by their rows alone, asked together, in order.
    fn candidates(&self, case_nos: &[i64]) -> Result<Vec<Candidate>, Error> {
        let runs: Vec<[&dyn Param; 2]> = case_nos
            .iter()
            .map(|case_no| [&self.class as &dyn Param, case_no as &dyn Param])
            .collect();
        let rows = self
            .connection
            .prepare_cached(ROW)?
            .query_each(&runs, |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        Ok(case_nos
            .iter()
            .zip(rows)
            .filter_map(|(case_no, row)| {
                row.map(|(latest, stage, due_from)| Candidate {
                    case_no: *case_no,
                    latest,
                    stage,
                    next_at: None,
                    due_from,
                })
            })
            .collect())
    }

    /// A case of the class by its row alone.
    fn candidate(&self, case_no: i64) -> Result<Option<Candidate>, Error> {
        Ok(self.candidates(&[case_no])?.pop())
    }
}

/// The page's filters and ordering, as of the time asked.
struct Filters<'p> {
    page: &'p CaseloadPage,
    today: String,
    except: BTreeSet<i64>,
}

impl Filters<'_> {
    /// Whether `candidate` passes the filters a walk checks (stage, overdue work, none to come,
    /// not decided apart); a filter that picks cases has been applied by picking.
    fn passes(&self, class: &Class<'_>, candidate: &mut Candidate) -> Result<bool, Error> {
        if self.except.contains(&candidate.case_no)
            || self
                .page
                .stage
                .is_some_and(|stage| candidate.stage != stage.as_str())
            || (self.page.overdue_only && candidate.overdue_since(&self.today).is_none())
        {
            return Ok(false);
        }
        if self.page.hearing == NextHearing::None {
            class.with_next_at(candidate)?;
            return Ok(candidate.next_at == Some(None));
        }
        Ok(true)
    }

    fn compare(&self, a: &Candidate, b: &Candidate) -> Ordering {
        let recency = b.latest.cmp(&a.latest);
        match self.page.order {
            CaseloadOrder::RecentlyChanged => recency,
            CaseloadOrder::NextHearing => {
                let next = |c: &Candidate| c.next_at.clone().flatten();
                (next(a).is_none(), next(a))
                    .cmp(&(next(b).is_none(), next(b)))
                    .then(recency)
            }
            CaseloadOrder::LongestOverdue => {
                let since = |c: &'_ Candidate| c.overdue_since(&self.today).map(str::to_owned);
                (since(a).is_none(), since(a))
                    .cmp(&(since(b).is_none(), since(b)))
                    .then(recency)
            }
        }
    }
}

/// A page of a class's caseload.
pub(super) fn page(connection: &Connection, page: &CaseloadPage) -> Result<CaseloadSlice, Error> {
    let class: Option<i64> = connection
        .prepare_cached("SELECT class_no FROM caseload_classes WHERE key = ?1")?
        .query_row(params![page.class.key()], |row| row.get(0))
        .optional()?;
    let Some(class) = class else {
        return Ok(CaseloadSlice {
            entries: Vec::new(),
            total: 0,
            grants: grants(connection, page)?,
        });
    };
    let class = Class {
        connection,
        class,
        now: page.now.sortable(),
        today: page.now.date().to_string(),
    };
    let except: BTreeSet<i64> = {
        let mut lookup = connection.prepare_cached("SELECT case_no FROM cases WHERE id = ?1")?;
        page.except
            .iter()
            .filter_map(|id| {
                lookup
                    .query_row(params![id.to_string()], |row| row.get(0))
                    .optional()
                    .transpose()
            })
            .collect::<Result<_, _>>()?
    };
    let filters = Filters {
        page,
        today: class.today.clone(),
        except,
    };
    let before = match page.hearing {
        NextHearing::Before(date) => {
            Some(Timestamp::from_offset(date.midnight().assume_utc()).sortable())
        }
        _ => None,
    };

    // The hearings of a window in time order, which is the order asked: walk them until the
    // page is full, and count the window's cases by index, however many it holds.
    if let (Some(before), false, CaseloadOrder::NextHearing, None, true) = (
        &before,
        page.overdue_only,
        page.order,
        page.stage,
        filters.except.is_empty(),
    ) {
        let total: i64 = connection
            .prepare_cached(COUNT_HEARD_BEFORE)?
            .query_row(params![class.class, class.now, before], |row| row.get(0))?;
        let mut gather = Gather {
            filters: &filters,
            wanted: page.offset.saturating_add(page.limit),
            taken: BTreeSet::new(),
            candidates: Vec::new(),
        };
        walk_by_next_hearing(&class, &mut gather, Some(before))?;
        let total = usize::try_from(total).unwrap_or_default();
        return finish(&class, gather.candidates, page, total);
    }

    // The cases with overdue work, longest overdue first or most recently changed first: walked
    // in that order (by the due index, or by latest item with the rest passed over) and counted
    // by the due index, however many there are.
    let by_index = matches!(
        page.order,
        CaseloadOrder::LongestOverdue | CaseloadOrder::RecentlyChanged
    );
    if let (None, true, true, None, NextHearing::Any, true) = (
        &before,
        page.overdue_only,
        by_index,
        page.stage,
        page.hearing,
        filters.except.is_empty(),
    ) {
        let total: i64 = connection
            .prepare_cached(COUNT_DUE)?
            .query_row(params![class.class, class.today], |row| row.get(0))?;
        let mut gather = Gather {
            filters: &filters,
            wanted: page.offset.saturating_add(page.limit),
            taken: BTreeSet::new(),
            candidates: Vec::new(),
        };
        let mut visit = |candidate| {
            gather.offer(&class, candidate)?;
            Ok(!gather.full())
        };
        if page.order == CaseloadOrder::LongestOverdue {
            walk_by_due(&class, &mut visit)?;
        } else {
            walk_by_latest(&class, page, &mut visit)?;
        }
        let total = usize::try_from(total).unwrap_or_default();
        return finish(&class, gather.candidates, page, total);
    }

    // A filter that picks few cases: gather exactly those, with their keys; order and count.
    let picked = match (&before, page.overdue_only) {
        (Some(before), false) => Some(class.cases_heard_before(before)?),
        (None, true) => Some(class.overdue_cases()?),
        (Some(before), true) => Some(
            class
                .cases_heard_before(before)?
                .into_iter()
                .filter(|c| c.overdue_since(&class.today).is_some())
                .collect(),
        ),
        (None, false) => None,
    };
    if let Some(picked) = picked {
        let mut candidates = Vec::new();
        for mut candidate in picked {
            if !filters.passes(&class, &mut candidate)? {
                continue;
            }
            // The key the order needs, where picking did not give it.
            if page.order == CaseloadOrder::NextHearing {
                class.with_next_at(&mut candidate)?;
            }
            candidates.push(candidate);
        }
        candidates.sort_by(|a, b| filters.compare(a, b));
        let total = candidates.len();
        return finish(&class, candidates, page, total);
    }

    // Otherwise walk the class in the order asked until the page is full, and count.
    let total = total(&class, &filters)?;
    let mut gather = Gather {
        filters: &filters,
        wanted: page.offset.saturating_add(page.limit),
        taken: BTreeSet::new(),
        candidates: Vec::new(),
    };
    match page.order {
        CaseloadOrder::NextHearing if page.hearing == NextHearing::Any => {
            walk_by_next_hearing(&class, &mut gather, None)?;
            walk_by_latest(&class, page, &mut |mut candidate| {
                class.with_next_at(&mut candidate)?;
                if candidate.next_at == Some(None) {
                    gather.offer(&class, candidate)?;
                }
                Ok(!gather.full())
            })?;
        }
        CaseloadOrder::LongestOverdue => {
            // The cases with overdue work, longest overdue first; then the rest by latest item.
            walk_by_due(&class, &mut |candidate| {
                gather.offer(&class, candidate)?;
                Ok(!gather.full())
            })?;
            walk_by_latest(&class, page, &mut |candidate| {
                if candidate.overdue_since(&class.today).is_none() {
                    gather.offer(&class, candidate)?;
                }
                Ok(!gather.full())
            })?;
        }
        // By latest item (and by next hearing when none is to come, which is the same).
        _ => walk_by_latest(&class, page, &mut |candidate| {
            gather.offer(&class, candidate)?;
            Ok(!gather.full())
        })?,
    }
    finish(&class, gather.candidates, page, total)
}

/// The hearings to come in time order: each case where it first appears (its next hearing).
/// Cases whose next hearings start at the same moment are ordered by their latest item.
fn walk_by_next_hearing(
    class: &Class<'_>,
    gather: &mut Gather<'_>,
    until: Option<&str>,
) -> Result<(), Error> {
    let mut statement = class.connection.prepare_cached(BY_NEXT_HEARING)?;
    let mut rows = statement.walk(params![class.class, class.now])?;
    // The cases whose next hearing starts at one moment (a list's 10 o'clock can hold hundreds),
    // their rows read together once the moment is over.
    let mut moment: Option<String> = None;
    let mut at_moment: Vec<i64> = Vec::new();
    let mut in_moment: BTreeSet<i64> = BTreeSet::new();
    while !gather.full() {
        let next: Option<(i64, String)> = match rows.next()? {
            Some(row) => Some((row.get(0)?, row.get(1)?)),
            None => None,
        };
        // A walk bounded by a hearing window ends where the window does.
        let next = next.filter(|(_, at)| until.is_none_or(|until| at.as_str() < until));
        let moment_over = match (&next, &moment) {
            (Some((_, at)), Some(moment)) => moment != at,
            (None, _) => true,
            (Some(_), None) => false,
        };
        if moment_over && let Some(at) = moment.take() {
            let mut candidates = class.candidates(&at_moment)?;
            for candidate in &mut candidates {
                candidate.next_at = Some(Some(at.clone()));
            }
            candidates.sort_by(|a, b| gather.filters.compare(a, b));
            for candidate in candidates {
                gather.offer(class, candidate)?;
            }
            at_moment.clear();
            in_moment.clear();
        }
        let Some((case_no, at)) = next else { break };
        if gather.taken.contains(&case_no) || !in_moment.insert(case_no) {
            continue;
        }
        moment.get_or_insert(at);
        at_moment.push(case_no);
    }
    Ok(())
}

/// The cases a walk has gathered for the page, in order, each once.
struct Gather<'f> {
    filters: &'f Filters<'f>,
    wanted: usize,
    taken: BTreeSet<i64>,
    candidates: Vec<Candidate>,
}

impl Gather<'_> {
    fn offer(&mut self, class: &Class<'_>, mut candidate: Candidate) -> Result<(), Error> {
        if self.taken.insert(candidate.case_no) && self.filters.passes(class, &mut candidate)? {
            self.candidates.push(candidate);
        }
        Ok(())
    }

    fn full(&self) -> bool {
        self.candidates.len() >= self.wanted
    }
}

/// Walks the class's cases with overdue work, longest overdue first, then by latest item,
/// offering each to `visit` until it answers false.
fn walk_by_due(
    class: &Class<'_>,
    visit: &mut dyn FnMut(Candidate) -> Result<bool, Error>,
) -> Result<(), Error> {
    walk(class, BY_DUE, params![class.class, class.today], visit)
}

/// Walks the class's rows by latest item, most recent first (only those at the page's stage,
/// if it names one), offering each to `visit` until it answers false.
fn walk_by_latest(
    class: &Class<'_>,
    page: &CaseloadPage,
    visit: &mut dyn FnMut(Candidate) -> Result<bool, Error>,
) -> Result<(), Error> {
    let stage = page.stage.map(Stage::as_str);
    walk(class, BY_LATEST, params![class.class, stage], visit)
}

/// Walks the rows `sql` gives (case, latest, stage, due from), in its order.
fn walk(
    class: &Class<'_>,
    sql: &str,
    params: impl crate::db::Params,
    visit: &mut dyn FnMut(Candidate) -> Result<bool, Error>,
) -> Result<(), Error> {
    let mut statement = class.connection.prepare_cached(sql)?;
    let mut rows = statement.walk(params)?;
    while let Some(row) = rows.next()? {
        let candidate = Candidate {
            case_no: row.get(0)?,
            latest: row.get(1)?,
            stage: row.get(2)?,
            next_at: None,
            due_from: row.get(3)?,
        };
        if !visit(candidate)? {
            break;
        }
    }
    Ok(())
}

/// How many of the class's cases pass the filters when none of them picks few: the rows at the
/// stage asked, less those with a hearing to come when the page asks for none, less those
/// decided apart.
fn total(class: &Class<'_>, filters: &Filters<'_>) -> Result<usize, Error> {
    let stage = filters.page.stage.map(Stage::as_str);
    let rows: i64 = class
        .connection
        .prepare_cached(COUNT_ROWS)?
        .query_row(params![class.class, stage], |row| row.get(0))?;
    let mut total = usize::try_from(rows).unwrap_or_default();
    let mut heard: BTreeSet<i64> = BTreeSet::new();
    if filters.page.hearing == NextHearing::None {
        let with_hearing: Vec<(i64,)> = super::rows(
            class.connection,
            HEARD_AT_ALL,
            params![class.class, class.now, stage],
        )?;
        heard = with_hearing.into_iter().map(|(case_no,)| case_no).collect();
        total = total.saturating_sub(heard.len());
    }
    for case_no in &filters.except {
        if heard.contains(case_no) {
            continue;
        }
        if let Some(candidate) = class.candidate(*case_no)?
            && stage.is_none_or(|stage| stage == candidate.stage)
        {
            total = total.saturating_sub(1);
        }
    }
    Ok(total)
}

/// The page of `candidates` (already in order), as entries with their cases' ids and the keys
/// not yet found for them: each key asked of the page's cases at once.
fn finish(
    class: &Class<'_>,
    candidates: Vec<Candidate>,
    page: &CaseloadPage,
    total: usize,
) -> Result<CaseloadSlice, Error> {
    let mut shown: Vec<Candidate> = candidates
        .into_iter()
        .skip(page.offset)
        .take(page.limit)
        .collect();
    let case_nos: Vec<i64> = shown.iter().map(|candidate| candidate.case_no).collect();
    // The next hearings not found yet.
    let unknown: Vec<&i64> = shown
        .iter()
        .zip(&case_nos)
        .filter(|(candidate, _)| candidate.next_at.is_none())
        .map(|(_, case_no)| case_no)
        .collect();
    let mut found = class
        .connection
        .prepare_cached(NEXT_AT)?
        .query_each(&class.runs(&unknown, &class.now), |row| row.get(0))?
        .into_iter();
    for candidate in shown.iter_mut().filter(|c| c.next_at.is_none()) {
        candidate.next_at = Some(found.next().flatten().flatten());
    }
    // Only a case with overdue work has any to count.
    let overdue: Vec<&i64> = shown
        .iter()
        .zip(&case_nos)
        .filter(|(candidate, _)| candidate.overdue_since(&class.today).is_some())
        .map(|(_, case_no)| case_no)
        .collect();
    let mut counted = class
        .connection
        .prepare_cached(OVERDUE)?
        .query_each(&class.runs(&overdue, &class.today), |row| {
            row.get::<_, i64>(0)
        })?
        .into_iter();
    let runs: Vec<[&dyn Param; 1]> = case_nos.iter().map(|no| [no as &dyn Param]).collect();
    let ids = class
        .connection
        .prepare_cached("SELECT id FROM cases WHERE case_no = ?1")?
        .query_each(&runs, |row| row.get::<_, String>(0))?;
    let mut entries = Vec::new();
    for (candidate, id) in shown.into_iter().zip(ids) {
        let overdue_since = candidate
            .overdue_since(&class.today)
            .map(|day| Date::parse(day, DAY).map_err(corrupt))
            .transpose()?;
        let overdue = match overdue_since {
            Some(_) => counted.next().flatten().unwrap_or_default(),
            None => 0,
        };
        let id = id.ok_or_else(|| corrupt("a caseload row's case is not stored"))?;
        entries.push(CaseloadEntry {
            case_id: CaseId::parse(&id).map_err(corrupt)?,
            latest: Sequence::new(candidate.latest),
            next_hearing: candidate
                .next_at
                .flatten()
                .as_deref()
                .map(Timestamp::parse)
                .transpose()
                .map_err(corrupt)?,
            overdue: usize::try_from(overdue).unwrap_or_default(),
            overdue_since,
        });
    }
    Ok(CaseloadSlice {
        entries,
        total,
        grants: grants(class.connection, page)?,
    })
}

/// The page's holder's break-glass grants in force, read with the page.
fn grants(
    connection: &Connection,
    page: &CaseloadPage,
) -> Result<BTreeMap<CaseId, BTreeSet<Category>>, Error> {
    match &page.holder {
        Some(holder) => {
            super::break_glass::break_glass_in_force_anywhere(connection, holder, page.now)
        }
        None => Ok(BTreeMap::new()),
    }
}
