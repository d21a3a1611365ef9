//! The caseload read model: for each case, what each class of reader may see of it, as far as
//! a caseload needs (its stage, its latest item, its hearings to come, its open work), kept by
//! the store in the transaction that changes the case, so that a caseload page costs what it
//! shows and not what the store holds.
//!
//! What a class may see is the agreement's to decide: the application hands the store a
//! [`CaseloadRows`] that decides, and the store calls it for each case a transaction touches.
//! The rows are decided under one version of the agreement (its digest); when another is
//! loaded the store decides every case again.
//!
//! The same decisions keep each agency's feed to the changes its system may see as the case
//! stands ([`CaseloadRows::feed`]); a feed still decides each change again when it is read.

use std::collections::{BTreeMap, BTreeSet};

use joinery_domain::{
    AgencyCode, AgencyKind, CaseFacts, Category, ItemFacts, Role, Sequence, Stage, Timestamp,
    Username,
};
use time::Date;

use crate::{CaseRecord, DecisionError, TimelineEntry};

/// Who, as far as what they may see of a case goes: the people of one agency in one role see
/// the same of it; a judge sees what is listed before them and what they wrote, so is a class
/// of their own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReaderClass {
    pub agency: AgencyCode,
    /// The agency's kind (not part of the class's key: the agency says it).
    pub kind: AgencyKind,
    pub role: Role,
    pub judge: Option<Username>,
}

impl ReaderClass {
    /// The class as one key, as the store keeps it: `AGENCY/role` or `AGENCY/judge/name`.
    pub fn key(&self) -> String {
        match &self.judge {
            Some(judge) => format!("{}/{}/{judge}", self.agency, self.role.as_str()),
            None => format!("{}/{}", self.agency, self.role.as_str()),
        }
    }
}

/// What one class may see of one case, as a caseload needs it. Only classes that may see
/// something of the case have a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadRow {
    pub class: ReaderClass,
    /// The stage the case is at, folded from what the class may see.
    pub stage: Stage,
    /// The latest item the class may see: what "recently changed" orders by.
    pub latest: Sequence,
    /// When each hearing the class may see, not yet resulted, starts.
    pub hearings: Vec<Timestamp>,
    /// When each open action the class may see is due.
    pub open_actions: Vec<Date>,
}

/// What decides the caseload rows: the agreement, as the application layer asks it.
pub trait CaseloadRows: Send + Sync + 'static {
    /// The version of the agreement the rows are decided under.
    fn digest(&self) -> &str;

    /// Whether people in `role` may ever see anything of a case; those who may not have no
    /// rows, and no caseload to read.
    fn sees_cases(&self, role: Role) -> bool;

    /// The rows of one case (its record and every event on it) for `classes`: one for each
    /// class that may see something of it.
    fn rows(
        &self,
        record: &CaseRecord,
        entries: &[TimelineEntry],
        classes: &[ReaderClass],
    ) -> Result<Vec<CaseloadRow>, DecisionError>;

    /// Which of `items` of a case with `facts` the system of `agency` (of `kind`) may see: what
    /// its feed keeps as candidates, so that a feed page reads what it will show and not what
    /// it will withhold.
    fn feed(
        &self,
        agency: &AgencyCode,
        kind: AgencyKind,
        facts: &CaseFacts,
        items: &[ItemFacts],
    ) -> Result<Vec<bool>, DecisionError>;
}

/// When a caseload's next hearing must fall, at the time asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextHearing {
    Any,
    /// From now until the end of the day `before` (exclusive).
    Before(Date),
    /// None to come.
    None,
}

/// A caseload's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseloadOrder {
    RecentlyChanged,
    NextHearing,
    /// The cases whose overdue work has waited longest first (by the day it fell due), then
    /// those with none.
    LongestOverdue,
}

/// Which rows of a class to page through, as of `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadPage {
    pub class: ReaderClass,
    pub now: Timestamp,
    pub stage: Option<Stage>,
    pub hearing: NextHearing,
    pub overdue_only: bool,
    pub order: CaseloadOrder,
    /// Cases to leave out (those decided apart, under a reader's own break-glass grants).
    pub except: Vec<joinery_domain::CaseId>,
    /// The person whose break-glass grants in force are read with the page, in the same read.
    pub holder: Option<Username>,
    pub offset: usize,
    pub limit: usize,
}

/// One case of a class's caseload page, with the keys it was ordered by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadEntry {
    pub case_id: joinery_domain::CaseId,
    pub latest: Sequence,
    /// The first hearing to come that the class may see.
    pub next_hearing: Option<Timestamp>,
    /// How many open actions the class may see are overdue.
    pub overdue: usize,
    /// The day the longest overdue of them fell due.
    pub overdue_since: Option<Date>,
}

/// A page of a class's caseload: the cases in order, and how many pass the filters in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadSlice {
    pub entries: Vec<CaseloadEntry>,
    pub total: usize,
    /// The holder's break-glass grants in force, by case (empty with no holder).
    pub grants: BTreeMap<joinery_domain::CaseId, BTreeSet<Category>>,
}
