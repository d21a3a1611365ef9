//! The audit trail's entries and the hash chain that makes tampering evident.
//!
//! An entry's hash covers its sequence number, time, actor, action, subject and detail, and the
//! hash of the entry before it (32 zero bytes for the first). Changing an entry changes its hash;
//! deleting or reordering entries breaks the link to the previous hash or the sequence.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// An agency's system, by its agency code.
    AgencySystem(joinery_domain::AgencyCode),
    /// A person signed in, by user name and agency.
    User {
        username: joinery_domain::Username,
        agency: joinery_domain::AgencyCode,
    },
    /// Someone trying to sign in as this user name (which may not exist).
    SigningIn(joinery_domain::Username),
    /// Someone presenting a key that is not valid.
    Unauthenticated,
    /// The operator, through the `joinery` command line.
    Operator,
}

impl Actor {
    fn text(&self) -> String {
        match self {
            Self::AgencySystem(agency) => format!("system:{agency}"),
            Self::User { username, agency } => format!("user:{username}@{agency}"),
            Self::SigningIn(username) => format!("signing-in:{username}"),
            Self::Unauthenticated => "unauthenticated".to_owned(),
            Self::Operator => "operator".to_owned(),
        }
    }
}

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Messages were offered to the store: which were accepted, duplicates or conflicts.
    MessagesReceived,
    /// Messages were refused before the store: the fields at fault.
    MessagesRejected,
    /// A case's state was disclosed.
    CaseRead,
    /// A case's timeline was disclosed.
    TimelineRead,
    /// A case's summary was disclosed as a row of a list.
    CaseListed,
    /// Changes were disclosed through the change feed (the cases are in the detail).
    FeedRead,
    /// A key was presented that is not valid.
    AuthenticationFailed,
    AgencyAdded,
    KeyCreated,
    SignedIn,
    SignInFailed,
    SignedOut,
    UserAdded,
    PasswordChanged,
    /// A break-glass grant: the reason and the category, for governance review.
    BreakGlass,
    /// A judge wrote a comment on a case (the comment itself is a stored message).
    CommentWritten,
    /// Governance asked who has seen a case.
    AuditReviewed,
    /// The sharing policy in force at start-up, by digest.
    PolicyLoaded,
    /// A person's consent to share a category was given or withdrawn (by message id).
    ConsentChanged,
    /// An agency registered a webhook.
    WebhookAdded,
    /// A data-quality problem was marked resolved.
    ExceptionResolved,
    /// A person asked for an action, or reported one done, in Joinery (by message id).
    ActionWritten,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MessagesReceived => "messages_received",
            Self::MessagesRejected => "messages_rejected",
            Self::CaseRead => "case_read",
            Self::TimelineRead => "timeline_read",
            Self::CaseListed => "case_listed",
            Self::FeedRead => "feed_read",
            Self::AuthenticationFailed => "authentication_failed",
            Self::AgencyAdded => "agency_added",
            Self::KeyCreated => "key_created",
            Self::SignedIn => "signed_in",
            Self::SignInFailed => "sign_in_failed",
            Self::SignedOut => "signed_out",
            Self::UserAdded => "user_added",
            Self::PasswordChanged => "password_changed",
            Self::BreakGlass => "break_glass",
            Self::CommentWritten => "comment_written",
            Self::AuditReviewed => "audit_reviewed",
            Self::PolicyLoaded => "policy_loaded",
            Self::ConsentChanged => "consent_changed",
            Self::WebhookAdded => "webhook_added",
            Self::ExceptionResolved => "exception_resolved",
            Self::ActionWritten => "action_written",
        }
    }
}

/// One thing to record. `subject` and `detail` hold references only.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub actor: Actor,
    pub action: AuditAction,
    pub subject: Option<String>,
    pub detail: serde_json::Value,
}

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
    pub(crate) fn new(seq: i64, at: String, event: &AuditEvent) -> Self {
        Self {
            seq,
            at,
            actor: event.actor.text(),
            action: event.action.as_str().to_owned(),
            subject: event.subject.clone(),
            detail: event.detail.to_string(),
        }
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

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerdict {
    /// Every entry is in place and unaltered.
    Intact { entries: u64 },
    /// The first entry at which the chain breaks, and how.
    Broken { seq: i64, problem: String },
}

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
