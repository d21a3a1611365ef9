//! The example of every canonical message type, from `examples/messages/`, built into the binary
//! so that the OpenAPI document shows them and the tests can post them.

use joinery_domain::MessageKind;

/// One example per message type: the type and the file's text.
pub const MESSAGE_EXAMPLES: [(MessageKind, &str); 17] = [
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
        MessageKind::Retraction,
        include_str!("../../../examples/messages/retraction.json"),
    ),
];
