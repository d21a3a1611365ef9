//! Reading a Common Platform hearing's values: the case's reference, the defendant, each
//! offence, the sitting day, the hearing's purpose, pleas and verdicts in words Joinery knows,
//! and what is left over (unmodelled).

use joinery_domain::journey::{Finding, HearingPurpose, PleaValue};
use joinery_domain::message::{ChargedOffence, Person};
use joinery_domain::{
    CaseRef, CourtCaseId, CroNumber, Name, OffenceCode, PncId, Text, Timestamp, Urn,
};
use joinery_reference::StandingData;
use serde_json::Value;

use crate::problem::{FieldProblem, Rejection, Segment};
use crate::translation::{Builder, Unmodelled};

use super::{MODELLED, text};

/// The case's URN; a URN in the wrong form is a data-quality problem, and the case is then
/// named by Common Platform's own prosecution case id. With neither, the case is refused.
pub(super) fn case_reference(
    out: &mut Builder,
    at_case: &str,
    case_index: usize,
    case: &Value,
) -> Result<CaseRef, Rejection> {
    let urn_text = text(case, "prosecutionCaseIdentifier/caseURN");
    let urn = match urn_text.map(|urn| (urn, Urn::parse(urn))) {
        Some((_, Ok(urn))) => Some(urn),
        Some((value, Err(error))) => {
            out.problem(
                "urn-format",
                &format!("{at_case}/prosecutionCaseIdentifier/caseURN"),
                value,
                error.to_string(),
            );
            None
        }
        None => None,
    };
    let court_case_id = text(case, "id").and_then(|id| CourtCaseId::parse(id).ok());
    if urn.is_none() && court_case_id.is_none() {
        return Err(Rejection::invalid(FieldProblem::new(
            &[
                Segment::Key("hearing".into()),
                Segment::Key("prosecutionCases".into()),
                Segment::Index(case_index),
                Segment::Key("prosecutionCaseIdentifier".into()),
                Segment::Key("caseURN".into()),
            ],
            "the case has no usable reference: no valid URN and no prosecution case id",
        )));
    }
    Ok(CaseRef {
        court_case_id: if urn.is_some() { None } else { court_case_id },
        urn,
        asn: None,
    })
}

pub(super) fn defendant_person(out: &mut Builder, here: &str, defendant: &Value) -> Option<Person> {
    let details = defendant.get("personDefendant")?.get("personDetails")?;
    let names = (
        text(details, "firstName").map(Name::parse),
        text(details, "lastName").map(Name::parse),
    );
    let (Some(Ok(given_name)), Some(Ok(family_name))) = names else {
        out.problem(
            "defendant-name",
            &format!("{here}/personDefendant/personDetails"),
            "",
            "the defendant's first and last names are not both present".into(),
        );
        return None;
    };
    let pnc_id = match text(defendant, "pncId").map(|v| (v, PncId::parse(v))) {
        Some((_, Ok(pnc))) => Some(pnc),
        Some((value, Err(error))) => {
            out.problem(
                "pnc-id-invalid",
                &format!("{here}/pncId"),
                value,
                error.to_string(),
            );
            None
        }
        None => None,
    };
    let cro_number = match text(defendant, "croNumber").map(|v| (v, CroNumber::parse(v))) {
        Some((_, Ok(cro))) => Some(cro),
        Some((value, Err(error))) => {
            out.problem(
                "cro-number-invalid",
                &format!("{here}/croNumber"),
                value,
                error.to_string(),
            );
            None
        }
        None => None,
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Some(Person {
        given_name,
        family_name,
        date_of_birth: text(details, "dateOfBirth")
            .and_then(|d| time::Date::parse(d, &format).ok()),
        pnc_id,
        cro_number,
    })
}

pub(super) fn charged_offence(
    out: &mut Builder,
    reference: &StandingData,
    path: &str,
    sequence: u16,
    offence: &Value,
) -> Option<ChargedOffence> {
    let Some(value) = text(offence, "offenceCode") else {
        out.problem(
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
            out.problem(
                "offence-code-format",
                &format!("{path}/offenceCode"),
                value,
                error.to_string(),
            );
            return None;
        }
    };
    if reference.offence(&code).is_none() {
        out.problem(
            "offence-code-unknown",
            &format!("{path}/offenceCode"),
            code.as_str(),
            format!("the offence code `{code}` is not in the standing data"),
        );
    }
    let wording = text(offence, "wording")
        .or_else(|| text(offence, "offenceTitle"))
        .and_then(|w| Text::parse(w).ok())
        .or_else(|| Text::parse(code.as_str()).ok())?;
    Some(ChargedOffence {
        sequence,
        code,
        wording,
        committed_on: None,
        offence_type: None,
    })
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
        Some("sentence") => HearingPurpose::Sentence,
        Some("trial") => HearingPurpose::Trial,
        Some("first hearing") => HearingPurpose::FirstAppearance,
        Some("plea and trial preparation") => HearingPurpose::PleaAndTrialPreparation,
        Some("bail application") => HearingPurpose::BailApplication,
        Some("review") => HearingPurpose::Review,
        _ => HearingPurpose::Other,
    }
}

pub(super) fn plea(value: &str) -> Option<PleaValue> {
    match value.to_ascii_uppercase().replace([' ', '-'], "_").as_str() {
        "GUILTY" => Some(PleaValue::Guilty),
        "NOT_GUILTY" => Some(PleaValue::NotGuilty),
        "NO_PLEA" => Some(PleaValue::NoPlea),
        _ => None,
    }
}

pub(super) fn finding(value: &str) -> Option<Finding> {
    match value.to_ascii_lowercase().as_str() {
        "guilty" => Some(Finding::Guilty),
        "not guilty" => Some(Finding::NotGuilty),
        _ => None,
    }
}

pub(super) fn collect_unmodelled(value: &Value, path: &str, out: &mut Vec<Unmodelled>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}/{key}")
                };
                collect_unmodelled(child, &child_path, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_unmodelled(child, &format!("{path}/{index}"), out);
            }
        }
        Value::Null => {}
        leaf => {
            let last = path.rsplit('/').next().unwrap_or_default();
            if !MODELLED.contains(&last) {
                let value = match leaf {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                out.push(Unmodelled {
                    field: path.to_owned(),
                    value,
                });
            }
        }
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
