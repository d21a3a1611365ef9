//! Reading an SPI Results message's values: the defendant, bail, each offence with its plea,
//! finding and results, dates and sums of money. Each value is checked against the standing
//! data where it is a code; what fails its check is a data-quality problem, not a refusal.

use joinery_domain::journey::{Finding, ModeOfTrial, PleaValue};
use joinery_domain::message::{Bail, ChargedOffence, Disposal, Person, ResultLine};
use joinery_domain::{Name, OffenceCode, PncId, ResultCode, Text, Timestamp};
use time::Date;

use super::{Translator, UNCODED_RESULT};
use crate::court_words::free_text;
use crate::xml::Element;

impl Translator<'_> {
    pub(super) fn person(&mut self, path: &str, defendant: &Element) -> Option<Person> {
        let details = defendant.at("CourtIndividualDefendant/PersonDefendant")?;
        let given = details.text_at("BasePersonDetails/PersonName/PersonGivenName1");
        let family = details.text_at("BasePersonDetails/PersonName/PersonFamilyName");
        let (Some(Ok(given_name)), Some(Ok(family_name))) =
            (given.map(Name::parse), family.map(Name::parse))
        else {
            self.problem(
                "defendant-name",
                &format!("{path}/CourtIndividualDefendant/PersonDefendant"),
                "",
                "the defendant's given and family names are not both present".into(),
            );
            return None;
        };
        let pnc_id = self.out.checked(
            "pnc-id-invalid",
            &format!("{path}/CourtIndividualDefendant/PersonDefendant/PNCidentifier"),
            details.text_at("PNCidentifier"),
            PncId::parse,
        );
        Some(Person {
            given_name,
            family_name,
            date_of_birth: details
                .text_at("BasePersonDetails/Birthdate")
                .and_then(date),
            pnc_id,
            cro_number: None,
        })
    }

    pub(super) fn bail(&mut self, path: &str, defendant: &Element) -> Option<Bail> {
        let code = defendant.text_at("CourtIndividualDefendant/BailStatus")?;
        let bail = self.out.bail_status(
            self.reference,
            &format!("{path}/CourtIndividualDefendant/BailStatus"),
            code,
        )?;
        let conditions = defendant
            .text_at("CourtIndividualDefendant/BailConditions")
            .and_then(free_text)
            .into_iter()
            .collect();
        Some(Bail { conditions, ..bail })
    }

    pub(super) fn offence(
        &mut self,
        path: &str,
        sequence: u16,
        offence: &Element,
    ) -> Option<ChargedOffence> {
        let field = format!("{path}/BaseOffenceDetails/OffenceCode");
        let text = offence
            .text_at("BaseOffenceDetails/OffenceCode")
            .unwrap_or_default();
        let code = match OffenceCode::parse(text) {
            Ok(code) => code,
            Err(error) => {
                self.problem("offence-code-format", &field, text, error.to_string());
                return None;
            }
        };
        let title = self
            .reference
            .offence(&code)
            .map(|offence| offence.title.clone());
        if title.is_none() {
            self.problem(
                "offence-code-unknown",
                &field,
                code.as_str(),
                format!("the offence code `{code}` is not in the standing data"),
            );
        }
        let wording = offence
            .text_at("BaseOffenceDetails/OffenceWording")
            .or(title.as_deref())
            .and_then(free_text)
            .or_else(|| Text::parse(code.as_str()).ok())?;
        let mode_of_trial = self.mode_of_trial(path, offence);
        Some(ChargedOffence {
            sequence,
            code,
            wording,
            committed_on: offence
                .text_at("BaseOffenceDetails/OffenceTiming/OffenceStart/OffenceDateStartDate")
                .and_then(date),
            arrested_on: offence
                .text_at("BaseOffenceDetails/ArrestDate")
                .and_then(date),
            charged_on: offence
                .text_at("BaseOffenceDetails/ChargeDate")
                .and_then(date),
            mode_of_trial,
            offence_type: None,
        })
    }

    /// The offence's mode of trial, an SPI code looked up in the standing data.
    fn mode_of_trial(&mut self, path: &str, offence: &Element) -> Option<ModeOfTrial> {
        let code = offence.text_at("ModeOfTrial")?;
        let found = self
            .reference
            .mode_of_trial(code)
            .and_then(|mode| ModeOfTrial::from_cjs_code(&mode.cjs_code));
        if found.is_none() {
            self.problem(
                "mode-of-trial-unknown",
                &format!("{path}/ModeOfTrial"),
                code,
                format!("the mode of trial `{code}` is not in the standing data"),
            );
        }
        found
    }

    /// The day of conviction on an offence.
    pub(super) fn conviction_date(offence: &Element) -> Option<Date> {
        offence.text_at("ConvictionDate").and_then(date)
    }

    pub(super) fn plea(&mut self, path: &str, offence: &Element) -> Option<PleaValue> {
        let code = offence.text_at("Plea")?;
        let Some(plea) = self.reference.plea(code) else {
            self.problem(
                "plea-unknown",
                &format!("{path}/Plea"),
                code,
                format!("the plea code `{code}` is not in the standing data"),
            );
            return None;
        };
        Some(match plea.cjs_code.as_str() {
            "G" | "ADM" => PleaValue::Guilty,
            "NG" | "DEN" => PleaValue::NotGuilty,
            _ => PleaValue::NoPlea,
        })
    }

    pub(super) fn finding(&mut self, path: &str, offence: &Element) -> Option<Finding> {
        let code = offence.text_at("Finding")?;
        let Some(verdict) = self.reference.verdict(code) else {
            self.problem(
                "finding-unknown",
                &format!("{path}/Finding"),
                code,
                format!("the finding `{code}` is not in the standing data"),
            );
            return None;
        };
        match verdict.cjs_code.as_str() {
            "G" => Some(Finding::Guilty),
            "NG" => Some(Finding::NotGuilty),
            _ => None,
        }
    }

    pub(super) fn result(
        &mut self,
        path: &str,
        sequence: u16,
        result: &Element,
    ) -> Option<(ResultLine, Disposal)> {
        let field = format!("{path}/ResultCode");
        // A result given as text alone is kept as an uncoded text result without asking a
        // person to resolve it, as Bichard keeps it; one with neither is a problem.
        let text = match result.text_at("ResultCode") {
            Some(text) => text,
            None if result.text_at("ResultText").is_some() => UNCODED_RESULT,
            None => {
                self.problem(
                    "result-empty",
                    path,
                    "",
                    "the result has neither a code nor any text".into(),
                );
                return None;
            }
        };
        let code = match ResultCode::parse(text) {
            Ok(code) => code,
            Err(error) => {
                self.problem("result-code-format", &field, text, error.to_string());
                return None;
            }
        };
        let meaning = self
            .reference
            .result(&code)
            .map(|meaning| meaning.description.clone());
        if meaning.is_none() {
            self.problem(
                "result-code-unknown",
                &field,
                code.as_str(),
                format!("the result code `{code}` is not in the standing data"),
            );
        }
        let wording = result
            .text_at("ResultText")
            .or(meaning.as_deref())
            .and_then(free_text)
            .or_else(|| Text::parse(code.as_str()).ok())?;
        let amount_pence = result
            .text_at("Outcome/ResultAmountSterling")
            .and_then(pence);
        let duration_months = result.at("Outcome/Duration").and_then(|duration| {
            let value: u16 = duration.text_at("DurationValue")?.parse().ok()?;
            match duration.text_at("DurationUnit")? {
                "Y" => value.checked_mul(12),
                "M" => Some(value),
                _ => None,
            }
        });
        let line = ResultLine {
            offence_sequence: Some(sequence),
            code: code.clone(),
            text: wording.clone(),
        };
        let disposal = Disposal {
            code,
            text: wording,
            duration_months,
            amount_pence,
        };
        Some((line, disposal))
    }
}

pub(super) fn date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok()
}

pub(super) fn date_time(day: Option<&str>, at: Option<&str>) -> Option<Timestamp> {
    let day = date(day?)?;
    let format = time::macros::format_description!("[hour]:[minute]:[second]");
    let at = at
        .and_then(|text| time::Time::parse(text, &format).ok())
        .unwrap_or(time::Time::MIDNIGHT);
    Some(Timestamp::from_offset(day.with_time(at).assume_utc()))
}

/// `100.00` as 10000 pence.
fn pence(text: &str) -> Option<u64> {
    let (pounds, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let pounds: u64 = pounds.parse().ok()?;
    let fraction = format!("{fraction:0<2}");
    let pence: u64 = fraction.get(..2)?.parse().ok()?;
    pounds.checked_mul(100)?.checked_add(pence)
}

#[cfg(test)]
mod tests {
    use super::pence;

    #[test]
    fn amounts_become_pence() {
        assert_eq!(pence("100.00"), Some(10_000));
        assert_eq!(pence("12.5"), Some(1_250));
        assert_eq!(pence("7"), Some(700));
        assert_eq!(pence("x"), None);
    }
}
