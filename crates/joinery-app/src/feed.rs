//! The change feed: every change a reader may see on the cases their agency works on, in the
//! order Joinery accepted them, from a cursor. The candidates are read by the agency's feed
//! index (the store keeps it with the cases' teams), so a page costs what it shows however
//! small the agency's share of the stream. Each change is decided by the same policy, on its
//! case's facts as they stand now, as a case view would decide it; the disclosure is recorded
//! before the page is returned.

use std::collections::{BTreeMap, BTreeSet};

use joinery_domain::{
    Access, CanonicalMessage, CaseFacts, CaseId, CaseState, ItemFacts, NoteFacts, Payload, Reader,
    ReaderId, Sequence, Timestamp,
};
use joinery_ports::{AuditAction, AuditDetail, AuditEvent, AuditSubject};
use serde::Serialize;
use utoipa::ToSchema;

use crate::view::visible;
use crate::{App, AppError, VisibleItem, actor};

/// How many stored changes one page looks through at most, so that a reader who may see little
/// still gets an answer (and a cursor to go on from) promptly.
const SCAN_LIMIT: usize = 5_000;

/// One change as the reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FeedChange {
    /// Pass this as `after` to resume from the change after this one.
    pub cursor: String,
    pub case_id: CaseId,
    #[serde(flatten)]
    pub item: VisibleItem,
}

/// A page of the feed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FeedPage {
    pub changes: Vec<FeedChange>,
    /// Where the next page starts; the same as the request's when there is nothing new yet.
    pub next: String,
}

/// Who asked for each action on the cases a page of the feed has looked up, so that a
/// completion's note is decided by its parties; a case is read for it once a page, and only
/// for a completion carrying a note that the reader's agency did not send.
#[derive(Default)]
struct AskedBy(BTreeMap<CaseId, Option<CaseState>>);

impl App {
    /// Whether `reader` may read the note on a request for work `event` carries (true when it
    /// carries none), decided by the request's parties.
    async fn may_read_note(
        &self,
        reader: &Reader,
        case: &CaseFacts,
        case_id: CaseId,
        event: &CanonicalMessage,
        asked: &mut AskedBy,
    ) -> Result<bool, AppError> {
        if !event.payload.has_request_note() {
            return Ok(true);
        }
        let needs_case = matches!(
            event.payload,
            Payload::ActionCompleted(_) | Payload::ActionWithdrawn(_)
        ) && event.agency != reader.agency;
        if needs_case && !asked.0.contains_key(&case_id) {
            let state = self.store.case(case_id).await?.map(|record| record.state);
            asked.0.insert(case_id, state);
        }
        let note = match asked.0.get(&case_id) {
            Some(Some(state)) => NoteFacts::in_case(event, state),
            _ => NoteFacts::of(event, |_| None),
        };
        let Some(note) = note else {
            return Ok(true);
        };
        let decided = self.policy.decide_notes(reader, case, &[note])?;
        Ok(decided
            .decisions
            .first()
            .is_some_and(|decision| decision.is_disclosed()))
    }

    /// Up to `limit` changes after `after` that `reader` may see.
    pub async fn feed(
        &self,
        reader: &Reader,
        after: Sequence,
        limit: usize,
    ) -> Result<FeedPage, AppError> {
        let mut changes = Vec::new();
        let mut cursor = after;
        let mut scanned = 0;
        let no_grants = BTreeSet::new();
        let grants = match &reader.id {
            ReaderId::User(username) => {
                self.store
                    .break_glass_in_force_anywhere(username.clone(), Timestamp::now())
                    .await?
            }
            ReaderId::System => BTreeMap::new(),
        };
        let mut asked = AskedBy::default();
        while changes.len() < limit && scanned < SCAN_LIMIT {
            // Only the changes on the cases the reader's agency works on can be theirs to see:
            // read by that agency's feed index, not by scanning everyone's.
            let batch = self
                .store
                .agency_changes_after(reader.agency.clone(), cursor, limit.max(100))
                .await?;
            let Some((last, _)) = batch.last() else {
                break;
            };
            let batch_end = last.entry.sequence;
            scanned += batch.len();
            for (change, case) in batch {
                let sequence = change.entry.sequence;
                let grants = grants.get(&change.case_id).unwrap_or(&no_grants);
                let item = [ItemFacts::of(&change.entry.event)];
                let decided = self.policy.decide(reader, &case, grants, &item)?;
                let Some(decision) = decided.decisions.first() else {
                    continue;
                };
                cursor = sequence;
                let summary_only = match decision.access {
                    Access::Withheld => continue,
                    Access::Summary => true,
                    Access::Full => false,
                };
                let note_withheld = !self
                    .may_read_note(
                        reader,
                        &case,
                        change.case_id,
                        &change.entry.event,
                        &mut asked,
                    )
                    .await?;
                changes.push(FeedChange {
                    cursor: sequence.to_string(),
                    case_id: change.case_id,
                    item: visible(change.entry, summary_only, note_withheld),
                });
                if changes.len() == limit {
                    break;
                }
            }
            if changes.len() < limit {
                cursor = batch_end;
            }
        }
        // One entry per case, so that governance finds feed disclosures among the case's own.
        let mut by_case: BTreeMap<CaseId, Vec<Sequence>> = Default::default();
        for change in &changes {
            by_case
                .entry(change.case_id)
                .or_default()
                .push(change.item.sequence);
        }
        let events: Vec<AuditEvent> = by_case
            .into_iter()
            .map(|(case_id, items)| AuditEvent {
                actor: actor(reader),
                action: AuditAction::FeedRead,
                subject: Some(AuditSubject::Case(case_id)),
                detail: AuditDetail::FeedDisclosure {
                    role: reader.role,
                    items,
                },
            })
            .collect();
        if !events.is_empty() {
            self.store.audit(events).await?;
        }
        Ok(FeedPage {
            changes,
            next: cursor.to_string(),
        })
    }
}
