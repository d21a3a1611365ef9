//! The audit trail as the application writes and reads it: who acted, what they did, to which
//! case or account, and the references that say what exactly (never the content itself).
//! How the trail is made tamper-evident is the store's business; that it is, is its promise.

use std::collections::BTreeSet;

use joinery_domain::journey::ConsentCategory;
use joinery_domain::search::SearchBy;
use joinery_domain::submission::RejectionKind;
use joinery_domain::{
    ActionId, AgencyCode, CaseId, Category, ExceptionId, HearingId, MessageFormat, MessageId, Role,
    Sequence, Timestamp, UnplacedId, Username,
};
use serde::Serialize;

use crate::StoreFuture;

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// An agency's system, by its agency code.
    AgencySystem(AgencyCode),
    /// A person signed in, by user name and agency.
    User {
        username: Username,
        agency: AgencyCode,
    },
    /// Someone trying to sign in as this user name (which may not exist).
    SigningIn(Username),
    /// Someone presenting a key that is not valid.
    Unauthenticated,
    /// The operator, through the `joinery` command line.
    Operator,
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AgencySystem(agency) => write!(f, "system:{agency}"),
            Self::User { username, agency } => write!(f, "user:{username}@{agency}"),
            Self::SigningIn(username) => write!(f, "signing-in:{username}"),
            Self::Unauthenticated => f.write_str("unauthenticated"),
            Self::Operator => f.write_str("operator"),
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
    /// An agency removed a webhook.
    WebhookRemoved,
    /// A data-quality problem was marked resolved.
    ExceptionResolved,
    /// A person asked for an action, or reported one done, in Joinery (by message id).
    ActionWritten,
    /// Management information was shown, or refused: which report, where and how.
    MeasuresViewed,
    /// A person searched for a case: how (never what they typed), and which cases it showed.
    CaseSearched,
    /// A person took on a piece of work asked of their agency.
    WorkClaimed,
    /// A person let go of a piece of work they had taken on.
    WorkReleased,
    /// Governance recorded its review of a break-glass grant.
    BreakGlassReviewed,
    /// An agency's administrator cleared a person's failed sign-ins and lock.
    AccountUnlocked,
    /// An agency's administrator deactivated a person (sessions ended).
    AccountDeactivated,
    AccountReactivated,
    /// Someone asked for a case (by id or reference) and was shown nothing of it: what
    /// governance sees as a refused attempt.
    CaseRefused,
    /// A court's legal adviser started resulting a hearing (entering its results).
    ResultingStarted,
    ResultingStopped,
    /// Governance downloaded the list of break-glass grants: how many rows it held.
    GrantsExported,
    /// A message naming no case Joinery could find was kept whole, unplaced.
    MessageUnplaced,
    /// An agency's administrator placed an unplaced message on its case (the subject).
    MessagePlaced,
}

impl AuditAction {
    pub const ALL: [Self; 37] = [
        Self::MessagesReceived,
        Self::MessagesRejected,
        Self::CaseRead,
        Self::TimelineRead,
        Self::CaseListed,
        Self::FeedRead,
        Self::AuthenticationFailed,
        Self::AgencyAdded,
        Self::KeyCreated,
        Self::SignedIn,
        Self::SignInFailed,
        Self::SignedOut,
        Self::UserAdded,
        Self::PasswordChanged,
        Self::BreakGlass,
        Self::CommentWritten,
        Self::AuditReviewed,
        Self::PolicyLoaded,
        Self::ConsentChanged,
        Self::WebhookAdded,
        Self::WebhookRemoved,
        Self::ExceptionResolved,
        Self::ActionWritten,
        Self::MeasuresViewed,
        Self::CaseSearched,
        Self::WorkClaimed,
        Self::WorkReleased,
        Self::BreakGlassReviewed,
        Self::AccountUnlocked,
        Self::AccountDeactivated,
        Self::AccountReactivated,
        Self::CaseRefused,
        Self::ResultingStarted,
        Self::ResultingStopped,
        Self::GrantsExported,
        Self::MessageUnplaced,
        Self::MessagePlaced,
    ];

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
            Self::WebhookRemoved => "webhook_removed",
            Self::ExceptionResolved => "exception_resolved",
            Self::ActionWritten => "action_written",
            Self::MeasuresViewed => "measures_viewed",
            Self::CaseSearched => "case_searched",
            Self::WorkClaimed => "work_claimed",
            Self::WorkReleased => "work_released",
            Self::BreakGlassReviewed => "break_glass_reviewed",
            Self::AccountUnlocked => "account_unlocked",
            Self::AccountDeactivated => "account_deactivated",
            Self::AccountReactivated => "account_reactivated",
            Self::CaseRefused => "case_refused",
            Self::ResultingStarted => "resulting_started",
            Self::ResultingStopped => "resulting_stopped",
            Self::GrantsExported => "grants_exported",
            Self::MessageUnplaced => "message_unplaced",
            Self::MessagePlaced => "message_placed",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|action| action.as_str() == input)
    }
}

/// What an entry is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditSubject {
    Case(CaseId),
    Agency(AgencyCode),
    User(Username),
}

impl std::fmt::Display for AuditSubject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Case(id) => id.fmt(f),
            Self::Agency(code) => code.fmt(f),
            Self::User(username) => username.fmt(f),
        }
    }
}

/// Where a governance review of a break-glass grant stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    Pending,
}

/// One refused message of a body: its place, why, and the fields at fault (never their values,
/// which may be personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedAt {
    pub index: usize,
    pub kind: RejectionKind,
    /// The fields at fault, as JSON pointers.
    pub fields: Vec<String>,
}

/// What exactly was done, by reference: item numbers, message ids, policy ids, categories,
/// counts. No variant can hold a name, a comment or any other content of a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AuditDetail {
    /// Items of a case disclosed to a reader, under which policies and grants.
    Disclosure {
        role: Role,
        items: Vec<Sequence>,
        summaries: Vec<Sequence>,
        policies: BTreeSet<String>,
        break_glass: Vec<Category>,
        /// The first 12 hexadecimal digits of the policy set's digest.
        policy_version: String,
    },
    /// Items of a case disclosed through the change feed.
    FeedDisclosure {
        role: Role,
        items: Vec<Sequence>,
    },
    /// What became of one agency's messages in one transaction.
    MessagesReceived {
        accepted: Vec<MessageId>,
        duplicate: Vec<MessageId>,
        conflict: Vec<MessageId>,
    },
    MessagesRejected {
        format: MessageFormat,
        rejected: Vec<RejectedAt>,
    },
    ConsentChanged {
        message_id: MessageId,
        category: ConsentCategory,
        given: bool,
    },
    /// A message a person wrote in Joinery (a comment, an action, consent).
    Written {
        message_id: MessageId,
    },
    BreakGlass {
        category: Category,
        expires_at: Timestamp,
        review: Review,
    },
    /// How many entries a governance officer was shown.
    Reviewed {
        entries: usize,
    },
    Resolved {
        exception: ExceptionId,
    },
    /// A message kept unplaced, or placed: which, and in what format.
    Unplaced {
        unplaced: UnplacedId,
        format: MessageFormat,
    },
    SignedIn {
        role: Role,
    },
    SignInFailed {
        locked: bool,
    },
    /// The route template a bad key was presented at (never the concrete path).
    KeyRefused {
        route: String,
    },
    WebhookAdded {
        url: String,
    },
    WebhookRemoved {
        id: i64,
    },
    PolicyLoaded {
        digest: String,
        policies: Vec<String>,
    },
    UserAdded {
        agency: AgencyCode,
        role: Role,
    },
    /// A management information report: which, over what and where, in what form, and
    /// whether it was shown (aggregates only; no case is named).
    Measures {
        report: &'static str,
        period: String,
        court: Option<AgencyCode>,
        force: Option<AgencyCode>,
        #[serde(skip_serializing_if = "Option::is_none")]
        prosecutor: Option<AgencyCode>,
        #[serde(skip_serializing_if = "Option::is_none")]
        probation: Option<AgencyCode>,
        form: &'static str,
        shown: bool,
    },
    /// A search for a case: how it was made and the cases it showed (each recorded as listed
    /// as well); never what was searched for.
    Searched {
        by: SearchBy,
        shown: Vec<CaseId>,
        /// More cases matched than a search shows.
        more: bool,
    },
    /// Governance's review of a grant: which, and what it found (the note is kept with the
    /// review, not here).
    GrantReviewed {
        grant: i64,
        outcome: &'static str,
    },
    /// A hearing of a case, by its id.
    Hearing {
        hearing_id: HearingId,
    },
    /// A piece of work asked of an agency, by the action's id.
    Work {
        action_id: ActionId,
    },
    /// Nothing beyond who, what and when.
    Nothing {},
}

/// One thing to record.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub actor: Actor,
    pub action: AuditAction,
    pub subject: Option<AuditSubject>,
    pub detail: AuditDetail,
}

/// One audit entry as governance reads it back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: AuditAction,
    pub subject: Option<String>,
    pub detail: serde_json::Value,
}

/// What walking the trail found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerdict {
    /// Every entry is in place and unaltered.
    Intact { entries: u64 },
    /// The first entry at which the chain breaks, and how.
    Broken { seq: i64, problem: String },
}

/// The append-only, tamper-evident audit trail.
pub trait AuditStore: Send + Sync + 'static {
    /// Records events in the audit trail, durably, before returning.
    fn audit(&self, events: Vec<AuditEvent>) -> StoreFuture<'_, ()>;

    /// Walks the audit trail's hash chain and names the first entry out of place, if any.
    fn verify_audit(&self) -> StoreFuture<'_, AuditVerdict>;

    /// The audit entries whose subject is this case, oldest first.
    fn case_audit(&self, id: CaseId) -> StoreFuture<'_, Vec<AuditEntry>>;
}
