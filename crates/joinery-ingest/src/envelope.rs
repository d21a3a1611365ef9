//! Parses one canonical message in two steps: the envelope (provenance, case, type), then the
//! payload as the type says. Parsing the payload on its own lets an error name the exact field
//! (`payload.offences[0].code`) rather than "no variant matched".

use joinery_domain::message::{self, CaseRef, Payload};
use joinery_domain::{
    AgencyCode, CanonicalMessage, MessageId, MessageKind, Submission, SystemName, Timestamp,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::document::without_position;
use crate::problem::{FieldProblem, Rejection, RejectionKind, Segment};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    message_id: MessageId,
    agency: AgencyCode,
    system: SystemName,
    occurred_at: Timestamp,
    case: CaseRef,
    #[serde(rename = "type")]
    kind: MessageKind,
    #[serde(borrow)]
    payload: &'a RawValue,
}

/// Parses and validates one message sent by `sender`. A refusal notes what of it may be kept
/// (nothing the message said).
pub fn parse_message(sender: &AgencyCode, text: &str) -> Result<Submission, Rejection> {
    parse(sender, text).map_err(|rejection| rejection.without_what_was_sent(text))
}

fn parse(sender: &AgencyCode, text: &str) -> Result<Submission, Rejection> {
    let envelope: Envelope<'_> = deserialize_at(&[], text)?;
    if !envelope.case.names_a_case() {
        return Err(Rejection::invalid(FieldProblem::new(
            &[Segment::Key("case".into())],
            "names no case: give `urn`, `asn` or both",
        )));
    }
    if &envelope.agency != sender {
        return Err(Rejection {
            kind: RejectionKind::WrongAgency,
            problems: vec![FieldProblem::new(
                &[Segment::Key("agency".into())],
                format!(
                    "this key sends for `{sender}`; a message cannot claim to come from `{}`",
                    envelope.agency
                ),
            )],
        });
    }
    if !envelope.kind.sent_by_systems() {
        return Err(Rejection::invalid(FieldProblem::new(
            &[Segment::Key("type".into())],
            format!(
                "`{}` is written by judges in Joinery and cannot be sent by a system",
                envelope.kind.as_str()
            ),
        )));
    }
    let payload = parse_payload(envelope.kind, envelope.payload.get())?;
    for (list, entries) in payload.lists() {
        if entries > message::MAX_LIST_ENTRIES {
            return Err(Rejection::invalid(FieldProblem::new(
                &[Segment::Key("payload".into()), Segment::Key(list.into())],
                format!(
                    "holds {entries} entries, more than the {} one message may hold",
                    message::MAX_LIST_ENTRIES
                ),
            )));
        }
    }
    Ok(Submission::new(
        CanonicalMessage {
            message_id: envelope.message_id,
            agency: envelope.agency,
            system: envelope.system,
            occurred_at: envelope.occurred_at,
            case: envelope.case,
            payload,
        },
        text.to_owned(),
    ))
}

fn parse_payload(kind: MessageKind, text: &str) -> Result<Payload, Rejection> {
    fn payload<T: DeserializeOwned>(text: &str) -> Result<T, Rejection> {
        deserialize_at(&[Segment::Key("payload".into())], text)
    }
    Ok(match kind {
        MessageKind::Arrest => Payload::Arrest(payload::<message::Arrest>(text)?),
        MessageKind::Bail => Payload::Bail(payload(text)?),
        MessageKind::ChargingDecision => Payload::ChargingDecision(payload(text)?),
        MessageKind::Charge => Payload::Charge(payload(text)?),
        MessageKind::HearingListed => Payload::HearingListed(payload(text)?),
        MessageKind::HearingResult => Payload::HearingResult(payload(text)?),
        MessageKind::Plea => Payload::Plea(payload(text)?),
        MessageKind::BadCharacterRuling => Payload::BadCharacterRuling(payload(text)?),
        MessageKind::Verdict => Payload::Verdict(payload(text)?),
        MessageKind::Adjournment => Payload::Adjournment(payload(text)?),
        MessageKind::Sentence => Payload::Sentence(payload(text)?),
        MessageKind::ActionRequested => Payload::ActionRequested(payload(text)?),
        MessageKind::ActionCompleted => Payload::ActionCompleted(payload(text)?),
        MessageKind::ActionWithdrawn => Payload::ActionWithdrawn(payload(text)?),
        MessageKind::ReportSubmitted => Payload::ReportSubmitted(payload(text)?),
        MessageKind::Referral => Payload::Referral(payload(text)?),
        MessageKind::SupportProgress => Payload::SupportProgress(payload(text)?),
        MessageKind::CaseClosed => Payload::CaseClosed(payload(text)?),
        MessageKind::ConsentGiven => Payload::ConsentGiven(payload(text)?),
        MessageKind::ConsentWithdrawn => Payload::ConsentWithdrawn(payload(text)?),
        MessageKind::PoliceFile => Payload::PoliceFile(payload(text)?),
        MessageKind::Intelligence => Payload::Intelligence(payload(text)?),
        MessageKind::VictimWitness => Payload::VictimWitness(payload(text)?),
        MessageKind::LegalAdvice => Payload::LegalAdvice(payload(text)?),
        MessageKind::Antecedents => Payload::Antecedents(payload(text)?),
        MessageKind::Health => Payload::Health(payload(text)?),
        MessageKind::JudicialComment => Payload::JudicialComment(payload(text)?),
        MessageKind::Retraction => Payload::Retraction(payload(text)?),
    })
}

/// Reads a JSON request body (a sign-in, a webhook's registration...) as `T`, or refuses it
/// with a problem naming the field, as for a message; what it says is never kept.
pub fn read_json<T: DeserializeOwned>(text: &str) -> Result<T, Rejection> {
    deserialize_at(&[], text).map_err(|rejection| rejection.without_what_was_sent(text))
}

/// Deserializes `text`, turning any error into a problem that names the field: the path serde
/// was at, plus the missing or unknown field that serde names only in its message.
fn deserialize_at<'de, T: Deserialize<'de>>(
    prefix: &[Segment],
    text: &'de str,
) -> Result<T, Rejection> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| path_problem(prefix, &error))?;
    deserializer
        .end()
        .map_err(|error| Rejection::invalid(FieldProblem::new(prefix, without_position(&error))))?;
    Ok(value)
}

fn path_problem(
    prefix: &[Segment],
    error: &serde_path_to_error::Error<serde_json::Error>,
) -> Rejection {
    {
        let mut segments = prefix.to_vec();
        for segment in error.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    segments.push(Segment::Index(*index))
                }
                serde_path_to_error::Segment::Map { key } => {
                    segments.push(Segment::Key(key.clone()))
                }
                serde_path_to_error::Segment::Enum { variant } => {
                    segments.push(Segment::Key(variant.clone()))
                }
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        let problem = without_position(error.inner());
        if let Some(missing) = quoted_after(&problem, "missing field `") {
            segments.push(Segment::Key(missing.to_owned()));
            return Rejection::invalid(FieldProblem::new(&segments, "is required but missing"));
        }
        if let Some(unknown) = quoted_after(&problem, "unknown field `") {
            if !matches!(segments.last(), Some(Segment::Key(key)) if key == unknown) {
                segments.push(Segment::Key(unknown.to_owned()));
            }
            let expected = problem.split_once(", ").map_or("", |(_, rest)| rest);
            return Rejection::invalid(FieldProblem::new(
                &segments,
                format!("`{unknown}` is not a field of this message ({expected})"),
            ));
        }
        Rejection::invalid(FieldProblem::new(&segments, problem))
    }
}

/// The text between `opening` and the next backtick, if `message` starts with `opening`.
fn quoted_after<'a>(message: &'a str, opening: &str) -> Option<&'a str> {
    message.strip_prefix(opening)?.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn police() -> AgencyCode {
        AgencyCode::parse("MERPOL").unwrap_or_else(|e| panic!("{e}"))
    }

    const BAIL: &str = r#"{"message_id":"M-1","agency":"MERPOL","system":"Niche RMS",
        "occurred_at":"2026-03-01T10:15:00Z","case":{"urn":"05AA1234526"},
        "type":"bail","payload":{"status":"police_bail","conditions":["Curfew 19:00 to 07:00"]}}"#;

    fn problem_of(text: &str) -> FieldProblem {
        match parse_message(&police(), text) {
            Ok(_) => panic!("accepted: {text}"),
            Err(rejection) => rejection.problems[0].clone(),
        }
    }

    #[test]
    fn a_list_longer_than_any_real_message_is_refused_naming_it() {
        let conditions: Vec<String> = (0..=message::MAX_LIST_ENTRIES)
            .map(|n| format!("\"Condition {n}\""))
            .collect();
        let long = BAIL.replace(
            r#"["Curfew 19:00 to 07:00"]"#,
            &format!("[{}]", conditions.join(",")),
        );
        let problem = problem_of(&long);
        assert_eq!(problem.field, "payload.conditions");
        assert!(
            problem.problem.contains("501 entries"),
            "{}",
            problem.problem
        );
    }

    #[test]
    fn a_good_message_parses_and_keeps_its_text() {
        let submission = parse_message(&police(), BAIL).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(submission.message().payload.kind(), MessageKind::Bail);
        assert_eq!(submission.body(), BAIL);
    }

    #[test]
    fn problems_name_the_field() {
        let bad_status = BAIL.replace("police_bail", "house_arrest");
        assert_eq!(problem_of(&bad_status).field, "payload.status");
        let bad_urn = BAIL.replace("05AA1234526", "not a urn");
        let problem = problem_of(&bad_urn);
        assert_eq!(
            (problem.field.as_str(), problem.pointer.as_str()),
            ("case.urn", "/case/urn")
        );
        assert!(
            problem.problem.contains("`not a urn` is not a valid URN"),
            "{}",
            problem.problem
        );
        let missing = BAIL.replace(r#""system":"Niche RMS","#, "");
        assert_eq!(problem_of(&missing).field, "system");
        let unknown = BAIL.replace(r#""conditions""#, r#""condtions""#);
        assert_eq!(problem_of(&unknown).field, "payload.condtions");
        let mistyped = BAIL.replace(r#"["Curfew 19:00 to 07:00"]"#, "42");
        assert_eq!(problem_of(&mistyped).field, "payload.conditions");
        let unknown_type = BAIL.replace(r#""type":"bail""#, r#""type":"bale""#);
        assert_eq!(problem_of(&unknown_type).field, "type");
        let no_case = BAIL.replace(r#"{"urn":"05AA1234526"}"#, "{}");
        assert_eq!(problem_of(&no_case).field, "case");
    }

    #[test]
    fn a_message_cannot_claim_another_agency() {
        let other = AgencyCode::parse("CPSMER").unwrap_or_else(|e| panic!("{e}"));
        let rejection = parse_message(&other, BAIL).err();
        assert_eq!(rejection.map(|r| r.kind), Some(RejectionKind::WrongAgency));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_is_rejected_or_parsed_but_never_panics(text in "\\PC{0,200}") {
            let _ = parse_message(&police(), &text);
        }

        #[test]
        fn a_good_message_with_any_field_dropped_names_that_field(field in proptest::sample::select(vec!["message_id", "agency", "system", "occurred_at", "case", "type", "payload"])) {
            let mut value: serde_json::Value = serde_json::from_str(BAIL).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.remove(field);
            }
            let rejection = parse_message(&police(), &value.to_string()).err();
            proptest::prop_assert_eq!(rejection.map(|r| r.problems[0].field.clone()), Some(field.to_owned()));
        }
    }
}
