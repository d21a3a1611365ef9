//! What a transaction's arrivals come to in the audit trail: one entry per sending agency with
//! the ids of its messages accepted, duplicated or in conflict, and one per consent given or
//! withdrawn, against its case. Recorded in the transaction that stores the messages.

use std::collections::BTreeMap;

use joinery_domain::{AgencyCode, MessageId, Payload, Submission};
use joinery_ports::{Actor, AppendOutcome, AuditAction, AuditDetail, AuditEvent, AuditSubject};

/// For each sending agency, the ids of its messages accepted, duplicated or in conflict; and
/// each consent given or withdrawn, against its case.
#[derive(Default)]
pub(super) struct Received(BTreeMap<AgencyCode, [Vec<MessageId>; 3]>, Vec<AuditEvent>);

impl Received {
    pub(super) fn note(&mut self, group: &[Submission], outcomes: &[AppendOutcome]) {
        for (submission, outcome) in group.iter().zip(outcomes) {
            let message = submission.message();
            if let AppendOutcome::Accepted { case_id, .. } = outcome {
                let consent = match &message.payload {
                    Payload::ConsentGiven(consent) => Some((consent.category, true)),
                    Payload::ConsentWithdrawn(consent) => Some((consent.category, false)),
                    _ => None,
                };
                if let Some((category, given)) = consent {
                    self.1.push(AuditEvent {
                        actor: Actor::AgencySystem(message.agency.clone()),
                        action: AuditAction::ConsentChanged,
                        subject: Some(AuditSubject::Case(*case_id)),
                        detail: AuditDetail::ConsentChanged {
                            message_id: message.message_id.clone(),
                            category,
                            given,
                        },
                    });
                }
            }
            // A judge's comment is recorded by its author's own entry, not as a system's message.
            if matches!(message.payload, Payload::JudicialComment(_)) {
                continue;
            }
            let lists = self.0.entry(message.agency.clone()).or_default();
            let list = match outcome {
                AppendOutcome::Accepted { .. } => 0,
                AppendOutcome::Duplicate { .. } => 1,
                AppendOutcome::Conflict { .. } => 2,
            };
            lists[list].push(message.message_id.clone());
        }
    }

    /// One audit event per agency: a transaction's messages are recorded together, by id.
    pub(super) fn into_events(self) -> Vec<AuditEvent> {
        let consents = self.1;
        self.0
            .into_iter()
            .map(|(agency, [accepted, duplicate, conflict])| AuditEvent {
                actor: Actor::AgencySystem(agency),
                action: AuditAction::MessagesReceived,
                subject: None,
                detail: AuditDetail::MessagesReceived {
                    accepted,
                    duplicate,
                    conflict,
                },
            })
            .chain(consents)
            .collect()
    }
}
