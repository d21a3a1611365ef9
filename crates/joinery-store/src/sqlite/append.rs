//! Appending a batch: one `BEGIN IMMEDIATE` transaction that checks each message against what is
//! stored, places it on a case (opening one if need be), folds the affected cases, and writes
//! every row with a few multi-row statements. Statements per batch, not per message, are what
//! let a group commit approach SQLite's raw batched insert rate.

use std::collections::{BTreeSet, HashMap};

use joinery_domain::{
    AgencyCode, CanonicalMessage, CaseId, CaseState, OrderKey, Submission, Timestamp,
};
use sqlx::{Connection, QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::{AppendOutcome, StoreError};

/// The most rows in one multi-row statement; the widest row binds 10 values, well under
/// SQLite's 32,766.
const MAX_ROWS_PER_STATEMENT: usize = 256;

/// Splits `rows` into slices whose lengths are powers of two (256, 128, …, 1). A statement's
/// text depends on its row count, so this keeps the shapes to nine per table and every one of
/// them in the prepared-statement cache; arbitrary chunk lengths would prepare anew each batch.
fn statement_chunks<T>(mut rows: &[T]) -> impl Iterator<Item = &[T]> {
    std::iter::from_fn(move || {
        if rows.is_empty() {
            return None;
        }
        let size = MAX_ROWS_PER_STATEMENT.min(1 << rows.len().ilog2());
        let (chunk, rest) = rows.split_at(size);
        rows = rest;
        Some(chunk)
    })
}

const URN: &str = "urn";
const ASN: &str = "asn";

pub(super) async fn append(
    connection: &mut SqliteConnection,
    batch: Vec<Submission>,
) -> Result<Vec<AppendOutcome>, StoreError> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let received_at = Timestamp::now().sortable();
    let mut tx = connection.begin_with("BEGIN IMMEDIATE").await?;
    let mut plan = Placement {
        stored: stored_messages(&mut tx, &batch).await?,
        references: known_references(&mut tx, &batch).await?,
        new_references: Vec::new(),
        accepted: Vec::new(),
    };
    let outcomes: Vec<AppendOutcome> = batch
        .iter()
        .enumerate()
        .map(|(index, submission)| plan.place(index, submission))
        .collect();
    if plan.accepted.is_empty() {
        tx.commit().await?;
        return Ok(outcomes);
    }

    let touched: BTreeSet<CaseId> = plan.accepted.iter().map(|(_, case)| *case).collect();
    let before = stored_states(&mut tx, &touched).await?;
    // Each case's new events in the order they happened: a batch that arrived shuffled but
    // happened after everything stored folds on directly; only an event from before the
    // stored state's last one makes the case replay from its stored events.
    let mut arrivals: HashMap<CaseId, Vec<&CanonicalMessage>> = HashMap::new();
    for (index, case) in &plan.accepted {
        arrivals
            .entry(*case)
            .or_default()
            .push(batch[*index].message());
    }
    let mut after: HashMap<CaseId, CaseState> = HashMap::with_capacity(arrivals.len());
    for (case, mut messages) in arrivals {
        messages.sort_by_cached_key(|message| OrderKey::of(message));
        let mut state = before.get(&case).cloned().unwrap_or_default();
        if messages.iter().all(|message| state.can_fold_on(message)) {
            for message in messages {
                state.fold(message);
            }
        } else {
            let mut events = stored_events(&mut tx, case).await?;
            events.extend(messages.into_iter().cloned());
            state = CaseState::from_events(&events);
        }
        after.insert(case, state);
    }

    let first_seq: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages")
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    let first_event: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM events")
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    let rows: Vec<AcceptedRow<'_>> = plan
        .accepted
        .iter()
        .zip(0..)
        .map(|((index, case), offset)| {
            AcceptedRow::new(
                &batch[*index],
                *case,
                first_seq + offset,
                first_event + offset,
            )
        })
        .collect();
    insert_messages(&mut tx, &rows, &received_at).await?;
    insert_events(&mut tx, &rows).await?;
    insert_references(&mut tx, &plan.new_references).await?;
    upsert_cases(&mut tx, &after, &received_at).await?;
    insert_team(&mut tx, &before, &after).await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// Where each message of the batch goes, decided against what is stored and what went before it
/// in the same batch.
struct Placement {
    /// (agency, message id) → (fingerprint, case) of every message stored or accepted so far.
    stored: HashMap<(String, String), ([u8; 32], CaseId)>,
    /// (kind, reference) → case, for every URN and ASN known so far.
    references: HashMap<(&'static str, String), CaseId>,
    new_references: Vec<(&'static str, String, CaseId)>,
    /// Batch index and case of each accepted message.
    accepted: Vec<(usize, CaseId)>,
}

impl Placement {
    fn place(&mut self, index: usize, submission: &Submission) -> AppendOutcome {
        let message = submission.message();
        let key = (message.agency.to_string(), message.message_id.to_string());
        if let Some((fingerprint, case_id)) = self.stored.get(&key) {
            return if fingerprint == submission.body_sha256() {
                AppendOutcome::Duplicate { case_id: *case_id }
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
        let cases: BTreeSet<CaseId> = references
            .iter()
            .filter_map(|r| self.references.get(r).copied())
            .collect();
        let case_id = match cases.len() {
            0 => CaseId::new_random(),
            1 => cases.into_iter().next().unwrap_or_else(CaseId::new_random),
            _ => {
                return AppendOutcome::Conflict {
                    problem: "the case's `urn` and `asn` belong to two different cases".to_owned(),
                };
            }
        };
        for reference in references {
            if !self.references.contains_key(&reference) {
                self.new_references
                    .push((reference.0, reference.1.clone(), case_id));
                self.references.insert(reference, case_id);
            }
        }
        self.stored
            .insert(key, (*submission.body_sha256(), case_id));
        self.accepted.push((index, case_id));
        AppendOutcome::Accepted { case_id }
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

async fn stored_messages(
    tx: &mut SqliteConnection,
    batch: &[Submission],
) -> Result<HashMap<(String, String), ([u8; 32], CaseId)>, StoreError> {
    let mut found = HashMap::new();
    for chunk in statement_chunks(batch) {
        // A join on the index, not a row-value `IN`, which SQLite answers by scanning the table.
        let mut query = QueryBuilder::<Sqlite>::new("WITH wanted (agency, message_id) AS (");
        query.push_values(chunk, |mut row, submission| {
            row.push_bind(submission.message().agency.as_str())
                .push_bind(submission.message().message_id.as_str());
        });
        query.push(
            ") SELECT m.agency, m.message_id, m.body_sha256, m.case_id FROM wanted w \
             JOIN messages m ON m.agency = w.agency AND m.message_id = w.message_id",
        );
        for row in query.build().fetch_all(&mut *tx).await? {
            let fingerprint: Vec<u8> = row.try_get(2)?;
            let fingerprint: [u8; 32] = fingerprint
                .try_into()
                .map_err(|_| StoreError::Corrupt("a message fingerprint is not 32 bytes".into()))?;
            let case_id = parse_case_id(row.try_get(3)?)?;
            found.insert((row.try_get(0)?, row.try_get(1)?), (fingerprint, case_id));
        }
    }
    Ok(found)
}

async fn known_references(
    tx: &mut SqliteConnection,
    batch: &[Submission],
) -> Result<HashMap<(&'static str, String), CaseId>, StoreError> {
    let wanted: BTreeSet<(&'static str, String)> = batch
        .iter()
        .flat_map(|s| references_of(s.message()))
        .collect();
    let wanted: Vec<_> = wanted.into_iter().collect();
    let mut found = HashMap::new();
    for chunk in statement_chunks(&wanted) {
        let mut query = QueryBuilder::<Sqlite>::new("WITH wanted (kind, value) AS (");
        query.push_values(chunk, |mut row, (kind, value)| {
            row.push_bind(*kind).push_bind(value.as_str());
        });
        query.push(
            ") SELECT r.kind, r.value, r.case_id FROM wanted w \
             JOIN case_refs r ON r.kind = w.kind AND r.value = w.value",
        );
        for row in query.build().fetch_all(&mut *tx).await? {
            let kind = if row.try_get::<&str, _>(0)? == URN {
                URN
            } else {
                ASN
            };
            found.insert((kind, row.try_get(1)?), parse_case_id(row.try_get(2)?)?);
        }
    }
    Ok(found)
}

async fn stored_states(
    tx: &mut SqliteConnection,
    cases: &BTreeSet<CaseId>,
) -> Result<HashMap<CaseId, CaseState>, StoreError> {
    let ids: Vec<String> = cases.iter().map(CaseId::to_string).collect();
    let mut states = HashMap::new();
    for chunk in statement_chunks(&ids) {
        let mut query = QueryBuilder::<Sqlite>::new("SELECT id, state FROM cases WHERE id IN (");
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(id.as_str());
        }
        query.push(")");
        for row in query.build().fetch_all(&mut *tx).await? {
            let state: CaseState = serde_json::from_str(row.try_get(1)?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            states.insert(parse_case_id(row.try_get(0)?)?, state);
        }
    }
    Ok(states)
}

pub(super) async fn stored_events(
    tx: &mut SqliteConnection,
    case: CaseId,
) -> Result<Vec<CanonicalMessage>, StoreError> {
    let rows = sqlx::query(
        "SELECT COALESCE(e.event, m.body) FROM events e JOIN messages m ON m.seq = e.message_seq \
         WHERE e.case_id = ? ORDER BY e.order_key",
    )
    .bind(case.to_string())
    .fetch_all(&mut *tx)
    .await?;
    rows.iter()
        .map(|row| {
            serde_json::from_str(row.try_get(0)?).map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .collect()
}

/// The values of one accepted message's rows, encoded once.
struct AcceptedRow<'a> {
    submission: &'a Submission,
    case_id: String,
    seq: i64,
    event_seq: i64,
    occurred_at: String,
    order_key: String,
}

impl<'a> AcceptedRow<'a> {
    fn new(submission: &'a Submission, case: CaseId, seq: i64, event_seq: i64) -> Self {
        let message = submission.message();
        let occurred_at = message.occurred_at.sortable();
        Self {
            submission,
            case_id: case.to_string(),
            seq,
            event_seq,
            order_key: order_key(&occurred_at, &message.agency, message.message_id.as_str()),
            occurred_at,
        }
    }
}

/// Text that sorts as the projection folds: time, then sender, then message id.
fn order_key(occurred_at: &str, agency: &AgencyCode, message_id: &str) -> String {
    format!("{occurred_at}|{agency}|{message_id}")
}

async fn insert_messages(
    tx: &mut SqliteConnection,
    rows: &[AcceptedRow<'_>],
    received_at: &str,
) -> Result<(), StoreError> {
    for chunk in statement_chunks(rows) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO messages (seq, agency, message_id, system, format, case_id, occurred_at, received_at, body_sha256, body) ",
        );
        query.push_values(chunk, |mut row, r| {
            let message = r.submission.message();
            row.push_bind(r.seq)
                .push_bind(message.agency.as_str())
                .push_bind(message.message_id.as_str())
                .push_bind(message.system.as_str())
                .push_bind("canonical")
                .push_bind(r.case_id.as_str())
                .push_bind(r.occurred_at.as_str())
                .push_bind(received_at)
                .push_bind(r.submission.body_sha256().as_slice())
                .push_bind(r.submission.body());
        });
        query.build().execute(&mut *tx).await?;
    }
    Ok(())
}

async fn insert_events(
    tx: &mut SqliteConnection,
    rows: &[AcceptedRow<'_>],
) -> Result<(), StoreError> {
    for chunk in statement_chunks(rows) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO events (seq, message_seq, case_id, kind, order_key, event) ",
        );
        query.push_values(chunk, |mut row, r| {
            row.push_bind(r.event_seq)
                .push_bind(r.seq)
                .push_bind(r.case_id.as_str())
                .push_bind(r.submission.message().payload.kind().as_str())
                .push_bind(r.order_key.as_str())
                .push_bind(None::<&str>);
        });
        query.build().execute(&mut *tx).await?;
    }
    Ok(())
}

async fn insert_references(
    tx: &mut SqliteConnection,
    references: &[(&'static str, String, CaseId)],
) -> Result<(), StoreError> {
    let rows: Vec<(&str, &str, String)> = references
        .iter()
        .map(|(k, v, c)| (*k, v.as_str(), c.to_string()))
        .collect();
    for chunk in statement_chunks(&rows) {
        let mut query =
            QueryBuilder::<Sqlite>::new("INSERT INTO case_refs (kind, value, case_id) ");
        query.push_values(chunk, |mut row, (kind, value, case)| {
            row.push_bind(*kind)
                .push_bind(*value)
                .push_bind(case.as_str());
        });
        query.build().execute(&mut *tx).await?;
    }
    Ok(())
}

async fn upsert_cases(
    tx: &mut SqliteConnection,
    states: &HashMap<CaseId, CaseState>,
    updated_at: &str,
) -> Result<(), StoreError> {
    let rows: Vec<(String, &'static str, String)> = states
        .iter()
        .map(|(id, state)| {
            let json =
                serde_json::to_string(state).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok((id.to_string(), state.stage.as_str(), json))
        })
        .collect::<Result<_, StoreError>>()?;
    for chunk in statement_chunks(&rows) {
        let mut query =
            QueryBuilder::<Sqlite>::new("INSERT INTO cases (id, stage, state, updated_at) ");
        query.push_values(chunk, |mut row, (id, stage, state)| {
            row.push_bind(id.as_str())
                .push_bind(*stage)
                .push_bind(state.as_str())
                .push_bind(updated_at);
        });
        query.push(" ON CONFLICT (id) DO UPDATE SET stage = excluded.stage, state = excluded.state, updated_at = excluded.updated_at");
        query.build().execute(&mut *tx).await?;
    }
    Ok(())
}

/// Records the agencies that joined each case's team in this batch.
async fn insert_team(
    tx: &mut SqliteConnection,
    before: &HashMap<CaseId, CaseState>,
    after: &HashMap<CaseId, CaseState>,
) -> Result<(), StoreError> {
    let mut joined: Vec<(String, String)> = Vec::new();
    for (case, state) in after {
        let known = before.get(case).map(|s| &s.agencies);
        for agency in &state.agencies {
            if known.is_none_or(|k| !k.contains(agency)) {
                joined.push((agency.to_string(), case.to_string()));
            }
        }
    }
    for chunk in statement_chunks(&joined) {
        let mut query =
            QueryBuilder::<Sqlite>::new("INSERT OR IGNORE INTO case_agencies (agency, case_id) ");
        query.push_values(chunk, |mut row, (agency, case)| {
            row.push_bind(agency.as_str()).push_bind(case.as_str());
        });
        query.build().execute(&mut *tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_chunks_are_powers_of_two_covering_every_row() {
        for total in [0usize, 1, 7, 256, 300, 1_000] {
            let rows: Vec<usize> = (0..total).collect();
            let chunks: Vec<&[usize]> = statement_chunks(&rows).collect();
            assert!(
                chunks
                    .iter()
                    .all(|c| c.len().is_power_of_two() && c.len() <= MAX_ROWS_PER_STATEMENT)
            );
            assert_eq!(chunks.concat(), rows);
        }
    }
}
