//! Joinery's canonical messages: the JSON an agency system sends when something happens on a
//! case. Every message is one event on one case, with its provenance in the envelope.
//!
//! This module defines their shape and meaning; turning untrusted bytes into them (and naming
//! the field at fault when that fails) is the ingest crate's work.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::journey::ReportKind;
use crate::sharing::Category;
use crate::{AgencyCode, Asn, CourtCaseId, MessageId};
use crate::{SystemName, Timestamp, Urn};

mod events;
mod information;

pub use events::{
    ActionCompleted, ActionRequested, ActionWithdrawn, Adjournment, Arrest, BadCharacterRuling,
    Bail, CaseClosed, Charge, ChargedOffence, ChargingDecision, ConsentGiven, ConsentWithdrawn,
    Disposal, HearingListed, HearingResult, Person, Plea, Referral, ReportSubmitted, ResultLine,
    Retraction, Sentence, SupportProgress, Verdict,
};
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
    BadCharacterRuling(BadCharacterRuling),
    Verdict(Verdict),
    Adjournment(Adjournment),
    Sentence(Sentence),
    ActionRequested(ActionRequested),
    ActionCompleted(ActionCompleted),
    ActionWithdrawn(ActionWithdrawn),
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
    BadCharacterRuling,
    Verdict,
    Adjournment,
    Sentence,
    ActionRequested,
    ActionCompleted,
    ActionWithdrawn,
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

    pub const ALL: [Self; 28] = [
        Self::Arrest,
        Self::Bail,
        Self::ChargingDecision,
        Self::Charge,
        Self::HearingListed,
        Self::HearingResult,
        Self::Plea,
        Self::BadCharacterRuling,
        Self::Verdict,
        Self::Adjournment,
        Self::Sentence,
        Self::ActionRequested,
        Self::ActionCompleted,
        Self::ActionWithdrawn,
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
            Self::BadCharacterRuling => "bad_character_ruling",
            Self::Verdict => "verdict",
            Self::Adjournment => "adjournment",
            Self::Sentence => "sentence",
            Self::ActionRequested => "action_requested",
            Self::ActionCompleted => "action_completed",
            Self::ActionWithdrawn => "action_withdrawn",
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

/// The most entries any list in one message may hold (offences on a charge, results of a
/// hearing, previous convictions...): more than any real message carries, few enough that no
/// message multiplies what a case holds.
pub const MAX_LIST_ENTRIES: usize = 500;

impl Payload {
    /// The lists this message holds, by field name, with their lengths.
    pub fn lists(&self) -> Vec<(&'static str, usize)> {
        match self {
            Self::Bail(bail) => vec![("conditions", bail.conditions.len())],
            Self::ChargingDecision(decision) => vec![("offences", decision.offences.len())],
            Self::Charge(charge) => vec![("offences", charge.offences.len())],
            Self::HearingResult(result) => vec![("results", result.results.len())],
            Self::Sentence(sentence) => vec![("disposals", sentence.disposals.len())],
            Self::Antecedents(antecedents) => {
                vec![(
                    "previous_convictions",
                    antecedents.previous_convictions.len(),
                )]
            }
            _ => Vec::new(),
        }
    }

    pub fn kind(&self) -> MessageKind {
        match self {
            Self::Arrest(_) => MessageKind::Arrest,
            Self::Bail(_) => MessageKind::Bail,
            Self::ChargingDecision(_) => MessageKind::ChargingDecision,
            Self::Charge(_) => MessageKind::Charge,
            Self::HearingListed(_) => MessageKind::HearingListed,
            Self::HearingResult(_) => MessageKind::HearingResult,
            Self::Plea(_) => MessageKind::Plea,
            Self::BadCharacterRuling(_) => MessageKind::BadCharacterRuling,
            Self::Verdict(_) => MessageKind::Verdict,
            Self::Adjournment(_) => MessageKind::Adjournment,
            Self::Sentence(_) => MessageKind::Sentence,
            Self::ActionRequested(_) => MessageKind::ActionRequested,
            Self::ActionCompleted(_) => MessageKind::ActionCompleted,
            Self::ActionWithdrawn(_) => MessageKind::ActionWithdrawn,
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

    /// Whether the event carries free text written between the agencies party to a request
    /// for work (the note on a request, or on its completion).
    pub fn has_request_note(&self) -> bool {
        match self {
            Self::ActionRequested(asked) => asked.note.is_some(),
            Self::ActionCompleted(done) => done.note.is_some(),
            Self::ActionWithdrawn(withdrawn) => withdrawn.note.is_some(),
            _ => false,
        }
    }

    /// The event without its note on a request for work, for a reader not party to the request.
    pub fn without_request_note(&self) -> Self {
        match self {
            Self::ActionRequested(asked) => Self::ActionRequested(ActionRequested {
                note: None,
                ..asked.clone()
            }),
            Self::ActionCompleted(done) => Self::ActionCompleted(ActionCompleted {
                note: None,
                ..done.clone()
            }),
            Self::ActionWithdrawn(withdrawn) => Self::ActionWithdrawn(ActionWithdrawn {
                note: None,
                ..withdrawn.clone()
            }),
            other => other.clone(),
        }
    }

    /// Agencies this event gives work to, who join the case's team by it.
    pub fn assigned_agencies(&self) -> BTreeSet<AgencyCode> {
        match self {
            Self::ActionRequested(action) => BTreeSet::from([action.owner.clone()]),
            Self::Referral(referral) => BTreeSet::from([referral.to.clone()]),
            Self::Sentence(sentence) => sentence.supervisor.iter().cloned().collect(),
            _ => BTreeSet::new(),
        }
    }
}
