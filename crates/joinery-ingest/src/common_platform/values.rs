//! Reading a Common Platform hearing's values: the case's references, the defendant, each
//! offence, the sitting day and the hearing's purpose.

use joinery_domain::journey::{HearingPurpose, ModeOfTrial};
use joinery_domain::message::{ChargedOffence, Person};
use joinery_domain::{
    Asn, CaseRef, CourtCaseId, CroNumber, Name, OffenceCode, PncId, Text, Timestamp, Urn,
};
use serde_json::Value;
use time::Date;

use super::{Translator, array};
use crate::court_words::free_text;

impl Translator<'_> {
    /// The case's URN and the defendant's ASN (Common Platform carries the police's arrest
    /// summons number on the person defendant). A reference in the wrong form is a data-quality
    /// problem; with no URN the case is named by Common Platform's own prosecution case id, and
    /// with none of them it is where a person placed the message, or unplaced (`None`).
    pub(super) fn case_reference(&mut self, here: &str, case: &Value) -> Option<CaseRef> {
        let urn_text = self.text(case, here, "prosecutionCaseIdentifier/caseURN");
        let urn = self.out.checked(
            "urn-format",
            &format!("{here}/prosecutionCaseIdentifier/caseURN"),
            urn_text,
            Urn::parse,
        );
        let mut asn = None;
        for (index, defendant) in array(case, "defendants").iter().enumerate() {
            let path = format!("{here}/defendants/{index}");
            let value = self.text(defendant, &path, "personDefendant/arrestSummonsNumber");
            let found = self.out.checked(
                "asn-invalid",
                &format!("{path}/personDefendant/arrestSummonsNumber"),
                value,
                Asn::parse,
            );
            if asn.is_none() {
                asn = found;
            }
        }
        let court_case_id = self
            .text(case, here, "id")
            .and_then(|id| CourtCaseId::parse(id).ok());
        if urn.is_none() && asn.is_none() && court_case_id.is_none() {
            return self.out.unnamed_case(
                &format!("{here}/prosecutionCaseIdentifier/caseURN"),
                "no valid URN, ASN or prosecution case id",
            );
        }
        Some(CaseRef {
            court_case_id: if urn.is_some() || asn.is_some() {
                None
            } else {
                court_case_id
            },
            urn,
            asn,
        })
    }

    pub(super) fn defendant_person(&mut self, here: &str, defendant: &Value) -> Option<Person> {
        let details = defendant.get("personDefendant")?.get("personDetails")?;
        let at = format!("{here}/personDefendant/personDetails");
        let names = (
            self.text(details, &at, "firstName").map(Name::parse),
            self.text(details, &at, "lastName").map(Name::parse),
        );
        let (Some(Ok(given_name)), Some(Ok(family_name))) = names else {
            self.out.problem(
                "defendant-name",
                &at,
                "",
                "the defendant's first and last names are not both present".into(),
            );
            return None;
        };
        let pnc = self.text(defendant, here, "pncId");
        let pnc_id = self.out.checked(
            "pnc-id-invalid",
            &format!("{here}/pncId"),
            pnc,
            PncId::parse,
        );
        let cro = self.text(defendant, here, "croNumber");
        let cro_number = self.out.checked(
            "cro-number-invalid",
            &format!("{here}/croNumber"),
            cro,
            CroNumber::parse,
        );
        Some(Person {
            given_name,
            family_name,
            date_of_birth: self.text(details, &at, "dateOfBirth").and_then(date),
            pnc_id,
            cro_number,
        })
    }

    pub(super) fn charged_offence(
        &mut self,
        path: &str,
        sequence: u16,
        offence: &Value,
    ) -> Option<ChargedOffence> {
        let Some(value) = self.text(offence, path, "offenceCode") else {
            self.out.problem(
                "offence-code-missing",
                &format!("{path}/offenceCode"),
                "",
                "the offence has no CJS code".into(),
            );
            return None;
        };
        let code = match OffenceCode::parse(value) {
            Ok(code) => code,
            Err(error) => {
                self.out.problem(
                    "offence-code-format",
                    &format!("{path}/offenceCode"),
                    value,
                    error.to_string(),
                );
                return None;
            }
        };
        if self.reference.offence(&code).is_none() {
            self.out.problem(
                "offence-code-unknown",
                &format!("{path}/offenceCode"),
                code.as_str(),
                format!("the offence code `{code}` is not in the standing data"),
            );
        }
        // The title is read only where there is no wording to take its place.
        let wording = match self.text(offence, path, "wording") {
            Some(wording) => Some(wording),
            None => self.text(offence, path, "offenceTitle"),
        };
        let wording = wording
            .and_then(free_text)
            .or_else(|| Text::parse(code.as_str()).ok())?;
        Some(ChargedOffence {
            sequence,
            code,
            wording,
            committed_on: self.text(offence, path, "startDate").and_then(date),
            arrested_on: self.text(offence, path, "arrestDate").and_then(date),
            charged_on: self.text(offence, path, "chargeDate").and_then(date),
            mode_of_trial: self.mode_of_trial(path, offence),
            offence_type: None,
        })
    }
}

impl Translator<'_> {
    fn mode_of_trial(&mut self, path: &str, offence: &Value) -> Option<ModeOfTrial> {
        let words = self.text(offence, path, "modeOfTrial")?;
        let found = ModeOfTrial::from_words(words);
        if found.is_none() {
            self.out.problem(
                "mode-of-trial-unknown",
                &format!("{path}/modeOfTrial"),
                words,
                format!("the mode of trial `{words}` is not one Joinery knows"),
            );
        }
        found
    }
}

/// A date as Common Platform writes one (`2025-04-30`).
pub(super) fn date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok()
}

/// A sitting day: RFC 3339, or a date and time with no offset (`T` or a space between them, as
/// Common Platform's messages write both: `2018-10-24 10:00:00`), taken as UTC.
pub(super) fn sitting_day(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text).or_else(|error| {
        let format = time::macros::format_description!(
            "[year]-[month]-[day][first [T][ ]][hour]:[minute]:[second][optional [.[subsecond]]]"
        );
        time::PrimitiveDateTime::parse(text, &format)
            .map(|at| Timestamp::from_offset(at.assume_utc()))
            .map_err(|_| error)
    })
}

pub(super) fn purpose(description: Option<&str>) -> HearingPurpose {
    match description.map(str::to_ascii_lowercase).as_deref() {
        Some("sentence" | "sentencing") => HearingPurpose::Sentence,
        Some("trial" | "trial of issue") => HearingPurpose::Trial,
        Some("first hearing") => HearingPurpose::FirstAppearance,
        Some("plea and trial preparation") => HearingPurpose::PleaAndTrialPreparation,
        Some("bail application") => HearingPurpose::BailApplication,
        Some("review" | "mention" | "further case management") => HearingPurpose::Review,
        _ => HearingPurpose::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitting_day_is_read_with_an_offset_with_none_or_with_a_space() {
        let utc = |text: &str| sitting_day(text).map(|at| at.to_string());
        let ten = Ok("2018-10-24T10:00:00Z".to_owned());
        assert_eq!(utc("2018-10-24T10:00:00Z"), ten);
        assert_eq!(utc("2018-10-24T10:00:00"), ten);
        assert_eq!(utc("2018-10-24 10:00:00"), ten);
        assert_eq!(utc("2018-10-24T10:00:00.000"), ten);
        assert!(utc("24/10/2018 10:00").is_err());
        assert!(utc("2018-10-24").is_err());
    }
}
