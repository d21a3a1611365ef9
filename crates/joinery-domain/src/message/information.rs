//! Messages that carry information rather than move the case along: the police file,
//! intelligence, victims and witnesses, legal advice, previous convictions, health, and judges'
//! comments. Each belongs to a row of the sharing agreement other than the case core, so who
//! sees it is decided item by item; none of them changes the case's stage.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::Person;
use crate::sharing::Username;
use crate::text::{Name, Text};
use crate::{HearingId, OffenceCode, OuCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PoliceFileSection {
    CustodyRecord,
    EvidenceSummary,
}

/// A part of the police file. Readers allowed only a summary (court staff) get `summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PoliceFile {
    pub section: PoliceFileSection,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
}

/// Police intelligence about the person; shared with no one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Intelligence {
    /// The grading under the police's intelligence model, e.g. `1-A-1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grading: Option<Name>,
    pub text: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Victim,
    Witness,
}

/// A victim or witness: who they are, how to reach them, what support they need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VictimWitness {
    pub role: PartyRole,
    pub person: Person,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Text>,
    /// Special measures or support needed to give evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<Text>,
}

/// CPS legal advice: privileged, seen by the CPS alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalAdvice {
    pub advice: Text,
}

/// One previous conviction on the person's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviousConviction {
    pub convicted_on: Date,
    pub offence: OffenceCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court: Option<OuCode>,
    pub disposal: Text,
}

/// The person's previous convictions (antecedents), as the police national computer has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Antecedents {
    pub previous_convictions: Vec<PreviousConviction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthRecordKind {
    DrugTest,
    Assessment,
    Treatment,
}

/// A health record: a drug test, an assessment, a treatment. Shared beyond its owner only with
/// the person's consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Health {
    pub kind: HealthRecordKind,
    pub result: Text,
}

/// A judge's private comment on a case, seen by its author alone. Written in Joinery, never
/// sent by an agency system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JudicialComment {
    pub author: Username,
    /// The hearing it was written at, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hearing_id: Option<HearingId>,
    pub text: Text,
}
