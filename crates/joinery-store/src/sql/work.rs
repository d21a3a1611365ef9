//! The worklist read model: each case's open work by the agency asked and the day it is due
//! (`agency_work`), kept in the append's transaction from the case's state, written only where
//! it changed; and who in the agency is handling each piece (`work_claims`), one person at a
//! time, a claim going with its work.

use joinery_domain::journey::{ActionKind, ActionState};
use std::collections::BTreeMap;

use crate::db::{Connection, OptionalExtension, params};
use joinery_domain::{ActionId, AgencyCode, CaseId, CaseState, HearingId, Timestamp, Username};
use joinery_ports::{AuditEvent, Claim, Handled, Resulting, WorkQuery, WorkRow, WorkSlice};
use time::Date;

use super::append;
use crate::error::{Error, corrupt};

/// One piece of open work as the read model keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OpenWork {
    owner: AgencyCode,
    due_on: Date,
    action_id: ActionId,
    kind: ActionKind,
}

/// A case's open work, from its state.
pub(super) fn open_work(state: Option<&CaseState>) -> Vec<OpenWork> {
    state
        .map(|state| {
            state
                .actions
                .iter()
                .filter(|action| action.state == ActionState::Open)
                .map(|action| OpenWork {
                    owner: action.owner.clone(),
                    due_on: action.due_on,
                    action_id: action.action_id.clone(),
                    kind: action.action,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Keeps a case's rows of open work to what its state now says; work no longer open loses its
/// claim.
pub(super) fn write_work(
    tx: &Connection,
    case_no: i64,
    before: &[OpenWork],
    state: &CaseState,
) -> Result<(), Error> {
    let now = open_work(Some(state));
    for gone in before.iter().filter(|work| !now.contains(work)) {
        tx.prepare_cached(
            "DELETE FROM agency_work WHERE owner = ?1 AND due_on = ?2 AND case_no = ?3 \
             AND action_id = ?4",
        )?
        .run(params![
            gone.owner.as_str(),
            gone.due_on.to_string(),
            case_no,
            gone.action_id.as_str()
        ])?;
        if !now.iter().any(|work| work.action_id == gone.action_id) {
            tx.prepare_cached("DELETE FROM work_claims WHERE case_no = ?1 AND action_id = ?2")?
                .run(params![case_no, gone.action_id.as_str()])?;
        }
    }
    for new in now.iter().filter(|work| !before.contains(work)) {
        tx.prepare_cached(
            "INSERT INTO agency_work (owner, due_on, case_no, action_id, kind) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        )?
        .run(params![
            new.owner.as_str(),
            new.due_on.to_string(),
            case_no,
            new.action_id.as_str(),
            new.kind.as_str()
        ])?;
    }
    Ok(())
}

/// The filter every worklist query shares: ?1 agency, ?2 kind, ?3 due before, ?4 handled
/// (`any`, `by`, `none`), ?5 the person.
const WHERE: &str = "WHERE w.owner = ?1 AND (CAST(?2 AS TEXT) IS NULL OR w.kind = ?2) \
     AND (CAST(?3 AS TEXT) IS NULL OR w.due_on < ?3) \
     AND (?4 = 'any' OR (?4 = 'by' AND k.username = ?5) OR (?4 = 'none' AND k.username IS NULL))";
const FROM: &str = "FROM agency_work w JOIN cases c ON c.case_no = w.case_no \
     LEFT JOIN work_claims k ON k.case_no = w.case_no AND k.action_id = w.action_id";

/// A page of an agency's open work, the earliest due first.
pub(super) fn work(connection: &Connection, query: &WorkQuery) -> Result<WorkSlice, Error> {
    let (handled, person) = match &query.handled {
        Handled::Any => ("any", None),
        Handled::By(who) => ("by", Some(who.as_str())),
        Handled::NoOne => ("none", None),
    };
    let kind = query.kind.map(ActionKind::as_str);
    let due_before = query.due_before.map(|day| day.to_string());
    let filter = params![query.owner.as_str(), kind, due_before, handled, person];
    let total: i64 = connection
        .prepare_cached(&format!("SELECT COUNT(*) {FROM} {WHERE}"))?
        .query_row(filter, |row| row.get(0))?;
    let mut page = connection.prepare_cached(&format!(
        "SELECT c.id, w.action_id, w.kind, w.due_on, k.username, k.claimed_at {FROM} {WHERE} \
         ORDER BY w.due_on, w.case_no, w.action_id LIMIT ?6 OFFSET ?7"
    ))?;
    let rows = page
        .query_map(
            params![
                query.owner.as_str(),
                kind,
                due_before,
                handled,
                person,
                query.limit as i64,
                query.offset as i64
            ],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, Option<String>>(5)?,
                ))
            },
        )?
        .map(|row| {
            let (case, action, kind, due_on, who, at) = row?;
            let claimed = match (who, at) {
                (Some(who), Some(at)) => Some((
                    Username::parse(&who).map_err(corrupt)?,
                    Timestamp::parse(&at).map_err(corrupt)?,
                )),
                _ => None,
            };
            Ok(WorkRow {
                case_id: CaseId::parse(&case).map_err(corrupt)?,
                action_id: ActionId::parse(&action).map_err(corrupt)?,
                kind: ActionKind::parse(&kind).ok_or_else(|| corrupt(&kind))?,
                due_on: Date::parse(
                    &due_on,
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .map_err(corrupt)?,
                claimed,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(WorkSlice {
        rows,
        total: usize::try_from(total).unwrap_or_default(),
    })
}

/// `who` claims a piece of open work; the claim, and its audit entry, are written only if no
/// one held it.
pub(super) fn claim(
    connection: &mut Connection,
    (case, action): (CaseId, &ActionId),
    who: &Username,
    at: Timestamp,
    audit: AuditEvent,
) -> Result<Claim, Error> {
    let open = "SELECT w.case_no FROM agency_work w JOIN cases c ON c.case_no = w.case_no \
                WHERE c.id = ?1 AND w.action_id = ?2";
    take(
        connection,
        &CLAIMS,
        open,
        (case, action.as_str()),
        (who, at),
        audit,
    )
}

/// `who` releases a piece of work they hold, audited; false if they did not hold it.
pub(super) fn release(
    connection: &mut Connection,
    (case, action): (CaseId, &ActionId),
    who: &Username,
    audit: AuditEvent,
) -> Result<bool, Error> {
    let_go(connection, &CLAIMS, (case, action.as_str()), who, audit)
}

/// A table of who holds what, one person a thing: its name, and its key and time columns.
struct Holds {
    table: &'static str,
    key: &'static str,
    at: &'static str,
}

const CLAIMS: Holds = Holds {
    table: "work_claims",
    key: "action_id",
    at: "claimed_at",
};

const RESULTING: Holds = Holds {
    table: "hearing_resulting",
    key: "hearing_id",
    at: "started_at",
};

/// `who` takes the thing `key` of a case in `holds`, if `exists` (`?1` the case's id, `?2` the
/// key; answering its `case_no`) finds it and no one else holds it; `audit` recorded only when
/// taken.
fn take(
    connection: &mut Connection,
    holds: &Holds,
    exists: &str,
    (case, key): (CaseId, &str),
    (who, at): (&Username, Timestamp),
    audit: AuditEvent,
) -> Result<Claim, Error> {
    let mut appender = append::Appender::begin(connection)?;
    let tx = appender.connection();
    let case_no: Option<i64> = tx
        .prepare_cached(exists)?
        .query_row(params![case.to_string(), key], |row| row.get(0))
        .optional()?;
    let Some(case_no) = case_no else {
        return Ok(Claim::NoSuchWork);
    };
    let Holds {
        table,
        key: column,
        at: when,
    } = holds;
    let taken = tx
        .prepare_cached(&format!(
            "INSERT INTO {table} (case_no, {column}, username, {when}) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING"
        ))?
        .execute(params![case_no, key, who.as_str(), at.sortable()])?;
    if taken == 0 {
        let holder: String = tx
            .prepare_cached(&format!(
                "SELECT username FROM {table} WHERE case_no = ?1 AND {column} = ?2"
            ))?
            .query_row(params![case_no, key], |row| row.get(0))?;
        return Ok(match holder == who.as_str() {
            true => Claim::Held,
            false => Claim::HeldBy(Username::parse(&holder).map_err(corrupt)?),
        });
    }
    appender.record(&[audit])?;
    appender.commit(None)?;
    Ok(Claim::Held)
}

/// `who` lets go of the thing `key` of a case in `holds`, audited; false if they did not hold
/// it.
fn let_go(
    connection: &mut Connection,
    holds: &Holds,
    (case, key): (CaseId, &str),
    who: &Username,
    audit: AuditEvent,
) -> Result<bool, Error> {
    let Holds {
        table, key: column, ..
    } = holds;
    let mut appender = append::Appender::begin(connection)?;
    let released = appender
        .connection()
        .prepare_cached(&format!(
            "DELETE FROM {table} WHERE {column} = ?2 AND username = ?3 \
             AND case_no = (SELECT case_no FROM cases WHERE id = ?1)"
        ))?
        .execute(params![case.to_string(), key, who.as_str()])?;
    if released == 0 {
        return Ok(false);
    }
    appender.record(&[audit])?;
    appender.commit(None)?;
    Ok(true)
}

/// Who is resulting each of `hearings`, and since when.
pub(super) fn resulting(
    connection: &Connection,
    hearings: &[(CaseId, HearingId)],
) -> Result<Resulting, Error> {
    let mut query = connection.prepare_cached(
        "SELECT r.username, r.started_at FROM hearing_resulting r \
         JOIN cases c ON c.case_no = r.case_no WHERE c.id = ?1 AND r.hearing_id = ?2",
    )?;
    let mut found = BTreeMap::new();
    for (case, hearing) in hearings {
        let row: Option<(String, String)> = query
            .query_row(params![case.to_string(), hearing.as_str()], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        if let Some((who, at)) = row {
            found.insert(
                (*case, hearing.clone()),
                (
                    Username::parse(&who).map_err(corrupt)?,
                    Timestamp::parse(&at).map_err(corrupt)?,
                ),
            );
        }
    }
    Ok(found)
}

/// `who` starts resulting a hearing of a case, unless someone else has; audited if started.
pub(super) fn start_resulting(
    connection: &mut Connection,
    (case, hearing): (CaseId, &HearingId),
    who: &Username,
    at: Timestamp,
    audit: AuditEvent,
) -> Result<Claim, Error> {
    // The hearing's own checks (taken place, not resulted) are the application's, on the case
    // as the reader sees it.
    let exists = "SELECT case_no FROM cases WHERE id = ?1 AND CAST(?2 AS TEXT) IS NOT NULL";
    take(
        connection,
        &RESULTING,
        exists,
        (case, hearing.as_str()),
        (who, at),
        audit,
    )
}

/// `who` stops resulting a hearing they started, audited; false if they had not.
pub(super) fn stop_resulting(
    connection: &mut Connection,
    (case, hearing): (CaseId, &HearingId),
    who: &Username,
    audit: AuditEvent,
) -> Result<bool, Error> {
    let_go(connection, &RESULTING, (case, hearing.as_str()), who, audit)
}
