//! The journey of a case from arrest to completion, as PRODUCT.md draws it, and the coded values
//! that move a case along it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a case stands. A case moves forward as events arrive; the branches that close a case
/// early all lead to `Closed`, with the reason kept beside the stage.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Arrested, or known only from messages that say nothing of the journey yet.
    #[default]
    Arrested,
    /// In detention or on bail while the CPS decides whether to charge.
    AwaitingChargingDecision,
    /// Charged; awaiting the first hearing.
    Charged,
    /// Before the court: the first hearing has taken place, no plea or verdict settles it yet.
    BeforeCourt,
    /// Not-guilty plea entered; awaiting trial.
    AwaitingTrial,
    /// Convicted (guilty plea or verdict); awaiting sentence, often a pre-sentence report.
    AwaitingSentence,
    /// Sentenced to an order supervised by probation, with review hearings.
    UnderOrder,
    /// Sentence passed and nothing further to supervise, or the order finished.
    Completed,
    /// Closed before sentence: no further action, discontinued, withdrawn or acquitted.
    Closed,
}

impl Stage {
    pub const ALL: [Self; 9] = [
        Self::Arrested,
        Self::AwaitingChargingDecision,
        Self::Charged,
        Self::BeforeCourt,
        Self::AwaitingTrial,
        Self::AwaitingSentence,
        Self::UnderOrder,
        Self::Completed,
        Self::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Arrested => "arrested",
            Self::AwaitingChargingDecision => "awaiting_charging_decision",
            Self::Charged => "charged",
            Self::BeforeCourt => "before_court",
            Self::AwaitingTrial => "awaiting_trial",
            Self::AwaitingSentence => "awaiting_sentence",
            Self::UnderOrder => "under_order",
            Self::Completed => "completed",
            Self::Closed => "closed",
        }
    }

    /// Whether the case is still moving: a finished case cannot be held up.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Completed | Self::Closed)
    }
}

/// Why a case closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    NoFurtherAction,
    Discontinued,
    Withdrawn,
    Acquitted,
    Completed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BailStatus {
    ReleasedUnderInvestigation,
    PoliceBail,
    Detained,
    UnconditionalBail,
    ConditionalBail,
    RemandedInCustody,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChargingOutcome {
    Charge,
    NoFurtherAction,
    Caution,
    FurtherEvidenceRequired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HearingPurpose {
    FirstAppearance,
    PleaAndTrialPreparation,
    Trial,
    Sentence,
    Review,
    BailApplication,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PleaValue {
    Guilty,
    NotGuilty,
    NoPlea,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    Guilty,
    NotGuilty,
}

/// How a listed trial went, in the terms of the courts' effectiveness statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrialEffectiveness {
    Effective,
    Cracked,
    Ineffective,
}

impl TrialEffectiveness {
    pub const ALL: [Self; 3] = [Self::Effective, Self::Cracked, Self::Ineffective];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Effective => "effective",
            Self::Cracked => "cracked",
            Self::Ineffective => "ineffective",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|value| value.as_str() == input)
    }
}

/// The type of an offence, as the Ministry of Justice's criminal court statistics break their
/// figures down: by how it may be tried, with summary offences split into motoring and the rest.
/// Taken from the offence's category in the MoJ standing data (`CI`, `CE`, `CS`, `CM`); a case
/// counts under its principal offence, the most serious of its offences, as the statistics do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OffenceType {
    /// Any offence the standing data gives another category (a breach, an offence of another
    /// jurisdiction), or none: the least serious, so it is a case's type only when no offence
    /// has one of the others.
    Unclassified,
    SummaryMotoring,
    SummaryNonMotoring,
    EitherWay,
    IndictableOnly,
}

impl OffenceType {
    /// The most serious first.
    pub const ALL: [Self; 5] = [
        Self::IndictableOnly,
        Self::EitherWay,
        Self::SummaryNonMotoring,
        Self::SummaryMotoring,
        Self::Unclassified,
    ];

    /// From the standing data's offence category.
    pub fn of_category(category: &str) -> Self {
        match category {
            "CI" => Self::IndictableOnly,
            "CE" => Self::EitherWay,
            "CS" => Self::SummaryNonMotoring,
            "CM" => Self::SummaryMotoring,
            _ => Self::Unclassified,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::IndictableOnly => "indictable_only",
            Self::EitherWay => "either_way",
            Self::SummaryNonMotoring => "summary_non_motoring",
            Self::SummaryMotoring => "summary_motoring",
            Self::Unclassified => "unclassified",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|value| value.as_str() == input)
    }

    pub fn words(self) -> &'static str {
        match self {
            Self::IndictableOnly => "Indictable only",
            Self::EitherWay => "Triable either way",
            Self::SummaryNonMotoring => "Summary non-motoring",
            Self::SummaryMotoring => "Summary motoring",
            Self::Unclassified => "Not classified",
        }
    }
}

/// How an offence is to be tried, as the court records it (the MoJ standing data's mode of
/// trial reasons): what decides whether a case may stay in the magistrates' court.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeOfTrial {
    SummaryOnly,
    /// Triable either way, where the court has not yet recorded where.
    EitherWay,
    /// Either way, the defendant electing summary trial.
    SummaryTrialElected,
    /// Either way, the defendant electing trial by jury.
    JuryTrialElected,
    IndictableOnly,
    /// Indictable only because of the defendant's previous record.
    IndictableByPreviousRecord,
    /// Either way but under the value that makes it triable summarily (criminal damage).
    UnderValue,
    /// No mode of trial applies.
    NotApplicable,
}

impl ModeOfTrial {
    /// From the CJS code of the MoJ standing data (`SUM`, `EST`, `ETJ`, `I`, `IPR`, `U`,
    /// `NOMOT`).
    pub fn from_cjs_code(code: &str) -> Option<Self> {
        Some(match code {
            "SUM" => Self::SummaryOnly,
            "EST" => Self::SummaryTrialElected,
            "ETJ" => Self::JuryTrialElected,
            "I" => Self::IndictableOnly,
            "IPR" => Self::IndictableByPreviousRecord,
            "U" => Self::UnderValue,
            "NOMOT" => Self::NotApplicable,
            _ => return None,
        })
    }

    /// From Common Platform's words (`Summary`, `Either Way`, `Indictable`).
    pub fn from_words(words: &str) -> Option<Self> {
        match words
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], " ")
            .as_str()
        {
            "summary" | "summary only" => Some(Self::SummaryOnly),
            "either way" => Some(Self::EitherWay),
            "indictable" | "indictable only" => Some(Self::IndictableOnly),
            _ => None,
        }
    }

    /// In words, as a case page shows it.
    pub fn words(self) -> &'static str {
        match self {
            Self::SummaryOnly => "Summary only",
            Self::EitherWay => "Either way",
            Self::SummaryTrialElected => "Either way: summary trial elected",
            Self::JuryTrialElected => "Either way: trial by jury elected",
            Self::IndictableOnly => "Indictable only",
            Self::IndictableByPreviousRecord => "Indictable because of previous record",
            Self::UnderValue => "Either way: under the value for summary trial",
            Self::NotApplicable => "No mode of trial",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdjournmentReason {
    ProsecutionNotReady,
    DefenceNotReady,
    ReportNotReady,
    WitnessAbsent,
    DefendantAbsent,
    InterpreterUnavailable,
    InsufficientCourtTime,
    Other,
}

impl AdjournmentReason {
    pub const ALL: [Self; 8] = [
        Self::ProsecutionNotReady,
        Self::DefenceNotReady,
        Self::ReportNotReady,
        Self::WitnessAbsent,
        Self::DefendantAbsent,
        Self::InterpreterUnavailable,
        Self::InsufficientCourtTime,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProsecutionNotReady => "prosecution_not_ready",
            Self::DefenceNotReady => "defence_not_ready",
            Self::ReportNotReady => "report_not_ready",
            Self::WitnessAbsent => "witness_absent",
            Self::DefendantAbsent => "defendant_absent",
            Self::InterpreterUnavailable => "interpreter_unavailable",
            Self::InsufficientCourtTime => "insufficient_court_time",
            Self::Other => "other",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|value| value.as_str() == input)
    }

    /// The reason in words, as a report shows it.
    pub fn words(self) -> &'static str {
        match self {
            Self::ProsecutionNotReady => "Prosecution not ready",
            Self::DefenceNotReady => "Defence not ready",
            Self::ReportNotReady => "Report not ready",
            Self::WitnessAbsent => "Witness absent",
            Self::DefendantAbsent => "Defendant absent",
            Self::InterpreterUnavailable => "Interpreter unavailable",
            Self::InsufficientCourtTime => "Insufficient court time",
            Self::Other => "Other",
        }
    }
}

/// Work one agency asks of another.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    PreSentenceReport,
    /// The police send the file to a CPS area for its decision on charge.
    ChargingDecision,
    FullFile,
    Antecedents,
    RiskAssessment,
    Referral,
    Other,
}

impl ActionKind {
    pub const ALL: [Self; 7] = [
        Self::PreSentenceReport,
        Self::ChargingDecision,
        Self::FullFile,
        Self::Antecedents,
        Self::RiskAssessment,
        Self::Referral,
        Self::Other,
    ];

    /// As the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PreSentenceReport => "pre_sentence_report",
            Self::ChargingDecision => "charging_decision",
            Self::FullFile => "full_file",
            Self::Antecedents => "antecedents",
            Self::RiskAssessment => "risk_assessment",
            Self::Referral => "referral",
            Self::Other => "other",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == input)
    }

    /// The kind of agency that does this work, if only one kind does: a charging decision is
    /// the CPS's, a pre-sentence report or risk assessment probation's, a full file or
    /// antecedents the police's, a referral a support service's. Other work may be asked of
    /// any agency.
    pub fn done_by(self) -> Option<crate::AgencyKind> {
        use crate::AgencyKind::{Cps, Police, Probation, Voluntary};
        match self {
            Self::ChargingDecision => Some(Cps),
            Self::PreSentenceReport | Self::RiskAssessment => Some(Probation),
            Self::FullFile | Self::Antecedents => Some(Police),
            Self::Referral => Some(Voluntary),
            Self::Other => None,
        }
    }

    /// The report that delivers this work, if it is a report.
    pub fn report(self) -> Option<ReportKind> {
        match self {
            Self::PreSentenceReport => Some(ReportKind::PreSentenceReport),
            Self::RiskAssessment => Some(ReportKind::RiskAssessment),
            Self::FullFile => Some(ReportKind::FullFile),
            Self::Antecedents => Some(ReportKind::Antecedents),
            Self::ChargingDecision | Self::Referral | Self::Other => None,
        }
    }

    /// The work in words, as a report shows it.
    pub fn words(self) -> &'static str {
        match self {
            Self::PreSentenceReport => "Pre-sentence report",
            Self::ChargingDecision => "Charging decision",
            Self::FullFile => "Full file",
            Self::Antecedents => "Antecedents",
            Self::RiskAssessment => "Risk assessment",
            Self::Referral => "Referral to a support service",
            Self::Other => "Other work",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionState {
    Open,
    Completed,
    /// The agency that asked for the work no longer needs it.
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    PreSentenceReport,
    RiskAssessment,
    FullFile,
    Antecedents,
}

impl ReportKind {
    /// As the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PreSentenceReport => "pre_sentence_report",
            Self::RiskAssessment => "risk_assessment",
            Self::FullFile => "full_file",
            Self::Antecedents => "antecedents",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SupportService {
    Drugs,
    Alcohol,
    Housing,
    Mentoring,
    MentalHealth,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Attended,
    Missed,
    Rearranged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Engagement {
    Good,
    Partial,
    Poor,
}

/// The categories of information a person can consent to share: the rows of the default
/// sharing agreement in PRODUCT.md that say "with consent".
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ConsentCategory {
    Health,
    SupportProgress,
}
