//! Placing messages on cases: which messages are already stored (a duplicate or a conflict),
//! which case a message's URN or ASN names, and when a message opens a new case.

use std::collections::{BTreeSet, HashMap};

use crate::db::{Connection, Param};
use joinery_domain::{CanonicalMessage, CaseId, Submission};

use joinery_ports::AppendOutcome;

use crate::error::{Error, corrupt};

const URN: &str = "urn";
const ASN: &str = "asn";
const COURT_CASE: &str = "court_case";

/// A case as the store's tables know it: its integer key and its public id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Case {
    pub(super) no: i64,
    pub(super) id: CaseId,
}

/// Where each message of the batch goes, decided against what is stored and what went before it
/// in the same batch.
pub(super) struct Placement {
    /// (agency, message id) → (fingerprint, case) of every message stored or accepted so far.
    pub(super) stored: StoredMessages,
    /// (kind, reference) → case, for every URN and ASN known so far.
    pub(super) references: HashMap<(&'static str, String), Case>,
    /// The key the next new case gets.
    pub(super) next_case_no: i64,
    pub(super) new_references: Vec<(&'static str, String, Case)>,
    /// Batch index and case of each accepted message.
    pub(super) accepted: Vec<(usize, Case)>,
}

impl Placement {
    pub(super) fn place(&mut self, index: usize, submission: &Submission) -> AppendOutcome {
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
        AppendOutcome::Accepted {
            case_id: case.id,
            problems: Vec::new(),
        }
    }
}

fn references_of(message: &CanonicalMessage) -> Vec<(&'static str, String)> {
    let urn = message.case.urn.iter().map(|urn| (URN, urn.to_string()));
    let asn = message.case.asn.iter().map(|asn| (ASN, asn.to_string()));
    let court = message
        .case
        .court_case_id
        .iter()
        .map(|id| (COURT_CASE, id.to_string()));
    urn.chain(asn).chain(court).collect()
}

fn parse_case_id(text: &str) -> Result<CaseId, Error> {
    CaseId::parse(text).map_err(corrupt)
}

pub(super) type StoredMessages = HashMap<(String, String), ([u8; 32], Case)>;

pub(super) fn stored_messages(
    tx: &Connection,
    batch: &[Submission],
) -> Result<StoredMessages, Error> {
    let mut lookup = tx.prepare_cached(
        "SELECT m.body_sha256, c.case_no, c.id FROM messages m JOIN cases c ON c.case_no = m.case_no \
         WHERE m.agency = ?1 AND m.message_id = ?2",
    )?;
    let keys: Vec<(&str, &str)> = batch
        .iter()
        .map(|submission| {
            let message = submission.message();
            (message.agency.as_str(), message.message_id.as_str())
        })
        .collect();
    let runs: Vec<[&dyn Param; 2]> = keys
        .iter()
        .map(|(agency, id)| [agency as &dyn Param, id])
        .collect();
    let rows = lookup.query_each(&runs, |row| {
        Ok((
            row.get::<_, Vec<u8>>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    let mut found = HashMap::new();
    for (submission, row) in batch.iter().zip(rows) {
        let message = submission.message();
        if let Some((fingerprint, case_no, case_id)) = row {
            let fingerprint: [u8; 32] = fingerprint
                .try_into()
                .map_err(|_| corrupt("a message fingerprint is not 32 bytes"))?;
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

/// The stored cases the batch's references name, looking up only those not in `placed` (what
/// the transaction placed already) and each one once.
pub(super) fn known_references(
    tx: &Connection,
    batch: &[Submission],
    placed: &HashMap<(&'static str, String), Case>,
) -> Result<HashMap<(&'static str, String), Case>, Error> {
    let mut lookup = tx.prepare_cached(
        "SELECT c.case_no, c.id FROM case_refs r JOIN cases c ON c.case_no = r.case_no \
         WHERE r.kind = ?1 AND r.value = ?2",
    )?;
    let mut asked = std::collections::HashSet::new();
    let wanted: Vec<_> = batch
        .iter()
        .flat_map(|s| references_of(s.message()))
        .filter(|reference| !placed.contains_key(reference) && asked.insert(reference.clone()))
        .collect();
    let runs: Vec<[&dyn Param; 2]> = wanted
        .iter()
        .map(|(kind, value)| [kind as &dyn Param, value])
        .collect();
    let cases = lookup.query_each(&runs, |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut found = HashMap::new();
    for (reference, case) in wanted.into_iter().zip(cases) {
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
