//! Cases and the messages that make them: appending (with group commit behind it), reading a
//! case and its history, the change feed's order, the messages in agencies' own formats kept
//! whole, and the data-quality problems and refusals an agency's administrator looks at.

use std::sync::Arc;

use joinery_domain::measures::{DayCounts, Measure, Month, Scope, Week};
use joinery_domain::search::PersonKey;
use joinery_domain::{
    AgencyCode, Asn, CanonicalMessage, CaseFacts, CaseId, CaseState, ExceptionId, MessageFormat,
    OuCode, QualityProblem, Sequence, Submission, Text, Timestamp, UnplacedId, Urn, Username,
};
use serde::Serialize;
use std::collections::BTreeMap;

use crate::{AuditEvent, CaseloadPage, CaseloadRows, CaseloadSlice, StoreFuture};

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
        problems: Vec<QualityProblem>,
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

/// The most of an agency's open problems, or of its refused messages, listed at once (the
/// latest).
pub const LISTED_AT_MOST: usize = 1_000;

/// How a data-quality problem was resolved, as its resolver says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Who resolved it: a person's user name, or the agency's system.
    pub by: String,
    pub note: Option<Text>,
}

/// One resolution in an agency's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolutionRecord {
    pub exception: String,
    pub code: String,
    pub field: String,
    pub resolved_by: String,
    pub resolved_at: Timestamp,
    pub note: Option<String>,
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
    pub sequence: Sequence,
    pub received_at: Timestamp,
    pub event: CanonicalMessage,
}

/// One change in the order Joinery accepted it: an event, its case, and its place in the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub case_id: CaseId,
    pub entry: TimelineEntry,
}

/// A source message to keep, with what its translation found.
#[derive(Debug, Clone)]
pub struct SourceMessage {
    pub agency: AgencyCode,
    pub format: MessageFormat,
    /// The id its events' message ids start with (`SPI-<digest>`).
    pub source_id: String,
    /// The message as sent.
    pub body: String,
    /// What the message holds that Joinery does not model yet, as JSON.
    pub unmodelled: serde_json::Value,
    pub problems: Vec<QualityProblem>,
}

/// A message in an agency's own format that names no case Joinery could find, kept whole for
/// the agency's administrator to place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnplacedMessage {
    pub agency: AgencyCode,
    pub format: MessageFormat,
    /// The message as sent.
    pub body: String,
    pub problems: Vec<QualityProblem>,
}

/// An unplaced message as listed for its agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnplacedRecord {
    pub id: UnplacedId,
    pub format: MessageFormat,
    pub received_at: Timestamp,
    /// What is wrong with it, the missing case reference first among them.
    pub problems: Vec<QualityProblem>,
    /// Where it was placed, once it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placed: Option<Placed>,
}

/// A placement of an unplaced message on its case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placed {
    pub case_id: CaseId,
    /// Who placed it: a person's user name, or the agency's system.
    pub by: String,
    pub at: Timestamp,
}

/// A data-quality problem as listed for an agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceptionRecord {
    /// What to resolve it by.
    pub id: ExceptionId,
    /// The source message's id (its events' ids start with it), or the canonical message's id.
    pub source_id: String,
    pub format: MessageFormat,
    /// The case its message's events were placed on, if any were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<CaseId>,
    #[serde(flatten)]
    pub problem: QualityProblem,
    pub raised_at: Timestamp,
}

/// A message refused at the door, as listed for its agency: why, never what it said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectionRecord {
    pub id: i64,
    pub format: MessageFormat,
    pub received_at: Timestamp,
    pub reasons: Vec<RejectedField>,
}

/// One reason: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RejectedField {
    pub field: String,
    pub problem: String,
}

/// Whose list of a day: the cases an agency works on, or the hearings before one judge. A day's
/// list is read by index for one of these, never from every case heard that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayList {
    Agency(AgencyCode),
    Judge(Username),
}

/// Which hearings of a day a court list reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rooms {
    /// Every hearing of the day on the list.
    Every,
    /// One courtroom: the `n`th (from 0) of the day's [`CourtDay::sittings`]. A court's staff
    /// work a courtroom's list; at the busiest court of a national year a day holds three
    /// hundred hearings.
    One(usize),
}

/// A courtroom sitting on a day: a court and the room its listings name (`None` where they
/// name none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sitting {
    pub court: OuCode,
    pub courtroom: Option<Text>,
}

/// A case and its events, read together so that they agree.
pub type CaseHistory = (CaseRecord, Vec<TimelineEntry>);

/// What a court list reads of a day, in one snapshot.
#[derive(Debug, Clone, Default)]
pub struct CourtDay {
    /// With [`Rooms::One`], the rooms the list's hearings of the day sit in, by court, then
    /// named rooms in order of name, then any not named; empty with [`Rooms::Every`].
    pub sittings: Vec<Sitting>,
    /// The cases with a hearing that day (in the room asked for), each once with its events.
    pub cases: Vec<(CaseRecord, Vec<TimelineEntry>)>,
}

/// Messages, cases and their histories.
pub trait CaseStore: Send + Sync + 'static {
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

    fn find_case(&self, lookup: CaseLookup) -> StoreFuture<'_, Option<CaseId>>;

    /// Up to `limit` cases whose defendant is found by `key`, most recently opened first.
    fn cases_of_person(&self, key: PersonKey, limit: usize) -> StoreFuture<'_, Vec<CaseId>>;

    fn case(&self, id: CaseId) -> StoreFuture<'_, Option<CaseRecord>>;

    /// The case's events in the order they happened.
    fn timeline(&self, id: CaseId) -> StoreFuture<'_, Vec<TimelineEntry>>;

    /// The case and its events, read together so that they agree.
    fn case_history(&self, id: CaseId)
    -> StoreFuture<'_, Option<(CaseRecord, Vec<TimelineEntry>)>>;

    /// Each of the cases `ids` (in that order) and its events, if it exists, all read in one
    /// snapshot: a page's cases for the cost of a few statements, not a few a case.
    fn case_histories(&self, ids: Vec<CaseId>) -> StoreFuture<'_, Vec<Option<CaseHistory>>>;

    /// The cases an agency works on, most recently changed first, each with its events: all
    /// read in one snapshot, for a caseload that must decide every one.
    fn agency_case_histories(
        &self,
        agency: AgencyCode,
    ) -> StoreFuture<'_, Vec<(CaseRecord, Vec<TimelineEntry>)>>;

    /// Hands the store what decides the caseload rows: from now on it keeps them in the
    /// transaction of every append, after deciding every case again if the rows it holds were
    /// decided under another version of the agreement (or with no one deciding).
    fn keep_caseloads(&self, rows: Arc<dyn CaseloadRows>) -> StoreFuture<'_, ()>;

    /// Decides again the caseload rows of the cases an agency works on, or listed before a
    /// judge: for an agency or a judge registered after their cases came in.
    fn refresh_caseloads(&self, list: DayList) -> StoreFuture<'_, ()>;

    /// A page of one class's caseload, by index.
    fn caseload(&self, page: CaseloadPage) -> StoreFuture<'_, CaseloadSlice>;

    /// The days nearest before and after `date` on which the judge has hearings listed, by the
    /// judge's index of hearings (two index probes).
    fn judge_days_around(
        &self,
        judge: Username,
        date: time::Date,
    ) -> StoreFuture<'_, (Option<time::Date>, Option<time::Date>)>;

    /// The cases on `list` with a hearing starting on `date` (UTC), each once, as stored.
    fn cases_heard_on(&self, date: time::Date, list: DayList) -> StoreFuture<'_, Vec<CaseRecord>>;

    /// The cases on `list` with a hearing starting on `date` (UTC) in `rooms`, each once with
    /// its events, all read in one snapshot: a day's court list.
    fn court_day(&self, date: time::Date, list: DayList, rooms: Rooms)
    -> StoreFuture<'_, CourtDay>;

    /// How many cases took each number of days in `measure` (a stretch of the journey, or a
    /// kind of requested work), by the month it ended and the piece of its ISO week in that
    /// month, among the months `from` to `to`, in
    /// `scope` (its court, force and offence type; `None`: every one). Aggregates only: no
    /// case is named.
    fn timeliness(
        &self,
        measure: Measure,
        from: Month,
        to: Month,
        scope: Scope,
    ) -> StoreFuture<'_, BTreeMap<(Month, Week), DayCounts>>;

    /// The version of `measure`'s cells of the months `from` to `to`: it changes whenever any
    /// of them does, so that what is built from them may be kept while they stand.
    fn measures_version(&self, measure: Measure, from: Month, to: Month) -> StoreFuture<'_, u64>;

    /// Every court-by-force cell of `measure` in the months `from` to `to`: what a report's
    /// grid is built and protected from. Aggregates only: no case is named.
    fn tallies(&self, measure: Measure, from: Month, to: Month) -> StoreFuture<'_, Vec<TallyRow>>;

    /// Every court-by-force cell of what is open in `measure` (one of `Measure::OPEN`), its
    /// days put in their bands of days before `today`. Aggregates only: no case is named.
    fn open_tallies(&self, measure: Measure, today: time::Date) -> StoreFuture<'_, Vec<OpenRow>>;

    /// The version of what is open in `measure`: it changes whenever any of its cells does.
    fn open_version(&self, measure: Measure) -> StoreFuture<'_, u64>;

    /// Up to `limit` changes accepted after `after`, in order.
    fn changes_after(&self, after: Sequence, limit: usize) -> StoreFuture<'_, Vec<Change>>;

    /// Up to `limit` changes accepted after `after` that `agency`'s system may see as their
    /// cases stand, in order, each with what sharing decisions rest on about its case: a
    /// feed's candidates, each still to be decided.
    fn agency_changes_after(
        &self,
        agency: AgencyCode,
        after: Sequence,
        limit: usize,
    ) -> StoreFuture<'_, Vec<(Change, CaseFacts)>>;

    /// The data-quality problems in the messages an agency sent, newest first.
    fn exceptions(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<ExceptionRecord>>;

    /// The open data-quality problems in what `agency` sent on one case, newest first.
    fn case_exceptions(
        &self,
        agency: AgencyCode,
        case: CaseId,
    ) -> StoreFuture<'_, Vec<ExceptionRecord>>;

    /// Marks one of an agency's open data-quality problems resolved, with how (kept in the
    /// agency's history of resolutions) and its audit entry; false if it has no such open
    /// problem.
    fn resolve_exception(
        &self,
        agency: AgencyCode,
        id: ExceptionId,
        resolution: Resolution,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool>;

    /// The agency's latest resolutions (100), newest first.
    fn resolutions(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<ResolutionRecord>>;

    /// Records messages refused at the door (each by its reasons), with their audit entry.
    fn record_rejections(
        &self,
        agency: AgencyCode,
        format: MessageFormat,
        rejections: Vec<Vec<RejectedField>>,
        audit: AuditEvent,
    ) -> StoreFuture<'_, ()>;

    /// The messages an agency sent that were refused, newest first.
    fn rejections(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<RejectionRecord>>;

    /// Keeps a message that names no case, whole, for its agency to place: its id, and
    /// whether it is new (the same message again is the same one).
    fn keep_unplaced(&self, message: UnplacedMessage) -> StoreFuture<'_, (UnplacedId, bool)>;

    /// An agency's messages not yet placed, newest first (at most `LISTED_AT_MOST`).
    fn unplaced(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<UnplacedRecord>>;

    /// One of an agency's unplaced messages, placed or not, with its text.
    fn unplaced_message(
        &self,
        agency: AgencyCode,
        id: UnplacedId,
    ) -> StoreFuture<'_, Option<(UnplacedRecord, String)>>;

    /// Records where an unplaced message was placed, with its audit entry; false if it was
    /// placed already.
    fn record_placement(
        &self,
        agency: AgencyCode,
        id: UnplacedId,
        placed: Placed,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool>;
}

/// One cell of what is open now, at its places (`Places`), its days put in a band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRow {
    /// The band of days before today (`measures::bands`), by index.
    pub band: usize,
    pub places: Places,
    /// The type of the principal offence of the cases counted (`OffenceType::as_str`), or `-`
    /// where the cell counts no case (a data-quality problem).
    pub offence_type: String,
    pub value: String,
    pub detail: String,
    pub cases: u64,
}

/// Where a cell's cases are: `court` (the court agency that listed the hearing) is `None` for
/// what no court has listed, `force` for what no police force is on, `prosecutor` for what no
/// CPS area is on, `probation` for what no probation service is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    pub court: Option<AgencyCode>,
    pub force: Option<AgencyCode>,
    pub prosecutor: Option<AgencyCode>,
    pub probation: Option<AgencyCode>,
}

impl Places {
    /// The places in the order of `measures::Place::ALL`.
    pub fn all(&self) -> [&Option<AgencyCode>; 4] {
        [&self.court, &self.force, &self.prosecutor, &self.probation]
    }
}

/// One cell of a measure in a month, at its places (`Places`); `value` and `detail` split the measure
/// (a trial's outcome and the court's reason; an adjournment's reason and side responsible) and
/// are empty where it is not split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyRow {
    pub month: Month,
    /// The ISO week whose piece in `month` the cell counts.
    pub week: Week,
    pub places: Places,
    /// The type of the principal offence of the cases counted (`OffenceType::as_str`), or `-`
    /// where the cell counts no case (a data-quality problem).
    pub offence_type: String,
    pub value: String,
    pub detail: String,
    pub cases: u64,
}
