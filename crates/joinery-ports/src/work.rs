//! Work asked of an agency, as the store keeps it for the agency's worklist: each open action
//! by the agency asked, by the day it is due, and who in the agency is handling it. A person
//! claims a piece of work and releases it; no piece is held by two at once.

use joinery_domain::journey::ActionKind;
use std::collections::BTreeMap;

use joinery_domain::{ActionId, AgencyCode, CaseId, HearingId, Timestamp, Username};
use time::Date;

use crate::{AuditEvent, StoreFuture};

/// What of an agency's open work to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkQuery {
    pub owner: AgencyCode,
    pub kind: Option<ActionKind>,
    /// Only work due before this day (overdue, when it is today).
    pub due_before: Option<Date>,
    pub handled: Handled,
    pub offset: usize,
    pub limit: usize,
}

/// Whose work to list, by who is handling it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    Any,
    /// Work this person has claimed.
    By(Username),
    /// Work no one has claimed.
    NoOne,
}

/// One piece of open work, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkRow {
    pub case_id: CaseId,
    pub action_id: ActionId,
    pub kind: ActionKind,
    pub due_on: Date,
    /// Who in the agency has claimed it, and when.
    pub claimed: Option<(Username, Timestamp)>,
}

/// A page of an agency's open work, the earliest due first, and how many pieces match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkSlice {
    pub rows: Vec<WorkRow>,
    pub total: usize,
}

/// What became of a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The person now holds it (or already did).
    Held,
    /// Someone else holds it.
    HeldBy(Username),
    /// No open work of the case has that id.
    NoSuchWork,
}

/// Who is resulting each hearing someone has started, and since when, by case and hearing.
pub type Resulting = BTreeMap<(CaseId, HearingId), (Username, Timestamp)>;

/// The worklist's side of the store.
pub trait WorkStore: Send + Sync + 'static {
    /// A page of open work asked of an agency, the earliest due first.
    fn work(&self, query: WorkQuery) -> StoreFuture<'_, WorkSlice>;

    /// `who` claims a piece of open work, unless someone else holds it; `audit` is recorded
    /// with the claim, and only if it is made.
    fn claim_work(
        &self,
        case: CaseId,
        action: ActionId,
        who: Username,
        at: Timestamp,
        audit: AuditEvent,
    ) -> StoreFuture<'_, Claim>;

    /// Who is resulting each of `hearings` (those someone has started), and since when.
    fn resulting(&self, hearings: Vec<(CaseId, HearingId)>) -> StoreFuture<'_, Resulting>;

    /// `who` starts resulting a hearing, unless someone else has; `audit` recorded with it.
    fn start_resulting(
        &self,
        case: CaseId,
        hearing: HearingId,
        who: Username,
        at: Timestamp,
        audit: AuditEvent,
    ) -> StoreFuture<'_, Claim>;

    /// `who` stops resulting a hearing they started; false if they had not.
    fn stop_resulting(
        &self,
        case: CaseId,
        hearing: HearingId,
        who: Username,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool>;

    /// `who` releases a piece of work they hold, `audit` recorded with it; false if they did
    /// not hold it.
    fn release_work(
        &self,
        case: CaseId,
        action: ActionId,
        who: Username,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool>;
}
