//! What people write on a case in Joinery itself: a judge's private comment and the consent a
//! person gives or withdraws here; work asked and done in `work.rs`. Each is allowed only to
//! those the case is open to in the right role, stored as a message of the writer's agency, and
//! recorded in the audit trail as theirs.

use joinery_domain::assertions::Sender;
use joinery_domain::journey::{ActionKind, ConsentCategory};
use joinery_domain::message::{ConsentGiven, ConsentWithdrawn, JudicialComment};
use joinery_domain::{
    ActionId, AgencyKind, CanonicalMessage, CaseFacts, CaseId, CaseRef, CaseState, HearingId,
    MessageId, Payload, Reader, ReaderId, Role, Submission, SystemName, Text, Timestamp,
};
use joinery_ports::{AppendOutcome, AuditAction, AuditDetail, AuditEvent, AuditSubject};
use time::Date;

use crate::{App, AppError, actor};

/// What became of something a person wrote on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    Written {
        message_id: MessageId,
    },
    /// Theirs to write, but not as written: the problem, to put right.
    Invalid(WriteProblem),
    /// Not theirs to write: a role that does not work cases (only judges comment, on cases
    /// listed before them), or an action not asked of their agency.
    Refused,
    NotFound,
}

/// Why something a person may write cannot be written as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteProblem {
    /// The agency asked does not do this kind of work (a pre-sentence report asked of the CPS).
    NotTheirWork {
        action: ActionKind,
        done_by: AgencyKind,
    },
    /// No agency is registered with the code asked.
    UnknownAgency,
    /// The same work is already asked of that agency and still open: that request.
    AlreadyAsked { action_id: ActionId, due_on: Date },
}

/// What a person writes in Joinery: how its message id starts, and how it is audited.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Writing {
    Comment,
    ActionAsked,
    ActionDone,
    ActionWithdrawn,
    Consent,
    ChargingDecided,
    Progress,
    Listing,
}

impl Writing {
    fn prefix(self) -> &'static str {
        match self {
            Self::Comment => "JC",
            Self::ActionAsked => "JA",
            Self::ActionDone => "JD",
            Self::Consent => "JK",
            Self::ActionWithdrawn => "JW",
            Self::ChargingDecided => "JDC",
            Self::Progress => "JS",
            Self::Listing => "JL",
        }
    }

    fn audited_as(self) -> AuditAction {
        match self {
            Self::Comment => AuditAction::CommentWritten,
            Self::ActionAsked
            | Self::ActionDone
            | Self::ActionWithdrawn
            | Self::ChargingDecided
            | Self::Progress
            | Self::Listing => AuditAction::ActionWritten,
            Self::Consent => AuditAction::ConsentChanged,
        }
    }
}

impl App {
    /// Stores a judge's comment on a case listed before them, as a message of their court.
    pub async fn write_comment(
        &self,
        reader: &Reader,
        id: CaseId,
        hearing_id: Option<HearingId>,
        text: Text,
    ) -> Result<WriteOutcome, AppError> {
        let ReaderId::User(author) = &reader.id else {
            return Ok(WriteOutcome::Refused);
        };
        let Some((record, _, _)) = self.seen_by(reader, id).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        let listed = CaseFacts::of(&record.state).judges.contains(author);
        if reader.role != Role::Judge || !listed {
            return Ok(WriteOutcome::Refused);
        }
        self.write_as(
            reader,
            id,
            &record.state,
            Writing::Comment,
            Payload::JudicialComment(JudicialComment {
                author: author.clone(),
                hearing_id,
                text,
            }),
        )
        .await
    }

    /// Records what a person told the reader about sharing a category of their information:
    /// consent given, or withdrawn, and how it was given.
    pub async fn record_consent(
        &self,
        reader: &Reader,
        id: CaseId,
        category: ConsentCategory,
        given: bool,
        source: Text,
    ) -> Result<WriteOutcome, AppError> {
        if !matches!(reader.id, ReaderId::User(_)) || !reader.role.records_consent() {
            return Ok(WriteOutcome::Refused);
        }
        let Some((record, _, _)) = self.seen_by(reader, id).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        if !record.state.agencies.contains(&reader.agency) {
            return Ok(WriteOutcome::Refused);
        }
        let payload = if given {
            Payload::ConsentGiven(ConsentGiven { category, source })
        } else {
            Payload::ConsentWithdrawn(ConsentWithdrawn { category, source })
        };
        self.write_as(reader, id, &record.state, Writing::Consent, payload)
            .await
    }

    /// Stores `payload` on a case as a message of the reader's agency, written in Joinery by
    /// the reader, and audits it as theirs.
    pub(crate) async fn write_as(
        &self,
        reader: &Reader,
        id: CaseId,
        state: &CaseState,
        writing: Writing,
        payload: Payload,
    ) -> Result<WriteOutcome, AppError> {
        // What a person writes is held to what their agency's systems may send.
        if Sender::from(reader).may_send(&payload).is_err() {
            return Ok(WriteOutcome::Refused);
        }
        let case = CaseRef {
            urn: state.urns.first().cloned(),
            asn: state.asns.first().cloned(),
            court_case_id: state.court_case_ids.first().cloned(),
        };
        let message_id = MessageId::parse(&format!("{}-{}", writing.prefix(), CaseId::generate()))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let message = CanonicalMessage {
            message_id: message_id.clone(),
            agency: reader.agency.clone(),
            system: SystemName::parse("Joinery").map_err(|e| AppError::Internal(e.to_string()))?,
            occurred_at: Timestamp::now(),
            case,
            payload,
        };
        let body =
            serde_json::to_string(&message).map_err(|e| AppError::Internal(e.to_string()))?;
        let outcome = self
            .store
            .append(vec![Submission::new(message, body)])
            .await?;
        match outcome.first() {
            Some(AppendOutcome::Accepted { case_id, .. }) if *case_id == id => {}
            other => {
                return Err(AppError::Internal(format!(
                    "a message written in Joinery was not stored on its case: {other:?}"
                )));
            }
        }
        let audit = AuditEvent {
            actor: actor(reader),
            action: writing.audited_as(),
            subject: Some(AuditSubject::Case(id)),
            detail: AuditDetail::Written {
                message_id: message_id.clone(),
            },
        };
        self.store.audit(vec![audit]).await?;
        Ok(WriteOutcome::Written { message_id })
    }
}
