//! Breaking glass: someone working on a case who is refused a category of its information asks
//! for it with a reason. The agreement decides whether the glass may be broken for it (never
//! for privileged advice or a judge's comments); a grant lasts [`BREAK_GLASS_FOR`], is audited,
//! and is listed for governance to review.

use std::collections::BTreeSet;
use std::time::Duration;

use joinery_domain::{
    CaseFacts, CaseId, Category, ItemFacts, Reader, ReaderId, Sequence, Text, Timestamp,
};
use joinery_ports::{AuditAction, AuditDetail, AuditEvent, AuditSubject, BreakGlassGrant, Review};

use crate::{App, AppError, actor};

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

impl App {
    /// Grants `reader` time-limited access to the items of `category` on a case they work on,
    /// if the policy allows breaking glass for it, recording the reason for governance.
    pub async fn break_glass(
        &self,
        reader: &Reader,
        id: CaseId,
        category: Category,
        reason: Text,
    ) -> Result<BreakGlassOutcome, AppError> {
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
        let seen: BTreeSet<Sequence> = visible.iter().map(|item| item.sequence).collect();
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
            subject: Some(AuditSubject::Case(id)),
            detail: AuditDetail::BreakGlass {
                category,
                expires_at: grant.expires_at,
                review: Review::Pending,
            },
        };
        self.store.grant_break_glass(grant.clone(), audit).await?;
        Ok(BreakGlassOutcome::Granted(grant))
    }
}
