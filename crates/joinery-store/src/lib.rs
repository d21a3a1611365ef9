//! The event store: every accepted message kept whole with its provenance, the events derived
//! from it, and the case projections folded from those events.
//!
//! [`EventStore`] is the boundary the rest of Joinery uses; [`SqliteStore`] is the embedded
//! default. The trait is shaped for a PostgreSQL implementation to sit beside it and pass the same
//! tests: every method is a whole unit of work, and nothing outside this crate sees SQL.
//! Appends are group-committed: concurrent senders share one durable transaction, and each is
//! answered only once it is on disk.
//!
//! It is not: validation (callers hand it validated [`Submission`]s) or authorization (callers
//! decide who may read what it returns).

mod audit;
mod keys;
mod people;
mod sources;
mod sqlite;
mod webhooks;

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;

use joinery_domain::{
    AgencyCode, AgencyKind, Asn, CanonicalMessage, CaseId, CaseState, Category, Role, Submission,
    SystemName, Timestamp, Urn, Username,
};
use serde::Serialize;

pub use audit::{Actor, AuditAction, AuditEvent, AuditVerdict};
pub use keys::{ApiKey, KeyHash, SessionToken, random_secret};
pub use people::{
    AuditEntry, BreakGlassGrant, Lockout, NewUser, PasswordDigest, PasswordError, SessionRecord,
    UserRecord,
};
pub use sources::{ExceptionRecord, RejectedField, RejectionRecord, SourceMessage};
pub use sqlite::SqliteStore;
pub use webhooks::{Delivery, Webhook};

/// A boxed future, so that the trait can be used as `dyn EventStore`.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// What became of one message offered to the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AppendOutcome {
    /// Stored now, on this case, with the data-quality problems recorded on it in the same
    /// transaction: those found on the way in and those only the case could show (a result
    /// for an offence it does not have).
    Accepted {
        case_id: CaseId,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        problems: Vec<joinery_domain::QualityProblem>,
    },
    /// Stored before with the same text; nothing changed.
    Duplicate { case_id: CaseId },
    /// Not stored: it contradicts what is stored (same id, different text; or references that
    /// belong to two different cases).
    Conflict { problem: String },
}

/// A case reference as a reader looks it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseLookup {
    Urn(Urn),
    Asn(Asn),
}

/// A case as stored: its id and its projected state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: CaseId,
    pub state: CaseState,
}

/// One entry of a case's timeline: an event with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    /// The order the store accepted it in.
    pub sequence: i64,
    pub received_at: Timestamp,
    pub event: CanonicalMessage,
}

/// One change in the order Joinery accepted it: an event, its case, and its place in the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub case_id: CaseId,
    pub entry: TimelineEntry,
}

/// An agency known to Joinery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    pub code: AgencyCode,
    pub kind: AgencyKind,
    pub name: SystemName,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("database schema version {found} is newer than this Joinery knows ({known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("agency `{0}` is not registered")]
    UnknownAgency(AgencyCode),
    #[error("the role `{}` does not belong in agency `{agency}`", role.as_str())]
    RoleNotInAgency { role: Role, agency: AgencyCode },
    #[error("there is already a user `{0}`")]
    UserExists(Username),
    #[error("there is no case `{0}`")]
    UnknownCase(CaseId),
    #[error("the store is closed")]
    Closed,
    /// An error that failed a whole transaction, as each of its senders sees it.
    #[error("{0}")]
    Shared(std::sync::Arc<StoreError>),
    #[error("a store task failed: {0}")]
    Worker(String),
}

/// The store as the rest of Joinery sees it.
pub trait EventStore: Send + Sync + 'static {
    /// Stores one sender's group of messages durably, answering message by message, in order.
    /// Each message is stored whole or not at all; concurrent groups may share a transaction.
    fn append(&self, group: Vec<Submission>) -> StoreFuture<'_, Vec<AppendOutcome>>;

    /// Keeps a message in an agency's own format whole, with its data-quality problems, and
    /// stores the events translated from it, all in one transaction; answers event by event.
    fn append_source(
        &self,
        source: SourceMessage,
        events: Vec<Submission>,
    ) -> StoreFuture<'_, Vec<AppendOutcome>>;

    /// The data-quality problems in the messages an agency sent, newest first.
    fn exceptions(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<ExceptionRecord>>;

    /// Marks one of an agency's open data-quality problems resolved, with its audit entry;
    /// false if it has no such open problem.
    fn resolve_exception(
        &self,
        agency: AgencyCode,
        id: String,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool>;

    /// Records messages refused at the door (each by its reasons), with their audit entry.
    fn record_rejections(
        &self,
        agency: AgencyCode,
        format: &'static str,
        rejections: Vec<Vec<RejectedField>>,
        audit: AuditEvent,
    ) -> StoreFuture<'_, ()>;

    /// The messages an agency sent that were refused, newest first.
    fn rejections(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<RejectionRecord>>;

    fn find_case(&self, lookup: CaseLookup) -> StoreFuture<'_, Option<CaseId>>;

    fn case(&self, id: CaseId) -> StoreFuture<'_, Option<CaseRecord>>;

    /// The case's events in the order they happened.
    fn timeline(&self, id: CaseId) -> StoreFuture<'_, Vec<TimelineEntry>>;

    /// The cases an agency works on, most recently changed first, each with its events: all
    /// read in one snapshot, for a caseload that must decide every one.
    fn agency_case_histories(
        &self,
        agency: AgencyCode,
    ) -> StoreFuture<'_, Vec<(CaseRecord, Vec<TimelineEntry>)>>;

    /// The cases with a hearing starting on `date` (UTC), each once.
    fn cases_heard_on(&self, date: time::Date) -> StoreFuture<'_, Vec<CaseId>>;

    /// Up to `limit` changes accepted after sequence number `after`, in order.
    fn changes_after(&self, after: i64, limit: usize) -> StoreFuture<'_, Vec<Change>>;

    /// The case and its events, read together so that they agree.
    fn case_history(&self, id: CaseId)
    -> StoreFuture<'_, Option<(CaseRecord, Vec<TimelineEntry>)>>;

    fn add_agency(&self, agency: Agency) -> StoreFuture<'_, ()>;

    fn agencies(&self) -> StoreFuture<'_, Vec<Agency>>;

    /// Registers a key for an agency; the store keeps only its hash.
    fn add_api_key(&self, agency: AgencyCode, key: KeyHash) -> StoreFuture<'_, ()>;

    /// The agency a key belongs to, if it is a live key.
    fn agency_for_key(&self, key: KeyHash) -> StoreFuture<'_, Option<Agency>>;

    /// Records events in the audit trail, durably, before returning.
    fn audit(&self, events: Vec<AuditEvent>) -> StoreFuture<'_, ()>;

    /// Walks the audit trail's hash chain and names the first entry out of place, if any.
    fn verify_audit(&self) -> StoreFuture<'_, AuditVerdict>;

    /// The audit entries whose subject is this case, oldest first.
    fn case_audit(&self, id: CaseId) -> StoreFuture<'_, Vec<AuditEntry>>;

    /// Adds a person; their role must belong in their agency's kind.
    fn add_user(&self, user: NewUser, audit: AuditEvent) -> StoreFuture<'_, ()>;

    fn user(&self, username: Username) -> StoreFuture<'_, Option<UserRecord>>;

    /// Counts a failed sign-in (of a known or unknown name), locking per `lockout`.
    fn sign_in_failed(
        &self,
        username: Username,
        lockout: Lockout,
        audit: AuditEvent,
    ) -> StoreFuture<'_, ()>;

    /// Clears the failure count and opens a session.
    fn sign_in_succeeded(
        &self,
        username: Username,
        session: KeyHash,
        audit: AuditEvent,
    ) -> StoreFuture<'_, ()>;

    fn session(&self, token: KeyHash) -> StoreFuture<'_, Option<SessionRecord>>;

    /// Marks a session as in use now, which keeps it from expiring.
    fn touch_session(&self, token: KeyHash) -> StoreFuture<'_, ()>;

    fn end_session(&self, token: KeyHash, audit: AuditEvent) -> StoreFuture<'_, ()>;

    /// Replaces a person's password and clears any demand to change it.
    fn set_password(
        &self,
        username: Username,
        password: PasswordDigest,
        audit: AuditEvent,
    ) -> StoreFuture<'_, ()>;

    fn grant_break_glass(&self, grant: BreakGlassGrant, audit: AuditEvent) -> StoreFuture<'_, ()>;

    /// The categories a person holds a grant for on a case, unexpired at `now`.
    fn break_glass_in_force(
        &self,
        username: Username,
        case: CaseId,
        now: Timestamp,
    ) -> StoreFuture<'_, BTreeSet<Category>>;

    /// Every break-glass grant of a person still in force, by case.
    fn break_glass_in_force_anywhere(
        &self,
        username: Username,
        now: Timestamp,
    ) -> StoreFuture<'_, BTreeMap<CaseId, BTreeSet<Category>>>;

    /// Every grant ever given, newest first, for governance review.
    fn break_glass_log(&self) -> StoreFuture<'_, Vec<BreakGlassGrant>>;

    /// Registers an agency's webhook; answers its id.
    fn add_webhook(
        &self,
        agency: AgencyCode,
        url: String,
        secret: String,
        audit: AuditEvent,
    ) -> StoreFuture<'_, i64>;

    /// Every webhook with its delivery state.
    fn webhooks(&self) -> StoreFuture<'_, Vec<Webhook>>;

    /// Records a delivery attempt: on success the webhook's cursor moves to `delivered_to`;
    /// on failure the next attempt waits until `retry_at`.
    fn record_delivery(
        &self,
        delivery: Delivery,
        delivered_to: Option<i64>,
        retry_at: Option<Timestamp>,
    ) -> StoreFuture<'_, ()>;

    /// The latest delivery attempts of an agency's webhooks, newest first.
    fn deliveries(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<Delivery>>;
}
