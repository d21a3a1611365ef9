//! Joinery's application layer: every use case that the API, the pages and the command line
//! share, each with a typed outcome. A front end parses what it was sent into domain types,
//! calls one method of [`App`], and renders what comes back; it decides nothing itself.
//!
//! Every read of case data goes through one authorization path (`gate.rs`): it fetches the
//! facts, asks the sharing agreement about every item, keeps only what the reader may see, folds
//! the case from those items alone, and records the disclosure in the audit trail before
//! anything is returned. A case of which the reader may see nothing does not exist for them.
//!
//! [`App`] holds the store and the agreement only as the ports' traits (`joinery-ports`), and
//! hands neither out: a front end has no path to the store or the policy but through a use case
//! here. The binary wires the adapters (SQLite, Cedar) in.
//!
//! It is not: HTTP or HTML (the web crate), SQL (the store crate) or the sharing rules (the
//! Cedar files). It parses nothing a sender wrote either: that is the ingest crate's.

mod accounts;
mod administration;
mod break_glass;
mod caseload;
mod court;
mod csv_file;
mod feed;
mod gate;
mod governance;
mod intake;
mod listing;
mod measures;
mod outbound;
mod resulting;
mod search;
mod secrets;
mod seen;
mod throttle;
mod titles;
mod view;
mod webhooks;
mod work;
mod worklist;
mod writes;

use std::sync::Arc;

use joinery_domain::measures::disclosure::Threshold;
use joinery_ports::{
    Actor, AuditDetail, AuditEvent, DecisionError, SharingAgreement, Store, StoreError,
};
use joinery_reference::StandingData;

pub use accounts::{
    LOCK_AFTER_FAILURES, LOCKED_FOR, MIN_PASSWORD_CHARS, PasswordChange, PasswordRefusal,
    SESSION_IDLE, SessionCheck, SignInOutcome, SignedIn,
};
pub use administration::{AccessOutcome, ResolveOutcome};
pub use break_glass::{BREAK_GLASS_FOR, BreakGlassOutcome};
pub use caseload::{Caseload, CaseloadQuery, CaseloadSort, HearingWindow, caseload_rows};
pub use court::{
    CourtList, Courtroom, HearingBrief, HearingOutcome, ListedHearing, Ready, day_list, rooms_for,
};
pub use feed::{FeedChange, FeedPage};
pub use gate::{CaseDetail, NOT_FOUND_TAKES, Purpose, actor};
pub use governance::{PolicyMatrix, ReviewRecorded, WhoHasSeen};
pub use intake::{
    BatchAnswer, CanonicalIntake, IntakeError, MAX_BATCH, MessageAnswer, MessageStatus,
    PlaceOutcome, SingleOutcome, SourceAnswer, SourceIntake, SourceStatus, UnplacedAnswer,
};
pub use listing::BenchOutcome;
pub use measures::{
    CaseList, Cell, Report, ReportForm, ReportName, ReportOutcome, ReportRequest, Row, Table,
};
pub use outbound::{CheckedUrl, OutboundPolicy, OutboundRefusal, is_internal};
pub use search::{SEARCH_SHOWS, SearchResults};
pub use secrets::{ApiKey, SessionToken, generate_password, random_secret};
pub use seen::{SeenFilter, SeenReport, SeenRow, seen_csv};
pub use throttle::{CLIENT_BURST, CLIENT_EVERY, ClientAddress};
pub use titles::Titles;
#[cfg(feature = "bench")]
pub use view::disclose_all;
pub use view::{CaseView, Disclosure, HearingSummary, VisibleItem, disclose};
pub use webhooks::{MAX_WEBHOOKS, Registration, Removal, WebhookRefusal};
pub use worklist::{ClaimOutcome, Handler, WorkItem, Worklist, WorklistQuery};
pub use writes::{WriteOutcome, WriteProblem};

pub use joinery_domain::matrix::{Matrix, MatrixCell};
/// Who reads, and the vocabulary of refusals, as front ends name them.
pub use joinery_domain::{Reader, ReaderId};
pub use joinery_ingest::{
    FieldProblem, MESSAGE_EXAMPLES, Rejection, RejectionKind, Segment, SourceFormat, read_json,
};
/// What front ends show of the store's records: records, not a way to the store.
pub use joinery_ports::{
    AccessChange, Agency, AuditAction, AuditEntry, AuditVerdict, BreakGlassGrant, CaseLookup,
    Delivery, ExceptionRecord, GrantReview, LISTED_AT_MOST, LoggedGrant, Person, RejectionRecord,
    ResolutionRecord, ReviewOutcome, UnplacedRecord, UserRecord, Webhook,
};

/// Something below the use cases failed: the store, or the agreement's engine. Never a
/// refusal: a refusal is an outcome.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Policy(#[from] DecisionError),
    /// A step that cannot fail did (a random source, a hash, a message Joinery wrote that did
    /// not land on its case): the words say which, never whose data.
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// Whether the database could not be reached: a passing state the caller may retry.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Store(error) if error.is_unavailable())
    }
}

/// The application: the store and the sharing agreement in force, and the MoJ standing data
/// when it is installed.
pub struct App {
    store: Arc<dyn Store>,
    policy: Arc<dyn SharingAgreement>,
    reference: Option<Arc<StandingData>>,
    /// The bound on password hashes at once, and their memory.
    passwords: throttle::PasswordWork,
    /// How often each client may try to sign in.
    clients: throttle::ClientLimits,
    /// Where webhooks may point.
    outbound: OutboundPolicy,
    /// What decides the caseload rows the store keeps, when it keeps them (an agreement that
    /// decides by relation, and an application that serves); otherwise caseloads are decided
    /// case by case.
    caseload_rows: Option<Arc<caseload::Deciding>>,
    /// The smallest count management information shows.
    threshold: Threshold,
    /// Management information's protected grids, kept while their cells stand.
    grids: measures::GridCache,
    /// Refused looks at cases being recorded after their answers, at most
    /// [`gate::REFUSALS_IN_FLIGHT`] at once.
    refusals: Arc<tokio::sync::Semaphore>,
    /// The agencies as last read, and when (`App::agencies`).
    registry: tokio::sync::RwLock<Option<(std::time::Instant, Arc<Vec<Agency>>)>>,
}

/// How long the agencies read are kept before they are read again: one registered by another
/// process (the operator's `joinery agencies add` beside a running server) is named within
/// this.
pub const REGISTRY_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(30);

impl App {
    /// The application over `store` and `policy`, for the operator's commands.
    pub fn new(
        store: Arc<dyn Store>,
        policy: Arc<dyn SharingAgreement>,
        reference: Option<Arc<StandingData>>,
    ) -> Self {
        Self {
            store,
            policy,
            reference,
            passwords: throttle::PasswordWork::for_this_machine(),
            clients: throttle::ClientLimits::new(),
            outbound: OutboundPolicy::strict(),
            caseload_rows: None,
            threshold: Threshold::DEFAULT,
            grids: measures::GridCache::default(),
            refusals: Arc::new(tokio::sync::Semaphore::new(gate::REFUSALS_IN_FLIGHT)),
            registry: tokio::sync::RwLock::default(),
        }
    }

    /// The same application, suppressing counts in management information under `threshold`.
    pub fn with_threshold(mut self, threshold: Threshold) -> Self {
        self.threshold = threshold;
        self
    }

    /// The same application, with webhooks allowed where `outbound` says (by default: https
    /// to public addresses only).
    pub fn with_outbound(mut self, outbound: OutboundPolicy) -> Self {
        self.outbound = outbound;
        self
    }

    /// Where webhooks may point, for the delivery worker to check again at every delivery.
    pub fn outbound(&self) -> &OutboundPolicy {
        &self.outbound
    }

    /// The application over `store` and `policy`, to serve: recorded in the audit trail as the
    /// policy set in force from now on, and handed to the store to keep the caseload rows by
    /// (every case decided again first if the rows were decided under another version).
    pub async fn start(
        store: Arc<dyn Store>,
        policy: Arc<dyn SharingAgreement>,
        reference: Option<Arc<StandingData>>,
    ) -> Result<Self, AppError> {
        store
            .audit(vec![AuditEvent {
                actor: Actor::Operator,
                action: AuditAction::PolicyLoaded,
                subject: None,
                detail: AuditDetail::PolicyLoaded {
                    digest: policy.digest().to_owned(),
                    policies: policy.policy_ids().to_vec(),
                },
            }])
            .await?;
        let mut app = Self::new(Arc::clone(&store), Arc::clone(&policy), reference);
        if policy.decides_by_relation() {
            let rows = Arc::new(caseload::Deciding::new(policy)?);
            store.keep_caseloads(rows.clone()).await?;
            app.caseload_rows = Some(rows);
        }
        Ok(app)
    }

    /// The MoJ standing data, when installed; the formats that need it are refused without it.
    pub fn reference(&self) -> Option<&StandingData> {
        self.reference.as_deref()
    }

    /// The digest of the policy set in force.
    pub fn policy_version(&self) -> &str {
        self.policy.digest()
    }
}
