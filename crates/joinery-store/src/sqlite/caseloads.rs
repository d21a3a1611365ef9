//! The caseload read model in SQL: each touched case's rows written in the append's
//! transaction (decided by the [`CaseloadRows`] the application installed), every case decided
//! again when the agreement's version changes, and a class's page read by index.

use std::collections::BTreeSet;

use joinery_domain::{
    AgencyCode, AgencyKind, CaseId, CaseState, Role, Sequence, Timestamp, Username,
};
use joinery_ports::{
    CaseRecord, CaseloadEntry, CaseloadOrder, CaseloadPage, CaseloadRows, CaseloadSlice, DayList,
    NextHearing, ReaderClass, StoreError,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::read;
use crate::error::{Error, corrupt};

/// Cases decided again in one transaction when every case is.
const REBUILD_BATCH: usize = 5_000;

/// The classes of reader that may see something of a case in `state`: each role that may see
/// cases at each agency on its team (of a kind the role belongs in), and each judge it is or was
/// listed before who has an account at a court on its team.
fn classes(
    tx: &Connection,
    rows: &dyn CaseloadRows,
    state: &CaseState,
) -> Result<Vec<ReaderClass>, Error> {
    let mut classes = Vec::new();
    let mut kind_of = tx.prepare_cached("SELECT kind FROM agencies WHERE code = ?1")?;
    for agency in &state.agencies {
        let kind: Option<String> = kind_of
            .query_row(params![agency.as_str()], |row| row.get(0))
            .optional()?;
        let Some(kind) = kind else { continue };
        let kind = AgencyKind::parse(&kind).map_err(corrupt)?;
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
        let mut court_of =
            tx.prepare_cached("SELECT agency FROM users WHERE username = ?1 AND role = 'judge'")?;
        for judge in judges {
            let court: Option<String> = court_of
                .query_row(params![judge.as_str()], |row| row.get(0))
                .optional()?;
            // A judge's caseload holds the cases of their court (on the team) listed before them.
            let court = court
                .map(|court| AgencyCode::parse(&court).map_err(corrupt))
                .transpose()?
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

/// A class's number, made on first use.
fn class_no(tx: &Connection, class: &ReaderClass) -> Result<i64, Error> {
    let key = class.key();
    tx.prepare_cached("INSERT OR IGNORE INTO caseload_classes (key) VALUES (?1)")?
        .execute(params![key])?;
    Ok(tx
        .prepare_cached("SELECT class_no FROM caseload_classes WHERE key = ?1")?
        .query_row(params![key], |row| row.get(0))?)
}

/// Decides and writes case `case_no`'s rows afresh.
pub(super) fn write_rows(
    tx: &Connection,
    rows: &dyn CaseloadRows,
    case_no: i64,
    id: CaseId,
    state: &CaseState,
) -> Result<(), Error> {
    for table in ["caseload", "caseload_hearings", "caseload_actions"] {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE case_no = ?1"))?
            .execute(params![case_no])?;
    }
    let classes = classes(tx, rows, state)?;
    if classes.is_empty() {
        return Ok(());
    }
    let record = CaseRecord {
        id,
        state: state.clone(),
    };
    let entries = read::timeline(tx, id)?;
    let decided = rows
        .rows(&record, &entries, &classes)
        .map_err(|error| Error::Store(StoreError::Database(Box::new(error))))?;
    let mut row = tx.prepare_cached(
        "INSERT INTO caseload (class_no, case_no, stage, latest) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut hearing = tx.prepare_cached(
        "INSERT INTO caseload_hearings (class_no, case_no, starts_at) VALUES (?1, ?2, ?3)",
    )?;
    let mut action = tx.prepare_cached(
        "INSERT INTO caseload_actions (class_no, case_no, due_on) VALUES (?1, ?2, ?3)",
    )?;
    for decided in decided {
        let class = class_no(tx, &decided.class)?;
        row.execute(params![
            class,
            case_no,
            decided.stage.as_str(),
            decided.latest.get()
        ])?;
        for starts_at in &decided.hearings {
            hearing.execute(params![class, case_no, starts_at.sortable()])?;
        }
        for due_on in &decided.open_actions {
            action.execute(params![class, case_no, due_on.to_string()])?;
        }
    }
    Ok(())
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
        {
            let mut read = tx.prepare_cached("SELECT id, state FROM cases WHERE case_no = ?1")?;
            for case_no in batch {
                let (id, state): (String, String) =
                    read.query_row(params![case_no], |row| Ok((row.get(0)?, row.get(1)?)))?;
                let id = CaseId::parse(&id).map_err(corrupt)?;
                let state: CaseState = serde_json::from_str(&state).map_err(corrupt)?;
                write_rows(&tx, rows, *case_no, id, &state)?;
            }
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
pub(super) fn install(connection: &mut Connection, rows: &dyn CaseloadRows) -> Result<(), Error> {
    let held: String =
        connection.query_row("SELECT digest FROM caseload_digest", [], |row| row.get(0))?;
    if held == rows.digest() {
        return Ok(());
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

/// Values bound to a statement as it is written: each `bind` answers its placeholder.
#[derive(Default)]
struct Bound(Vec<rusqlite::types::Value>);

impl Bound {
    fn bind(&mut self, value: impl Into<rusqlite::types::Value>) -> String {
        self.0.push(value.into());
        format!("?{}", self.0.len())
    }
}

/// A page of a class's caseload, in SQL over its rows alone.
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
    let mut bound = Bound::default();
    let class = bound.bind(class);
    let now = bound.bind(page.now.sortable());
    let today = bound.bind(page.now.date().to_string());
    // The keys a time-dependent filter or order needs, as of now; only those it needs are
    // computed, so the default page is the class's latest rows by index.
    let next_at = format!(
        "(SELECT MIN(h.starts_at) FROM caseload_hearings h \
          WHERE h.class_no = r.class_no AND h.case_no = r.case_no AND h.starts_at >= {now})"
    );
    let overdue = format!(
        "(SELECT COUNT(*) FROM caseload_actions a \
          WHERE a.class_no = r.class_no AND a.case_no = r.case_no AND a.due_on < {today})"
    );
    let mut filters = vec![format!("r.class_no = {class}")];
    if let Some(stage) = page.stage {
        filters.push(format!(
            "r.stage = {}",
            bound.bind(stage.as_str().to_owned())
        ));
    }
    match page.hearing {
        NextHearing::Any => {}
        NextHearing::Before(date) => {
            let before = Timestamp::from_offset(date.midnight().assume_utc()).sortable();
            filters.push(format!("{next_at} < {}", bound.bind(before)));
        }
        NextHearing::None => filters.push(format!("{next_at} IS NULL")),
    }
    if page.overdue_only {
        filters.push(format!("{overdue} > 0"));
    }
    if !page.except.is_empty() {
        let ids: Vec<String> = page
            .except
            .iter()
            .map(|id| bound.bind(id.to_string()))
            .collect();
        filters.push(format!(
            "r.case_no NOT IN (SELECT case_no FROM cases WHERE id IN ({}))",
            ids.join(", ")
        ));
    }
    let filter = filters.join(" AND ");
    let order = match page.order {
        CaseloadOrder::RecentlyChanged => "r.latest DESC".to_owned(),
        CaseloadOrder::NextHearing => format!("{next_at} IS NULL, {next_at}, r.latest DESC"),
        CaseloadOrder::MostOverdue => format!("{overdue} DESC, r.latest DESC"),
    };
    // Every value bound so far is named by the count (the times as plain columns when no filter
    // needs them), as a statement's parameters must be.
    let total: i64 = connection
        .prepare_cached(&format!(
            "SELECT COUNT(*), {now}, {today} FROM caseload r WHERE {filter}"
        ))?
        .query_row(rusqlite::params_from_iter(&bound.0), |row| row.get(0))?;
    let limit = bound.bind(i64::try_from(page.limit).unwrap_or(i64::MAX));
    let offset = bound.bind(i64::try_from(page.offset).unwrap_or(i64::MAX));
    let sql = format!(
        "SELECT c.id, r.latest, {next_at}, {overdue} FROM caseload r \
         JOIN cases c ON c.case_no = r.case_no WHERE {filter} \
         ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    let rows: Vec<(String, i64, Option<String>, i64)> =
        super::rows(connection, &sql, rusqlite::params_from_iter(&bound.0))?;
    let entries = rows
        .into_iter()
        .map(|(id, latest, next, overdue)| {
            Ok(CaseloadEntry {
                case_id: CaseId::parse(&id).map_err(corrupt)?,
                latest: Sequence::new(latest),
                next_hearing: next
                    .as_deref()
                    .map(Timestamp::parse)
                    .transpose()
                    .map_err(corrupt)?,
                overdue: usize::try_from(overdue).unwrap_or_default(),
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(CaseloadSlice {
        entries,
        total: usize::try_from(total).unwrap_or_default(),
    })
}
