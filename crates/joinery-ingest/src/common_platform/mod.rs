//! HMCTS Common Platform hearings (`{"hearing": {...}}` JSON, as published to probation)
//! translated into canonical events: for each prosecution case, the charge (defendant with PNC
//! ID and CRO number, offences), the hearing (court centre, courtroom, first sitting day, type),
//! and pleas and verdicts where present.
//!
//! Identifiers failing their checks and codes the standing data does not know are data-quality
//! problems; a prosecution case with no valid URN is refused, since nothing else in the message
//! names the case. Values Joinery does not model yet are listed and kept with the message.

use joinery_domain::message::{Charge, HearingListed, Plea, Verdict};
use joinery_domain::{AgencyCode, HearingId, OuCode, Payload, SystemName, Text};
use joinery_reference::StandingData;
use serde_json::Value;

use crate::problem::{FieldProblem, Rejection, Segment};
use crate::translation::{Builder, SourceFormat, Translation};

mod values;

use self::values::{
    case_reference, charged_offence, collect_unmodelled, defendant_person, finding, plea, purpose,
    sitting_day,
};

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
    out.finish(text(hearing, "id").map(str::to_owned), unmodelled)
}
