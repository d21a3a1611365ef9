//! Appending a batch: one `BEGIN IMMEDIATE` transaction that checks each message against what is
//! stored, places it on a case (opening one if need be), folds the affected cases, and writes
//! every row through cached prepared statements. All of it runs on the writer's thread in one
//! call, with no round trip between statements: the whole batch costs one fsync.

use std::collections::{BTreeSet, HashMap};

use joinery_domain::{CanonicalMessage, CaseId, CaseState, OrderKey, Submission, Timestamp};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::{AppendOutcome, StoreError};

const URN: &str = "urn";
const ASN: &str = "asn";

pub(super) fn append(
    connection: &mut Connection,
    batch: &[Submission],
) -> Result<Vec<AppendOutcome>, StoreError> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let received_at = Timestamp::now().sortable();
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut plan = Placement {
        stored: stored_messages(&tx, batch)?,
        references: known_references(&tx, batch)?,
        next_case_no: tx.query_row(
            "SELECT COALESCE(MAX(case_no), 0) + 1 FROM cases",
            [],
            |row| row.get(0),
        )?,
        new_references: Vec::new(),
        accepted: Vec::new(),
    };
    let outcomes: Vec<AppendOutcome> = batch
        .iter()
        .enumerate()
        .map(|(index, submission)| plan.place(index, submission))
        .collect();
    if plan.accepted.is_empty() {
        tx.commit()?;
        return Ok(outcomes);
    }

    // Each case's new events in the order they happened: a batch that arrived shuffled but
    // happened after everything stored folds on directly; only an event from before the
    // stored state's last one (or a retraction) makes the case replay from its stored events.
    let mut arrivals: HashMap<Case, Vec<&CanonicalMessage>> = HashMap::new();
    for (index, case) in &plan.accepted {
        arrivals
            .entry(*case)
            .or_default()
            .push(batch[*index].message());
    }
    let mut before: HashMap<Case, CaseState> = HashMap::with_capacity(arrivals.len());
    let mut after: HashMap<Case, CaseState> = HashMap::with_capacity(arrivals.len());
    for (case, mut messages) in arrivals {
        messages.sort_by_cached_key(|message| OrderKey::of(message));
        let stored = stored_state(&tx, case)?;
        let mut state = stored.clone().unwrap_or_default();
        if messages.iter().all(|message| state.can_fold_on(message)) {
            for message in messages {
                state.fold(message);
            }
        } else {
            let mut events = stored_events(&tx, case)?;
            events.extend(messages.into_iter().cloned());
            state = CaseState::from_events(&events);
        }
        if let Some(stored) = stored {
            before.insert(case, stored);
        }
        after.insert(case, state);
    }

    let first_seq: i64 = tx.query_row(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM messages",
        [],
        |row| row.get(0),
    )?;
    let first_event: i64 =
        tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM events", [], |row| {
            row.get(0)
        })?;
    {
        let mut insert_message = tx.prepare_cached(
            "INSERT INTO messages (seq, agency, message_id, system, format, case_no, occurred_at, \
             received_at, body_sha256, body) VALUES (?1, ?2, ?3, ?4, 'canonical', ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut insert_event = tx.prepare_cached(
            "INSERT INTO events (seq, message_seq, case_no, kind, order_key, event) \
             VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
        )?;
        for ((index, case), offset) in plan.accepted.iter().zip(0..) {
            let submission = &batch[*index];
            let message = submission.message();
            let occurred_at = message.occurred_at.sortable();
            let seq = first_seq + offset;
            insert_message.execute(params![
                seq,
                message.agency.as_str(),
                message.message_id.as_str(),
                message.system.as_str(),
                case.no,
                occurred_at,
                received_at,
                submission.body_sha256().as_slice(),
                submission.body(),
            ])?;
            insert_event.execute(params![
                first_event + offset,
                seq,
                case.no,
                message.payload.kind().as_str(),
                order_key(&occurred_at, message),
            ])?;
        }
        let mut insert_reference =
            tx.prepare_cached("INSERT INTO case_refs (kind, value, case_no) VALUES (?1, ?2, ?3)")?;
        for (kind, value, case) in &plan.new_references {
            insert_reference.execute(params![kind, value, case.no])?;
        }
        let mut upsert_case = tx.prepare_cached(
            "INSERT INTO cases (case_no, id, stage, state, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (case_no) DO UPDATE SET stage = excluded.stage, state = excluded.state, \
             updated_at = excluded.updated_at",
        )?;
        let mut join_team = tx.prepare_cached(
            "INSERT OR IGNORE INTO case_agencies (agency, case_no) VALUES (?1, ?2)",
        )?;
        for (case, state) in &after {
            let json =
                serde_json::to_string(state).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            upsert_case.execute(params![
                case.no,
                case.id.to_string(),
                state.stage.as_str(),
                json,
                received_at
            ])?;
            let known = before.get(case).map(|s| &s.agencies);
            for agency in &state.agencies {
                if known.is_none_or(|k| !k.contains(agency)) {
                    join_team.execute(params![agency.as_str(), case.no])?;
                }
            }
        }
    }
    tx.commit()?;
    Ok(outcomes)
}

/// A case as the store's tables know it: its integer key and its public id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Case {
    no: i64,
    id: CaseId,
}

/// Where each message of the batch goes, decided against what is stored and what went before it
/// in the same batch.
struct Placement {
    /// (agency, message id) → (fingerprint, case) of every message stored or accepted so far.
    stored: StoredMessages,
    /// (kind, reference) → case, for every URN and ASN known so far.
    references: HashMap<(&'static str, String), Case>,
    /// The key the next new case gets.
    next_case_no: i64,
    new_references: Vec<(&'static str, String, Case)>,
    /// Batch index and case of each accepted message.
    accepted: Vec<(usize, Case)>,
}

impl Placement {
    fn place(&mut self, index: usize, submission: &Submission) -> AppendOutcome {
        let message = submission.message();
        let key = (message.agency.to_string(), message.message_id.to_string());
        if let Some((fingerprint, case)) = self.stored.get(&key) {
            return if fingerprint == submission.body_sha256() {
                AppendOutcome::Duplicate { case_id: case.id }
            } else {
                AppendOutcome::Conflict {
                    problem: format!(
                        "message id `{}` was already used by `{}` for a different message",
                        message.message_id, message.agency
                    ),
                }
            };
        }
        let references = references_of(message);
        let cases: BTreeSet<Case> = references
            .iter()
            .filter_map(|r| self.references.get(r).copied())
            .collect();
        let mut cases = cases.into_iter();
        let case = match (cases.next(), cases.next()) {
            (None, _) => {
                let case = Case {
                    no: self.next_case_no,
                    id: CaseId::generate(),
                };
                self.next_case_no += 1;
                case
            }
            (Some(case), None) => case,
            (Some(_), Some(_)) => {
                return AppendOutcome::Conflict {
                    problem: "the case's `urn` and `asn` belong to two different cases".to_owned(),
                };
            }
        };
        for reference in references {
            if !self.references.contains_key(&reference) {
                self.new_references
                    .push((reference.0, reference.1.clone(), case));
                self.references.insert(reference, case);
            }
        }
        self.stored.insert(key, (*submission.body_sha256(), case));
        self.accepted.push((index, case));
        AppendOutcome::Accepted { case_id: case.id }
    }
}

fn references_of(message: &CanonicalMessage) -> Vec<(&'static str, String)> {
    let urn = message.case.urn.iter().map(|urn| (URN, urn.to_string()));
    let asn = message.case.asn.iter().map(|asn| (ASN, asn.to_string()));
    urn.chain(asn).collect()
}

fn parse_case_id(text: &str) -> Result<CaseId, StoreError> {
    CaseId::parse(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

type StoredMessages = HashMap<(String, String), ([u8; 32], Case)>;

fn stored_messages(tx: &Connection, batch: &[Submission]) -> Result<StoredMessages, StoreError> {
    let mut lookup = tx.prepare_cached(
        "SELECT m.body_sha256, c.case_no, c.id FROM messages m JOIN cases c ON c.case_no = m.case_no \
         WHERE m.agency = ?1 AND m.message_id = ?2",
    )?;
    let mut found = HashMap::new();
    for submission in batch {
        let message = submission.message();
        let row = lookup
            .query_row(
                params![message.agency.as_str(), message.message_id.as_str()],
                |row| {
                    Ok((
                        row.get::<_, Vec<u8>>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?;
        if let Some((fingerprint, case_no, case_id)) = row {
            let fingerprint: [u8; 32] = fingerprint
                .try_into()
                .map_err(|_| StoreError::Corrupt("a message fingerprint is not 32 bytes".into()))?;
            found.insert(
                (message.agency.to_string(), message.message_id.to_string()),
                (
                    fingerprint,
                    Case {
                        no: case_no,
                        id: parse_case_id(&case_id)?,
                    },
                ),
            );
        }
    }
    Ok(found)
}

fn known_references(
    tx: &Connection,
    batch: &[Submission],
) -> Result<HashMap<(&'static str, String), Case>, StoreError> {
    let mut lookup = tx.prepare_cached(
        "SELECT c.case_no, c.id FROM case_refs r JOIN cases c ON c.case_no = r.case_no \
         WHERE r.kind = ?1 AND r.value = ?2",
    )?;
    let mut found = HashMap::new();
    for reference in batch.iter().flat_map(|s| references_of(s.message())) {
        if found.contains_key(&reference) {
            continue;
        }
        let case: Option<(i64, String)> = lookup
            .query_row(params![reference.0, reference.1], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        if let Some((no, id)) = case {
            found.insert(
                reference,
                Case {
                    no,
                    id: parse_case_id(&id)?,
                },
            );
        }
    }
    Ok(found)
}

fn stored_state(tx: &Connection, case: Case) -> Result<Option<CaseState>, StoreError> {
    let mut lookup = tx.prepare_cached("SELECT state FROM cases WHERE case_no = ?1")?;
    let json: Option<String> = lookup
        .query_row(params![case.no], |row| row.get(0))
        .optional()?;
    json.map(|json| serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

/// A case's stored events, in any order: the fold sorts them.
fn stored_events(tx: &Connection, case: Case) -> Result<Vec<CanonicalMessage>, StoreError> {
    let mut query = tx.prepare_cached(
        "SELECT COALESCE(e.event, m.body) FROM events e JOIN messages m ON m.seq = e.message_seq \
         WHERE e.case_no = ?1",
    )?;
    let texts = query
        .query_map(params![case.no], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    texts
        .iter()
        .map(|text| serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string())))
        .collect()
}

/// Text that sorts as the projection folds: time, then sender, then message id.
fn order_key(occurred_at: &str, message: &CanonicalMessage) -> String {
    format!("{occurred_at}|{}|{}", message.agency, message.message_id)
}
