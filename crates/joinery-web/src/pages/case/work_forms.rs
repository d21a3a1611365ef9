//! The case page's forms for work done in Joinery by the agency asked: the CPS's decision on
//! charge, and a support service's record of a person's attendance and engagement. As posted,
//! and parsed into domain types naming each field at fault.

use joinery_domain::journey::{Attendance, ChargingOutcome, Engagement};
use joinery_domain::{ActionId, OffenceCode, Text};
use serde::Deserialize;

use crate::pages::csrf::tokened;
use crate::pages::form::FormErrors;

/// The decisions on charge the form offers: form value and words.
pub(crate) const DECISIONS: [(ChargingOutcome, &str, &str); 4] = [
    (ChargingOutcome::Charge, "charge", "Charge"),
    (
        ChargingOutcome::FurtherEvidenceRequired,
        "further_evidence",
        "Further evidence needed before a decision",
    ),
    (ChargingOutcome::Caution, "caution", "Caution"),
    (
        ChargingOutcome::NoFurtherAction,
        "no_further_action",
        "No further action",
    ),
];

pub(crate) const ATTENDANCE: [(Attendance, &str, &str); 3] = [
    (Attendance::Attended, "attended", "Attended"),
    (Attendance::Missed, "missed", "Did not attend"),
    (Attendance::Rearranged, "rearranged", "Rearranged"),
];

pub(crate) const ENGAGEMENT: [(Engagement, &str, &str); 3] = [
    (Engagement::Good, "good", "Good"),
    (Engagement::Partial, "partial", "Partial"),
    (Engagement::Poor, "poor", "Poor"),
];

fn chosen<T: Copy>(options: &[(T, &str, &str)], posted: &str) -> Option<T> {
    options
        .iter()
        .find(|(_, value, _)| *value == posted)
        .map(|(option, ..)| *option)
}

/// The charging decision form as posted.
#[derive(Deserialize, Default)]
pub(crate) struct ChargingForm {
    #[serde(default)]
    pub(crate) decision: String,
    /// The offences charged, as CJS offence codes separated by commas or spaces.
    #[serde(default)]
    pub(crate) offences: String,
    #[serde(default)]
    csrf: String,
}

impl ChargingForm {
    pub(crate) fn parse(&self) -> Result<(ChargingOutcome, Vec<OffenceCode>), FormErrors> {
        let mut errors = FormErrors::default();
        let decision = chosen(&DECISIONS, &self.decision);
        if decision.is_none() {
            errors.add("decision", "Select the decision on charge");
        }
        let mut offences = Vec::new();
        for code in self
            .offences
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|code| !code.is_empty())
        {
            match OffenceCode::parse(code) {
                Ok(code) => offences.push(code),
                Err(_) => {
                    errors.add(
                        "offences",
                        format!(
                            "Enter offences as CJS offence codes, for example TH68010: `{}` is not one",
                            code.chars().take(20).collect::<String>()
                        ),
                    );
                    break;
                }
            }
        }
        if decision == Some(ChargingOutcome::Charge) && offences.is_empty() && errors.is_empty() {
            errors.add("offences", "Enter the offences to charge");
        }
        match decision {
            Some(decision) if errors.is_empty() => Ok((decision, offences)),
            _ => Err(errors),
        }
    }
}

/// The attendance form as posted.
#[derive(Deserialize, Default)]
pub(crate) struct ProgressForm {
    #[serde(default)]
    pub(crate) referral: String,
    #[serde(default)]
    pub(crate) attendance: String,
    #[serde(default)]
    pub(crate) engagement: String,
    #[serde(default)]
    pub(crate) progress_note: String,
    #[serde(default)]
    csrf: String,
}

/// A progress report that parsed.
pub(crate) struct Progress {
    pub(crate) referral: ActionId,
    pub(crate) attendance: Attendance,
    pub(crate) engagement: Engagement,
    pub(crate) note: Option<Text>,
}

impl ProgressForm {
    pub(crate) fn parse(&self) -> Result<Progress, FormErrors> {
        let mut errors = FormErrors::default();
        let referral = ActionId::parse(&self.referral).ok();
        if referral.is_none() {
            errors.add("referral", "Select the referral");
        }
        let attendance = chosen(&ATTENDANCE, &self.attendance);
        if attendance.is_none() {
            errors.add("attendance", "Select whether the person attended");
        }
        let engagement = chosen(&ENGAGEMENT, &self.engagement);
        if engagement.is_none() {
            errors.add("engagement", "Select how the person engaged");
        }
        let note = errors.text("progress_note", "The note", &self.progress_note, None);
        match (referral, attendance, engagement) {
            (Some(referral), Some(attendance), Some(engagement)) if errors.is_empty() => {
                Ok(Progress {
                    referral,
                    attendance,
                    engagement,
                    note,
                })
            }
            _ => Err(errors),
        }
    }
}

tokened!(ChargingForm, ProgressForm);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charge_names_its_offences_by_their_codes() {
        let form = |decision: &str, offences: &str| ChargingForm {
            decision: decision.into(),
            offences: offences.into(),
            csrf: String::new(),
        };
        let (decision, offences) = form("charge", "TH68010, TH68001")
            .parse()
            .unwrap_or_else(|_| panic!("parses"));
        assert_eq!(decision, ChargingOutcome::Charge);
        assert_eq!(offences.len(), 2);
        let unnamed = form("charge", "").parse().err().map(|e| e.iter().count());
        assert_eq!(unnamed, Some(1));
        let wrong = form("charge", "theft").parse().err();
        assert!(wrong.is_some_and(|e| e.on("offences").is_some_and(|m| m.contains("`theft`"))));
        assert!(form("further_evidence", "").parse().is_ok());
        assert!(form("prosecute", "").parse().is_err());
    }
}
