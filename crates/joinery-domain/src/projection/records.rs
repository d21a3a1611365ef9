//! The parts of a case's state: what the projection keeps of each offence, hearing, action and
//! the rest, as the agencies last reported them.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::journey::{
    ActionKind, ActionState, AdjournmentReason, Attendance, Engagement, Finding, HearingPurpose,
    PleaValue, ReportKind, SupportService, TrialEffectiveness,
};
use crate::message::{Bail, ChargedOffence, Disposal, ResultLine};
use crate::sharing::Username;
use crate::text::Text;
use crate::{ActionId, AgencyCode, AgencyKind, HearingId, OuCode, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OffenceState {
    /// The offence as last charged.
    #[serde(flatten)]
    pub charged: ChargedOffence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plea: Option<PleaValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<Finding>,
    /// The day of conviction, when the court gave it with a guilty finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convicted_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BailState {
    /// The latest bail or custody status reported.
    #[serde(flatten)]
    pub bail: Bail,
    pub set_by: AgencyCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HearingState {
    pub hearing_id: HearingId,
    pub court: OuCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courtroom: Option<Text>,
    pub starts_at: Timestamp,
    pub purpose: HearingPurpose,
    #[serde(default)]
    pub results: Vec<ResultLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial: Option<TrialEffectiveness>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_reason: Option<Text>,
    pub resulted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge: Option<Username>,
    /// The court agency that listed the hearing: the centre whose management information it
    /// counts in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_by: Option<AgencyCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AdjournmentRecord {
    pub hearing_id: HearingId,
    pub reason: AdjournmentReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<AgencyKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_hearing_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_court: Option<OuCode>,
    /// The reason in the court's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_given: Option<Text>,
    pub adjourned_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActionRecord {
    pub action_id: ActionId,
    pub action: ActionKind,
    pub requested_by: AgencyCode,
    pub owner: AgencyCode,
    pub due_on: Date,
    pub state: ActionState,
    pub requested_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<SupportService>,
}

impl ActionRecord {
    /// An open action past its due date: a blockage on the case.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.state == ActionState::Open && self.due_on < today
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SupportRecord {
    pub referral_id: ActionId,
    pub reported_by: AgencyCode,
    pub attendance: Attendance,
    pub engagement: Engagement,
    pub reported_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReportRecord {
    pub report: ReportKind,
    pub submitted_by: AgencyCode,
    pub submitted_at: Timestamp,
}

/// Where a person's consent to share a category stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConsentRecord {
    pub given: bool,
    pub recorded_by: AgencyCode,
    pub source: Text,
    pub recorded_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SentenceRecord {
    pub disposals: Vec<Disposal>,
    pub supervised_by_probation: bool,
    pub sentenced_at: Timestamp,
}
