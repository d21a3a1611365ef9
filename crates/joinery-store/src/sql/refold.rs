//! Folding every case again when the projection's rules change: each case's state, team and
//! hearings are rebuilt from its events, in one transaction, and the rules' version recorded. Done on
//! open, before the store takes writes.

use crate::db::{Connection, TransactionBehavior, params};
use joinery_domain::journey::ActionKind;
use joinery_domain::{CaseFacts, CaseState};

use super::append::{stored_events_of, write_hearings, write_people};
use super::work::write_work;
use crate::error::{Error, corrupt};

/// The version of the fold's rules. Raise it whenever `CaseState::fold` changes what a case's
/// state or team comes to; stores folded by an older version are folded again on open.
/// 1: a case's team grows only from the case itself (issue 10).
/// 2: a case's hearings are indexed for the day's lists (`case_hearings`).
/// 3: a case keeps the days it was first charged and first decided (`charged_on`,
///    `completed_on`), the milestones management information measures between, and its
///    ended stretches are counted (`mi_timeliness`).
/// 4: each case counts its stretches, trials and adjournments (`mi_tallies`).
/// 5: each case counts its requested work done (`mi_tallies`, `mi_timeliness`) and, while open,
///    what it holds open (`mi_open`); each data-quality problem counts too.
/// 6: each cell is kept by the type of its case's principal offence as well.
/// 7: a police force's day counts are kept apart again (`*` court), as the country's are.
/// 8: each cell of what happened is kept by the piece of its ISO week in its month as well.
/// 9: a stretch's days are kept in its tally (`mi_tallies.days`), not in a table of their own.
/// 10: work waiting is kept by the agency asked (its code), not by its kind.
/// 11: a data-quality problem is kept by the agency that sent it (its code), not by its kind.
/// 12: a case's defendant is found by search (`case_people`).
/// 13: a case's open work is kept by the agency asked, for its worklist (`agency_work`).
/// 14: a suspect held, not only one bailed, awaits the charging decision the police ask for.
/// 15: each cell is kept by the case's CPS area and probation service as well.
pub(super) const PROJECTION_VERSION: i64 = 15;

/// The versions that changed only what a case counts in management information, not what its
/// state, team or hearings come to: a store whose every later version is one of these counts
/// its cases' cells again from their stored states instead of folding them again from their
/// events (at a national year, minutes instead of more than half an hour of reading every
/// message).
const CELLS_ONLY: [i64; 7] = [6, 7, 8, 9, 10, 11, 15];

/// The versions that changed only the indexes kept from a case's state (who it is found by, the
/// work it asks of each agency): a store whose every later version is one of these or of
/// [`CELLS_ONLY`] indexes its cases again from their stored states.
const PEOPLE_ONLY: [i64; 2] = [12, 13];

/// The versions that changed how some cases fold, not all, each with how to know those cases by
/// their stored states: a store whose every later version is one of these or of [`CELLS_ONLY`]
/// and [`PEOPLE_ONLY`] folds just those cases again from their events, and goes through every
/// other case's state once.
const SOME_CASES: [(i64, Touched); 1] = [(14, asked_for_a_charging_decision)];

/// Whether a case, by its stored state, is one a version's rules fold differently.
type Touched = fn(&CaseState) -> bool;

/// Version 14's cases: the police asked for a charging decision. (A request whose id the same
/// agency later took for other work is not known by its state; such a case, if still arrested,
/// keeps the older stage until its next message.)
fn asked_for_a_charging_decision(state: &CaseState) -> bool {
    state
        .actions
        .iter()
        .any(|action| action.action == ActionKind::ChargingDecision)
}

/// How many cases a refold counts before it writes the cells they moved.
const REFOLD_BATCH: usize = 10_000;

/// Folds every case again if the store's states were folded by older rules, or counts their
/// cells again if only the counting changed.
pub(super) fn refold_if_stale(connection: &mut Connection) -> Result<(), Error> {
    let version: i64 =
        connection.query_row("SELECT version FROM projection", [], |row| row.get(0))?;
    if version >= PROJECTION_VERSION {
        return Ok(());
    }
    let later = (version + 1)..=PROJECTION_VERSION;
    let some_cases: Vec<Touched> = SOME_CASES
        .iter()
        .filter(|(changed, _)| later.contains(changed))
        .map(|(_, touched)| *touched)
        .collect();
    let by_state = |later: i64| {
        CELLS_ONLY.contains(&later)
            || PEOPLE_ONLY.contains(&later)
            || SOME_CASES.iter().any(|(changed, _)| *changed == later)
    };
    if later.clone().all(by_state) {
        // A case folded again may count and be found differently: everything kept from states
        // is derived again.
        let refolding = !some_cases.is_empty();
        let cells = refolding || later.clone().any(|later| CELLS_ONLY.contains(&later));
        let people = refolding || later.into_iter().any(|later| PEOPLE_ONLY.contains(&later));
        return from_states(connection, version, cells, people, &some_cases);
    }
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let cases: Vec<i64> = {
        let mut query = tx.prepare_cached("SELECT case_no FROM cases ORDER BY case_no")?;
        query
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?
    };
    if !cases.is_empty() {
        tracing::info!(
            cases = cases.len(),
            from = version,
            to = PROJECTION_VERSION,
            "folding every case again under new rules"
        );
    }
    {
        // Every case is counted, and found by its defendant, again from its events.
        let mut counting = Counting::start(&tx)?;
        forget_indexes(&tx)?;
        for case_no in cases {
            let state = fold_again(&tx, case_no)?;
            write_people(&tx, case_no, &[], &state)?;
            write_work(&tx, case_no, &[], &state)?;
            counting.case(&tx, &state)?;
        }
        counting.finish(&tx)?;
        forget_stale_claims(&tx)?;
    }
    // The caseload rows and feeds were decided on the states as they were.
    super::caseloads::mark_stale(&tx)?;
    brought_up_to_date(tx)
}

/// Folds case `case_no` again from its events and writes its state, team and hearings; what is
/// counted and indexed from the state is left to the caller.
fn fold_again(tx: &Connection, case_no: i64) -> Result<CaseState, Error> {
    let state = CaseState::from_events(&stored_events_of(tx, case_no)?);
    let json = serde_json::to_string(&state).map_err(corrupt)?;
    let facts = serde_json::to_string(&CaseFacts::of(&state)).map_err(corrupt)?;
    tx.prepare_cached("UPDATE cases SET stage = ?2, state = ?3, facts = ?4 WHERE case_no = ?1")?
        .run(params![case_no, state.stage.as_str(), json, facts])?;
    tx.prepare_cached("DELETE FROM case_agencies WHERE case_no = ?1")?
        .run(params![case_no])?;
    let mut join_team =
        tx.prepare_cached("INSERT INTO case_agencies (agency, case_no) VALUES (?1, ?2)")?;
    for agency in &state.agencies {
        join_team.run(params![agency.as_str(), case_no])?;
    }
    write_hearings(tx, case_no, None, &state)?;
    Ok(state)
}

/// Every case's cells, counted again from nothing.
struct Counting {
    lookups: super::caseloads::Lookups,
    moved: super::measures::Moved,
    cases: usize,
}

impl Counting {
    /// Empties every cell.
    fn start(tx: &Connection) -> Result<Self, Error> {
        super::measures::forget(tx)?;
        Ok(Self {
            lookups: super::caseloads::Lookups::default(),
            moved: super::measures::Moved::default(),
            cases: 0,
        })
    }

    fn case(&mut self, tx: &Connection, state: &CaseState) -> Result<(), Error> {
        let measured = super::measures::facts(tx, state, &mut self.lookups)?;
        self.moved.case(&[], &measured);
        // The cells moved are written a batch at a time, so memory stays bounded.
        self.cases += 1;
        if self.cases.is_multiple_of(REFOLD_BATCH) {
            std::mem::take(&mut self.moved).write(tx)?;
        }
        Ok(())
    }

    /// Counts the data-quality problems too (no case's: they are counted from where they are
    /// kept) and writes what is left.
    fn finish(mut self, tx: &Connection) -> Result<(), Error> {
        super::measures::count_exceptions(tx, &mut self.lookups, &mut self.moved)?;
        self.moved.write(tx)
    }
}

/// Empties the indexes kept from cases' states, to be written again.
fn forget_indexes(tx: &Connection) -> Result<(), Error> {
    tx.execute_batch("DELETE FROM case_people; DELETE FROM agency_work;")?;
    Ok(())
}

/// Forgets who was handling work that is no longer open.
fn forget_stale_claims(tx: &Connection) -> Result<(), Error> {
    tx.execute(
        "DELETE FROM work_claims WHERE NOT EXISTS (SELECT 1 FROM agency_work w          WHERE w.case_no = work_claims.case_no AND w.action_id = work_claims.action_id)",
        [],
    )?;
    Ok(())
}

/// Records that the store is folded and counted by the rules of this version, and commits.
fn brought_up_to_date(tx: crate::db::Transaction<'_>) -> Result<(), Error> {
    tx.execute(
        "UPDATE projection SET version = ?1",
        params![PROJECTION_VERSION],
    )?;
    tx.commit()?;
    Ok(())
}

/// Goes through every case's stored state once when only what is derived from states changed
/// since `version`, or how the cases `some_cases` picks out fold: folds those again from their
/// events, counts each case's cells again (`cells`) and indexes its defendant and open work
/// (`people`). Every other case's state, team and hearings stand, and the caseload rows too
/// unless a case was folded again.
fn from_states(
    connection: &mut Connection,
    version: i64,
    cells: bool,
    people: bool,
    some_cases: &[Touched],
) -> Result<(), Error> {
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tracing::info!(
        from = version,
        to = PROJECTION_VERSION,
        cells,
        people,
        "going through every case's state again"
    );
    let mut refold = Vec::new();
    {
        let mut counting = cells.then(|| Counting::start(&tx)).transpose()?;
        if people {
            forget_indexes(&tx)?;
        }
        let mut derive = |case_no: i64, state: &CaseState| -> Result<(), Error> {
            if let Some(counting) = counting.as_mut() {
                counting.case(&tx, state)?;
            }
            if people {
                write_people(&tx, case_no, &[], state)?;
                write_work(&tx, case_no, &[], state)?;
            }
            Ok(())
        };
        let mut query = tx.prepare_cached("SELECT case_no, state FROM cases ORDER BY case_no")?;
        // Walked, not read whole: every case's state at once would not fit in memory.
        let mut rows = query.walk([])?;
        while let Some(row) = rows.next()? {
            let case_no: i64 = row.get(0)?;
            let json: String = row.get(1)?;
            let state: CaseState = serde_json::from_str(&json).map_err(corrupt)?;
            // Folded again once the reading is done: the rows are not rewritten under it.
            if some_cases.iter().any(|touched| touched(&state)) {
                refold.push(case_no);
            } else {
                derive(case_no, &state)?;
            }
        }
        drop(rows);
        for &case_no in &refold {
            let state = fold_again(&tx, case_no)?;
            derive(case_no, &state)?;
        }
        if let Some(counting) = counting {
            counting.finish(&tx)?;
        }
        if people {
            forget_stale_claims(&tx)?;
        }
    }
    if !refold.is_empty() {
        tracing::info!(cases = refold.len(), "folded again under the new rules");
        super::caseloads::mark_stale(&tx)?;
    }
    brought_up_to_date(tx)
}
