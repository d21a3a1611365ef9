//! Who may use Joinery: the agencies and their systems' keys, the people who sign in with their
//! sessions and passwords, and the break-glass grants people hold.

use std::collections::{BTreeMap, BTreeSet};

use joinery_domain::{
    AgencyCode, AgencyKind, CaseId, Category, Role, SystemName, Text, Timestamp, Username,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{AuditEvent, StoreFuture};

/// An agency known to Joinery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    pub code: AgencyCode,
    pub kind: AgencyKind,
    pub name: SystemName,
}

/// The SHA-256 of a presented key or session token, the only form in which they are stored or
/// compared: enough for a secret of 32 random bytes (a slow hash would only slow every request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyHash([u8; 32]);

impl KeyHash {
    pub fn of(presented: &str) -> Self {
        Self(Sha256::digest(presented.as_bytes()).into())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// A password hash in PHC string form (`$argon2id$v=19$...`), which carries its own salt and
/// parameters. Hashing and checking are the application layer's; the store only keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordDigest(String);

impl PasswordDigest {
    pub fn from_phc(text: String) -> Self {
        Self(text)
    }

    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordDigest(..)")
    }
}

/// A person to add.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub agency: AgencyCode,
    pub role: Role,
    pub password: PasswordDigest,
    /// Whether the password was issued by someone else and must be changed at first sign-in.
    pub must_change_password: bool,
}

/// A person as stored, with their agency.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub username: Username,
    pub agency: Agency,
    pub role: Role,
    pub password: PasswordDigest,
    pub must_change_password: bool,
    pub failed_sign_ins: u32,
    pub locked_until: Option<Timestamp>,
}

/// A live or ended session, with the person it belongs to.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: UserRecord,
    pub last_seen_at: Timestamp,
    pub ended: bool,
}

/// How an account holds off sign-in attempts after failures in a row: after the first, until
/// `holds[0]`; after the second, `holds[1]`; and so on, the last (the lockout) repeating.
#[derive(Debug, Clone)]
pub struct Backoff {
    pub now: Timestamp,
    pub holds: Vec<Timestamp>,
}

/// Whether a sign-in attempt may check its password.
#[derive(Debug, Clone)]
pub enum Admission {
    /// Counted as failed before its check (a success clears the count): the account.
    Admitted(Box<UserRecord>),
    /// The account is within its back-off or locked: not checked, not counted.
    Held,
    NoSuchUser,
}

/// Time-limited access to one category of one case, given with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakGlassGrant {
    pub username: Username,
    pub agency: AgencyCode,
    pub case_id: CaseId,
    pub category: Category,
    pub reason: Text,
    pub granted_at: Timestamp,
    pub expires_at: Timestamp,
}

/// One of an agency's people, as its administrators see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub username: Username,
    pub role: Role,
    pub failed_sign_ins: u32,
    pub locked_until: Option<Timestamp>,
    pub deactivated_at: Option<Timestamp>,
}

/// What an administrator changes about a person's access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessChange {
    /// Clears failed sign-ins and any lock.
    Unlock,
    /// No more signing in; sessions end.
    Deactivate,
    Reactivate,
}

/// A grant as governance reviews it: its number, the case's reference, and the review if one is
/// recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoggedGrant {
    pub id: i64,
    #[serde(flatten)]
    pub grant: BreakGlassGrant,
    /// The case's URN, or its ASN, as the store keeps it.
    pub reference: Option<String>,
    pub review: Option<GrantReview>,
}

/// What governance found, reviewing a grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantReview {
    pub reviewed_by: Username,
    pub reviewed_at: Timestamp,
    pub outcome: ReviewOutcome,
    pub note: Text,
}

/// A review's finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// The need was real and the access proportionate.
    Justified,
    /// Not justified: taken up with the person's agency.
    NotJustified,
    /// Passed on (to the person's agency, or the data protection officer) for a decision.
    Referred,
}

impl ReviewOutcome {
    pub const ALL: [Self; 3] = [Self::Justified, Self::NotJustified, Self::Referred];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Justified => "justified",
            Self::NotJustified => "not_justified",
            Self::Referred => "referred",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|outcome| outcome.as_str() == text)
    }
}

/// Agencies, keys, people, sessions and break-glass grants.
pub trait AccountStore: Send + Sync + 'static {
    fn add_agency(&self, agency: Agency, audit: AuditEvent) -> StoreFuture<'_, ()>;

    fn agencies(&self) -> StoreFuture<'_, Vec<Agency>>;

    /// Registers a key for an agency; the store keeps only its hash.
    fn add_api_key(
        &self,
        agency: AgencyCode,
        key: KeyHash,
        audit: AuditEvent,
    ) -> StoreFuture<'_, ()>;

    /// The agency a key belongs to, if it is a live key.
    fn agency_for_key(&self, key: KeyHash) -> StoreFuture<'_, Option<Agency>>;

    /// Adds a person; their role must belong in their agency's kind.
    fn add_user(&self, user: NewUser, audit: AuditEvent) -> StoreFuture<'_, ()>;

    fn user(&self, username: Username) -> StoreFuture<'_, Option<UserRecord>>;

    /// Admits one sign-in attempt, counting it as failed and holding the account per `backoff`
    /// in the same step, before its password is checked: attempts at once are each counted, so
    /// a burst cannot check more passwords than the count allows.
    fn admit_sign_in(&self, username: Username, backoff: Backoff) -> StoreFuture<'_, Admission>;

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

    /// Replaces a person's password, clears any demand to change it, and ends every session of
    /// theirs but `keep` (the one the change was made in).
    fn set_password(
        &self,
        username: Username,
        password: PasswordDigest,
        keep: KeyHash,
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

    /// The people of an agency, by user name.
    fn people(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<Person>>;

    /// Changes the access of a person of `agency`, with its audit entry; false (and nothing
    /// recorded) if they are not of it or nothing changes.
    fn change_access(
        &self,
        username: Username,
        agency: AgencyCode,
        change: AccessChange,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool>;

    /// The latest 500 grants, newest first, for governance review (only those not reviewed yet
    /// with `to_review`).
    fn break_glass_log(&self, to_review: bool) -> StoreFuture<'_, Vec<LoggedGrant>>;

    /// Records governance's review of grant `id`, with its audit entry; false if there is no
    /// such grant or it is reviewed already.
    fn review_break_glass(
        &self,
        id: i64,
        review: GrantReview,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool>;
}
