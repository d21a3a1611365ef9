//! The vocabulary of need to know: the people who read cases (their user names and roles), the
//! categories of information on a case, and the facts about an item and a case that sharing
//! decisions depend on.
//!
//! It is not the decision: the sharing agreement is Cedar policy, evaluated by the policy crate.
//! This module only says, for a stored event, which category it belongs to and whom it concerns.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{IdError, string_identifier};
use crate::journey::ConsentCategory;
use crate::message::{ActionCompleted, ActionWithdrawn, CanonicalMessage, Payload};
use crate::projection::CaseState;
use crate::{AgencyCode, AgencyKind};

/// The rows of PRODUCT.md's sharing table: every item on a case belongs to exactly one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Defendant, charges, hearings, outcomes, bail, sentence, actions between agencies.
    CaseCore,
    /// Custody record and evidence summary.
    PoliceFile,
    Intelligence,
    VictimWitness,
    /// Privileged CPS legal advice.
    LegalAdvice,
    /// Previous convictions.
    Antecedents,
    /// Pre-sentence report and risk assessment.
    PreSentenceReport,
    /// Health and drug tests.
    Health,
    /// Attendance and engagement with support services.
    SupportProgress,
    /// A judge's private comments on a case.
    JudicialComment,
}

impl Category {
    pub const ALL: [Self; 10] = [
        Self::CaseCore,
        Self::PoliceFile,
        Self::Intelligence,
        Self::VictimWitness,
        Self::LegalAdvice,
        Self::Antecedents,
        Self::PreSentenceReport,
        Self::Health,
        Self::SupportProgress,
        Self::JudicialComment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CaseCore => "case_core",
            Self::PoliceFile => "police_file",
            Self::Intelligence => "intelligence",
            Self::VictimWitness => "victim_witness",
            Self::LegalAdvice => "legal_advice",
            Self::Antecedents => "antecedents",
            Self::PreSentenceReport => "pre_sentence_report",
            Self::Health => "health",
            Self::SupportProgress => "support_progress",
            Self::JudicialComment => "judicial_comment",
        }
    }

    pub fn parse(input: &str) -> Result<Self, IdError> {
        IdError::named(
            &Self::ALL,
            Self::as_str,
            input,
            "category",
            "a category of the sharing agreement, e.g. `case_core` or `health`",
        )
    }

    /// Whether items of this category have a summary form distinct from the whole (the police
    /// file's summary without its detail); only these can be disclosed in summary.
    pub fn has_summary_form(self) -> bool {
        self == Self::PoliceFile
    }

    /// The consent that lets this category be shared beyond its owner, if one can.
    pub fn consent(self) -> Option<ConsentCategory> {
        match self {
            Self::Health => Some(ConsentCategory::Health),
            Self::SupportProgress => Some(ConsentCategory::SupportProgress),
            _ => None,
        }
    }
}

impl ConsentCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Health => "health",
            Self::SupportProgress => "support_progress",
        }
    }
}

/// What a person does at the centre; the policy is written against roles.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Case officer or custody sergeant.
    PoliceOfficer,
    Prosecutor,
    /// Court legal adviser or listing officer.
    LegalAdviser,
    /// District judge or magistrate.
    Judge,
    ProbationOfficer,
    /// A voluntary-sector support worker.
    SupportWorker,
    /// Sees management information: aggregates, no personal data.
    Manager,
    /// Information governance: the agreement, the audit trail, break-glass reviews.
    GovernanceOfficer,
    /// Runs the agency's accounts and systems.
    Administrator,
    /// An analyst for a Local Criminal Justice Board: management information for one police
    /// force area (the account carries the force's code), at every court.
    AreaAnalyst,
    /// An analyst for the whole country's management information.
    NationalAnalyst,
}

impl Role {
    pub const ALL: [Self; 11] = [
        Self::PoliceOfficer,
        Self::Prosecutor,
        Self::LegalAdviser,
        Self::Judge,
        Self::ProbationOfficer,
        Self::SupportWorker,
        Self::Manager,
        Self::GovernanceOfficer,
        Self::Administrator,
        Self::AreaAnalyst,
        Self::NationalAnalyst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PoliceOfficer => "police_officer",
            Self::Prosecutor => "prosecutor",
            Self::LegalAdviser => "legal_adviser",
            Self::Judge => "judge",
            Self::ProbationOfficer => "probation_officer",
            Self::SupportWorker => "support_worker",
            Self::Manager => "manager",
            Self::GovernanceOfficer => "governance_officer",
            Self::Administrator => "administrator",
            Self::AreaAnalyst => "area_analyst",
            Self::NationalAnalyst => "national_analyst",
        }
    }

    pub fn parse(input: &str) -> Result<Self, IdError> {
        IdError::named(
            &Self::ALL,
            Self::as_str,
            input,
            "role",
            "one of `police_officer`, `prosecutor`, `legal_adviser`, `judge`, \
                           `probation_officer`, `support_worker`, `manager`, \
                           `governance_officer`, `administrator`, `area_analyst`, \
                           `national_analyst`",
        )
    }

    /// The kind of agency a person in this role works for; `None` for roles every agency has.
    pub fn agency_kind(self) -> Option<AgencyKind> {
        match self {
            Self::PoliceOfficer => Some(AgencyKind::Police),
            Self::Prosecutor => Some(AgencyKind::Cps),
            Self::LegalAdviser | Self::Judge => Some(AgencyKind::Court),
            Self::ProbationOfficer => Some(AgencyKind::Probation),
            Self::SupportWorker => Some(AgencyKind::Voluntary),
            Self::AreaAnalyst => Some(AgencyKind::Police),
            Self::Manager
            | Self::GovernanceOfficer
            | Self::Administrator
            | Self::NationalAnalyst => None,
        }
    }

    /// Whether people in this role work on cases (and may write on them): not managers,
    /// governance officers or administrators, and judges write only comments.
    pub fn works_cases(self) -> bool {
        matches!(
            self,
            Self::PoliceOfficer
                | Self::Prosecutor
                | Self::LegalAdviser
                | Self::ProbationOfficer
                | Self::SupportWorker
        )
    }

    /// Whether a person tells people in this role what they consent to share (and withdraws
    /// it): their probation officer and the support workers they see.
    pub fn records_consent(self) -> bool {
        matches!(self, Self::ProbationOfficer | Self::SupportWorker)
    }

    /// The role whose rights an agency's own system carries: its case-working staff's.
    pub fn of_agency_system(kind: AgencyKind) -> Self {
        match kind {
            AgencyKind::Police => Self::PoliceOfficer,
            AgencyKind::Cps => Self::Prosecutor,
            AgencyKind::Court => Self::LegalAdviser,
            AgencyKind::Probation => Self::ProbationOfficer,
            AgencyKind::Voluntary => Self::SupportWorker,
        }
    }
}

/// A person's user name at Joinery, e.g. `j.roberts`: 2 to 64 lowercase letters, digits or
/// `.-_`. Listing systems name the judge of a hearing by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let ok = (2..=64).contains(&input.len())
            && input
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_".contains(&b));
        IdError::unless(
            ok,
            input.to_owned(),
            "user name",
            input,
            "2 to 64 lowercase letters, digits or `.-_`, e.g. `j.roberts`",
        )
        .map(Self)
    }
}
string_identifier!(
    Username,
    "A person's user name at Joinery.",
    "dj.roberts",
    pattern = "^[a-z0-9._-]{2,64}$"
);

/// What a sharing decision may depend on about one item. Two items with equal facts get the
/// same decision for the same reader and case, which is what lets a request cache decisions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemFacts {
    pub category: Category,
    /// The agency that sent it.
    pub owner: AgencyCode,
    /// Agencies it gives work to (an action's owner, a referral's service).
    pub addressed_to: BTreeSet<AgencyCode>,
    /// Part of what a court order requires of the person (the sentence, a referral).
    pub order_requirement: bool,
    /// For a judicial comment, the judge who wrote it.
    pub author: Option<Username>,
}

impl ItemFacts {
    pub fn of(message: &CanonicalMessage) -> Self {
        let payload = &message.payload;
        Self {
            category: payload.category(),
            owner: message.agency.clone(),
            addressed_to: payload.assigned_agencies(),
            order_requirement: matches!(payload, Payload::Sentence(_) | Payload::Referral(_)),
            author: match payload {
                Payload::JudicialComment(comment) => Some(comment.author.clone()),
                _ => None,
            },
        }
    }
}

/// What deciding who may read a note on a request for work depends on: the agencies party to
/// the request. Free text one agency writes to another when asking for work, or when reporting
/// it done, belongs to those two agencies whatever the request is about (PRODUCT.md), so it is
/// decided apart from the item that carries it: a reader may see that the work was asked for
/// and not what was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoteFacts {
    pub parties: BTreeSet<AgencyCode>,
}

impl NoteFacts {
    /// The parties to the note `message` carries, if it carries one: the sender and the agency
    /// asked, for a request; the sender and the other party to the request, for its completion
    /// or withdrawal. `parties_of` finds the agency that asked for an action and the agency
    /// asked, from the case.
    pub fn of(
        message: &CanonicalMessage,
        parties_of: impl FnOnce(&crate::ActionId) -> Option<[AgencyCode; 2]>,
    ) -> Option<Self> {
        if !message.payload.has_request_note() {
            return None;
        }
        let mut parties = BTreeSet::from([message.agency.clone()]);
        match &message.payload {
            Payload::ActionRequested(asked) => {
                parties.insert(asked.owner.clone());
            }
            Payload::ActionCompleted(ActionCompleted { action_id, .. })
            | Payload::ActionWithdrawn(ActionWithdrawn { action_id, .. }) => {
                // The other party only: a sender that is neither adds no one.
                if let Some(both) =
                    parties_of(action_id).filter(|both| both.contains(&message.agency))
                {
                    parties.extend(both);
                }
            }
            _ => {}
        }
        Some(Self { parties })
    }

    /// The same, with the request's parties found in the case's state.
    pub fn in_case(message: &CanonicalMessage, state: &CaseState) -> Option<Self> {
        Self::of(message, |action| {
            state
                .actions
                .iter()
                .find(|record| &record.action_id == action)
                .map(|record| [record.requested_by.clone(), record.owner.clone()])
        })
    }
}

/// What a sharing decision may depend on about the case as a whole, taken from all its events
/// (not only those the reader may see). Kept beside a case's state, so that a reader of many
/// cases' changes (a feed) needs not read each case whole to decide.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct CaseFacts {
    /// The agencies that work on the case.
    pub team: BTreeSet<AgencyCode>,
    /// The judges the case is or was listed before.
    pub judges: BTreeSet<Username>,
    /// Whether the defendant is convicted of any offence on it.
    pub convicted: bool,
    /// Whether the court admitted evidence of the defendant's bad character.
    #[serde(default)]
    pub bad_character_admitted: bool,
    /// The categories the person's consent is in force for.
    pub consents: BTreeSet<ConsentCategory>,
}

impl CaseFacts {
    pub fn of(state: &CaseState) -> Self {
        Self {
            team: state.agencies.clone(),
            judges: state
                .hearings
                .iter()
                .filter_map(|hearing| hearing.judge.clone())
                .collect(),
            convicted: state.is_convicted(),
            bad_character_admitted: state.bad_character_admitted,
            // Consent counts as taken by an agency that works on the case.
            consents: state
                .consents
                .iter()
                .filter(|(_, consent)| {
                    consent.given && state.agencies.contains(&consent.recorded_by)
                })
                .map(|(category, _)| *category)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back() {
        for category in Category::ALL {
            assert_eq!(Category::parse(category.as_str()), Ok(category));
        }
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("sheriff").is_err());
        assert!(Username::parse("dj.roberts").is_ok());
        assert!(Username::parse("DJ Roberts").is_err());
        assert!(Username::parse("x").is_err());
    }

    #[test]
    fn every_agency_system_carries_a_case_working_role_of_its_kind() {
        for kind in AgencyKind::ALL {
            assert_eq!(Role::of_agency_system(kind).agency_kind(), Some(kind));
        }
    }
}
