//! The caseload read model in SQL: each touched case's rows written in the append's
//! transaction (decided by the [`CaseloadRows`] the application installed), and every case
//! decided again when the agreement's version changes. A class's page is `caseload_page.rs`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::db::{Connection, OptionalExtension, Param, Row, TransactionBehavior, params};
use joinery_domain::{AgencyCode, AgencyKind, CaseFacts, CaseId, CaseState, Role, Username};
use joinery_ports::{
    CaseRecord, CaseloadRow, CaseloadRows, DayList, DecisionError, ReaderClass, StoreError,
    TimelineEntry,
};
use time::Date;

use super::{feeds, read};
use crate::error::{Error, corrupt};

/// Cases decided again in one transaction when every case is.
const REBUILD_BATCH: usize = 5_000;

/// What one transaction has looked up of agencies, judges and classes: the same few hundred
/// answers serve every case it writes, and none of them changes inside it.
#[derive(Default)]
pub(super) struct Lookups {
    kinds: HashMap<AgencyCode, Option<AgencyKind>>,
    courts: HashMap<Username, Option<AgencyCode>>,
    numbers: HashMap<String, i64>,
    /// What the rows taken away and written so far move the classes' counts by.
    counts: Counts,
}

/// How far the rows a transaction takes away and writes move each class's counts (by stage,
/// and by the day its earliest open work fell due): gathered as rows go, so that a class's
/// count is written once a transaction, however many of its cases it touches.
#[derive(Default)]
struct Counts {
    stages: BTreeMap<(i64, String), i64>,
    due: BTreeMap<(i64, String), i64>,
}

impl Counts {
    /// Counts a row of class `class_no` in (`by` 1) or out (`by` -1).
    fn count(&mut self, class_no: i64, stage: &str, due_from: Option<&str>, by: i64) {
        *self.stages.entry((class_no, stage.to_owned())).or_default() += by;
        if let Some(due) = due_from {
            *self.due.entry((class_no, due.to_owned())).or_default() += by;
        }
    }

    /// Writes the counts moved, and forgets them; a day's count that reaches nought goes.
    fn write(&mut self, tx: &Connection) -> Result<(), Error> {
        let mut stage = tx.prepare_cached(
            "INSERT INTO caseload_stage_counts (class_no, stage, cases) VALUES (?1, ?2, ?3) \
             ON CONFLICT (class_no, stage) \
             DO UPDATE SET cases = caseload_stage_counts.cases + excluded.cases",
        )?;
        for ((class_no, name), by) in std::mem::take(&mut self.stages) {
            if by != 0 {
                stage.run(params![class_no, name, by])?;
            }
        }
        let mut due = tx.prepare_cached(
            "INSERT INTO caseload_due_counts (class_no, due_on, cases) VALUES (?1, ?2, ?3) \
             ON CONFLICT (class_no, due_on) \
             DO UPDATE SET cases = caseload_due_counts.cases + excluded.cases",
        )?;
        let mut emptied = Vec::new();
        for ((class_no, day), by) in std::mem::take(&mut self.due) {
            if by != 0 {
                due.run(params![class_no, day, by])?;
            }
            if by < 0 {
                emptied.push((class_no, day));
            }
        }
        let mut remove = tx.prepare_cached(
            "DELETE FROM caseload_due_counts WHERE class_no = ?1 AND due_on = ?2 AND cases = 0",
        )?;
        for (class_no, day) in emptied {
            remove.run(params![class_no, day])?;
        }
        Ok(())
    }
}

/// An agency's kind, as [`Lookups::kind`] and [`Lookups::prefetch`] ask it.
const KIND: &str = "SELECT kind FROM agencies WHERE code = ?1";

/// A judge's court, as [`Lookups::court`] and [`Lookups::prefetch`] ask it.
const COURT: &str = "SELECT agency FROM users WHERE username = ?1 AND role = 'judge'";

/// A class's number, as [`Lookups::number_classes`] asks it.
const CLASS_NO: &str = "SELECT class_no FROM caseload_classes WHERE key = ?1";

impl Lookups {
    /// Asks together what [`Self::kind`] and [`Self::court`] would ask one at a time: the kinds
    /// of `agencies` and the courts of `judges` not known yet. On PostgreSQL each lookup is a
    /// round trip that first waits for every write sent before it: one for a transaction's
    /// cases, not one an agency.
    pub(super) fn prefetch<'a>(
        &mut self,
        tx: &Connection,
        agencies: impl IntoIterator<Item = &'a AgencyCode>,
        judges: impl IntoIterator<Item = &'a Username>,
    ) -> Result<(), Error> {
        let agencies: BTreeSet<&AgencyCode> = agencies
            .into_iter()
            .filter(|agency| !self.kinds.contains_key(*agency))
            .collect();
        let codes: Vec<&str> = agencies.iter().map(|agency| agency.as_str()).collect();
        let kinds = ask_each(tx, KIND, &codes, |row| {
            AgencyKind::parse(row.get_str(0)?).map_err(corrupt)
        })?;
        for (agency, kind) in agencies.into_iter().zip(kinds) {
            self.kinds.insert(agency.clone(), kind);
        }
        let judges: BTreeSet<&Username> = judges
            .into_iter()
            .filter(|judge| !self.courts.contains_key(*judge))
            .collect();
        let names: Vec<&str> = judges.iter().map(|judge| judge.as_str()).collect();
        let courts = ask_each(tx, COURT, &names, |row| {
            AgencyCode::parse(row.get_str(0)?).map_err(corrupt)
        })?;
        for (judge, court) in judges.into_iter().zip(courts) {
            self.courts.insert(judge.clone(), court);
        }
        Ok(())
    }

    pub(super) fn kind(
        &mut self,
        tx: &Connection,
        agency: &AgencyCode,
    ) -> Result<Option<AgencyKind>, Error> {
        if let Some(kind) = self.kinds.get(agency) {
            return Ok(*kind);
        }
        let kind: Option<String> = tx
            .prepare_cached(KIND)?
            .query_row(params![agency.as_str()], |row| row.get(0))
            .optional()?;
        let kind = kind
            .map(|kind| AgencyKind::parse(&kind).map_err(corrupt))
            .transpose()?;
        self.kinds.insert(agency.clone(), kind);
        Ok(kind)
    }

    /// The court of the judge with this user name, if they have an account.
    fn court(&mut self, tx: &Connection, judge: &Username) -> Result<Option<AgencyCode>, Error> {
        if let Some(court) = self.courts.get(judge) {
            return Ok(court.clone());
        }
        let court: Option<String> = tx
            .prepare_cached(COURT)?
            .query_row(params![judge.as_str()], |row| row.get(0))
            .optional()?;
        let court = court
            .map(|court| AgencyCode::parse(&court).map_err(corrupt))
            .transpose()?;
        self.courts.insert(judge.clone(), court.clone());
        Ok(court)
    }

    /// The number of a class [`Self::number_classes`] numbered.
    fn class_no(&self, class: &ReaderClass) -> Result<i64, Error> {
        self.numbers
            .get(&class.key())
            .copied()
            .ok_or_else(|| corrupt("a class of reader was not numbered"))
    }

    /// Numbers every class of `classes` not numbered yet, making the missing ones: two round
    /// trips for a transaction's classes at most, rather than two a class.
    fn number_classes<'a>(
        &mut self,
        tx: &Connection,
        classes: impl IntoIterator<Item = &'a ReaderClass>,
    ) -> Result<(), Error> {
        let keys: BTreeSet<String> = classes
            .into_iter()
            .map(ReaderClass::key)
            .filter(|key| !self.numbers.contains_key(key))
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let mut missing = Vec::new();
        for (key, number) in keys
            .iter()
            .zip(ask_each(tx, CLASS_NO, &keys, |row| row.get(0))?)
        {
            match number {
                Some(number) => {
                    self.numbers.insert((*key).to_owned(), number);
                }
                None => missing.push(*key),
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        let mut make = tx.prepare_cached(
            "INSERT INTO caseload_classes (key) VALUES (?1) ON CONFLICT DO NOTHING",
        )?;
        for key in &missing {
            make.run(params![key])?;
        }
        drop(make);
        for (key, number) in missing
            .iter()
            .zip(ask_each(tx, CLASS_NO, &missing, |row| row.get(0))?)
        {
            let number = number.ok_or_else(|| corrupt("a class just made has no number"))?;
            self.numbers.insert((*key).to_owned(), number);
        }
        Ok(())
    }
}

/// The answer of `sql` (one parameter, at most one row) for each of `keys`, in order, read by
/// `read`: one round trip for them all on PostgreSQL.
fn ask_each<T>(
    tx: &Connection,
    sql: &str,
    keys: &[&str],
    read: impl FnMut(&Row<'_>) -> Result<T, Error>,
) -> Result<Vec<Option<T>>, Error> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let runs: Vec<[&dyn Param; 1]> = keys.iter().map(|key| [key as &dyn Param]).collect();
    tx.prepare_cached(sql)?.query_each(&runs, read)
}

/// The classes of reader that may see something of a case in `state`: each role that may see
/// cases at each agency on its team (of a kind the role belongs in), and each judge it is or was
/// listed before who has an account at a court on its team.
fn classes(
    tx: &Connection,
    lookups: &mut Lookups,
    rows: &dyn CaseloadRows,
    state: &CaseState,
) -> Result<Vec<ReaderClass>, Error> {
    let mut classes = Vec::new();
    for agency in &state.agencies {
        let Some(kind) = lookups.kind(tx, agency)? else {
            continue;
        };
        classes.extend(
            Role::ALL
                .into_iter()
                .filter(|role| *role != Role::Judge && role.agency_kind().is_none_or(|k| k == kind))
                .filter(|role| rows.sees_cases(*role))
                .map(|role| ReaderClass {
                    agency: agency.clone(),
                    kind,
                    role,
                    judge: None,
                }),
        );
    }
    if rows.sees_cases(Role::Judge) {
        let judges: BTreeSet<&Username> = state
            .hearings
            .iter()
            .filter_map(|h| h.judge.as_ref())
            .collect();
        for judge in judges {
            // A judge's caseload holds the cases of their court (on the team) listed before them.
            let court = lookups
                .court(tx, judge)?
                .filter(|court| state.agencies.contains(court));
            if let Some(court) = court {
                classes.push(ReaderClass {
                    agency: court,
                    kind: AgencyKind::Court,
                    role: Role::Judge,
                    judge: Some(judge.clone()),
                });
            }
        }
    }
    Ok(classes)
}

/// A case whose rows are to be decided: what deciding needs, gathered in the transaction.
pub(super) struct Pending {
    case_no: i64,
    record: CaseRecord,
    entries: Vec<TimelineEntry>,
    classes: Vec<ReaderClass>,
}

impl Pending {
    pub(super) fn case_no(&self) -> i64 {
        self.case_no
    }

    /// Every event on the case, in the order they happened.
    pub(super) fn entries(&self) -> &[TimelineEntry] {
        &self.entries
    }
}

/// What a case had before the transaction that decides its rows again.
pub(super) enum Before {
    /// Opened by the transaction, with every message it has (all came in with it).
    Opened(Vec<TimelineEntry>),
    /// Stored already: its caseload rows (class, stage, the day its earliest open work fell
    /// due) and every event on it.
    Stored {
        rows: Vec<(i64, String, Option<String>)>,
        timeline: Vec<TimelineEntry>,
    },
}

/// What is stored of each of `cases` (number and id), read together: on PostgreSQL one round
/// trip for a transaction's cases, not two a case, each waiting for every write sent before it.
pub(super) fn stored(tx: &Connection, cases: &[(i64, CaseId)]) -> Result<Vec<Before>, Error> {
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let runs: Vec<[&dyn Param; 1]> = cases.iter().map(|(no, _)| [no as &dyn Param]).collect();
    let rows = tx
        .prepare_cached("SELECT class_no, stage, due_from FROM caseload WHERE case_no = ?1")?
        .query_runs(&runs, usize::MAX, |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    let ids: Vec<CaseId> = cases.iter().map(|(_, id)| *id).collect();
    let timelines = read::timelines(tx, &ids)?;
    Ok(rows
        .into_iter()
        .zip(timelines)
        .map(|(rows, timeline)| Before::Stored { rows, timeline })
        .collect())
}

/// Takes away case `case_no`'s rows and gathers what deciding them afresh needs; `None` when
/// no class may see anything of it.
pub(super) fn pending(
    tx: &Connection,
    rows: &dyn CaseloadRows,
    case_no: i64,
    id: CaseId,
    state: &CaseState,
    before: Before,
    lookups: &mut Lookups,
) -> Result<Option<Pending>, Error> {
    // A case opened in this transaction has no rows to take away. Every class with hearings
    // or actions of a case has a row of it, so its rows name the classes to take away.
    let entries = match before {
        Before::Opened(mut entries) => {
            // No timeline but what came in with it: put in the order the stored timeline is
            // read in ([`read::TIMELINE`]).
            entries.sort_by_cached_key(|entry| {
                let event = &entry.event;
                (
                    event.occurred_at.sortable(),
                    event.agency.clone(),
                    event.message_id.clone(),
                )
            });
            entries
        }
        Before::Stored {
            rows: held,
            timeline,
        } => {
            for (class_no, stage, due_from) in held {
                lookups
                    .counts
                    .count(class_no, &stage, due_from.as_deref(), -1);
                for table in ["caseload", "caseload_hearings", "caseload_actions"] {
                    tx.prepare_cached(&format!(
                        "DELETE FROM {table} WHERE class_no = ?1 AND case_no = ?2"
                    ))?
                    .run(params![class_no, case_no])?;
                }
            }
            timeline
        }
    };
    let classes = classes(tx, lookups, rows, state)?;
    if classes.is_empty() {
        return Ok(None);
    }
    Ok(Some(Pending {
        case_no,
        record: CaseRecord {
            id,
            state: state.clone(),
        },
        entries,
        classes,
    }))
}

/// Decides the pending cases' rows and writes them, with the counts they and the rows taken
/// away for them move. Deciding needs no connection and is most of the work, so it is shared
/// among the machine's cores while the writer waits; the rows are then written in the order
/// the cases came.
pub(super) fn decide_and_write(
    tx: &Connection,
    rows: &dyn CaseloadRows,
    pending: &[Pending],
    lookups: &mut Lookups,
) -> Result<(), Error> {
    let decided = decide(rows, pending)?;
    lookups.number_classes(tx, decided.iter().flatten().map(|row| &row.class))?;
    let mut row = tx.prepare_cached(
        "INSERT INTO caseload (class_no, case_no, stage, latest, due_from) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut hearing = tx.prepare_cached(
        "INSERT INTO caseload_hearings (class_no, case_no, starts_at) \
         VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?;
    let mut action = tx.prepare_cached(
        "INSERT INTO caseload_actions (class_no, case_no, due_on, actions) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (case, decided) in pending.iter().zip(decided) {
        let case_no = case.case_no;
        for decided in decided {
            let class = lookups.class_no(&decided.class)?;
            // Actions due on one day are one row, with how many.
            let mut due: Vec<Date> = decided.open_actions.clone();
            due.sort_unstable();
            let due_from = due.first().map(ToString::to_string);
            lookups
                .counts
                .count(class, decided.stage.as_str(), due_from.as_deref(), 1);
            row.run(params![
                class,
                case_no,
                decided.stage.as_str(),
                decided.latest.get(),
                due_from
            ])?;
            // Two hearings of one case at one moment are one to a caseload.
            for starts_at in &decided.hearings {
                hearing.run(params![class, case_no, starts_at.sortable()])?;
            }
            for day in due.chunk_by(|a, b| a == b) {
                let count = i64::try_from(day.len()).unwrap_or(i64::MAX);
                action.run(params![class, case_no, day[0].to_string(), count])?;
            }
        }
    }
    // The rows taken away since the last write (by `pending`) and those just written.
    lookups.counts.write(tx)
}

/// Below this many cases, deciding stays on the writer's thread: a thread costs more.
const SHARED_FROM: usize = 64;

/// Each pending case's rows, in order, decided on as many threads as there are cores.
fn decide(rows: &dyn CaseloadRows, pending: &[Pending]) -> Result<Vec<Vec<CaseloadRow>>, Error> {
    let decide_part = |part: &[Pending]| -> Result<Vec<Vec<CaseloadRow>>, DecisionError> {
        part.iter()
            .map(|case| rows.rows(&case.record, &case.entries, &case.classes))
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let decided = if threads < 2 || pending.len() < SHARED_FROM {
        decide_part(pending)
    } else {
        let size = pending.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let mut parts = pending.chunks(size);
            let first = parts.next().unwrap_or_default();
            let others: Vec<_> = parts
                .map(|part| scope.spawn(move || decide_part(part)))
                .collect();
            let mut decided = decide_part(first)?;
            for other in others {
                let part = other.join().map_err(|_| {
                    DecisionError("a thread deciding caseload rows panicked".into())
                })?;
                decided.extend(part?);
            }
            Ok(decided)
        })
    };
    decided.map_err(|error| Error::Store(StoreError::Database(Box::new(error))))
}

/// Marks the rows stale: cases were written with no one to decide them.
pub(super) fn mark_stale(tx: &Connection) -> Result<(), Error> {
    tx.prepare_cached("UPDATE caseload_digest SET digest = ''")?
        .execute([])?;
    Ok(())
}

/// Decides again the rows of every case numbered in `cases`, a batch a transaction.
fn decide_again(
    connection: &mut Connection,
    rows: &dyn CaseloadRows,
    cases: &[i64],
) -> Result<(), Error> {
    for batch in cases.chunks(REBUILD_BATCH) {
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut lookups = Lookups::default();
        let mut pending_cases = Vec::new();
        let mut cases = Vec::new();
        {
            let mut read = tx.prepare_cached("SELECT id, state FROM cases WHERE case_no = ?1")?;
            for case_no in batch {
                let (id, state): (String, String) =
                    read.query_row(params![case_no], |row| Ok((row.get(0)?, row.get(1)?)))?;
                let id = CaseId::parse(&id).map_err(corrupt)?;
                let state: CaseState = serde_json::from_str(&state).map_err(corrupt)?;
                cases.push((*case_no, id, state));
            }
        }
        let numbered: Vec<(i64, CaseId)> = cases.iter().map(|(no, id, _)| (*no, *id)).collect();
        for ((case_no, id, state), before) in cases.iter().zip(stored(&tx, &numbered)?) {
            pending_cases.extend(pending(
                &tx,
                rows,
                *case_no,
                *id,
                state,
                before,
                &mut lookups,
            )?);
        }
        decide_and_write(&tx, rows, &pending_cases, &mut lookups)?;
        // Each agency's feed rows of the case, decided again under what they are now.
        let timelines: HashMap<i64, &[TimelineEntry]> = pending_cases
            .iter()
            .map(|case| (case.case_no, case.entries.as_slice()))
            .collect();
        for (case_no, id, state) in cases {
            let read_now;
            let entries = match timelines.get(&case_no) {
                Some(entries) => *entries,
                None => {
                    read_now = read::timeline(&tx, id)?;
                    &read_now
                }
            };
            let facts = CaseFacts::of(&state);
            feeds::rebuild(&tx, rows, &state.agencies, &facts, entries, &mut lookups)?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// Decides again the rows of the cases an agency works on, or a judge is listed for: when the
/// agency or the judge's account is registered after their cases came in.
pub(super) fn refresh(
    connection: &mut Connection,
    rows: &dyn CaseloadRows,
    list: &DayList,
) -> Result<(), Error> {
    let cases: Vec<i64> = match list {
        DayList::Agency(agency) => super::rows(
            connection,
            "SELECT case_no FROM case_agencies WHERE agency = ?1",
            params![agency.as_str()],
        )?,
        DayList::Judge(judge) => super::rows(
            connection,
            "SELECT DISTINCT case_no FROM case_hearings WHERE judge = ?1",
            params![judge.as_str()],
        )?,
    }
    .into_iter()
    .map(|(case_no,): (i64,)| case_no)
    .collect();
    decide_again(connection, rows, &cases)
}

/// Installs `rows`: if the rows held were decided under another version of the agreement (or
/// cases were written since with no one deciding), every case is decided again, a batch of
/// cases a transaction, and the version recorded.
///
/// On PostgreSQL, where several servers share the database, rows decided under another
/// agreement are another server's: this one refuses to start unless `replace` (its operator
/// changing the agreement for all), since servers deciding under two agreements would each undo
/// the other's rows.
pub(super) fn install(
    connection: &mut Connection,
    rows: &dyn CaseloadRows,
    replace: bool,
) -> Result<(), Error> {
    let held: String =
        connection.query_row("SELECT digest FROM caseload_digest", [], |row| row.get(0))?;
    if held == rows.digest() {
        return Ok(());
    }
    if connection.engine() == crate::db::Engine::Postgres && !held.is_empty() && !replace {
        return Err(StoreError::AgreementDiffers {
            held,
            ours: rows.digest().to_owned(),
        }
        .into());
    }
    let cases: Vec<i64> =
        super::rows(connection, "SELECT case_no FROM cases ORDER BY case_no", [])?
            .into_iter()
            .map(|(case_no,): (i64,)| case_no)
            .collect();
    if !cases.is_empty() {
        tracing::info!(
            cases = cases.len(),
            "deciding every case's caseload rows under the agreement in force"
        );
    }
    decide_again(connection, rows, &cases)?;
    connection.execute(
        "UPDATE caseload_digest SET digest = ?1",
        params![rows.digest()],
    )?;
    Ok(())
}
