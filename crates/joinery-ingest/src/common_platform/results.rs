//! A Common Platform hearing's outcomes: pleas, verdicts (by description, by the CJS verdict
//! code, or by category alone), `judicialResults` on offences, on defendants and on the hearing,
//! the sentence a final convicting result passes, bail after the hearing, a cracked or
//! ineffective trial with the court's reason, and each next hearing.
//!
//! A result with no CJS code is kept as `1000`, an uncoded text result, without asking a person
//! to resolve it (Bichard does not raise it either); a code the standing data does not know is
//! a data-quality problem.

use std::collections::BTreeMap;

use joinery_domain::journey::{
    AdjournmentReason, Finding, HearingPurpose, PleaValue, TrialEffectiveness,
};
use joinery_domain::message::{Bail, Disposal, Plea, ResultLine, Verdict};
use joinery_domain::{HearingId, OuCode, ResultCode, Text, Timestamp};
use serde_json::Value;

use super::values::{date, purpose, sitting_day};
use super::{Translator, array};
use crate::court_words::free_text;
use crate::court_words::{adjournment_reason, committal, purpose_in_words};

/// The CJS result code for a result given as text alone.
const UNCODED_RESULT: &str = "1000";

/// What one case's defendants were given at the hearing, before it becomes events.
#[derive(Default)]
pub(super) struct CaseResults {
    /// Keyed `case-defendant-sequence`, as the events' ids are.
    pub(super) pleas: BTreeMap<String, Plea>,
    pub(super) verdicts: BTreeMap<String, Verdict>,
    pub(super) lines: Vec<ResultLine>,
    pub(super) disposals: Vec<Disposal>,
    pub(super) bail: Option<Bail>,
    /// Each distinct next hearing, in the order first given.
    pub(super) next_hearings: Vec<NextHearing>,
    /// The earliest date a result, plea or verdict gives: the case's date when the hearing
    /// has no sitting day.
    pub(super) earliest: Option<Timestamp>,
}

impl CaseResults {
    fn dated(&mut self, day: Option<time::Date>) {
        let Some(day) = day else { return };
        let at = Timestamp::from_offset(day.midnight().assume_utc());
        self.earliest = Some(self.earliest.map_or(at, |earliest| earliest.min(at)));
    }
}

/// A hearing the court adjourned the case to.
#[derive(PartialEq, Eq)]
pub(super) struct NextHearing {
    pub(super) court: Option<OuCode>,
    pub(super) starts_at: Option<Timestamp>,
    pub(super) on: Option<time::Date>,
    pub(super) purpose: HearingPurpose,
    pub(super) reason: AdjournmentReason,
    pub(super) reason_given: Option<Text>,
    /// Common Platform's id for the hearing, when the case joins one already listed.
    pub(super) hearing_id: Option<HearingId>,
}

/// Whether a trial went ahead, and the court's reason code when it did not.
#[derive(Clone, Default)]
pub(super) struct Trial {
    pub(super) effectiveness: Option<TrialEffectiveness>,
    pub(super) reason: Option<Text>,
}

impl Translator<'_> {
    /// The trial's effectiveness: `crackedIneffectiveTrial` (its type and the court's reason
    /// code), or `isEffectiveTrial`. A vacated trial is neither: it was taken out of the list
    /// before its day, and is left as the court sent it.
    pub(super) fn trial(&mut self, hearing: &Value) -> Trial {
        let mut trial = Trial::default();
        if let Some(kind) = hearing
            .get("crackedIneffectiveTrial")
            .and_then(|t| t.get("type"))
            .and_then(Value::as_str)
        {
            let effectiveness = match kind.trim().to_ascii_lowercase().as_str() {
                "cracked" => Some(TrialEffectiveness::Cracked),
                "ineffective" => Some(TrialEffectiveness::Ineffective),
                _ => None,
            };
            if effectiveness.is_some() {
                self.text(hearing, "hearing", "crackedIneffectiveTrial/type");
                trial.effectiveness = effectiveness;
                // The court's reason in its words, with its code.
                let code = self.text(hearing, "hearing", "crackedIneffectiveTrial/code");
                let words = self.text(hearing, "hearing", "crackedIneffectiveTrial/description");
                let reason = match (words, code) {
                    (Some(words), Some(code)) => Some(format!("{words} ({code})")),
                    (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
                    (None, None) => None,
                };
                trial.reason = reason.and_then(|reason| free_text(&reason));
            }
        }
        if trial.effectiveness.is_none()
            && self.flag(hearing, "hearing", "isEffectiveTrial") == Some(true)
        {
            trial.effectiveness = Some(TrialEffectiveness::Effective);
        }
        trial
    }

    /// An offence's plea, verdict and results.
    pub(super) fn offence_outcomes(
        &mut self,
        path: &str,
        sequence: u16,
        offence: &Value,
        out: &mut CaseResults,
    ) {
        let key = key_of(path, sequence);
        let mut convicted = false;
        if let Some(value) = self.text(offence, path, "plea/pleaValue") {
            out.dated(peek_date(offence, "plea/pleaDate"));
            match plea(value) {
                Some(plea) => {
                    convicted |= plea == PleaValue::Guilty;
                    out.pleas.insert(
                        key.clone(),
                        Plea {
                            offence_sequence: sequence,
                            plea,
                        },
                    );
                }
                None => self.out.problem(
                    "plea-unknown",
                    &format!("{path}/plea/pleaValue"),
                    value,
                    format!("the plea `{value}` is not one Joinery knows"),
                ),
            }
        }
        if let Some(finding) = self.verdict(path, offence) {
            let day = self
                .text(offence, path, "verdict/verdictDate")
                .and_then(date);
            out.dated(day);
            convicted |= finding == Finding::Guilty;
            out.verdicts.insert(
                key,
                Verdict {
                    offence_sequence: sequence,
                    finding,
                    convicted_on: day.filter(|_| finding == Finding::Guilty),
                },
            );
        }
        for (index, result) in array(offence, "judicialResults").iter().enumerate() {
            let at = format!("{path}/judicialResults/{index}");
            self.judicial_result(&at, Some(sequence), convicted, result, out);
        }
    }

    /// The finding, by the CJS verdict code where given (looked up in the standing data as an
    /// SPI finding is), else by the verdict type's category, else by its description.
    fn verdict(&mut self, path: &str, offence: &Value) -> Option<Finding> {
        offence.get("verdict").filter(|v| v.is_object())?;
        if let Some(code) = self.text(offence, path, "verdict/verdictType/cjsVerdictCode") {
            return match self.reference.verdict(code).map(|v| v.cjs_code.as_str()) {
                Some("G") => Some(Finding::Guilty),
                Some("NG") => Some(Finding::NotGuilty),
                Some(_) => None,
                None => {
                    self.out.problem(
                        "finding-unknown",
                        &format!("{path}/verdict/verdictType/cjsVerdictCode"),
                        code,
                        format!("the verdict code `{code}` is not in the standing data"),
                    );
                    None
                }
            };
        }
        for field in ["categoryType", "category", "description"] {
            let relative = format!("verdict/verdictType/{field}");
            if let Some(value) = self.text(offence, path, &relative) {
                return match finding(value) {
                    Some(found) => Some(found),
                    None => {
                        self.out.problem(
                            "finding-unknown",
                            &format!("{path}/{relative}"),
                            value,
                            format!("the verdict `{value}` is not one Joinery knows"),
                        );
                        None
                    }
                };
            }
        }
        None
    }

    /// A defendant's own results (`judicialResults`, and `defendantCaseJudicialResults` as
    /// older messages name them), and the hearing's `defendantJudicialResults` for this
    /// defendant (matched by `masterDefendantId`).
    pub(super) fn defendant_results(
        &mut self,
        hearing: &Value,
        path: &str,
        defendant: &Value,
        out: &mut CaseResults,
    ) {
        for list in ["judicialResults", "defendantCaseJudicialResults"] {
            for (index, result) in array(defendant, list).iter().enumerate() {
                let at = format!("{path}/{list}/{index}");
                self.judicial_result(&at, None, false, result, out);
            }
        }
        let master = self
            .text(defendant, path, "masterDefendantId")
            .or_else(|| self.text(defendant, path, "id"));
        let Some(master) = master else { return };
        for (index, entry) in array(hearing, "defendantJudicialResults")
            .iter()
            .enumerate()
        {
            let at = format!("hearing/defendantJudicialResults/{index}");
            if entry.get("masterDefendantId").and_then(Value::as_str) != Some(master) {
                continue;
            }
            self.text(entry, &at, "masterDefendantId");
            if let Some(result) = entry.get("judicialResult") {
                self.judicial_result(&format!("{at}/judicialResult"), None, false, result, out);
            }
        }
    }

    /// One judicial result: its line, the disposal it passes when final and convicting, the
    /// custody status after the hearing, and its next hearing.
    fn judicial_result(
        &mut self,
        path: &str,
        sequence: Option<u16>,
        convicted: bool,
        result: &Value,
        out: &mut CaseResults,
    ) {
        out.dated(peek_date(result, "orderedDate"));
        let text = self
            .text(result, path, "resultText")
            .or_else(|| self.text(result, path, "label"));
        let code = match self.text(result, path, "cjsCode") {
            Some(code) => code,
            None if text.is_some() => UNCODED_RESULT,
            None => {
                self.out.problem(
                    "result-empty",
                    path,
                    "",
                    "the result has neither a CJS code nor any text".into(),
                );
                return;
            }
        };
        let code = match ResultCode::parse(code) {
            Ok(code) => code,
            Err(error) => {
                self.out.problem(
                    "result-code-format",
                    &format!("{path}/cjsCode"),
                    code,
                    error.to_string(),
                );
                return;
            }
        };
        let meaning = self
            .reference
            .result(&code)
            .map(|meaning| meaning.description.clone());
        if meaning.is_none() {
            self.out.problem(
                "result-code-unknown",
                &format!("{path}/cjsCode"),
                code.as_str(),
                format!("the result code `{code}` is not in the standing data"),
            );
        }
        let Some(wording) = text
            .or(meaning.as_deref())
            .and_then(free_text)
            .or_else(|| Text::parse(code.as_str()).ok())
        else {
            return;
        };
        let final_result = self
            .text(result, path, "category")
            .is_some_and(|category| category.eq_ignore_ascii_case("FINAL"));
        let convicting = self.flag(result, path, "isConvictedResult") == Some(true) || convicted;
        if final_result && convicting {
            out.disposals.push(Disposal {
                code: code.clone(),
                text: wording.clone(),
                duration_months: self.duration_months(path, result),
                amount_pence: None,
            });
        }
        out.lines.push(ResultLine {
            offence_sequence: sequence,
            code,
            text: wording,
        });
        if let Some(status) = self.text(result, path, "postHearingCustodyStatus")
            && let Some(bail) =
                self.bail_status(&format!("{path}/postHearingCustodyStatus"), status)
        {
            out.bail = Some(Bail {
                conditions: out.bail.take().map(|b| b.conditions).unwrap_or_default(),
                ..bail
            });
        }
        let next = if result.get("nextHearing").is_some_and(Value::is_object) {
            Some(self.next_hearing(&format!("{path}/nextHearing"), &result["nextHearing"]))
        } else {
            text.and_then(|text| self.committal(path, text))
        };
        if let Some(next) = next
            && !out.next_hearings.contains(&next)
        {
            out.next_hearings.push(next);
        }
    }

    /// A sentence's length in months, from the result's duration element, when given in
    /// years or months.
    fn duration_months(&mut self, path: &str, result: &Value) -> Option<u16> {
        let value = self.number(result, path, "durationElement/primaryDurationValue")?;
        let unit = self.text(result, path, "durationElement/primaryDurationUnit")?;
        let value = u16::try_from(value).ok()?;
        match unit.to_ascii_lowercase().as_str() {
            "y" | "year" | "years" => value.checked_mul(12),
            "m" | "month" | "months" => Some(value),
            _ => None,
        }
    }

    /// A committal to the Crown Court whose court and day are given only in the result's text:
    /// the next hearing, at the court the standing data knows by that name (a name it does not
    /// know is a data-quality problem; the adjournment is kept).
    fn committal(&mut self, path: &str, text: &str) -> Option<NextHearing> {
        let committal = committal(text)?;
        let court = self.reference.crown_court_named(committal.court);
        if court.is_none() {
            self.out.problem(
                "next-court-unknown",
                &format!("{path}/resultText"),
                committal.court,
                format!(
                    "the court `{}` the result commits to is not in the standing data's organisation units",
                    committal.court
                ),
            );
        }
        // No time given: the day at midnight, as an SPI next hearing with no time.
        let time = committal.at.unwrap_or(time::Time::MIDNIGHT);
        Some(NextHearing {
            court,
            starts_at: Some(Timestamp::from_offset(
                committal.on.with_time(time).assume_utc(),
            )),
            on: Some(committal.on),
            purpose: committal
                .purpose
                .map_or(HearingPurpose::Other, purpose_in_words),
            reason: AdjournmentReason::Other,
            reason_given: committal.purpose.and_then(free_text),
            hearing_id: None,
        })
    }

    fn next_hearing(&mut self, path: &str, next: &Value) -> NextHearing {
        let court = self.court(next, path, "courtCentre", "next-court");
        let starts_at = match self.text(next, path, "listedStartDateTime") {
            Some(value) => match sitting_day(value) {
                Ok(at) => Some(at),
                Err(error) => {
                    self.out.problem(
                        "next-hearing-date",
                        &format!("{path}/listedStartDateTime"),
                        value,
                        error,
                    );
                    None
                }
            },
            None => None,
        };
        let on = starts_at
            .map(Timestamp::date)
            .or_else(|| self.text(next, path, "weekCommencingDate").and_then(date));
        let description = self.text(next, path, "type/description");
        let reason_given = self
            .text(next, path, "adjournmentReason")
            .and_then(free_text);
        let reason = reason_given
            .as_ref()
            .map_or(AdjournmentReason::Other, |words| {
                adjournment_reason(words.as_str())
            });
        NextHearing {
            court,
            starts_at,
            on,
            purpose: purpose(description),
            reason,
            reason_given,
            hearing_id: self
                .text(next, path, "existingHearingId")
                .and_then(|id| HearingId::parse(id).ok()),
        }
    }

    /// The defendant's bail status for the case, with its conditions; a later result's custody
    /// status after the hearing replaces the status.
    pub(super) fn bail(&mut self, path: &str, defendant: &Value, out: &mut CaseResults) {
        let at = format!("{path}/personDefendant");
        let Some(person) = defendant.get("personDefendant") else {
            return;
        };
        let conditions: Vec<Text> = self
            .text(person, &at, "bailConditions")
            .and_then(free_text)
            .into_iter()
            .collect();
        let status = match self.text(person, &at, "bailStatus/code") {
            Some(code) => self.bail_status(&format!("{at}/bailStatus/code"), code),
            None => None,
        };
        match (&mut out.bail, status) {
            // A result's post-hearing status came first in the walk: it stands.
            (Some(bail), _) => {
                if bail.conditions.is_empty() {
                    bail.conditions = conditions;
                }
            }
            (None, Some(status)) => {
                out.bail = Some(Bail {
                    conditions,
                    ..status
                });
            }
            (None, None) => {}
        }
    }

    /// A remand status code (`U`, `B`, `C`, ... as SPI's) looked up in the standing data.
    fn bail_status(&mut self, field: &str, code: &str) -> Option<Bail> {
        self.out.bail_status(self.reference, field, code)
    }
}

/// The result code for an offence resulted in error.
const ENTERED_IN_ERROR: &str = "4583";

/// Whether any of an offence's results is 4583, "entered in error": looked at without being
/// read, so that the whole offence stays listed with the message.
pub(super) fn entered_in_error(offence: &Value) -> bool {
    array(offence, "judicialResults").iter().any(|result| {
        result.get("cjsCode").and_then(Value::as_str).map(str::trim) == Some(ENTERED_IN_ERROR)
    })
}

/// A date used only to date a case whose hearing has none: looked at, not taken as read, so
/// it stays listed as a value Joinery does not carry.
fn peek_date(node: &Value, relative: &str) -> Option<time::Date> {
    relative
        .split('/')
        .try_fold(node, |value, key| value.get(key))?
        .as_str()
        .and_then(|text| date(text.trim()))
}

/// `…/defendants/1/offences/0` and sequence 3 give `caseindex-1-003`, the form of the events'
/// keys.
fn key_of(path: &str, sequence: u16) -> String {
    let mut parts = path
        .split('/')
        .filter_map(|part| part.parse::<usize>().ok());
    let case = parts.next().unwrap_or_default();
    let defendant = parts.next().unwrap_or_default();
    format!("{case}-{defendant}-{sequence:03}")
}

pub(super) fn plea(value: &str) -> Option<PleaValue> {
    match value.to_ascii_uppercase().replace([' ', '-'], "_").as_str() {
        "GUILTY"
        | "CHANGE_TO_GUILTY"
        | "GUILTY_TO_LESSER_OFFENCE"
        | "ADMITS"
        | "CHANGE_TO_GUILTY_AFTER_SWORN_IN"
        | "CHANGE_TO_GUILTY_NO_SWORN_IN" => Some(PleaValue::Guilty),
        "NOT_GUILTY" | "DENIES" | "CHANGE_TO_NOT_GUILTY" => Some(PleaValue::NotGuilty),
        "NO_PLEA" | "NONE" => Some(PleaValue::NoPlea),
        _ => None,
    }
}

/// A verdict in words or by category (`GUILTY`, `GUILTY_CONVICTED`, `NOT_GUILTY`, `Guilty`).
pub(super) fn finding(value: &str) -> Option<Finding> {
    let value = value.to_ascii_uppercase().replace([' ', '-'], "_");
    if value.starts_with("NOT_GUILTY") {
        Some(Finding::NotGuilty)
    } else if value.starts_with("GUILTY") {
        Some(Finding::Guilty)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_are_read_by_category_as_well_as_in_words() {
        assert_eq!(finding("GUILTY_CONVICTED"), Some(Finding::Guilty));
        assert_eq!(finding("Guilty"), Some(Finding::Guilty));
        assert_eq!(finding("NOT_GUILTY"), Some(Finding::NotGuilty));
        assert_eq!(finding("not guilty"), Some(Finding::NotGuilty));
        assert_eq!(finding("DISMISSED"), None);
    }

    #[test]
    fn an_event_key_names_the_case_defendant_and_offence() {
        assert_eq!(
            key_of("hearing/prosecutionCases/2/defendants/1/offences/0", 7),
            "2-1-007"
        );
    }
}
