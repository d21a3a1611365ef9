//! What people do on a case beyond reading it: break glass, write a judicial comment, and ask
//! who has seen it. Each is decided by the policy and recorded in the audit trail.

use std::collections::BTreeSet;
use std::time::Duration;

use joinery_domain::journey::{ActionKind, ConsentCategory};
use joinery_domain::message::{
    ActionCompleted, ActionRequested, ConsentGiven, ConsentWithdrawn, JudicialComment,
};
use joinery_domain::{
    ActionId, AgencyCode, CanonicalMessage, CaseFacts, CaseId, CaseRef, Category, HearingId,
    ItemFacts, MessageId, Payload, Role, Submission, SystemName, Text, Timestamp,
};
use joinery_policy::{Reader, ReaderId};
use joinery_store::{
    AppendOutcome, AuditAction, AuditEntry, AuditEvent, BreakGlassGrant, CaseRecord, TimelineEntry,
};
use time::Date;

use crate::{AccessError, Gatekeeper, VisibleItem, actor, disclose};

/// How long a break-glass grant lasts.
pub const BREAK_GLASS_FOR: Duration = Duration::from_secs(60 * 60);

/// What became of a request to break glass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreakGlassOutcome {
    Granted(BreakGlassGrant),
    /// The case has no item of that category the reader is refused.
    NothingWithheld,
    /// The policy does not let this reader break glass for that category on this case.
    Refused,
    /// The case does not exist for the reader.
    NotFound,
}

/// What became of something a person wrote on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    Written {
        message_id: MessageId,
    },
    /// Not theirs to write: a role that does not work cases, or an action not asked of them.
    Refused,
    NotFound,
}

/// What became of a judge's comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentOutcome {
    Written {
        message_id: MessageId,
    },
    /// Only judges write comments, on cases listed before them.
    Refused,
    NotFound,
}

impl Gatekeeper {
    /// The case, its events and the items `reader` may see of it; `None` if they may see
    /// nothing, as if it did not exist.
    async fn seen_by(
        &self,
        reader: &Reader,
        id: CaseId,
    ) -> Result<Option<(CaseRecord, Vec<TimelineEntry>, Vec<VisibleItem>)>, AccessError> {
        let Some((record, entries)) = self.store.case_history(id).await? else {
            return Ok(None);
        };
        let grants = self.grants(reader, id).await?;
        let (visible, _) = disclose(
            &self.policy,
            reader,
            &record.state,
            &grants,
            entries.clone(),
        )?;
        Ok((!visible.is_empty()).then_some((record, entries, visible)))
    }

    /// Grants `reader` time-limited access to the items of `category` on a case they work on,
    /// if the policy allows breaking glass for it, recording the reason for governance.
    pub async fn break_glass(
        &self,
        reader: &Reader,
        id: CaseId,
        category: Category,
        reason: Text,
    ) -> Result<BreakGlassOutcome, AccessError> {
        let ReaderId::User(username) = &reader.id else {
            return Ok(BreakGlassOutcome::Refused);
        };
        let Some((record, entries, visible)) = self.seen_by(reader, id).await? else {
            return Ok(BreakGlassOutcome::NotFound);
        };
        let facts = CaseFacts::of(&record.state);
        // The category is put to the policy on its own first, so that the answer for a
        // category never opened this way does not tell whether the case holds any of it (a
        // judge's comment, for one).
        let probe = ItemFacts {
            category,
            owner: reader.agency.clone(),
            addressed_to: BTreeSet::new(),
            order_requirement: false,
            author: None,
        };
        if !self.policy.may_break_glass(reader, &facts, &probe)? {
            return Ok(BreakGlassOutcome::Refused);
        }
        let seen: BTreeSet<i64> = visible.iter().map(|item| item.sequence).collect();
        let withheld: Vec<ItemFacts> = entries
            .iter()
            .filter(|entry| !seen.contains(&entry.sequence))
            .map(|entry| ItemFacts::of(&entry.event))
            .filter(|item| item.category == category)
            .collect();
        if withheld.is_empty() {
            return Ok(BreakGlassOutcome::NothingWithheld);
        }
        for item in &withheld {
            if !self.policy.may_break_glass(reader, &facts, item)? {
                return Ok(BreakGlassOutcome::Refused);
            }
        }
        let now = Timestamp::now();
        let grant = BreakGlassGrant {
            username: username.clone(),
            agency: reader.agency.clone(),
            case_id: id,
            category,
            reason,
            granted_at: now,
            expires_at: now.after(BREAK_GLASS_FOR),
        };
        let audit = AuditEvent {
            actor: actor(reader),
            action: AuditAction::BreakGlass,
            subject: Some(id.to_string()),
            detail: serde_json::json!({
                "category": category.as_str(),
                "expires_at": grant.expires_at.to_string(),
                "review": "pending",
            }),
        };
        self.store.grant_break_glass(grant.clone(), audit).await?;
        Ok(BreakGlassOutcome::Granted(grant))
    }

    /// Stores a judge's comment on a case listed before them, as a message of their court.
    pub async fn write_comment(
        &self,
        reader: &Reader,
        id: CaseId,
        hearing_id: Option<HearingId>,
        text: Text,
    ) -> Result<CommentOutcome, AccessError> {
        let ReaderId::User(author) = &reader.id else {
            return Ok(CommentOutcome::Refused);
        };
        let Some((record, _, _)) = self.seen_by(reader, id).await? else {
            return Ok(CommentOutcome::NotFound);
        };
        let listed = CaseFacts::of(&record.state).judges.contains(author);
        if reader.role != Role::Judge || !listed {
            return Ok(CommentOutcome::Refused);
        }
        let message_id = self
            .write_as(
                reader,
                id,
                &record.state,
                "JC",
                Payload::JudicialComment(JudicialComment {
                    author: author.clone(),
                    hearing_id,
                    text,
                }),
                AuditAction::CommentWritten,
            )
            .await?;
        Ok(CommentOutcome::Written { message_id })
    }

    /// Asks another agency for work on a case the reader works on, by a date.
    pub async fn request_action(
        &self,
        reader: &Reader,
        id: CaseId,
        action: ActionKind,
        owner: AgencyCode,
        due_on: Date,
        note: Option<Text>,
    ) -> Result<WriteOutcome, AccessError> {
        if !matches!(reader.id, ReaderId::User(_)) || !reader.role.works_cases() {
            return Ok(WriteOutcome::Refused);
        }
        let Some((record, _, _)) = self.seen_by(reader, id).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        if !record.state.agencies.contains(&reader.agency) {
            return Ok(WriteOutcome::Refused);
        }
        let action_id = ActionId::parse(&format!("JA-{}", CaseId::generate()))
            .map_err(|e| AccessError::Internal(e.to_string()))?;
        let payload = Payload::ActionRequested(ActionRequested {
            action_id,
            action,
            owner,
            due_on,
            note,
        });
        let message_id = self
            .write_as(
                reader,
                id,
                &record.state,
                "JA",
                payload,
                AuditAction::ActionWritten,
            )
            .await?;
        Ok(WriteOutcome::Written { message_id })
    }

    /// Reports done an action asked of the reader's agency.
    pub async fn complete_action(
        &self,
        reader: &Reader,
        id: CaseId,
        action_id: ActionId,
    ) -> Result<WriteOutcome, AccessError> {
        if !matches!(reader.id, ReaderId::User(_)) || !reader.role.works_cases() {
            return Ok(WriteOutcome::Refused);
        }
        let Some((record, _, visible)) = self.seen_by(reader, id).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        let folded = joinery_domain::CaseState::from_events(visible.iter().map(|item| &item.event));
        let mine = folded.actions.iter().any(|action| {
            action.action_id == action_id
                && action.owner == reader.agency
                && action.state == joinery_domain::journey::ActionState::Open
        });
        if !mine {
            return Ok(WriteOutcome::Refused);
        }
        let payload = Payload::ActionCompleted(ActionCompleted {
            action_id,
            note: None,
        });
        let message_id = self
            .write_as(
                reader,
                id,
                &record.state,
                "JD",
                payload,
                AuditAction::ActionWritten,
            )
            .await?;
        Ok(WriteOutcome::Written { message_id })
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
    ) -> Result<WriteOutcome, AccessError> {
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
        let message_id = self
            .write_as(
                reader,
                id,
                &record.state,
                "JK",
                payload,
                AuditAction::ConsentChanged,
            )
            .await?;
        Ok(WriteOutcome::Written { message_id })
    }

    /// Stores `payload` on a case as a message of the reader's agency, written in Joinery by
    /// the reader, and audits it as theirs.
    async fn write_as(
        &self,
        reader: &Reader,
        id: CaseId,
        state: &joinery_domain::CaseState,
        prefix: &str,
        payload: Payload,
        audited_as: AuditAction,
    ) -> Result<MessageId, AccessError> {
        let case = CaseRef {
            urn: state.urns.first().cloned(),
            asn: state.asns.first().cloned(),
            court_case_id: state.court_case_ids.first().cloned(),
        };
        let message_id = MessageId::parse(&format!("{prefix}-{}", CaseId::generate()))
            .map_err(|e| AccessError::Internal(e.to_string()))?;
        let message = CanonicalMessage {
            message_id: message_id.clone(),
            agency: reader.agency.clone(),
            system: SystemName::parse("Joinery")
                .map_err(|e| AccessError::Internal(e.to_string()))?,
            occurred_at: Timestamp::now(),
            case,
            payload,
        };
        let body =
            serde_json::to_string(&message).map_err(|e| AccessError::Internal(e.to_string()))?;
        let outcome = self
            .store
            .append(vec![Submission::new(message, body)])
            .await?;
        match outcome.first() {
            Some(AppendOutcome::Accepted { case_id, .. }) if *case_id == id => {}
            other => {
                return Err(AccessError::Internal(format!(
                    "a message written in Joinery was not stored on its case: {other:?}"
                )));
            }
        }
        let audit = AuditEvent {
            actor: actor(reader),
            action: audited_as,
            subject: Some(id.to_string()),
            detail: serde_json::json!({ "message_id": message_id.as_str() }),
        };
        self.store.audit(vec![audit]).await?;
        Ok(message_id)
    }

    /// Who has seen a case: its audit entries, for governance officers alone. `None` when the
    /// reader may not ask; an empty list for a case nobody has touched (or that does not exist).
    pub async fn who_has_seen(
        &self,
        reader: &Reader,
        id: CaseId,
    ) -> Result<Option<Vec<AuditEntry>>, AccessError> {
        if !self.policy.may_review_audit(reader)? {
            return Ok(None);
        }
        let entries = self.store.case_audit(id).await?;
        let audit = AuditEvent {
            actor: actor(reader),
            action: AuditAction::AuditReviewed,
            subject: Some(id.to_string()),
            detail: serde_json::json!({ "entries": entries.len() }),
        };
        self.store.audit(vec![audit]).await?;
        Ok(Some(entries))
    }

    /// Every break-glass grant, for governance review; `None` when the reader may not ask.
    pub async fn break_glass_log(
        &self,
        reader: &Reader,
    ) -> Result<Option<Vec<BreakGlassGrant>>, AccessError> {
        if !self.policy.may_review_audit(reader)? {
            return Ok(None);
        }
        Ok(Some(self.store.break_glass_log().await?))
    }
}
