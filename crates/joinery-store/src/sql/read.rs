//! Reads: cases, timelines, and the agencies and keys that authenticate senders.

use std::collections::{BTreeMap, HashMap};

use crate::db::{Connection, OptionalExtension, Param, Row, params};
use joinery_domain::projection::HearingState;
use joinery_domain::search::PersonKey;
use joinery_domain::{
    AgencyCode, AgencyKind, CaseFacts, CaseId, CaseState, Sequence, SystemName, Timestamp, Username,
};

use joinery_ports::{
    Agency, AuditVerdict, CaseHistory, CaseLookup, CaseRecord, Change, DayList, KeyHash, Rooms,
    Sitting, TimelineEntry,
};

use super::rows;
use crate::audit::{self, AuditRow};
use crate::error::{Error, corrupt};

/// The cases an agency works on with a hearing on a day.
pub(super) const DAY_OF_AGENCY: &str = "SELECT c.id, c.state FROM cases c WHERE c.case_no IN ( \
               SELECT h.case_no FROM case_hearings h \
               JOIN case_agencies a ON a.agency = ?2 AND a.case_no = h.case_no \
               WHERE h.day = ?1) \
             ORDER BY c.case_no";
/// The cases with a hearing before a judge on a day.
pub(super) const DAY_OF_JUDGE: &str = "SELECT c.id, c.state FROM cases c WHERE c.case_no IN ( \
               SELECT h.case_no FROM case_hearings h WHERE h.judge = ?2 AND h.day = ?1) \
             ORDER BY c.case_no";
/// The changes accepted after a sequence number, in order: a page of the feed.
pub(super) const CHANGES_AFTER: &str = "SELECT m.seq, m.received_at, m.body, c.id FROM messages m \
         JOIN cases c ON c.case_no = m.case_no WHERE m.seq > ?1 ORDER BY m.seq LIMIT ?2";
/// The next changes on the cases one agency works on, by its feed index.
pub(super) const AGENCY_CHANGES_AFTER: &str = "SELECT m.seq, m.received_at, m.body, c.id, c.facts, \
         CASE WHEN c.facts IS NULL THEN c.state END FROM agency_feed f \
         JOIN messages m ON m.seq = f.seq JOIN cases c ON c.case_no = m.case_no \
         WHERE f.agency = ?1 AND f.seq > ?2 ORDER BY f.seq LIMIT ?3";
/// The case a URN or ASN names.
pub(super) const FIND_CASE: &str = "SELECT c.id FROM case_refs r JOIN cases c ON c.case_no = r.case_no \
     WHERE r.kind = ?1 AND r.value = ?2";
/// A case's state, by its id.
pub(super) const CASE_STATE: &str = "SELECT state FROM cases WHERE id = ?1";
/// A case's events, in the order they happened.
pub(super) const TIMELINE: &str = "SELECT m.seq, m.received_at, m.body FROM cases c JOIN messages m ON m.case_no = c.case_no \
         WHERE c.id = ?1 ORDER BY m.occurred_at, m.agency, m.message_id";

pub(super) fn find_case(
    connection: &Connection,
    lookup: &CaseLookup,
) -> Result<Option<CaseId>, Error> {
    let (kind, value) = match lookup {
        CaseLookup::Urn(urn) => ("urn", urn.as_str()),
        CaseLookup::Asn(asn) => ("asn", asn.as_str()),
    };
    let case_id: Option<String> = connection
        .prepare_cached(FIND_CASE)?
        .query_row(params![kind, value], |row| row.get(0))
        .optional()?;
    case_id
        .map(|id| CaseId::parse(&id).map_err(corrupt))
        .transpose()
}

/// Up to `limit` cases whose defendant is found by `key`, the case opened last first.
pub(super) fn cases_of_person(
    connection: &Connection,
    key: &PersonKey,
    limit: usize,
) -> Result<Vec<CaseId>, Error> {
    let mut query = connection.prepare_cached(
        "SELECT c.id FROM case_people p JOIN cases c ON c.case_no = p.case_no \
         WHERE p.key = ?1 ORDER BY p.case_no DESC LIMIT ?2",
    )?;
    query
        .query_map(params![key.stored(), limit as i64], |row| {
            row.get::<_, String>(0)
        })?
        .map(|id| CaseId::parse(&id?).map_err(corrupt))
        .collect()
}

pub(super) fn case(connection: &Connection, id: CaseId) -> Result<Option<CaseRecord>, Error> {
    let state: Option<String> = connection
        .prepare_cached(CASE_STATE)?
        .query_row(params![id.to_string()], |row| row.get(0))
        .optional()?;
    state
        .map(|json| {
            let state: CaseState = serde_json::from_str(&json).map_err(corrupt)?;
            Ok(CaseRecord { id, state })
        })
        .transpose()
}

pub(super) fn timeline(connection: &Connection, id: CaseId) -> Result<Vec<TimelineEntry>, Error> {
    let rows: Vec<(i64, String, String)> = rows(connection, TIMELINE, params![id.to_string()])?;
    rows.into_iter().map(entry).collect()
}

fn agency_from(row: &Row<'_>) -> Result<(String, String, String), Error> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
}

fn agency_of((code, kind, name): (String, String, String)) -> Result<Agency, Error> {
    Ok(Agency {
        code: AgencyCode::parse(&code).map_err(corrupt)?,
        kind: AgencyKind::parse(&kind).map_err(corrupt)?,
        name: SystemName::parse(&name).map_err(corrupt)?,
    })
}

pub(super) fn agencies(connection: &Connection) -> Result<Vec<Agency>, Error> {
    let mut query =
        connection.prepare_cached("SELECT code, kind, name FROM agencies ORDER BY code")?;
    let rows = query
        .query_map([], agency_from)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(agency_of).collect()
}

pub(super) fn agency_for_key(
    connection: &Connection,
    key: KeyHash,
) -> Result<Option<Agency>, Error> {
    let row = connection
        .prepare_cached(
            "SELECT a.code, a.kind, a.name FROM api_keys k JOIN agencies a ON a.code = k.agency \
             WHERE k.key_hash = ?1 AND k.revoked_at IS NULL",
        )?
        .query_row(params![key.as_bytes().as_slice()], agency_from)
        .optional()?;
    row.map(agency_of).transpose()
}

pub(super) fn verify_audit(connection: &Connection) -> Result<AuditVerdict, Error> {
    let mut query = connection.prepare_cached(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let rows = query
        .query_map([], |row| {
            Ok((
                AuditRow {
                    seq: row.get(0)?,
                    at: row.get(1)?,
                    actor: row.get(2)?,
                    action: row.get(3)?,
                    subject: row.get(4)?,
                    detail: row.get(5)?,
                },
                row.get::<_, Vec<u8>>(6)?,
                row.get::<_, Vec<u8>>(7)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(audit::verify(rows))
}

pub(super) fn changes_after(
    connection: &Connection,
    after: Sequence,
    limit: usize,
) -> Result<Vec<Change>, Error> {
    let rows: Vec<(i64, String, String, String)> = rows(
        connection,
        CHANGES_AFTER,
        params![after.get(), i64::try_from(limit).unwrap_or(i64::MAX)],
    )?;
    changes_of(rows)
}

pub(super) fn agency_changes_after(
    connection: &Connection,
    agency: &AgencyCode,
    after: Sequence,
    limit: usize,
) -> Result<Vec<(Change, CaseFacts)>, Error> {
    type Row = (i64, String, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> = rows(
        connection,
        AGENCY_CHANGES_AFTER,
        params![
            agency.as_str(),
            after.get(),
            i64::try_from(limit).unwrap_or(i64::MAX)
        ],
    )?;
    let mut facts_of: HashMap<String, CaseFacts> = HashMap::new();
    let mut changes = Vec::with_capacity(rows.len());
    for (sequence, received_at, body, case_id, facts, state) in rows {
        let facts = match facts_of.get(&case_id) {
            Some(facts) => facts.clone(),
            None => {
                let facts = case_facts(facts.as_deref(), state.as_deref())?;
                facts_of.insert(case_id.clone(), facts.clone());
                facts
            }
        };
        changes.push((change_of(sequence, &received_at, &body, &case_id)?, facts));
    }
    Ok(changes)
}

/// What sharing decisions rest on about a case, as kept beside its state; taken from the state
/// for a case that has not changed since they were first kept.
fn case_facts(facts: Option<&str>, state: Option<&str>) -> Result<CaseFacts, Error> {
    match (facts, state) {
        (Some(facts), _) => serde_json::from_str(facts).map_err(corrupt),
        (None, Some(state)) => {
            let state: CaseState = serde_json::from_str(state).map_err(corrupt)?;
            Ok(CaseFacts::of(&state))
        }
        (None, None) => Err(corrupt("a case with neither facts nor state")),
    }
}

fn changes_of(rows: Vec<(i64, String, String, String)>) -> Result<Vec<Change>, Error> {
    rows.into_iter()
        .map(|(sequence, received_at, body, case_id)| {
            change_of(sequence, &received_at, &body, &case_id)
        })
        .collect()
}

fn change_of(sequence: i64, received_at: &str, body: &str, case_id: &str) -> Result<Change, Error> {
    Ok(Change {
        case_id: CaseId::parse(case_id).map_err(corrupt)?,
        entry: TimelineEntry {
            sequence: Sequence::new(sequence),
            received_at: Timestamp::parse(received_at).map_err(corrupt)?,
            event: serde_json::from_str(body).map_err(corrupt)?,
        },
    })
}

/// A case and its events, read in the caller's transaction so that they agree.
pub(super) fn history(connection: &Connection, id: CaseId) -> Result<Option<CaseHistory>, Error> {
    Ok(histories(connection, &[id])?.pop().flatten())
}

/// Each case of `ids` (in that order) and its events, if it exists: its state asked of every
/// case at once, and then its events.
pub(super) fn histories(
    connection: &Connection,
    ids: &[CaseId],
) -> Result<Vec<Option<CaseHistory>>, Error> {
    let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let runs: Vec<[&dyn Param; 1]> = keys.iter().map(|key| [key as &dyn Param]).collect();
    let states = connection
        .prepare_cached(CASE_STATE)?
        .query_each(&runs, |row| row.get::<_, String>(0))?;
    let found: Vec<CaseId> = ids
        .iter()
        .zip(&states)
        .filter(|(_, state)| state.is_some())
        .map(|(id, _)| *id)
        .collect();
    let mut timelines = timelines(connection, &found)?.into_iter();
    ids.iter()
        .zip(states)
        .map(|(id, state)| {
            let Some(state) = state else {
                return Ok(None);
            };
            let state: CaseState = serde_json::from_str(&state).map_err(corrupt)?;
            let entries = timelines
                .next()
                .ok_or_else(|| corrupt("a case's events were not read"))?;
            Ok(Some((CaseRecord { id: *id, state }, entries)))
        })
        .collect()
}

/// The events of each case of `ids`, in order, asked of them all at once.
pub(super) fn timelines(
    connection: &Connection,
    ids: &[CaseId],
) -> Result<Vec<Vec<TimelineEntry>>, Error> {
    let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let runs: Vec<[&dyn Param; 1]> = keys.iter().map(|key| [key as &dyn Param]).collect();
    connection
        .prepare_cached(TIMELINE)?
        .query_runs(&runs, usize::MAX, |row| {
            entry((row.get(0)?, row.get(1)?, row.get(2)?))
        })
}

/// An event as the timeline query reads it: its sequence, when it was received, and itself.
fn entry((sequence, received_at, event): (i64, String, String)) -> Result<TimelineEntry, Error> {
    Ok(TimelineEntry {
        sequence: Sequence::new(sequence),
        received_at: Timestamp::parse(&received_at).map_err(corrupt)?,
        event: serde_json::from_str(&event).map_err(corrupt)?,
    })
}

pub(super) fn cases_of_agency(
    connection: &Connection,
    agency: &AgencyCode,
) -> Result<Vec<CaseId>, Error> {
    let mut query = connection.prepare_cached(
        "SELECT c.id FROM case_agencies a JOIN cases c ON c.case_no = a.case_no \
         WHERE a.agency = ?1 ORDER BY c.updated_at DESC, c.case_no DESC",
    )?;
    let ids = query
        .query_map(params![agency.as_str()], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter()
        .map(|id| CaseId::parse(id).map_err(corrupt))
        .collect()
}

/// The cases on `list` with a hearing starting on `date`, as stored: by the day's-list index.
/// The nearest days before and after `date` with a hearing before `judge`.
pub(super) fn judge_days_around(
    connection: &Connection,
    judge: &Username,
    date: time::Date,
) -> Result<(Option<time::Date>, Option<time::Date>), Error> {
    let day = date.to_string();
    let nearest = |sql: &str| -> Result<Option<time::Date>, Error> {
        let found: Option<String> = connection
            .prepare_cached(sql)?
            .query_row(params![judge.as_str(), day], |row| row.get(0))
            .optional()?;
        found
            .map(|text| {
                time::Date::parse(
                    &text,
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .map_err(corrupt)
            })
            .transpose()
    };
    Ok((
        nearest(
            "SELECT day FROM case_hearings WHERE judge = ?1 AND day < ?2 ORDER BY day DESC LIMIT 1",
        )?,
        nearest(
            "SELECT day FROM case_hearings WHERE judge = ?1 AND day > ?2 ORDER BY day LIMIT 1",
        )?,
    ))
}

pub(super) fn cases_heard_on(
    connection: &Connection,
    date: time::Date,
    list: &DayList,
) -> Result<Vec<CaseRecord>, Error> {
    let day = date.to_string();
    let rows: Vec<(String, String)> = match list {
        DayList::Agency(agency) => rows(connection, DAY_OF_AGENCY, params![day, agency.as_str()])?,
        DayList::Judge(judge) => rows(connection, DAY_OF_JUDGE, params![day, judge.as_str()])?,
    };
    rows.iter()
        .map(|(id, state)| {
            Ok(CaseRecord {
                id: CaseId::parse(id).map_err(corrupt)?,
                state: serde_json::from_str(state).map_err(corrupt)?,
            })
        })
        .collect()
}

/// Of a day's cases, those with a hearing on `date` in the room `rooms` asks for, and the rooms
/// the day's hearings sit in (with [`Rooms::One`]; none with [`Rooms::Every`]).
pub(super) fn in_room(
    records: Vec<CaseRecord>,
    date: time::Date,
    rooms: Rooms,
) -> (Vec<Sitting>, Vec<CaseRecord>) {
    let Rooms::One(index) = rooms else {
        return (Vec::new(), records);
    };
    let sitting = |hearing: &HearingState| Sitting {
        court: hearing.court.clone(),
        courtroom: hearing.courtroom.clone(),
    };
    let sittings: Vec<Sitting> = records
        .iter()
        .flat_map(|record| &record.state.hearings)
        .filter(|hearing| hearing.starts_at.date() == date)
        .map(|hearing| (sitting_order(hearing), sitting(hearing)))
        .collect::<BTreeMap<_, _>>()
        .into_values()
        .collect();
    let Some(chosen) = sittings.get(index).cloned() else {
        return (sittings, Vec::new());
    };
    let records = records
        .into_iter()
        .filter(|record| {
            record
                .state
                .hearings
                .iter()
                .any(|hearing| hearing.starts_at.date() == date && sitting(hearing) == chosen)
        })
        .collect();
    (sittings, records)
}

/// Where a room stands among a day's: by court, then named ones first, by name.
fn sitting_order(hearing: &HearingState) -> (String, bool, Option<String>) {
    (
        hearing.court.to_string(),
        hearing.courtroom.is_none(),
        hearing.courtroom.as_ref().map(ToString::to_string),
    )
}
