//! An agency's worklist: the work asked of it and still open, the earliest due first (so what
//! is overdue comes first), filtered by kind, by lateness and by who is handling it; and a
//! person taking a piece of it on, or letting it go. Each case on a page is decided through the
//! gate, and a piece of work is listed only if the reader sees it asked of their agency; the
//! page's cases are recorded as listed.

use std::collections::{BTreeMap, BTreeSet};

use joinery_domain::journey::{ActionKind, ActionState};
use joinery_domain::message::Person;
use joinery_domain::projection::ActionRecord;
use joinery_domain::{ActionId, Asn, CaseId, Reader, ReaderId, Timestamp, Urn, Username};
use joinery_ports::{
    AuditAction, AuditDetail, AuditEvent, AuditSubject, Claim, Handled, WorkQuery,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{App, AppError, WriteOutcome, actor};

/// Whose work a worklist shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Handler {
    #[default]
    Anyone,
    /// The work the reader has taken on.
    Me,
    /// Work no one has taken on.
    NoOne,
}

/// What of the agency's work to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorklistQuery {
    pub kind: Option<ActionKind>,
    pub overdue_only: bool,
    pub handler: Handler,
    pub offset: usize,
    pub limit: usize,
}

/// One piece of work on the list, with its case as the reader sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkItem {
    pub case_id: CaseId,
    pub urn: Option<Urn>,
    pub asn: Option<Asn>,
    pub defendant: Option<Person>,
    pub action: ActionRecord,
    /// Who in the agency is handling it, since when.
    #[schema(value_type = Option<Object>)]
    pub handled_by: Option<(Username, Timestamp)>,
}

/// A page of an agency's work, and how much matches.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Worklist {
    pub items: Vec<WorkItem>,
    pub total: usize,
}

/// What became of taking work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    Claimed,
    /// Someone else in the agency is handling it.
    HeldBy(Username),
    Refused,
    NotFound,
}

impl App {
    /// A page of the work asked of the reader's agency and still open.
    pub async fn worklist(
        &self,
        reader: &Reader,
        query: &WorklistQuery,
    ) -> Result<Worklist, AppError> {
        // An agency's own system lists its work too, though no one in particular handles it.
        let me = match &reader.id {
            ReaderId::User(me) => Some(me),
            ReaderId::System => None,
        };
        if !reader.role.works_cases() {
            return Ok(Worklist::default());
        }
        let now = Timestamp::now();
        let slice = self
            .store
            .work(WorkQuery {
                owner: reader.agency.clone(),
                kind: query.kind,
                due_before: query.overdue_only.then(|| now.date()),
                handled: match (query.handler, me) {
                    (Handler::Me, Some(me)) => Handled::By(me.clone()),
                    (Handler::Me, None) => return Ok(Worklist::default()),
                    (Handler::Anyone, _) => Handled::Any,
                    (Handler::NoOne, _) => Handled::NoOne,
                },
                offset: query.offset,
                limit: query.limit,
            })
            .await?;
        // Each case of the page read once, however many of its pieces of work are on it.
        let mut once = BTreeSet::new();
        let read: Vec<CaseId> = slice
            .rows
            .iter()
            .map(|row| row.case_id)
            .filter(|id| once.insert(*id))
            .collect();
        let histories: Vec<_> = self
            .store
            .case_histories(read)
            .await?
            .into_iter()
            .flatten()
            .collect();
        let decided: BTreeMap<CaseId, _> = self
            .decide_cases(reader, histories, now)
            .await?
            .into_iter()
            .map(|decided| (decided.view.id, decided))
            .collect();
        let mut items = Vec::with_capacity(slice.rows.len());
        for row in slice.rows {
            let Some(case) = decided.get(&row.case_id) else {
                continue;
            };
            let view = &case.view;
            let seen = view.state.actions.iter().find(|action| {
                action.action_id == row.action_id
                    && action.owner == reader.agency
                    && action.state == ActionState::Open
            });
            if let Some(action) = seen {
                items.push(WorkItem {
                    case_id: row.case_id,
                    urn: view.state.urns.first().cloned(),
                    asn: view.state.asns.first().cloned(),
                    defendant: view.state.defendant.clone(),
                    action: action.clone(),
                    handled_by: row.claimed,
                });
            }
        }
        let listed: Vec<AuditEvent> = decided
            .values()
            .filter(|case| items.iter().any(|item| item.case_id == case.view.id))
            .map(|case| self.disclosure_event(reader, case, AuditAction::CaseListed))
            .collect();
        if !listed.is_empty() {
            self.store.audit(listed).await?;
        }
        Ok(Worklist {
            items,
            total: slice.total,
        })
    }

    /// The reader takes on a piece of open work asked of their agency, unless someone else in
    /// it has.
    pub async fn claim_work(
        &self,
        reader: &Reader,
        id: CaseId,
        action_id: ActionId,
    ) -> Result<ClaimOutcome, AppError> {
        let ReaderId::User(me) = &reader.id else {
            return Ok(ClaimOutcome::Refused);
        };
        let open = |action: &ActionRecord| {
            action.action_id == action_id
                && action.owner == reader.agency
                && action.state == ActionState::Open
        };
        match self.work_of(reader, id, open).await? {
            Ok(_) => {}
            Err(WriteOutcome::NotFound) => return Ok(ClaimOutcome::NotFound),
            Err(_) => return Ok(ClaimOutcome::Refused),
        }
        let audit = work_event(reader, id, &action_id, AuditAction::WorkClaimed);
        Ok(
            match self
                .store
                .claim_work(id, action_id, me.clone(), Timestamp::now(), audit)
                .await?
            {
                Claim::Held => ClaimOutcome::Claimed,
                Claim::HeldBy(other) => ClaimOutcome::HeldBy(other),
                Claim::NoSuchWork => ClaimOutcome::NotFound,
            },
        )
    }

    /// The reader lets go of a piece of work they had taken on; false if they had not.
    pub async fn release_work(
        &self,
        reader: &Reader,
        id: CaseId,
        action_id: ActionId,
    ) -> Result<bool, AppError> {
        let ReaderId::User(me) = &reader.id else {
            return Ok(false);
        };
        let audit = work_event(reader, id, &action_id, AuditAction::WorkReleased);
        Ok(self
            .store
            .release_work(id, action_id, me.clone(), audit)
            .await?)
    }
}

fn work_event(
    reader: &Reader,
    id: CaseId,
    action_id: &ActionId,
    action: AuditAction,
) -> AuditEvent {
    AuditEvent {
        actor: actor(reader),
        action,
        subject: Some(AuditSubject::Case(id)),
        detail: AuditDetail::Work {
            action_id: action_id.clone(),
        },
    }
}
