//! A page of one class's caseload, costing what the page shows. The rows' own columns (stage,
//! latest item) are indexed; what depends on the time asked (the next hearing to come, how many
//! actions are overdue) is found from the hearings and actions indexes, and only where a filter,
//! an order or the page itself needs it:
//!
//! - a filter that picks few cases (a hearing in the next days, overdue work) gathers exactly
//!   those cases by index range, with their keys, and they alone are ordered and counted;
//! - otherwise the cases are walked in the order asked: by latest item; by next hearing (the
//!   hearings to come in time order, each case where it first appears, then the cases with none
//!   by latest item); by most overdue (the cases with overdue work, counted, then the rest by
//!   latest item); until the page is full.
//!
//! Ties are broken by the latest item, most recent first, as deciding on the fly breaks them.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use joinery_domain::{CaseId, Sequence, Stage, Timestamp};
use joinery_ports::{CaseloadEntry, CaseloadOrder, CaseloadPage, CaseloadSlice, NextHearing};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, corrupt};

/// A case's next hearing to come, for its class.
pub(super) const NEXT_AT: &str = "SELECT MIN(starts_at) FROM caseload_hearings \
                 WHERE class_no = ?1 AND case_no = ?2 AND starts_at >= ?3";
/// How many of a case's open actions are overdue, for its class.
pub(super) const OVERDUE: &str = "SELECT COUNT(*) FROM caseload_actions \
                 WHERE class_no = ?1 AND case_no = ?2 AND due_on < ?3";
/// The class's cases with overdue work, with how much, their latest item and stage.
pub(super) const OVERDUE_CASES: &str = "SELECT a.case_no, COUNT(*), r.latest, r.stage FROM caseload_actions a \
             JOIN caseload r ON r.class_no = a.class_no AND r.case_no = a.case_no \
             WHERE a.class_no = ?1 AND a.due_on < ?2 GROUP BY a.case_no";
/// The class's cases with a hearing to come before a time, with their next one.
pub(super) const HEARD_BEFORE: &str = "SELECT h.case_no, MIN(h.starts_at), r.latest, r.stage FROM caseload_hearings h \
             JOIN caseload r ON r.class_no = h.class_no AND r.case_no = h.case_no \
             WHERE h.class_no = ?1 AND h.starts_at >= ?2 AND h.starts_at < ?3 \
             GROUP BY h.case_no";
/// How many of the class's cases have a hearing to come before a time.
pub(super) const COUNT_HEARD_BEFORE: &str = "SELECT COUNT(DISTINCT case_no) FROM caseload_hearings \
             WHERE class_no = ?1 AND starts_at >= ?2 AND starts_at < ?3";
/// How many of the class's cases have each amount of overdue work, counted in the database by
/// index alone: a page needs the levels and the total, not each case's count.
///
/// By the class's actions in case order, so that the cases come grouped as they are read: by
/// due date instead, SQLite sorts every overdue action first, which at the busiest force takes
/// longer than reading all its actions.
pub(super) const OVERDUE_LEVELS: &str = "SELECT overdue, COUNT(*) FROM ( \
             SELECT COUNT(*) AS overdue FROM caseload_actions INDEXED BY caseload_actions_by_class \
             WHERE class_no = ?1 AND due_on < ?2 GROUP BY case_no) GROUP BY overdue";
/// The class's cases with at least `?3` pieces of overdue work, with how many, by index alone.
pub(super) const OVERDUE_AT_LEAST: &str = "SELECT case_no, COUNT(*) FROM caseload_actions \
             INDEXED BY caseload_actions_by_class \
             WHERE class_no = ?1 AND due_on < ?2 GROUP BY case_no HAVING COUNT(*) >= ?3";
/// A case's row in its class.
pub(super) const ROW: &str =
    "SELECT latest, stage FROM caseload WHERE class_no = ?1 AND case_no = ?2";
/// The class's hearings to come, in time order.
pub(super) const BY_NEXT_HEARING: &str = "SELECT case_no, starts_at FROM caseload_hearings \
         WHERE class_no = ?1 AND starts_at >= ?2 ORDER BY starts_at";
/// The class's rows by latest item, most recent first (at one stage, if asked).
pub(super) const BY_LATEST: &str = "SELECT case_no, latest, stage FROM caseload \
         WHERE class_no = ?1 AND (?2 IS NULL OR stage = ?2) ORDER BY latest DESC";
/// How many rows the class has (at one stage, if asked).
pub(super) const COUNT_ROWS: &str =
    "SELECT COUNT(*) FROM caseload WHERE class_no = ?1 AND (?2 IS NULL OR stage = ?2)";
/// The class's cases with any hearing to come (at one stage, if asked).
pub(super) const HEARD_AT_ALL: &str = "SELECT DISTINCT h.case_no FROM caseload_hearings h \
             JOIN caseload r ON r.class_no = h.class_no AND r.case_no = h.case_no \
             WHERE h.class_no = ?1 AND h.starts_at >= ?2 AND (?3 IS NULL OR r.stage = ?3)";

/// A case of the class, with the keys found for it so far (`None`: not looked up yet).
#[derive(Debug, Clone)]
struct Candidate {
    case_no: i64,
    latest: i64,
    stage: String,
    next_at: Option<Option<String>>,
    overdue: Option<usize>,
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
        Ok(self
            .connection
            .prepare_cached(NEXT_AT)?
            .query_row(params![self.class, case_no, self.now], |row| row.get(0))?)
    }

    fn overdue(&self, case_no: i64) -> Result<usize, Error> {
        let count: i64 = self
            .connection
            .prepare_cached(OVERDUE)?
            .query_row(params![self.class, case_no, self.today], |row| row.get(0))?;
        Ok(usize::try_from(count).unwrap_or_default())
    }

    /// Fills in `candidate`'s next hearing, if not yet found.
    fn with_next_at(&self, candidate: &mut Candidate) -> Result<(), Error> {
        if candidate.next_at.is_none() {
            candidate.next_at = Some(self.next_at(candidate.case_no)?);
        }
        Ok(())
    }

    /// The cases with overdue work, with how much, their latest item and stage.
    fn overdue_cases(&self) -> Result<Vec<Candidate>, Error> {
        let rows: Vec<(i64, i64, i64, String)> = super::rows(
            self.connection,
            OVERDUE_CASES,
            params![self.class, self.today],
        )?;
        Ok(rows
            .into_iter()
            .map(|(case_no, overdue, latest, stage)| Candidate {
                case_no,
                latest,
                stage,
                next_at: None,
                overdue: Some(usize::try_from(overdue).unwrap_or_default()),
            })
            .collect())
    }

    /// The cases whose next hearing comes before `before`, with it, their latest item and stage.
    fn cases_heard_before(&self, before: &str) -> Result<Vec<Candidate>, Error> {
        let rows: Vec<(i64, String, i64, String)> = super::rows(
            self.connection,
            HEARD_BEFORE,
            params![self.class, self.now, before],
        )?;
        Ok(rows
            .into_iter()
            .map(|(case_no, next_at, latest, stage)| Candidate {
                case_no,
                latest,
                stage,
                next_at: Some(Some(next_at)),
                overdue: None,
            })
            .collect())
    }

    /// A case of the class by its row alone.
    fn candidate(&self, case_no: i64) -> Result<Option<Candidate>, Error> {
        Ok(self
            .connection
            .prepare_cached(ROW)?
            .query_row(params![self.class, case_no], |row| {
                Ok(Candidate {
                    case_no,
                    latest: row.get(0)?,
                    stage: row.get(1)?,
                    next_at: None,
                    overdue: None,
                })
            })
            .optional()?)
    }
}

/// The page's filters and ordering, as of the time asked.
struct Filters<'p> {
    page: &'p CaseloadPage,
    except: BTreeSet<i64>,
}

impl Filters<'_> {
    /// Whether `candidate` passes the filters a walk checks (stage, none to come, not decided
    /// apart); a filter that picks cases has been applied by picking.
    fn passes(&self, class: &Class<'_>, candidate: &mut Candidate) -> Result<bool, Error> {
        if self.except.contains(&candidate.case_no)
            || self
                .page
                .stage
                .is_some_and(|stage| candidate.stage != stage.as_str())
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
            CaseloadOrder::MostOverdue => b.overdue.cmp(&a.overdue).then(recency),
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
    let filters = Filters { page, except };
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

    // The cases with overdue work, most first: counted by index, each level of overdue work
    // gathered only as far as the page goes.
    if let (None, true, CaseloadOrder::MostOverdue, None, true) = (
        &before,
        page.overdue_only,
        page.order,
        page.stage,
        filters.except.is_empty(),
    ) {
        return most_overdue_first(&class, page);
    }

    // A filter that picks few cases: gather exactly those, with their keys; order and count.
    let picked = match (&before, page.overdue_only) {
        (Some(before), false) => Some(class.cases_heard_before(before)?),
        (None, true) => Some(class.overdue_cases()?),
        (Some(before), true) => {
            let overdue: HashMap<i64, usize> = class
                .overdue_cases()?
                .into_iter()
                .filter_map(|c| c.overdue.map(|n| (c.case_no, n)))
                .collect();
            Some(
                class
                    .cases_heard_before(before)?
                    .into_iter()
                    .filter_map(|mut c| {
                        c.overdue = Some(*overdue.get(&c.case_no)?);
                        Some(c)
                    })
                    .collect(),
            )
        }
        (None, false) => None,
    };
    if let Some(picked) = picked {
        // The overdue counts, once, when the order needs them and picking did not give them.
        let overdue: HashMap<i64, usize> = if page.order == CaseloadOrder::MostOverdue
            && picked.iter().any(|c| c.overdue.is_none())
        {
            class
                .overdue_cases()?
                .into_iter()
                .filter_map(|c| c.overdue.map(|n| (c.case_no, n)))
                .collect()
        } else {
            HashMap::new()
        };
        let mut candidates = Vec::new();
        for mut candidate in picked {
            if !filters.passes(&class, &mut candidate)? {
                continue;
            }
            // The key the order needs, where picking did not give it.
            match page.order {
                CaseloadOrder::NextHearing => class.with_next_at(&mut candidate)?,
                CaseloadOrder::MostOverdue if candidate.overdue.is_none() => {
                    candidate.overdue = Some(overdue.get(&candidate.case_no).copied().unwrap_or(0));
                }
                _ => {}
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
        CaseloadOrder::MostOverdue => {
            // The cases with overdue work, most first; then the rest by their latest item.
            let mut overdue = class.overdue_cases()?;
            overdue.sort_by(|a, b| filters.compare(a, b));
            let with_overdue: BTreeSet<i64> = overdue.iter().map(|c| c.case_no).collect();
            for candidate in overdue {
                gather.offer(&class, candidate)?;
            }
            walk_by_latest(&class, page, &mut |mut candidate| {
                if !with_overdue.contains(&candidate.case_no) {
                    candidate.overdue = Some(0);
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
    let mut rows = statement.query(params![class.class, class.now])?;
    let mut moment: Vec<Candidate> = Vec::new();
    while !gather.full() {
        let next: Option<(i64, String)> = match rows.next()? {
            Some(row) => Some((row.get(0)?, row.get(1)?)),
            None => None,
        };
        // A walk bounded by a hearing window ends where the window does.
        let next = next.filter(|(_, at)| until.is_none_or(|until| at.as_str() < until));
        let moment_over = match (&next, moment.first()) {
            (Some((_, at)), Some(first)) => {
                first.next_at.clone().flatten().as_deref() != Some(at.as_str())
            }
            (None, _) => true,
            (Some(_), None) => false,
        };
        if moment_over {
            moment.sort_by(|a, b| gather.filters.compare(a, b));
            for candidate in moment.drain(..) {
                gather.offer(class, candidate)?;
            }
        }
        let Some((case_no, at)) = next else { break };
        if gather.taken.contains(&case_no) || moment.iter().any(|c| c.case_no == case_no) {
            continue;
        }
        if let Some(mut candidate) = class.candidate(case_no)? {
            candidate.next_at = Some(Some(at));
            moment.push(candidate);
        }
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

/// The most overdue levels of work are read whole, case by case, while they hold at most this
/// many cases between them; a larger level is walked in latest order, where its cases are many
/// enough to fill a page soon.
const FEW: usize = 256;

/// The class's cases with overdue work, most overdue first, then by latest item. How many cases
/// have each amount of overdue work is counted in the database; the most overdue levels that
/// hold few cases between them are read whole; a larger level is walked in latest order, each
/// case's count looked up by index, only as far as the page goes.
fn most_overdue_first(class: &Class<'_>, page: &CaseloadPage) -> Result<CaseloadSlice, Error> {
    let mut levels: Vec<(i64, i64)> = super::rows(
        class.connection,
        OVERDUE_LEVELS,
        params![class.class, class.today],
    )?;
    levels.sort_by_key(|(overdue, _)| std::cmp::Reverse(*overdue));
    let total = levels
        .iter()
        .map(|(_, cases)| usize::try_from(*cases).unwrap_or_default())
        .sum();
    let wanted = page.offset.saturating_add(page.limit);
    // The most overdue levels, while they hold few cases between them.
    let mut few = 0;
    let mut read_whole = None;
    for (overdue, cases) in &levels {
        few += usize::try_from(*cases).unwrap_or_default();
        if few > FEW {
            break;
        }
        read_whole = Some(*overdue);
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    if let Some(least) = read_whole {
        let members: Vec<(i64, i64)> = super::rows(
            class.connection,
            OVERDUE_AT_LEAST,
            params![class.class, class.today, least],
        )?;
        for (case_no, overdue) in members {
            if let Some(candidate) = class.candidate(case_no)? {
                candidates.push(Candidate {
                    overdue: Some(usize::try_from(overdue).unwrap_or_default()),
                    ..candidate
                });
            }
        }
        candidates.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.latest.cmp(&a.latest)));
        candidates.truncate(wanted);
    }
    let walked = levels
        .iter()
        .map(|(overdue, _)| *overdue)
        .filter(|overdue| read_whole.is_none_or(|least| *overdue < least));
    for overdue in walked {
        let need = wanted.saturating_sub(candidates.len());
        if need == 0 {
            break;
        }
        let overdue = usize::try_from(overdue).unwrap_or_default();
        let mut level = Vec::new();
        walk_by_latest(class, page, &mut |candidate| {
            if class.overdue(candidate.case_no)? == overdue {
                level.push(Candidate {
                    overdue: Some(overdue),
                    ..candidate
                });
            }
            Ok(level.len() < need)
        })?;
        candidates.extend(level);
    }
    finish(class, candidates, page, total)
}

/// Walks the class's rows by latest item, most recent first (only those at the page's stage,
/// if it names one), offering each to `visit` until it answers false.
fn walk_by_latest(
    class: &Class<'_>,
    page: &CaseloadPage,
    visit: &mut dyn FnMut(Candidate) -> Result<bool, Error>,
) -> Result<(), Error> {
    let stage = page.stage.map(Stage::as_str);
    let mut statement = class.connection.prepare_cached(BY_LATEST)?;
    let mut rows = statement.query(params![class.class, stage])?;
    while let Some(row) = rows.next()? {
        let candidate = Candidate {
            case_no: row.get(0)?,
            latest: row.get(1)?,
            stage: row.get(2)?,
            next_at: None,
            overdue: None,
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
/// not yet found for them.
fn finish(
    class: &Class<'_>,
    candidates: Vec<Candidate>,
    page: &CaseloadPage,
    total: usize,
) -> Result<CaseloadSlice, Error> {
    let mut id_of = class
        .connection
        .prepare_cached("SELECT id FROM cases WHERE case_no = ?1")?;
    let mut entries = Vec::new();
    for mut candidate in candidates.into_iter().skip(page.offset).take(page.limit) {
        class.with_next_at(&mut candidate)?;
        let overdue = match candidate.overdue {
            Some(overdue) => overdue,
            None => class.overdue(candidate.case_no)?,
        };
        let id: String = id_of.query_row(params![candidate.case_no], |row| row.get(0))?;
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
            overdue,
        });
    }
    Ok(CaseloadSlice { entries, total })
}
