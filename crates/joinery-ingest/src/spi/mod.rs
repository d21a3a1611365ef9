//! Libra "SPI Results" court results (a CJSE `DeliverRequest` envelope around a
//! `DC:ResultedCaseMessage`, schema 0.6g) translated into canonical events.
//!
//! For each case in the message: the charge (defendant, offences), the hearing (court, date and
//! time), its results, each plea and verdict, the defendant's bail status, any next hearing
//! (as an adjournment and a listing), and the sentence where a disposal is final. Codes are
//! looked up in the MoJ standing data; an identifier failing its check or a code the standing
//! data does not know is a data-quality problem, and the message is still accepted. What the
//! message holds beyond that is listed as unmodelled and kept with the raw message.
//!
//! Times of hearing are taken as UTC: the message gives local court time without an offset.

use std::collections::BTreeMap;

use joinery_domain::journey::{AdjournmentReason, Finding, HearingPurpose};
use joinery_domain::message::{
    Adjournment, Charge, ChargedOffence, HearingListed, HearingResult, Plea, Sentence, Verdict,
};
use joinery_domain::{
    AgencyCode, Asn, CaseRef, HearingId, OuCode, Payload, SystemName, Text, Timestamp, Urn,
};
use joinery_reference::StandingData;

use crate::court_words::free_text;
use crate::court_words::{adjournment_reason, committal, purpose_in_words};
use crate::problem::{FieldProblem, Rejection, Segment};
use crate::translation::{Builder, SourceFormat, Translation, Unmodelled};
use crate::xml::{self, Element};

mod values;

use self::values::date_time;

/// A next hearing as a result gives it: day, time, court code, the court's reason, and the
/// field that named the court.
type NextHearingDraft = (String, String, String, String, String);

/// The result code for an offence resulted in error.
const ENTERED_IN_ERROR: &str = "4583";

/// Whether any of an offence's results is 4583, "entered in error": looked at without being
/// read, so that the whole offence stays listed with the message.
fn entered_in_error(offence: &Element) -> bool {
    offence.children_named("Result").any(|result| {
        result
            .child("ResultCode")
            .is_some_and(|code| code.text.trim() == ENTERED_IN_ERROR)
    })
}

/// The CJS result code for a result given as text alone.
const UNCODED_RESULT: &str = "1000";

fn rejected(field: &str, problem: impl Into<String>) -> Rejection {
    let segments: Vec<Segment> = field
        .split('/')
        .filter(|part| !part.is_empty())
        .map(|part| Segment::Key(part.to_owned()))
        .collect();
    Rejection::invalid(FieldProblem::new(&segments, problem))
}

/// Translates one SPI Results message sent by `sender`.
pub fn translate_spi_results(
    sender: &AgencyCode,
    text: &str,
    reference: &StandingData,
) -> Result<Translation, Rejection> {
    translate(sender, text, reference, None)
}

/// Translates one SPI Results message, its cases that name no usable reference placed on
/// `placement`, if given.
pub(crate) fn translate(
    sender: &AgencyCode,
    text: &str,
    reference: &StandingData,
    placement: Option<&CaseRef>,
) -> Result<Translation, Rejection> {
    let root = xml::parse(text).map_err(|e| rejected("", e.to_string()))?;
    let message = match root.name.as_str() {
        "ResultedCaseMessage" => &root,
        _ => root.at("Message/ResultedCaseMessage").ok_or_else(|| {
            rejected(
                &root.name,
                "holds no `Message/ResultedCaseMessage`: this is not an SPI Results message",
            )
        })?,
    };
    let system = SystemName::parse("Libra").map_err(|e| rejected("", e.to_string()))?;
    let mut translator = Translator {
        out: Builder::new(SourceFormat::SpiResults, sender, system, text).placed(placement),
        reference,
    };
    let sessions: Vec<&Element> = message.children_named("Session").collect();
    if sessions.is_empty() {
        return Err(rejected("ResultedCaseMessage/Session", "is missing"));
    }
    for (session_index, session) in sessions.into_iter().enumerate() {
        translator.session(session_index, session)?;
    }
    let mut unmodelled = Vec::new();
    message.walk("ResultedCaseMessage", &mut |path, element| {
        let value = element.text.trim();
        if element.children.is_empty() && !value.is_empty() && !element.was_read() {
            unmodelled.push(Unmodelled {
                field: path.to_owned(),
                value: value.to_owned(),
            });
        }
    });
    translator.out.finish(
        root.text_at("MessageIdentifier").map(str::to_owned),
        unmodelled,
    )
}

struct Translator<'r> {
    out: Builder,
    reference: &'r StandingData,
}

/// What one case's hearing produced, before it becomes events.
struct CaseDraft {
    case: CaseRef,
    hearing_id: HearingId,
    court: OuCode,
    starts_at: Timestamp,
}

impl Translator<'_> {
    fn problem(&mut self, code: &'static str, field: &str, value: &str, explanation: String) {
        self.out.problem(code, field, value, explanation);
    }

    fn emit(&mut self, key: &str, case: &CaseRef, at: Timestamp, payload: Payload) {
        self.out.emit(key, case, at, payload);
    }

    fn session(&mut self, index: usize, session: &Element) -> Result<(), Rejection> {
        let here = format!("Session[{index}]");
        let hearing = session
            .at("CourtHearing/Hearing")
            .ok_or_else(|| rejected(&format!("{here}/CourtHearing/Hearing"), "is missing"))?;
        let court_text = hearing.text_at("CourtHearingLocation").unwrap_or_default();
        let court = OuCode::parse(court_text).map_err(|e| {
            rejected(
                &format!("{here}/CourtHearing/Hearing/CourtHearingLocation"),
                e.to_string(),
            )
        })?;
        if self.reference.unit(&court).is_none() {
            self.problem(
                "court-unknown",
                &format!("{here}/CourtHearing/Hearing/CourtHearingLocation"),
                court.as_str(),
                format!("the court `{court}` is not in the standing data's organisation units"),
            );
        }
        let starts_at = date_time(
            hearing.text_at("DateOfHearing"),
            hearing.text_at("TimeOfHearing"),
        )
        .ok_or_else(|| {
            rejected(
                &format!("{here}/CourtHearing/Hearing/DateOfHearing"),
                "is missing or not a date (`YYYY-MM-DD`, with `TimeOfHearing` as `HH:MM:SS`)",
            )
        })?;
        for (case_index, case) in session.children_named("Case").enumerate() {
            let path = format!("{here}/Case[{case_index}]");
            let Some(case_ref) = self.case_ref(&path, case) else {
                continue;
            };
            let hearing_id = HearingId::parse(&format!(
                "{court}-{}-{}",
                starts_at.date(),
                case_ref
                    .urn
                    .as_ref()
                    .map(|u| u.as_str().to_owned())
                    .or_else(|| case_ref.asn.as_ref().map(|a| a.as_str().to_owned()))
                    .unwrap_or_default()
            ))
            .map_err(|e| rejected(&path, e.to_string()))?;
            let draft = CaseDraft {
                case: case_ref,
                hearing_id,
                court: court.clone(),
                starts_at,
            };
            self.case(&path, case, &draft);
        }
        Ok(())
    }

    /// The case's references: the PTIURN and the defendant's ASN. A reference failing its check
    /// is a problem; a case with neither usable is where a person placed the message, or
    /// unplaced (`None`), the message kept whole for a person to place.
    fn case_ref(&mut self, path: &str, case: &Element) -> Option<CaseRef> {
        let urn = self.out.checked(
            "urn-format",
            &format!("{path}/PTIURN"),
            case.text_at("PTIURN"),
            Urn::parse,
        );
        let asn = self.out.checked(
            "asn-invalid",
            &format!("{path}/Defendant/ProsecutorReference"),
            case.text_at("Defendant/ProsecutorReference"),
            Asn::parse,
        );
        if urn.is_none() && asn.is_none() {
            return self.out.unnamed_case(
                &format!("{path}/PTIURN"),
                "neither a valid PTIURN nor a valid ASN",
            );
        }
        Some(CaseRef {
            urn,
            asn,
            court_case_id: None,
        })
    }

    /// The court a case is adjourned to, checked as the hearing's own court is: malformed or
    /// unknown to the standing data, a data-quality problem (the adjournment is still kept).
    fn next_court(&mut self, field: &str, code: &str) -> Option<OuCode> {
        if code.is_empty() {
            return None;
        }
        match OuCode::parse(code) {
            Ok(court) => {
                if self.reference.unit(&court).is_none() {
                    self.problem(
                        "next-court-unknown",
                        field,
                        court.as_str(),
                        format!(
                            "the next hearing's court `{court}` is not in the standing data's organisation units"
                        ),
                    );
                }
                Some(court)
            }
            Err(error) => {
                self.problem("next-court-code-format", field, code, error.to_string());
                None
            }
        }
    }

    /// A committal to the Crown Court whose court and day are given only in the result's text
    /// (result 4014 and its kin): the next hearing, at the court the standing data knows by
    /// that name. A name it does not know is a data-quality problem; the adjournment is kept.
    fn committal(&mut self, at: &str, text: &Text) -> Option<NextHearingDraft> {
        let committal = committal(text.as_str())?;
        let field = format!("{at}/ResultText");
        let court = match self.reference.crown_court_named(committal.court) {
            Some(court) => court.to_string(),
            None => {
                self.problem(
                    "next-court-unknown",
                    &field,
                    committal.court,
                    format!(
                        "the court `{}` the result commits to is not in the standing data's organisation units",
                        committal.court
                    ),
                );
                String::new()
            }
        };
        let time = committal
            .at
            .map(|at| format!("{:02}:{:02}:00", at.hour(), at.minute()))
            .unwrap_or_default();
        // What the Crown Court hearing is for is the committal's reason, in its own words.
        let reason = committal.purpose.unwrap_or_default().to_owned();
        Some((committal.on.to_string(), time, court, reason, field))
    }

    fn case(&mut self, path: &str, case: &Element, draft: &CaseDraft) {
        let mut results = Vec::new();
        let mut offences = Vec::new();
        let mut disposals = Vec::new();
        let mut pleas = Vec::new();
        let mut verdicts = Vec::new();
        let mut next_hearings: Vec<NextHearingDraft> = Vec::new();
        let mut person = None;
        let mut bail = None;
        for (defendant_index, defendant) in case.children_named("Defendant").enumerate() {
            let here = format!("{path}/Defendant[{defendant_index}]");
            if person.is_none() {
                person = self.person(&here, defendant);
            }
            if bail.is_none() {
                bail = self.bail(&here, defendant);
            }
            for (offence_index, offence) in defendant.children_named("Offence").enumerate() {
                let at = format!("{here}/Offence[{offence_index}]");
                if entered_in_error(offence) {
                    // Resulted in error: the offence and its results are stripped, as Bichard
                    // strips them, and stay listed, unread, with the message.
                    continue;
                }
                let Some(sequence) = offence
                    .text_at("BaseOffenceDetails/OffenceSequenceNumber")
                    .and_then(|text| text.parse::<u16>().ok())
                else {
                    self.problem(
                        "offence-sequence",
                        &format!("{at}/BaseOffenceDetails/OffenceSequenceNumber"),
                        offence.text_at("BaseOffenceDetails/OffenceSequenceNumber").unwrap_or_default(),
                        "the offence has no sequence number, so its results cannot be matched to it".into(),
                    );
                    continue;
                };
                if let Some(charged) = self.offence(&at, sequence, offence) {
                    offences.push(charged);
                }
                if let Some(plea) = self.plea(&at, offence) {
                    pleas.push((sequence, plea));
                }
                if let Some(finding) = self.finding(&at, offence) {
                    verdicts.push((sequence, finding, Self::conviction_date(offence)));
                }
                let final_disposal = offence.text_at("FinalDisposalIndicator") == Some("Y");
                for (result_index, result) in offence.children_named("Result").enumerate() {
                    let at = format!("{at}/Result[{result_index}]");
                    let Some((line, disposal)) = self.result(&at, sequence, result) else {
                        continue;
                    };
                    if let Some(next) = result.at("NextHearing/NextHearingDetails") {
                        next_hearings.push((
                            next.text_at("DateOfHearing").unwrap_or_default().to_owned(),
                            next.text_at("TimeOfHearing").unwrap_or_default().to_owned(),
                            next.text_at("CourtHearingLocation")
                                .unwrap_or_default()
                                .to_owned(),
                            result
                                .text_at("NextHearing/NextHearingReason")
                                .unwrap_or_default()
                                .to_owned(),
                            format!("{at}/NextHearing/NextHearingDetails/CourtHearingLocation"),
                        ));
                    } else if let Some(next) = self.committal(&at, &line.text) {
                        next_hearings.push(next);
                    }
                    results.push(line);
                    if final_disposal {
                        disposals.push(disposal);
                    }
                }
            }
        }
        let (case_ref, at) = (&draft.case, draft.starts_at);
        // The defendant is kept even where no offence could be read.
        if person.is_some() || !offences.is_empty() {
            offences.sort_by_key(|offence: &ChargedOffence| offence.sequence);
            self.emit(
                "1-charge",
                case_ref,
                at,
                Payload::Charge(Charge {
                    defendant: person,
                    offences,
                }),
            );
        }
        self.emit(
            "2-listed",
            case_ref,
            at,
            Payload::HearingListed(HearingListed {
                hearing_id: draft.hearing_id.clone(),
                court: draft.court.clone(),
                courtroom: None,
                starts_at: at,
                purpose: HearingPurpose::Other,
                judge: None,
            }),
        );
        for (sequence, plea) in pleas {
            self.emit(
                &format!("3-plea-{sequence:03}"),
                case_ref,
                at,
                Payload::Plea(Plea {
                    offence_sequence: sequence,
                    plea,
                }),
            );
        }
        for (sequence, finding, convicted_on) in verdicts {
            self.emit(
                &format!("4-verdict-{sequence:03}"),
                case_ref,
                at,
                Payload::Verdict(Verdict {
                    offence_sequence: sequence,
                    finding,
                    convicted_on: convicted_on.filter(|_| finding == Finding::Guilty),
                }),
            );
        }
        self.emit(
            "5-result",
            case_ref,
            at,
            Payload::HearingResult(HearingResult {
                hearing_id: draft.hearing_id.clone(),
                results,
                trial: None,
                trial_reason: None,
            }),
        );
        if let Some(bail) = bail {
            self.emit("6-bail", case_ref, at, Payload::Bail(bail));
        }
        if !disposals.is_empty() {
            let supervised = disposals
                .iter()
                .any(|disposal| crate::codes::supervised(self.reference, &disposal.code));
            self.emit(
                "7-sentence",
                case_ref,
                at,
                Payload::Sentence(Sentence {
                    disposals,
                    supervised_by_probation: supervised,
                    // A Libra result does not name the probation service.
                    supervisor: None,
                }),
            );
        }
        // One adjournment per distinct next hearing, in the order of its day, time and court;
        // where several results name it, each different reason they give is kept.
        let mut distinct: BTreeMap<(String, String, String), (Vec<String>, String)> =
            BTreeMap::new();
        for (date, time, court, reason, field) in next_hearings {
            let (reasons, _) = distinct
                .entry((date, time, court))
                .or_insert_with(|| (Vec::new(), field));
            if !reason.is_empty() && !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
        for (index, ((date, time, court), (reasons, field))) in distinct.into_iter().enumerate() {
            let next_at = date_time(Some(&date), Some(&time));
            let next_court = self.next_court(&field, &court);
            let reason_given = free_text(&reasons.join(" "));
            self.emit(
                &format!("8-adjourned-{index}"),
                case_ref,
                at,
                Payload::Adjournment(Adjournment {
                    hearing_id: draft.hearing_id.clone(),
                    reason: reason_given
                        .as_ref()
                        .map_or(AdjournmentReason::Other, |words| {
                            adjournment_reason(words.as_str())
                        }),
                    responsible: None,
                    next_hearing_on: next_at.map(Timestamp::date),
                    next_court: next_court.clone(),
                    reason_given,
                }),
            );
            let (Some(next_at), Some(court)) = (next_at, next_court) else {
                continue;
            };
            let Ok(next_id) = HearingId::parse(&format!(
                "{court}-{}-{}",
                next_at.date(),
                draft
                    .hearing_id
                    .as_str()
                    .rsplit('-')
                    .next()
                    .unwrap_or_default()
            )) else {
                continue;
            };
            self.emit(
                &format!("9-next-listed-{index}"),
                case_ref,
                at,
                Payload::HearingListed(HearingListed {
                    hearing_id: next_id,
                    court,
                    courtroom: None,
                    starts_at: next_at,
                    purpose: reasons
                        .iter()
                        .map(|reason| purpose_in_words(reason))
                        .find(|purpose| *purpose != HearingPurpose::Other)
                        .unwrap_or(HearingPurpose::Other),
                    judge: None,
                }),
            );
        }
    }
}
