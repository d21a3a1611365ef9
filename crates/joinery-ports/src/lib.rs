//! The ports of Joinery's application layer: what it needs of a store and of the sharing
//! agreement, as traits, with the records that cross them. The adapters implement them —
//! `joinery-store` (SQLite) the store traits, `joinery-policy` (Cedar) [`SharingAgreement`] — and
//! the binary hands them to the application layer, which knows them only as these traits.
//!
//! The store is split by concern ([`CaseStore`], [`AccountStore`], [`AuditStore`],
//! [`WebhookStore`], [`WorkStore`]), so that a second store can be written and tested piece by
//! piece; [`Store`] is all five. Every method is a whole unit of work, and no SQL crosses this boundary.
//!
//! It is not: an implementation of anything. No I/O, no SQL, no Cedar, no HTTP.

mod accounts;
mod agreement;
mod audit;
mod caseloads;
mod cases;
mod webhooks;
mod work;

use std::future::Future;
use std::pin::Pin;

use joinery_domain::{AgencyCode, CaseId, Role, Username};

pub use accounts::{
    AccessChange, AccountStore, Admission, Agency, Backoff, BreakGlassGrant, GrantReview, KeyHash,
    LoggedGrant, NewUser, PasswordDigest, Person, ReviewOutcome, SessionRecord, UserRecord,
};
pub use agreement::{Decided, DecisionError, SharingAgreement};
pub use audit::{
    Actor, AuditAction, AuditDetail, AuditEntry, AuditEvent, AuditStore, AuditSubject,
    AuditVerdict, RejectedAt, Review,
};
pub use caseloads::{
    CaseloadEntry, CaseloadOrder, CaseloadPage, CaseloadRow, CaseloadRows, CaseloadSlice,
    NextHearing, ReaderClass,
};
pub use cases::{
    AppendOutcome, CaseHistory, CaseLookup, CaseRecord, CaseStore, Change, CourtDay, DayList,
    ExceptionRecord, LISTED_AT_MOST, OpenRow, Placed, Places, RejectedField, RejectionRecord,
    Resolution, ResolutionRecord, Rooms, Sitting, SourceMessage, TallyRow, TimelineEntry,
    UnplacedMessage, UnplacedRecord,
};
pub use webhooks::{Delivery, Webhook, WebhookStore};
pub use work::{Claim, Handled, Resulting, WorkQuery, WorkRow, WorkSlice, WorkStore};

/// A boxed future, so that the store traits can be used as trait objects.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// The whole store: every concern, as the application layer holds it.
pub trait Store: CaseStore + AccountStore + AuditStore + WebhookStore + WorkStore {}

impl<T: CaseStore + AccountStore + AuditStore + WebhookStore + WorkStore> Store for T {}

impl StoreError {
    /// Whether the database could not be reached, here or in the transaction this shares.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Unavailable(_) => true,
            Self::Shared(error) => error.is_unavailable(),
            _ => false,
        }
    }
}

/// Why a store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
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
    /// Another server on the same database decides by another agreement.
    #[error(
        "the servers on this database decide by the agreement with digest {held}; this server's \
         is {ours}: start every server with the same policy files, or change the agreement for \
         all with `joinery serve --replace-agreement`"
    )]
    AgreementDiffers { held: String, ours: String },
    /// The database server cannot be reached (stopped, restarting, or the network between):
    /// nothing was written; the same request may succeed once it answers again.
    #[error("the database cannot be reached")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// An error that failed a whole transaction, as each of its senders sees it.
    #[error("{0}")]
    Shared(std::sync::Arc<StoreError>),
    #[error("a store task failed: {0}")]
    Worker(String),
}
