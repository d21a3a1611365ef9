//! The example of every canonical message type, from `examples/messages/`, built in: they type
//! the cells of CSV rows, document the API (the OpenAPI document shows each), and tests post them.

use joinery_domain::MessageKind;

/// One example per message type that agency systems send: the type and the file's text.
pub const MESSAGE_EXAMPLES: [(MessageKind, &str); 27] = [
    (
        MessageKind::Arrest,
        include_str!("../../../examples/messages/arrest.json"),
    ),
    (
        MessageKind::Bail,
        include_str!("../../../examples/messages/bail.json"),
    ),
    (
        MessageKind::ChargingDecision,
        include_str!("../../../examples/messages/charging_decision.json"),
    ),
    (
        MessageKind::Charge,
        include_str!("../../../examples/messages/charge.json"),
    ),
    (
        MessageKind::HearingListed,
        include_str!("../../../examples/messages/hearing_listed.json"),
    ),
    (
        MessageKind::HearingResult,
        include_str!("../../../examples/messages/hearing_result.json"),
    ),
    (
        MessageKind::Plea,
        include_str!("../../../examples/messages/plea.json"),
    ),
    (
        MessageKind::BadCharacterRuling,
        include_str!("../../../examples/messages/bad_character_ruling.json"),
    ),
    (
        MessageKind::Verdict,
        include_str!("../../../examples/messages/verdict.json"),
    ),
    (
        MessageKind::Adjournment,
        include_str!("../../../examples/messages/adjournment.json"),
    ),
    (
        MessageKind::Sentence,
        include_str!("../../../examples/messages/sentence.json"),
    ),
    (
        MessageKind::ActionRequested,
        include_str!("../../../examples/messages/action_requested.json"),
    ),
    (
        MessageKind::ActionCompleted,
        include_str!("../../../examples/messages/action_completed.json"),
    ),
    (
        MessageKind::ActionWithdrawn,
        include_str!("../../../examples/messages/action_withdrawn.json"),
    ),
    (
        MessageKind::ReportSubmitted,
        include_str!("../../../examples/messages/report_submitted.json"),
    ),
    (
        MessageKind::Referral,
        include_str!("../../../examples/messages/referral.json"),
    ),
    (
        MessageKind::SupportProgress,
        include_str!("../../../examples/messages/support_progress.json"),
    ),
    (
        MessageKind::CaseClosed,
        include_str!("../../../examples/messages/case_closed.json"),
    ),
    (
        MessageKind::ConsentGiven,
        include_str!("../../../examples/messages/consent_given.json"),
    ),
    (
        MessageKind::ConsentWithdrawn,
        include_str!("../../../examples/messages/consent_withdrawn.json"),
    ),
    (
        MessageKind::PoliceFile,
        include_str!("../../../examples/messages/police_file.json"),
    ),
    (
        MessageKind::Intelligence,
        include_str!("../../../examples/messages/intelligence.json"),
    ),
    (
        MessageKind::VictimWitness,
        include_str!("../../../examples/messages/victim_witness.json"),
    ),
    (
        MessageKind::LegalAdvice,
        include_str!("../../../examples/messages/legal_advice.json"),
    ),
    (
        MessageKind::Antecedents,
        include_str!("../../../examples/messages/antecedents.json"),
    ),
    (
        MessageKind::Health,
        include_str!("../../../examples/messages/health.json"),
    ),
    (
        MessageKind::Retraction,
        include_str!("../../../examples/messages/retraction.json"),
    ),
];

/// The example of the message type `kind` (`arrest`, ...) as JSON, to read CSV cells by.
pub fn example_of(kind: &str) -> Option<serde_json::Value> {
    MESSAGE_EXAMPLES
        .iter()
        .find(|(example_kind, _)| example_kind.as_str() == kind)
        .and_then(|(_, text)| serde_json::from_str(text).ok())
}

/// The documented CSV layout of every message type, generated from the examples (as in
/// `docs/csv.md`).
pub fn documented_csv_layout() -> String {
    let examples: Vec<(&str, serde_json::Value)> = MESSAGE_EXAMPLES
        .iter()
        .filter_map(|(kind, text)| Some((kind.as_str(), serde_json::from_str(text).ok()?)))
        .collect();
    crate::csv_layout(&examples)
}
