//! The audit trail's entries and the hash chain that makes tampering evident.
//!
//! An entry's hash covers its sequence number, time, actor, action, subject and detail, and the
//! hash of the entry before it (32 zero bytes for the first). Changing an entry changes its hash;
//! deleting or reordering entries breaks the link to the previous hash or the sequence.

use joinery_ports::{AuditEvent, AuditVerdict};
use sha2::{Digest, Sha256};

/// An entry as stored, with the fields its hash covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub detail: String,
}

impl AuditRow {
    pub(crate) fn new(seq: i64, at: String, event: &AuditEvent) -> Result<Self, serde_json::Error> {
        Ok(Self {
            seq,
            at,
            actor: event.actor.to_string(),
            action: event.action.as_str().to_owned(),
            subject: event.subject.as_ref().map(ToString::to_string),
            detail: serde_json::to_string(&event.detail)?,
        })
    }

    /// The entry's hash: every field, length-prefixed so that no two entries encode alike.
    pub(crate) fn hash(&self, previous: &[u8; 32]) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(previous);
        hasher.update(self.seq.to_be_bytes());
        for field in [
            self.at.as_str(),
            self.actor.as_str(),
            self.action.as_str(),
            self.subject.as_deref().unwrap_or("\u{0}"),
            self.detail.as_str(),
        ] {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hasher.finalize().into()
    }
}

/// The first entry's previous hash.
pub(crate) const GENESIS: [u8; 32] = [0; 32];

/// Walks stored entries (in `seq` order, with their stored previous hash and hash) and names
/// the first one that is out of place or altered.
pub(crate) fn verify(rows: impl IntoIterator<Item = (AuditRow, Vec<u8>, Vec<u8>)>) -> AuditVerdict {
    let mut previous = GENESIS;
    let mut entries = 0u64;
    for (expected_seq, (row, prev_hash, hash)) in (1..).zip(rows) {
        let seq = row.seq;
        if seq != expected_seq {
            return AuditVerdict::Broken {
                seq: expected_seq,
                problem: format!("entry {expected_seq} is missing (the next stored is {seq})"),
            };
        }
        if prev_hash.as_slice() != previous {
            return AuditVerdict::Broken {
                seq,
                problem: "it does not follow the entry before it (deleted or reordered)".to_owned(),
            };
        }
        let recomputed = row.hash(&previous);
        if hash.as_slice() != recomputed {
            return AuditVerdict::Broken {
                seq,
                problem: "its contents do not match its hash (altered)".to_owned(),
            };
        }
        previous = recomputed;
        entries += 1;
    }
    AuditVerdict::Intact { entries }
}
