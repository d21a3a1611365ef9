//! The one authorization path: a case by id or by reference, as one reader may see it, and the
//! record that they saw it. Every other use case that shows case data builds on these steps —
//! fetch the facts, decide every item, keep what is allowed, record the disclosure — and none
//! goes around them.
//!
//! A case the reader may see nothing of is `None`, exactly as a case that does not exist; so is
//! a URN or ASN that is not among the items they see. And it takes as long: every `None` is
//! answered no sooner than [`NOT_FOUND_TAKES`] after the request began, so that the time a
//! refusal takes (reading the case, deciding its items) does not tell that it exists.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use tokio::time::Instant;

use joinery_domain::{CaseId, Category, Reader, ReaderId, Timestamp};
use joinery_ports::{
    Actor, AuditAction, AuditDetail, AuditEvent, AuditSubject, CaseLookup, CaseRecord,
    ExceptionRecord, TimelineEntry,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{App, AppError, CaseView, Disclosure, Titles, VisibleItem, disclose};

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

/// Why a case is read, as the audit trail records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The case, its state and its items.
    Case,
    /// Its items in the order they happened.
    Timeline,
}

impl Purpose {
    fn action(self) -> AuditAction {
        match self {
            Self::Case => AuditAction::CaseRead,
            Self::Timeline => AuditAction::TimelineRead,
        }
    }
}

/// A case decided for one reader: the view folded from what they may see, what that disclosed,
/// and the break-glass grants it was decided under.
pub(crate) struct Decided {
    pub(crate) view: CaseView,
    pub(crate) disclosure: Disclosure,
    pub(crate) grants: BTreeSet<Category>,
}

/// A case as served to one reader: what they may see, the titles of its codes, and — for the
/// administrators and systems of an agency — the open data-quality problems in what their agency
/// sent on it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CaseAnswer)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub view: CaseView,
    /// Offence titles, court names and result meanings from the MoJ standing data.
    pub titles: Titles,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub data_quality: Vec<ExceptionRecord>,
}

/// The most refused looks recorded after their answers at once.
pub(crate) const REFUSALS_IN_FLIGHT: usize = 256;

/// The least time a "no such case" takes: longer than deciding a case of a few hundred items
/// that the reader may see nothing of.
pub const NOT_FOUND_TAKES: Duration = Duration::from_millis(10);

/// `answer`, no sooner than [`NOT_FOUND_TAKES`] after `started` when it is `None`.
pub(crate) async fn evenly<T>(started: Instant, answer: Option<T>) -> Option<T> {
    if answer.is_none() {
        tokio::time::sleep_until(started + NOT_FOUND_TAKES).await;
    }
    answer
}

impl App {
    /// The case as `reader` may see it, recorded as read for `purpose`.
    pub async fn case(
        &self,
        reader: &Reader,
        id: CaseId,
        purpose: Purpose,
    ) -> Result<Option<CaseView>, AppError> {
        let started = Instant::now();
        let answer = match self.store.case_history(id).await? {
            Some((record, entries)) => {
                self.disclosed(reader, record, entries, purpose.action(), |_| true)
                    .await?
            }
            None => None,
        };
        Ok(evenly(started, answer).await)
    }

    /// The case a URN or ASN names, if the reader may see the case and the reference among
    /// the items they see; otherwise `None`, as if no case had it.
    pub async fn find(
        &self,
        reader: &Reader,
        lookup: CaseLookup,
    ) -> Result<Option<CaseView>, AppError> {
        let started = Instant::now();
        let answer = self.found(reader, lookup).await?;
        Ok(evenly(started, answer).await)
    }

    async fn found(
        &self,
        reader: &Reader,
        lookup: CaseLookup,
    ) -> Result<Option<CaseView>, AppError> {
        let Some(id) = self.store.find_case(lookup.clone()).await? else {
            return Ok(None);
        };
        let Some((record, entries)) = self.store.case_history(id).await? else {
            return Ok(None);
        };
        let seen = |items: &[VisibleItem]| {
            items.iter().any(|item| match &lookup {
                CaseLookup::Urn(urn) => item.event.case.urn.as_ref() == Some(urn),
                CaseLookup::Asn(asn) => item.event.case.asn.as_ref() == Some(asn),
            })
        };
        self.disclosed(reader, record, entries, AuditAction::CaseRead, seen)
            .await
    }

    /// The case with the titles of its codes and, for those who administer the reader's agency,
    /// its open data-quality problems.
    pub async fn case_detail(
        &self,
        reader: &Reader,
        view: CaseView,
    ) -> Result<CaseDetail, AppError> {
        let titles = Titles::of(&view.state, self.reference.as_deref());
        let read = self.store.case_exceptions(reader.agency.clone(), view.id);
        let data_quality = self.administered(reader, read).await?.unwrap_or_default();
        Ok(CaseDetail {
            view,
            titles,
            data_quality,
        })
    }

    /// Decides a case's items for `reader`; if any is visible and `found` agrees, records the
    /// disclosure as `action` and answers the view.
    async fn disclosed(
        &self,
        reader: &Reader,
        record: CaseRecord,
        entries: Vec<TimelineEntry>,
        action: AuditAction,
        found: impl FnOnce(&[VisibleItem]) -> bool,
    ) -> Result<Option<CaseView>, AppError> {
        let grants = self.grants(reader, record.id).await?;
        let id = record.id;
        let Some(decided) = self.decide(reader, record, entries, grants, Timestamp::now())? else {
            self.record_refusal(reader, id).await?;
            return Ok(None);
        };
        if !found(&decided.view.items) {
            self.record_refusal(reader, id).await?;
            return Ok(None);
        }
        self.store
            .audit(vec![self.disclosure_event(reader, &decided, action)])
            .await?;
        Ok(Some(decided.view))
    }

    /// Records that `reader` asked for a case and was shown nothing, for governance. Written
    /// after the answer, not before it: a refusal must take no longer than the answer for a case
    /// that does not exist (which writes nothing), or its time would tell that the case exists.
    /// At most [`REFUSALS_IN_FLIGHT`] are recorded so at once; past that (a flood of refused
    /// asks) each waits for its own write, so that none goes unrecorded and none piles up.
    async fn record_refusal(&self, reader: &Reader, id: CaseId) -> Result<(), AppError> {
        let event = AuditEvent {
            actor: actor(reader),
            action: AuditAction::CaseRefused,
            subject: Some(AuditSubject::Case(id)),
            detail: AuditDetail::Nothing {},
        };
        let Ok(permit) = std::sync::Arc::clone(&self.refusals).try_acquire_owned() else {
            self.store.audit(vec![event]).await?;
            return Ok(());
        };
        let store = std::sync::Arc::clone(&self.store);
        tokio::spawn(async move {
            if let Err(error) = store.audit(vec![event]).await {
                tracing::error!(%error, "a refused look at a case was not recorded");
            }
            drop(permit);
        });
        Ok(())
    }

    /// Every case of `histories` as `reader` may see it, under the break-glass grants they hold
    /// now (read once for all), leaving out those they may see nothing of. Nothing is recorded:
    /// the caller records what it shows.
    pub(crate) async fn decide_cases(
        &self,
        reader: &Reader,
        histories: Vec<(CaseRecord, Vec<TimelineEntry>)>,
        now: Timestamp,
    ) -> Result<Vec<Decided>, AppError> {
        let mut grants_by_case = match &reader.id {
            ReaderId::User(username) => {
                self.store
                    .break_glass_in_force_anywhere(username.clone(), now)
                    .await?
            }
            ReaderId::System => BTreeMap::new(),
        };
        let mut decided = Vec::with_capacity(histories.len());
        for (record, entries) in histories {
            let grants = grants_by_case.remove(&record.id).unwrap_or_default();
            decided.extend(self.decide(reader, record, entries, grants, now)?);
        }
        Ok(decided)
    }

    /// One case decided for `reader` under `grants`; `None` if they may see nothing of it.
    pub(crate) fn decide(
        &self,
        reader: &Reader,
        record: CaseRecord,
        entries: Vec<TimelineEntry>,
        grants: BTreeSet<Category>,
        now: Timestamp,
    ) -> Result<Option<Decided>, AppError> {
        let (items, disclosure) = disclose(
            self.policy.as_ref(),
            reader,
            &record.state,
            &grants,
            entries,
        )?;
        Ok((!disclosure.is_empty()).then(|| Decided {
            view: CaseView::assemble(record.id, items, &record.state, now)
                .withholding(&disclosure.withheld),
            disclosure,
            grants,
        }))
    }

    /// The case, its events and the items `reader` may see of it, with nothing recorded: for a
    /// use case that checks what the reader may do before it writes. `None` if they may see
    /// nothing, as if it did not exist.
    pub(crate) async fn seen_by(
        &self,
        reader: &Reader,
        id: CaseId,
    ) -> Result<Option<(CaseRecord, Vec<TimelineEntry>, Vec<VisibleItem>)>, AppError> {
        let started = Instant::now();
        let Some((record, entries)) = self.store.case_history(id).await? else {
            return Ok(evenly(started, None).await);
        };
        let grants = self.grants(reader, id).await?;
        let (visible, _) = disclose(
            self.policy.as_ref(),
            reader,
            &record.state,
            &grants,
            entries.clone(),
        )?;
        let answer = (!visible.is_empty()).then_some((record, entries, visible));
        Ok(evenly(started, answer).await)
    }

    /// The categories `reader` holds a break-glass grant for on the case, still in time.
    pub(crate) async fn grants(
        &self,
        reader: &Reader,
        id: CaseId,
    ) -> Result<BTreeSet<Category>, AppError> {
        Ok(match &reader.id {
            ReaderId::User(username) => {
                self.store
                    .break_glass_in_force(username.clone(), id, Timestamp::now())
                    .await?
            }
            ReaderId::System => BTreeSet::new(),
        })
    }

    /// The audit entry for a disclosure: references (item numbers, policy ids), never content.
    pub(crate) fn disclosure_event(
        &self,
        reader: &Reader,
        decided: &Decided,
        action: AuditAction,
    ) -> AuditEvent {
        let disclosure = &decided.disclosure;
        AuditEvent {
            actor: actor(reader),
            action,
            subject: Some(AuditSubject::Case(decided.view.id)),
            detail: AuditDetail::Disclosure {
                role: reader.role,
                items: disclosure.items.clone(),
                summaries: disclosure.summaries.clone(),
                policies: disclosure.policies.clone(),
                break_glass: decided.grants.iter().copied().collect(),
                policy_version: self.policy.digest().chars().take(12).collect(),
            },
        }
    }
}
