//! Messages that move a case along its journey: the person arrested, bail, the charging
//! decision and the charge, hearings listed and resulted, pleas, verdicts, adjournments and the
//! sentence, work asked between agencies and done, reports, referrals and support, consent, a
//! case closed, and a retraction. All are case core (or the report's and support's own rows) in
//! the sharing agreement.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::journey::{
    ActionKind, AdjournmentReason, Attendance, BailStatus, ChargingOutcome, CloseReason,
    ConsentCategory, Engagement, Finding, HearingPurpose, ModeOfTrial, OffenceType, PleaValue,
    ReportKind, SupportService, TrialEffectiveness,
};
use crate::sharing::Username;
use crate::text::{Name, Text};
use crate::{
    ActionId, AgencyCode, AgencyKind, CroNumber, HearingId, MessageId, OffenceCode, OuCode, PncId,
    ResultCode, Timestamp,
};

/// A person as agencies identify them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub given_name: Name,
    pub family_name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pnc_id: Option<PncId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cro_number: Option<CroNumber>,
}

/// Police arrest a person (custody record opened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Arrest {
    pub person: Person,
    /// The police unit holding the person in custody.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custody_unit: Option<OuCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspected_offence: Option<OffenceCode>,
}

/// Bail or custody status set by police or court; the latest replaces what went before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Bail {
    pub status: BailStatus,
    #[serde(default)]
    pub conditions: Vec<Text>,
    /// The date to answer bail or return to court.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

/// The CPS decides whether to charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChargingDecision {
    pub decision: ChargingOutcome,
    #[serde(default)]
    pub offences: Vec<OffenceCode>,
}

/// One offence on the charge sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChargedOffence {
    /// The offence's number on the charge sheet, from 1.
    pub sequence: u16,
    pub code: OffenceCode,
    pub wording: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed_on: Option<Date>,
    /// When the defendant was arrested for it, as the charging police force recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrested_on: Option<Date>,
    /// When the defendant was charged with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charged_on: Option<Date>,
    /// How the court decided it is to be tried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode_of_trial: Option<ModeOfTrial>,
    /// The offence's type, from its category in the MoJ standing data: set by Joinery as the
    /// message comes in (what a sender gives here is replaced), for management information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offence_type: Option<OffenceType>,
}

/// Police charge the defendant with offences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Charge {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defendant: Option<Person>,
    pub offences: Vec<ChargedOffence>,
}

/// The court lists a hearing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HearingListed {
    pub hearing_id: HearingId,
    pub court: OuCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courtroom: Option<Text>,
    pub starts_at: Timestamp,
    pub purpose: HearingPurpose,
    /// The judge or presiding magistrate, by their Joinery user name, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge: Option<Username>,
}

/// One result line from the court, against an offence or the whole case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offence_sequence: Option<u16>,
    pub code: ResultCode,
    pub text: Text,
}

/// What the court recorded at a hearing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HearingResult {
    pub hearing_id: HearingId,
    #[serde(default)]
    pub results: Vec<ResultLine>,
    /// For a trial hearing: whether it went ahead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial: Option<TrialEffectiveness>,
    /// The court's reason code for a cracked or ineffective trial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_reason: Option<Text>,
}

/// A plea entered to one offence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Plea {
    pub offence_sequence: u16,
    pub plea: PleaValue,
}

/// The court's ruling on an application to admit evidence of the defendant's bad character
/// (Criminal Justice Act 2003, s.101). Once it is admitted, the bench trying the case may see
/// the previous convictions before any conviction on the case; refused, it may not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BadCharacterRuling {
    pub admitted: bool,
}

/// A verdict on one offence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub offence_sequence: u16,
    pub finding: Finding,
    /// The day of conviction, when the court gives it (a conviction may precede the hearing
    /// that reports it, as when sentence was adjourned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convicted_on: Option<Date>,
}

/// A hearing adjourned, why, and which agency the reason lies with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjournment {
    pub hearing_id: HearingId,
    pub reason: AdjournmentReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<AgencyKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_hearing_on: Option<Date>,
    /// The court the case is adjourned to, when the court names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_court: Option<OuCode>,
    /// The reason in the court's own words, as sent (`for pre-sentence report`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_given: Option<Text>,
}

/// One part of a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Disposal {
    pub code: ResultCode,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_months: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_pence: Option<u64>,
}

/// The sentence passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Sentence {
    pub disposals: Vec<Disposal>,
    /// Whether the order is supervised by probation (community or suspended sentence order).
    pub supervised_by_probation: bool,
    /// The probation service the court names to supervise it, which then works on the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor: Option<AgencyCode>,
}

/// One agency asks another for work by a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequested {
    pub action_id: ActionId,
    pub action: ActionKind,
    /// The agency asked to do the work.
    pub owner: AgencyCode,
    pub due_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// The owner of an action reports it done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionCompleted {
    pub action_id: ActionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// The agency that asked for work withdraws the request: it is no longer needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionWithdrawn {
    pub action_id: ActionId,
    /// Why, for the agency that was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// A report is ready (a pre-sentence report, the full file); completes its action if named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSubmitted {
    pub report: ReportKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_id: Option<ActionId>,
    /// The report's conclusions, e.g. the proposal of a pre-sentence report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
}

/// The person is referred to a support service; the service's agency owns the referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    pub referral_id: ActionId,
    pub to: AgencyCode,
    pub service: SupportService,
    pub due_on: Date,
    /// The person referred, so that the service knows its client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<Person>,
}

/// A support service reports attendance and engagement on a referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportProgress {
    pub referral_id: ActionId,
    pub attendance: Attendance,
    pub engagement: Engagement,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// The case ends: no further action, discontinued, withdrawn, acquitted, or completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseClosed {
    pub reason: CloseReason,
}

/// The person consents to share a category with the agencies that work with them; recorded by
/// the agency that took the consent, with how it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentGiven {
    pub category: ConsentCategory,
    /// How the consent was given, e.g. `Signed consent form, probation induction`.
    pub source: Text,
}

/// The person withdraws a consent they gave; sharing that relied on it stops from then on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentWithdrawn {
    pub category: ConsentCategory,
    pub source: Text,
}

/// Withdraws an earlier message of the same agency that was sent in error. The earlier message
/// is kept; the case is derived as if it had not been sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Retraction {
    pub message_id: MessageId,
    pub reason: Text,
}
