//! HMCTS Common Platform hearings (`{"hearing": {...}}` JSON, as published to probation and
//! to the police) translated into canonical events: for each prosecution case, the charge
//! (defendant with PNC ID and CRO number, offences), the hearing (court centre, courtroom, first
//! sitting day, type), pleas and verdicts, and the hearing's results — each offence's and each
//! defendant's `judicialResults`, the sentence where a final result convicts, the defendant's
//! bail, a cracked or ineffective trial with its reason, and each next hearing as an adjournment
//! and a listing.
//!
//! Identifiers failing their checks and codes the standing data does not know are data-quality
//! problems; a prosecution case with no valid URN and no id is refused, since nothing else in
//! the message names the case. Every value the translation does not read is listed by its full
//! JSON path and kept with the message: what is read is recorded path by path as it is read, so
//! a value is never taken as read because another of the same name was.

use std::collections::HashSet;

use joinery_domain::message::{Adjournment, Charge, HearingListed, HearingResult, Sentence};
use joinery_domain::{
    AgencyCode, CaseRef, HearingId, OuCode, Payload, SystemName, Text, Timestamp,
};
use joinery_reference::StandingData;
use serde_json::Value;

use crate::court_words::free_text;
use crate::problem::{FieldProblem, Rejection, Segment};
use crate::translation::{Builder, SourceFormat, Translation, Unmodelled};

mod results;
mod values;

use self::results::{CaseResults, NextHearing};
use self::values::{purpose, sitting_day};

fn rejected(pointer: &[&str], problem: impl Into<String>) -> Rejection {
    let segments: Vec<Segment> = pointer
        .iter()
        .map(|key| Segment::Key((*key).to_owned()))
        .collect();
    Rejection::invalid(FieldProblem::new(&segments, problem))
}

fn array<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn at(value: &Value, relative: &str) -> Option<Value> {
    relative
        .split('/')
        .try_fold(value, |value, key| value.get(key))
        .cloned()
}

/// Translates one Common Platform hearing message sent by `sender`.
pub fn translate_common_platform(
    sender: &AgencyCode,
    text_in: &str,
    reference: &StandingData,
) -> Result<Translation, Rejection> {
    translate(sender, text_in, reference, None)
}

/// Translates one Common Platform hearing message, its cases that name no usable reference
/// placed on `placement`, if given.
pub(crate) fn translate(
    sender: &AgencyCode,
    text_in: &str,
    reference: &StandingData,
    placement: Option<&CaseRef>,
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
    let mut translator = Translator {
        out: Builder::new(SourceFormat::CommonPlatform, sender, system, text_in).placed(placement),
        reference,
        read: HashSet::new(),
    };
    translator.hearing(hearing)?;
    let mut unmodelled = Vec::new();
    collect_unmodelled(&root, "", &translator.read, &mut unmodelled);
    let identifier = hearing.get("id").and_then(Value::as_str).map(str::to_owned);
    translator.out.finish(identifier, unmodelled)
}

pub(super) struct Translator<'r> {
    pub(super) out: Builder,
    pub(super) reference: &'r StandingData,
    /// The full JSON paths of the values read, whether or not they could be used.
    read: HashSet<String>,
}

/// What the hearing itself gives every case heard at it.
struct HearingDraft {
    hearing_id: HearingId,
    court: Option<OuCode>,
    courtroom: Option<Text>,
    starts_at: Option<Timestamp>,
    purpose: joinery_domain::journey::HearingPurpose,
}

impl Translator<'_> {
    /// The text at `relative` under `node` (found at `path`), trimmed; recorded as read.
    pub(super) fn text<'v>(
        &mut self,
        node: &'v Value,
        path: &str,
        relative: &str,
    ) -> Option<&'v str> {
        let value = relative
            .split('/')
            .try_fold(node, |value, key| value.get(key))?
            .as_str()?;
        self.read.insert(format!("{path}/{relative}"));
        Some(value.trim()).filter(|text| !text.is_empty())
    }

    pub(super) fn flag(&mut self, node: &Value, path: &str, relative: &str) -> Option<bool> {
        let value = at(node, relative)?.as_bool()?;
        self.read.insert(format!("{path}/{relative}"));
        Some(value)
    }

    pub(super) fn number(&mut self, node: &Value, path: &str, relative: &str) -> Option<u64> {
        let value = at(node, relative)?.as_u64()?;
        self.read.insert(format!("{path}/{relative}"));
        Some(value)
    }

    fn hearing(&mut self, hearing: &Value) -> Result<(), Rejection> {
        let hearing_id = self
            .text(hearing, "hearing", "id")
            .and_then(|id| HearingId::parse(id).ok())
            .ok_or_else(|| rejected(&["hearing", "id"], "is missing or not a usable hearing id"))?;
        let court = self.court(hearing, "hearing", "courtCentre", "court");
        // The courtroom is read only where there is a court to list the hearing at.
        let courtroom = match court {
            Some(_) => self
                .text(hearing, "hearing", "courtCentre/roomName")
                .and_then(free_text),
            None => None,
        };
        let mut sittings = Vec::new();
        for (index, day) in array(hearing, "hearingDays").iter().enumerate() {
            let path = format!("hearing/hearingDays/{index}");
            match self
                .text(day, &path, "sittingDay")
                .map(|at| (at, sitting_day(at)))
            {
                Some((_, Ok(at))) => sittings.push(at),
                Some((value, Err(error))) => {
                    self.out
                        .problem("sitting-day", &format!("{path}/sittingDay"), value, error);
                }
                None => self.out.problem(
                    "sitting-day",
                    &format!("{path}/sittingDay"),
                    "",
                    "a hearing day has no sitting day".into(),
                ),
            }
        }
        let starts_at = sittings.into_iter().min();
        if starts_at.is_none() {
            self.out.problem(
                "hearing-days-missing",
                "hearing/hearingDays",
                "",
                "no hearing day has a sitting day, so the hearing is not listed; its cases are \
                 dated by the earliest date their results give"
                    .into(),
            );
        }
        let description = self.text(hearing, "hearing", "type/description");
        let draft = HearingDraft {
            hearing_id,
            court,
            courtroom,
            starts_at,
            purpose: purpose(description),
        };
        let trial = self.trial(hearing);
        let cases = array(hearing, "prosecutionCases");
        if cases.is_empty() {
            return Err(rejected(
                &["hearing", "prosecutionCases"],
                "holds no prosecution case",
            ));
        }
        for (case_index, case) in cases.iter().enumerate() {
            self.case(hearing, &draft, trial.clone(), case_index, case)?;
        }
        Ok(())
    }

    /// A court centre's code (at `path/relative/code`), checked against the standing data: a
    /// code missing, malformed or unknown is a problem. `what` names it in problem codes.
    pub(super) fn court(
        &mut self,
        node: &Value,
        path: &str,
        relative: &str,
        what: &'static str,
    ) -> Option<OuCode> {
        let field = format!("{path}/{relative}/code");
        let (missing, format, unknown) = match what {
            "court" => ("court-missing", "court-code-format", "court-unknown"),
            _ => (
                "next-court-missing",
                "next-court-code-format",
                "next-court-unknown",
            ),
        };
        let Some(code) = self.text(node, path, &format!("{relative}/code")) else {
            self.out.problem(
                missing,
                &field,
                "",
                "the court centre has no code, so the hearing cannot be listed at a court".into(),
            );
            return None;
        };
        match OuCode::parse(code) {
            Ok(court) => {
                if self.reference.unit(&court).is_none() {
                    self.out.problem(
                        unknown,
                        &field,
                        court.as_str(),
                        format!(
                            "the court centre `{court}` is not in the standing data's organisation units"
                        ),
                    );
                }
                Some(court)
            }
            Err(error) => {
                self.out.problem(format, &field, code, error.to_string());
                None
            }
        }
    }

    fn case(
        &mut self,
        hearing: &Value,
        draft: &HearingDraft,
        trial: results::Trial,
        case_index: usize,
        case: &Value,
    ) -> Result<(), Rejection> {
        let here = format!("hearing/prosecutionCases/{case_index}");
        let Some(case_ref) = self.case_reference(&here, case) else {
            return Ok(());
        };
        let mut results = CaseResults::default();
        let mut charges = Vec::new();
        for (defendant_index, defendant) in array(case, "defendants").iter().enumerate() {
            let path = format!("{here}/defendants/{defendant_index}");
            let person = self.defendant_person(&path, defendant);
            let mut offences = Vec::new();
            for (offence_index, offence) in array(defendant, "offences").iter().enumerate() {
                let at = format!("{path}/offences/{offence_index}");
                if results::entered_in_error(offence) {
                    // Resulted in error: the offence and its results are stripped, as Bichard
                    // strips them, and stay listed, unread, with the message.
                    continue;
                }
                let sequence = self
                    .number(offence, &at, "listingNumber")
                    .and_then(|n| u16::try_from(n).ok())
                    .unwrap_or_else(|| u16::try_from(offence_index + 1).unwrap_or(u16::MAX));
                if let Some(charged) = self.charged_offence(&at, sequence, offence) {
                    offences.push(charged);
                }
                self.offence_outcomes(&at, sequence, offence, &mut results);
            }
            self.defendant_results(hearing, &path, defendant, &mut results);
            self.bail(&path, defendant, &mut results);
            if person.is_some() || !offences.is_empty() {
                charges.push((
                    format!("{case_index}-{defendant_index}"),
                    Charge {
                        defendant: person,
                        offences,
                    },
                ));
            }
        }
        let Some(at) = draft.starts_at.or(results.earliest) else {
            return Err(rejected(
                &["hearing", "hearingDays"],
                "no hearing day has a sitting day, and nothing else in the case is dated",
            ));
        };
        for (key, charge) in charges {
            self.out.emit(
                &format!("1-charge-{key}"),
                &case_ref,
                at,
                Payload::Charge(charge),
            );
        }
        if let (Some(court), Some(starts_at)) = (&draft.court, draft.starts_at) {
            self.out.emit(
                &format!("2-listed-{case_index}"),
                &case_ref,
                at,
                Payload::HearingListed(HearingListed {
                    hearing_id: draft.hearing_id.clone(),
                    court: court.clone(),
                    courtroom: draft.courtroom.clone(),
                    starts_at,
                    purpose: draft.purpose,
                    judge: None,
                }),
            );
        }
        self.emit_outcomes(case_index, &case_ref, at, draft, trial, results);
        Ok(())
    }

    /// Pleas, verdicts, results, bail, sentence and next hearings, in the order a case's
    /// journey takes them.
    fn emit_outcomes(
        &mut self,
        case_index: usize,
        case_ref: &CaseRef,
        at: Timestamp,
        draft: &HearingDraft,
        trial: results::Trial,
        results: CaseResults,
    ) {
        for (key, plea) in results.pleas {
            self.out
                .emit(&format!("3-plea-{key}"), case_ref, at, Payload::Plea(plea));
        }
        for (key, verdict) in results.verdicts {
            self.out.emit(
                &format!("4-verdict-{key}"),
                case_ref,
                at,
                Payload::Verdict(verdict),
            );
        }
        if !results.lines.is_empty() || trial.effectiveness.is_some() {
            self.out.emit(
                &format!("5-result-{case_index}"),
                case_ref,
                at,
                Payload::HearingResult(HearingResult {
                    hearing_id: draft.hearing_id.clone(),
                    results: results.lines,
                    trial: trial.effectiveness,
                    trial_reason: trial.reason,
                }),
            );
        }
        if let Some(bail) = results.bail {
            self.out.emit(
                &format!("6-bail-{case_index}"),
                case_ref,
                at,
                Payload::Bail(bail),
            );
        }
        if !results.disposals.is_empty() {
            let supervised_by_probation = results
                .disposals
                .iter()
                .any(|disposal| crate::codes::supervised(self.reference, &disposal.code));
            self.out.emit(
                &format!("7-sentence-{case_index}"),
                case_ref,
                at,
                Payload::Sentence(Sentence {
                    disposals: results.disposals,
                    supervised_by_probation,
                    // Common Platform names the supervising court, not the probation service.
                    supervisor: None,
                }),
            );
        }
        for (index, next) in results.next_hearings.into_iter().enumerate() {
            let NextHearing {
                court,
                starts_at,
                on,
                purpose,
                reason,
                reason_given,
                hearing_id,
            } = next;
            self.out.emit(
                &format!("8-adjourned-{case_index}-{index}"),
                case_ref,
                at,
                Payload::Adjournment(Adjournment {
                    hearing_id: draft.hearing_id.clone(),
                    reason,
                    responsible: None,
                    next_hearing_on: on,
                    next_court: court.clone(),
                    reason_given,
                }),
            );
            let (Some(court), Some(starts_at)) = (court, starts_at) else {
                continue;
            };
            let next_id = hearing_id.or_else(|| {
                let case = case_ref
                    .urn
                    .as_ref()
                    .map(ToString::to_string)
                    .or_else(|| case_ref.court_case_id.as_ref().map(ToString::to_string))
                    .unwrap_or_default();
                HearingId::parse(&format!("{court}-{}-{case}", starts_at.date())).ok()
            });
            let Some(next_id) = next_id else { continue };
            self.out.emit(
                &format!("9-next-listed-{case_index}-{index}"),
                case_ref,
                at,
                Payload::HearingListed(HearingListed {
                    hearing_id: next_id,
                    court,
                    courtroom: None,
                    starts_at,
                    purpose,
                    judge: None,
                }),
            );
        }
    }
}

/// Every value under `value` not read (`read` holds the full paths of those read), by its full
/// JSON path.
fn collect_unmodelled(
    value: &Value,
    path: &str,
    read: &HashSet<String>,
    out: &mut Vec<Unmodelled>,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}/{key}")
                };
                collect_unmodelled(child, &child_path, read, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_unmodelled(child, &format!("{path}/{index}"), read, out);
            }
        }
        Value::Null => {}
        Value::String(text) if text.trim().is_empty() => {}
        leaf => {
            if !read.contains(path) {
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
