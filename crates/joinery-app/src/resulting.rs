//! Resulting the day's hearings: after a hearing has taken place, a legal adviser of the court
//! enters its results in the court's own system, from which the result reaches Joinery as the
//! court's message. On the court list a hearing is to result, being resulted by someone (so that
//! no two advisers result the same hearing), or resulted once its result has arrived.

use joinery_domain::{AgencyKind, CaseId, HearingId, Reader, ReaderId, Role, Timestamp};
use joinery_ports::{AuditAction, AuditDetail, AuditEvent, AuditSubject, Claim};

use crate::{App, AppError, ClaimOutcome, actor};

impl App {
    /// The reader (a court's legal adviser) starts resulting a hearing of a case on their
    /// court's list that has taken place and has no result yet, unless a colleague has.
    pub async fn start_resulting(
        &self,
        reader: &Reader,
        id: CaseId,
        hearing: HearingId,
    ) -> Result<ClaimOutcome, AppError> {
        let ReaderId::User(me) = &reader.id else {
            return Ok(ClaimOutcome::Refused);
        };
        if reader.role != Role::LegalAdviser || reader.agency_kind != AgencyKind::Court {
            return Ok(ClaimOutcome::Refused);
        }
        let Some((record, _, visible)) = self.seen_by(reader, id).await? else {
            return Ok(ClaimOutcome::NotFound);
        };
        let seen = joinery_domain::CaseState::from_visible(
            visible.iter().map(|item| &item.event),
            &record.state,
        );
        let now = Timestamp::now();
        let to_result = seen.hearings.iter().any(|listed| {
            listed.hearing_id == hearing
                && listed.starts_at <= now
                && !listed.resulted
                && listed.listed_by.as_ref() == Some(&reader.agency)
        });
        if !to_result {
            return Ok(ClaimOutcome::Refused);
        }
        let audit = event(reader, id, &hearing, AuditAction::ResultingStarted);
        Ok(
            match self
                .store
                .start_resulting(id, hearing, me.clone(), now, audit)
                .await?
            {
                Claim::Held => ClaimOutcome::Claimed,
                Claim::HeldBy(other) => ClaimOutcome::HeldBy(other),
                Claim::NoSuchWork => ClaimOutcome::NotFound,
            },
        )
    }

    /// The reader stops resulting a hearing they had started; false if they had not.
    pub async fn stop_resulting(
        &self,
        reader: &Reader,
        id: CaseId,
        hearing: HearingId,
    ) -> Result<bool, AppError> {
        let ReaderId::User(me) = &reader.id else {
            return Ok(false);
        };
        let audit = event(reader, id, &hearing, AuditAction::ResultingStopped);
        Ok(self
            .store
            .stop_resulting(id, hearing, me.clone(), audit)
            .await?)
    }
}

fn event(reader: &Reader, id: CaseId, hearing: &HearingId, action: AuditAction) -> AuditEvent {
    AuditEvent {
        actor: actor(reader),
        action,
        subject: Some(AuditSubject::Case(id)),
        detail: AuditDetail::Hearing {
            hearing_id: hearing.clone(),
        },
    }
}
