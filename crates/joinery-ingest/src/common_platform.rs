//! HMCTS Common Platform hearings (`{"hearing": {...}}` JSON, as published to probation)
//! translated into canonical events: for each prosecution case, the charge (defendant with PNC
//! ID and CRO number, offences), the hearing (court centre, courtroom, first sitting day, type),
//! and pleas and verdicts where present.
//!
//! Identifiers failing their checks and codes the standing data does not know are data-quality
//! problems; a prosecution case with no valid URN is refused, since nothing else in the message
//! names the case. Values Joinery does not model yet are listed and kept with the message.

use joinery_domain::journey::{Finding, HearingPurpose, PleaValue};
use joinery_domain::message::{Charge, ChargedOffence, HearingListed, Person, Plea, Verdict};
use joinery_domain::{
    AgencyCode, CaseRef, CourtCaseId, CroNumber, HearingId, Name, OffenceCode, OuCode, Payload,
    PncId, SystemName, Text, Timestamp, Urn,
};
use joinery_reference::StandingData;
use serde_json::Value;

use crate::problem::{FieldProblem, Rejection, Segment};
use crate::translation::{Builder, SourceFormat, Translation, Unmodelled};

/// Leaf fields the translation reads (by their last name); others with a value are unmodelled.
const MODELLED: [&str; 16] = [
    "code",
    "roomName",
    "sittingDay",
    "id",
    "description",
    "caseURN",
    "pncId",
    "croNumber",
    "firstName",
    "lastName",
    "dateOfBirth",
    "offenceCode",
    "offenceTitle",
    "wording",
    "pleaValue",
    "listingNumber",
];

fn rejected(pointer: &[&str], problem: impl Into<String>) -> Rejection {
    let segments: Vec<Segment> = pointer
        .iter()
        .map(|key| Segment::Key((*key).to_owned()))
        .collect();
    Rejection::invalid(FieldProblem::new(&segments, problem))
}

fn text<'v>(value: &'v Value, path: &str) -> Option<&'v str> {
    path.split('/')
        .try_fold(value, |value, key| value.get(key))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

fn array<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Translates one Common Platform hearing message sent by `sender`.
pub fn translate_common_platform(
    sender: &AgencyCode,
    text_in: &str,
    reference: &StandingData,
) -> Result<Translation, Rejection> {
    let root: Value =
        serde_json::from_str(text_in).map_err(|e| rejected(&[], format!("is not JSON: {e}")))?;
    let hearing = root
        .get("hearing")
        .filter(|h| h.is_object())
        .ok_or_else(|| {
            rejected(
                &["hearing"],
                "is missing: a Common Platform message is `{\"hearing\": {...}}`",
            )
        })?;
    let system = SystemName::parse("Common Platform").map_err(|e| rejected(&[], e.to_string()))?;
    let mut out = Builder::new(SourceFormat::CommonPlatform, sender, system, text_in);
    let hearing_id = text(hearing, "id")
        .and_then(|id| HearingId::parse(id).ok())
        .ok_or_else(|| rejected(&["hearing", "id"], "is missing or not a usable hearing id"))?;
    let court = match text(hearing, "courtCentre/code").map(|code| (code, OuCode::parse(code))) {
        Some((_, Ok(court))) => {
            if reference.unit(&court).is_none() {
                out.problem(
                    "court-unknown",
                    "hearing/courtCentre/code",
                    court.as_str(),
                    format!("the court centre `{court}` is not in the standing data's organisation units"),
                );
            }
            Some(court)
        }
        Some((code, Err(error))) => {
            out.problem(
                "court-code-format",
                "hearing/courtCentre/code",
                code,
                error.to_string(),
            );
            None
        }
        None => None,
    };
    let days = array(hearing, "hearingDays");
    let mut sittings = Vec::new();
    for (index, day) in days.iter().enumerate() {
        match text(day, "sittingDay").map(|at| (at, sitting_day(at))) {
            Some((_, Ok(at))) => sittings.push(at),
            Some((value, Err(error))) => out.problem(
                "sitting-day",
                &format!("hearing/hearingDays/{index}/sittingDay"),
                value,
                error,
            ),
            None => out.problem(
                "sitting-day",
                &format!("hearing/hearingDays/{index}/sittingDay"),
                "",
                "a hearing day has no sitting day".into(),
            ),
        }
    }
    let starts_at = sittings.into_iter().min().ok_or_else(|| {
        rejected(
            &["hearing", "hearingDays"],
            "no hearing day has a sitting day",
        )
    })?;
    let purpose = purpose(text(hearing, "type/description"));
    let courtroom = text(hearing, "courtCentre/roomName").and_then(|room| Text::parse(room).ok());
    let cases = array(hearing, "prosecutionCases");
    if cases.is_empty() {
        return Err(rejected(
            &["hearing", "prosecutionCases"],
            "holds no prosecution case",
        ));
    }
    for (case_index, case) in cases.iter().enumerate() {
        let at_case = format!("hearing/prosecutionCases/{case_index}");
        let case_ref = case_reference(&mut out, &at_case, case_index, case)?;
        let at = starts_at;
        for (defendant_index, defendant) in array(case, "defendants").iter().enumerate() {
            let here = format!("{at_case}/defendants/{defendant_index}");
            let key = format!("{case_index}-{defendant_index}");
            let person = defendant_person(&mut out, &here, defendant);
            let mut offences = Vec::new();
            for (offence_index, offence) in array(defendant, "offences").iter().enumerate() {
                let path = format!("{here}/offences/{offence_index}");
                let sequence = offence
                    .get("listingNumber")
                    .and_then(Value::as_u64)
                    .and_then(|n| u16::try_from(n).ok())
                    .unwrap_or_else(|| u16::try_from(offence_index + 1).unwrap_or(u16::MAX));
                if let Some(charged) =
                    charged_offence(&mut out, reference, &path, sequence, offence)
                {
                    offences.push(charged);
                }
                if let Some(value) = text(offence, "plea/pleaValue") {
                    match plea(value) {
                        Some(plea) => out.emit(
                            &format!("3-plea-{key}-{sequence:03}"),
                            &case_ref,
                            at,
                            Payload::Plea(Plea {
                                offence_sequence: sequence,
                                plea,
                            }),
                        ),
                        None => out.problem(
                            "plea-unknown",
                            &format!("{path}/plea/pleaValue"),
                            value,
                            format!("the plea `{value}` is not one Joinery knows"),
                        ),
                    }
                }
                if let Some(value) = text(offence, "verdict/verdictType/description") {
                    match finding(value) {
                        Some(finding) => out.emit(
                            &format!("4-verdict-{key}-{sequence:03}"),
                            &case_ref,
                            at,
                            Payload::Verdict(Verdict {
                                offence_sequence: sequence,
                                finding,
                            }),
                        ),
                        None => out.problem(
                            "finding-unknown",
                            &format!("{path}/verdict/verdictType/description"),
                            value,
                            format!("the verdict `{value}` is not one Joinery knows"),
                        ),
                    }
                }
            }
            if person.is_some() || !offences.is_empty() {
                out.emit(
                    &format!("1-charge-{key}"),
                    &case_ref,
                    at,
                    Payload::Charge(Charge {
                        defendant: person,
                        offences,
                    }),
                );
            }
        }
        if let Some(court) = &court {
            out.emit(
                &format!("2-listed-{case_index}"),
                &case_ref,
                at,
                Payload::HearingListed(HearingListed {
                    hearing_id: hearing_id.clone(),
                    court: court.clone(),
                    courtroom: courtroom.clone(),
                    starts_at,
                    purpose,
                    judge: None,
                }),
            );
        }
    }
    let mut unmodelled = Vec::new();
    collect_unmodelled(&root, "", &mut unmodelled);
    Ok(out.finish(text(hearing, "id").map(str::to_owned), unmodelled))
}

/// The case's URN; a URN in the wrong form is a data-quality problem, and the case is then
/// named by Common Platform's own prosecution case id. With neither, the case is refused.
fn case_reference(
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

fn defendant_person(out: &mut Builder, here: &str, defendant: &Value) -> Option<Person> {
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

fn charged_offence(
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
    })
}

/// A sitting day: RFC 3339, or a date and time with no offset, taken as UTC.
fn sitting_day(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text).or_else(|error| {
        let format = time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
        );
        time::PrimitiveDateTime::parse(text, &format)
            .map(|at| Timestamp::from_offset(at.assume_utc()))
            .map_err(|_| error)
    })
}

fn purpose(description: Option<&str>) -> HearingPurpose {
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

fn plea(value: &str) -> Option<PleaValue> {
    match value.to_ascii_uppercase().replace([' ', '-'], "_").as_str() {
        "GUILTY" => Some(PleaValue::Guilty),
        "NOT_GUILTY" => Some(PleaValue::NotGuilty),
        "NO_PLEA" => Some(PleaValue::NoPlea),
        _ => None,
    }
}

fn finding(value: &str) -> Option<Finding> {
    match value.to_ascii_lowercase().as_str() {
        "guilty" => Some(Finding::Guilty),
        "not guilty" => Some(Finding::NotGuilty),
        _ => None,
    }
}

fn collect_unmodelled(value: &Value, path: &str, out: &mut Vec<Unmodelled>) {
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
