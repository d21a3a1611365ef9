//! Codes in canonical messages checked against the MoJ standing data. A code in the right form
//! that the standing data does not know is a data-quality problem: the message is accepted and
//! the problem recorded for the sending agency to resolve.

use joinery_domain::{
    CanonicalMessage, OffenceCode, OuCode, Payload, QualityProblem, ResultCode, Submission,
};
use joinery_reference::StandingData;

use crate::translation::DataQualityProblem;

fn offence(standing: &StandingData, field: String, code: &OffenceCode, out: &mut Problems) {
    let known = standing.offence(code).is_some();
    note(
        known,
        ("offence-code-unknown", "offence code"),
        field,
        code,
        out,
    );
}

fn unit(standing: &StandingData, field: String, code: &OuCode, out: &mut Problems) {
    let known = standing.unit(code).is_some();
    note(
        known,
        ("organisation-unit-unknown", "organisation unit"),
        field,
        code,
        out,
    );
}

fn result(standing: &StandingData, field: String, code: &ResultCode, out: &mut Problems) {
    let known = standing.result(code).is_some();
    note(
        known,
        ("result-code-unknown", "result code"),
        field,
        code,
        out,
    );
}

type Problems = Vec<DataQualityProblem>;

/// Notes on `out` a code at `field` that the standing data does not know: the problem's code,
/// and what kind of code it is in words.
fn note(
    known: bool,
    (problem, named): (&'static str, &str),
    field: String,
    code: &dyn std::fmt::Display,
    out: &mut Problems,
) {
    if !known {
        out.push(DataQualityProblem {
            code: problem,
            field,
            value: code.to_string(),
            explanation: format!("the {named} `{code}` is not in the standing data"),
        });
    }
}

/// Sets each charged offence's type from the standing data, replacing whatever the sender gave
/// (a type is Joinery's reading of the standing data, never a sender's assertion); none
/// without standing data.
pub fn classify_offences(message: &mut CanonicalMessage, standing: Option<&StandingData>) {
    if let Payload::Charge(charge) = &mut message.payload {
        for offence in &mut charge.offences {
            offence.offence_type = standing.map(|standing| standing.offence_type(&offence.code));
        }
    }
}

/// `submission` with its offences classified (`classify_offences`) and the codes the standing
/// data does not know noted on it as data-quality problems, to be stored with it.
pub fn noting_unknown_codes(submission: Submission, standing: Option<&StandingData>) -> Submission {
    let submission = submission.with_message(|message| classify_offences(message, standing));
    let Some(standing) = standing else {
        return submission;
    };
    let problems = unknown_codes(submission.message(), standing)
        .into_iter()
        .map(QualityProblem::from)
        .collect();
    submission.with_problems(problems)
}

/// The codes in `message` the standing data does not know, each with its field.
pub fn unknown_codes(
    message: &CanonicalMessage,
    standing: &StandingData,
) -> Vec<DataQualityProblem> {
    let mut out = Vec::new();
    match &message.payload {
        Payload::Arrest(arrest) => {
            if let Some(code) = &arrest.suspected_offence {
                offence(standing, "payload.suspected_offence".into(), code, &mut out);
            }
            if let Some(code) = &arrest.custody_unit {
                unit(standing, "payload.custody_unit".into(), code, &mut out);
            }
        }
        Payload::ChargingDecision(decision) => {
            for (index, code) in decision.offences.iter().enumerate() {
                offence(
                    standing,
                    format!("payload.offences[{index}]"),
                    code,
                    &mut out,
                );
            }
        }
        Payload::Charge(charge) => {
            for (index, charged) in charge.offences.iter().enumerate() {
                offence(
                    standing,
                    format!("payload.offences[{index}].code"),
                    &charged.code,
                    &mut out,
                );
            }
        }
        Payload::HearingListed(listed) => {
            unit(standing, "payload.court".into(), &listed.court, &mut out)
        }
        Payload::HearingResult(hearing) => {
            for (index, line) in hearing.results.iter().enumerate() {
                result(
                    standing,
                    format!("payload.results[{index}].code"),
                    &line.code,
                    &mut out,
                );
            }
        }
        Payload::Sentence(sentence) => {
            for (index, disposal) in sentence.disposals.iter().enumerate() {
                result(
                    standing,
                    format!("payload.disposals[{index}].code"),
                    &disposal.code,
                    &mut out,
                );
            }
        }
        Payload::Antecedents(antecedents) => {
            for (index, conviction) in antecedents.previous_convictions.iter().enumerate() {
                let at = format!("payload.previous_convictions[{index}]");
                offence(
                    standing,
                    format!("{at}.offence"),
                    &conviction.offence,
                    &mut out,
                );
                if let Some(court) = &conviction.court {
                    unit(standing, format!("{at}.court"), court, &mut out);
                }
            }
        }
        _ => {}
    }
    out
}

/// Whether a result is an order probation supervises: the standing data's description names
/// a community order or a suspended sentence.
pub(crate) fn supervised(standing: &StandingData, code: &ResultCode) -> bool {
    standing.result(code).is_some_and(|meaning| {
        let description = meaning.description.to_ascii_lowercase();
        description.contains("community order") || description.contains("suspended")
    })
}
