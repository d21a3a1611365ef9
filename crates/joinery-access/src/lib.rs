//! The one authorization path. Every read of case data — a case, its timeline, a search by
//! reference, a judge's summary, anything later — goes through [`Gatekeeper`], which fetches the
//! facts, asks the sharing policy about every item, keeps only what the reader may see, and
//! records the disclosure in the audit trail before handing anything back.
//!
//! A case of which the reader may see nothing does not exist for them: the answer is `None`,
//! exactly as for a case that does not exist. The same holds for a search by URN or ASN, which
//! must find the reference among what the reader can see.
//!
//! It is not: HTTP (the web crate renders what this returns) or the policy itself (the Cedar
//! files decide; this crate only asks).

mod actions;
mod administration;
mod caseload;
mod feed;
mod view;

use std::collections::BTreeSet;
use std::sync::Arc;

use joinery_domain::{CaseId, Category, Timestamp};
use joinery_policy::{PolicyError, Reader, ReaderId, SharingPolicy};
use joinery_store::{Actor, AuditAction, AuditEvent, CaseLookup, EventStore, StoreError};

pub use actions::{BREAK_GLASS_FOR, BreakGlassOutcome, CommentOutcome, WriteOutcome};
pub use administration::ResolveOutcome;
pub use caseload::{Caseload, CaseloadQuery, CaseloadSort, HearingWindow};
pub use feed::{FeedChange, FeedPage};
pub use view::{CaseView, Disclosure, HearingSummary, VisibleItem, disclose, disclose_all};

#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the sharing policy could not decide: {0}")]
    Policy(#[from] PolicyError),
    #[error("{0}")]
    Internal(String),
}

/// The reader as the audit trail names them.
pub fn actor(reader: &Reader) -> Actor {
    match &reader.id {
        ReaderId::User(username) => Actor::User {
            username: username.clone(),
            agency: reader.agency.clone(),
        },
        ReaderId::System => Actor::AgencySystem(reader.agency.clone()),
    }
}

/// The store and the policy in force, and the path between them.
pub struct Gatekeeper {
    store: Arc<dyn EventStore>,
    policy: Arc<SharingPolicy>,
}

impl Gatekeeper {
    pub fn new(store: Arc<dyn EventStore>, policy: Arc<SharingPolicy>) -> Self {
        Self { store, policy }
    }

    pub fn policy(&self) -> &SharingPolicy {
        &self.policy
    }

    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    /// The case as `reader` may see it, recorded as `purpose` (a case read, a timeline read).
    pub async fn case(
        &self,
        reader: &Reader,
        id: CaseId,
        purpose: AuditAction,
    ) -> Result<Option<CaseView>, AccessError> {
        let Some((record, entries)) = self.store.case_history(id).await? else {
            return Ok(None);
        };
        let grants = self.grants(reader, id).await?;
        let (items, disclosure) = disclose(&self.policy, reader, &record.state, &grants, entries)?;
        if disclosure.is_empty() {
            return Ok(None);
        }
        self.record(reader, id, purpose, &disclosure, &grants)
            .await?;
        Ok(Some(CaseView::assemble(id, items, Timestamp::now())))
    }

    /// The case a URN or ASN names, if the reader may see the case and the reference among
    /// the items they see; otherwise `None`, as if no case had it.
    pub async fn find(
        &self,
        reader: &Reader,
        lookup: CaseLookup,
    ) -> Result<Option<CaseView>, AccessError> {
        let Some(id) = self.store.find_case(lookup.clone()).await? else {
            return Ok(None);
        };
        let Some((record, entries)) = self.store.case_history(id).await? else {
            return Ok(None);
        };
        let grants = self.grants(reader, id).await?;
        let (items, disclosure) = disclose(&self.policy, reader, &record.state, &grants, entries)?;
        let seen = items.iter().any(|item| match &lookup {
            CaseLookup::Urn(urn) => item.event.case.urn.as_ref() == Some(urn),
            CaseLookup::Asn(asn) => item.event.case.asn.as_ref() == Some(asn),
        });
        if !seen {
            return Ok(None);
        }
        self.record(reader, id, AuditAction::CaseRead, &disclosure, &grants)
            .await?;
        Ok(Some(CaseView::assemble(id, items, Timestamp::now())))
    }

    async fn grants(&self, reader: &Reader, id: CaseId) -> Result<BTreeSet<Category>, AccessError> {
        Ok(match &reader.id {
            ReaderId::User(username) => {
                self.store
                    .break_glass_in_force(username.clone(), id, Timestamp::now())
                    .await?
            }
            ReaderId::System => BTreeSet::new(),
        })
    }

    /// Records, durably and before anything is returned, what was disclosed to whom under which
    /// policies.
    async fn record(
        &self,
        reader: &Reader,
        id: CaseId,
        purpose: AuditAction,
        disclosure: &Disclosure,
        grants: &BTreeSet<Category>,
    ) -> Result<(), AccessError> {
        let event = self.disclosure_event(reader, id, purpose, disclosure, grants);
        self.store.audit(vec![event]).await?;
        Ok(())
    }

    /// The audit entry for a disclosure: references (item numbers, policy ids), never content.
    fn disclosure_event(
        &self,
        reader: &Reader,
        id: CaseId,
        purpose: AuditAction,
        disclosure: &Disclosure,
        grants: &BTreeSet<Category>,
    ) -> AuditEvent {
        AuditEvent {
            actor: actor(reader),
            action: purpose,
            subject: Some(id.to_string()),
            detail: serde_json::json!({
                "role": reader.role.as_str(),
                "items": disclosure.items,
                "summaries": disclosure.summaries,
                "policies": disclosure.policies,
                "break_glass": grants.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                "policy_version": &self.policy.digest()[..12],
            }),
        }
    }
}
