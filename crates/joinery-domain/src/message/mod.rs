//! Joinery's canonical messages: the JSON an agency system sends when something happens on a
//! case. Every message is one event on one case, with its provenance in the envelope.
//!
//! This module defines their shape and meaning; turning untrusted bytes into them (and naming
//! the field at fault when that fails) is the ingest crate's work.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::journey::{
    ActionKind, AdjournmentReason, Attendance, BailStatus, ChargingOutcome, CloseReason,
    ConsentCategory, Engagement, Finding, HearingPurpose, PleaValue, ReportKind, SupportService,
    TrialEffectiveness,
};
use crate::sharing::{Category, Username};
use crate::text::{Name, Text};
use crate::{
    ActionId, AgencyCode, AgencyKind, Asn, CourtCaseId, CroNumber, HearingId, MessageId,
    OffenceCode, OuCode,
};
use crate::{PncId, ResultCode, SystemName, Timestamp, Urn};

mod information;

pub use information::{
    Antecedents, Health, HealthRecordKind, Intelligence, JudicialComment, LegalAdvice, PartyRole,
    PoliceFile, PoliceFileSection, PreviousConviction, VictimWitness,
};

/// One canonical message: provenance, the case it concerns, and what happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CanonicalMessage {
    /// The sending system's id for this message; the same id twice is the same message.
    pub message_id: MessageId,
    /// The sending agency; must be the agency of the API key.
    pub agency: AgencyCode,
    /// The sending system.
    pub system: SystemName,
    /// When the thing reported happened (not when it was sent).
    pub occurred_at: Timestamp,
    pub case: CaseRef,
    #[serde(flatten)]
    pub payload: Payload,
}

/// How a message names its case: by URN, ASN, a court system's case id, or several. A case
/// Joinery has not seen is opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<Urn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<Asn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court_case_id: Option<CourtCaseId>,
}

impl CaseRef {
    pub fn names_a_case(&self) -> bool {
        self.urn.is_some() || self.asn.is_some() || self.court_case_id.is_some()
    }
}

/// What happened, by message type. The `type` field names the variant, `payload` holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", content = "payload", rename_all = "snake_case")]
pub enum Payload {
    Arrest(Arrest),
    Bail(Bail),
    ChargingDecision(ChargingDecision),
    Charge(Charge),
    HearingListed(HearingListed),
    HearingResult(HearingResult),
    Plea(Plea),
    Verdict(Verdict),
    Adjournment(Adjournment),
    Sentence(Sentence),
    ActionRequested(ActionRequested),
    ActionCompleted(ActionCompleted),
    ReportSubmitted(ReportSubmitted),
    Referral(Referral),
    SupportProgress(SupportProgress),
    CaseClosed(CaseClosed),
    ConsentGiven(ConsentGiven),
    ConsentWithdrawn(ConsentWithdrawn),
    PoliceFile(PoliceFile),
    Intelligence(Intelligence),
    VictimWitness(VictimWitness),
    LegalAdvice(LegalAdvice),
    Antecedents(Antecedents),
    Health(Health),
    JudicialComment(JudicialComment),
    Retraction(Retraction),
}

/// The message types, as named in the `type` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Arrest,
    Bail,
    ChargingDecision,
    Charge,
    HearingListed,
    HearingResult,
    Plea,
    Verdict,
    Adjournment,
    Sentence,
    ActionRequested,
    ActionCompleted,
    ReportSubmitted,
    Referral,
    SupportProgress,
    CaseClosed,
    ConsentGiven,
    ConsentWithdrawn,
    PoliceFile,
    Intelligence,
    VictimWitness,
    LegalAdvice,
    Antecedents,
    Health,
    JudicialComment,
    Retraction,
}

impl MessageKind {
    /// Whether agency systems may send this type; judicial comments are written by judges in
    /// Joinery itself.
    pub fn sent_by_systems(self) -> bool {
        self != Self::JudicialComment
    }

    pub const ALL: [Self; 26] = [
        Self::Arrest,
        Self::Bail,
        Self::ChargingDecision,
        Self::Charge,
        Self::HearingListed,
        Self::HearingResult,
        Self::Plea,
        Self::Verdict,
        Self::Adjournment,
        Self::Sentence,
        Self::ActionRequested,
        Self::ActionCompleted,
        Self::ReportSubmitted,
        Self::Referral,
        Self::SupportProgress,
        Self::CaseClosed,
        Self::ConsentGiven,
        Self::ConsentWithdrawn,
        Self::PoliceFile,
        Self::Intelligence,
        Self::VictimWitness,
        Self::LegalAdvice,
        Self::Antecedents,
        Self::Health,
        Self::JudicialComment,
        Self::Retraction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Arrest => "arrest",
            Self::Bail => "bail",
            Self::ChargingDecision => "charging_decision",
            Self::Charge => "charge",
            Self::HearingListed => "hearing_listed",
            Self::HearingResult => "hearing_result",
            Self::Plea => "plea",
            Self::Verdict => "verdict",
            Self::Adjournment => "adjournment",
            Self::Sentence => "sentence",
            Self::ActionRequested => "action_requested",
            Self::ActionCompleted => "action_completed",
            Self::ReportSubmitted => "report_submitted",
            Self::Referral => "referral",
            Self::SupportProgress => "support_progress",
            Self::CaseClosed => "case_closed",
            Self::ConsentGiven => "consent_given",
            Self::ConsentWithdrawn => "consent_withdrawn",
            Self::PoliceFile => "police_file",
            Self::Intelligence => "intelligence",
            Self::VictimWitness => "victim_witness",
            Self::LegalAdvice => "legal_advice",
            Self::Antecedents => "antecedents",
            Self::Health => "health",
            Self::JudicialComment => "judicial_comment",
            Self::Retraction => "retraction",
        }
    }
}

impl Payload {
    pub fn kind(&self) -> MessageKind {
        match self {
            Self::Arrest(_) => MessageKind::Arrest,
            Self::Bail(_) => MessageKind::Bail,
            Self::ChargingDecision(_) => MessageKind::ChargingDecision,
            Self::Charge(_) => MessageKind::Charge,
            Self::HearingListed(_) => MessageKind::HearingListed,
            Self::HearingResult(_) => MessageKind::HearingResult,
            Self::Plea(_) => MessageKind::Plea,
            Self::Verdict(_) => MessageKind::Verdict,
            Self::Adjournment(_) => MessageKind::Adjournment,
            Self::Sentence(_) => MessageKind::Sentence,
            Self::ActionRequested(_) => MessageKind::ActionRequested,
            Self::ActionCompleted(_) => MessageKind::ActionCompleted,
            Self::ReportSubmitted(_) => MessageKind::ReportSubmitted,
            Self::Referral(_) => MessageKind::Referral,
            Self::SupportProgress(_) => MessageKind::SupportProgress,
            Self::CaseClosed(_) => MessageKind::CaseClosed,
            Self::ConsentGiven(_) => MessageKind::ConsentGiven,
            Self::ConsentWithdrawn(_) => MessageKind::ConsentWithdrawn,
            Self::PoliceFile(_) => MessageKind::PoliceFile,
            Self::Intelligence(_) => MessageKind::Intelligence,
            Self::VictimWitness(_) => MessageKind::VictimWitness,
            Self::LegalAdvice(_) => MessageKind::LegalAdvice,
            Self::Antecedents(_) => MessageKind::Antecedents,
            Self::Health(_) => MessageKind::Health,
            Self::JudicialComment(_) => MessageKind::JudicialComment,
            Self::Retraction(_) => MessageKind::Retraction,
        }
    }

    /// The row of the sharing agreement this event's information belongs to.
    pub fn category(&self) -> Category {
        match self {
            Self::ReportSubmitted(report) => match report.report {
                ReportKind::PreSentenceReport | ReportKind::RiskAssessment => {
                    Category::PreSentenceReport
                }
                ReportKind::FullFile => Category::PoliceFile,
                ReportKind::Antecedents => Category::Antecedents,
            },
            Self::PoliceFile(_) => Category::PoliceFile,
            Self::Intelligence(_) => Category::Intelligence,
            Self::VictimWitness(_) => Category::VictimWitness,
            Self::LegalAdvice(_) => Category::LegalAdvice,
            Self::Antecedents(_) => Category::Antecedents,
            Self::Health(_) => Category::Health,
            Self::SupportProgress(_) => Category::SupportProgress,
            Self::JudicialComment(_) => Category::JudicialComment,
            _ => Category::CaseCore,
        }
    }

    /// The form of this event for a reader allowed only a summary: detail left out.
    pub fn summarised(&self) -> Self {
        match self {
            Self::PoliceFile(file) => Self::PoliceFile(PoliceFile {
                detail: None,
                ..file.clone()
            }),
            other => other.clone(),
        }
    }

    /// Agencies this event gives work to, who join the case's team by it.
    pub fn assigned_agencies(&self) -> BTreeSet<AgencyCode> {
        match self {
            Self::ActionRequested(action) => BTreeSet::from([action.owner.clone()]),
            Self::Referral(referral) => BTreeSet::from([referral.to.clone()]),
            _ => BTreeSet::new(),
        }
    }
}

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

/// A verdict on one offence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub offence_sequence: u16,
    pub finding: Finding,
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
