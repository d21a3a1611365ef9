//! An agency's caseload as one reader may see it: filtered by stage, by when the next hearing
//! is, by overdue actions, sorted, a page at a time.
//!
//! Filters, sort keys and the total look only at what the reader may see of each case (its
//! [`CaseView`]), never at the stored state: a support worker who may not see a case's
//! hearings must not learn them by sorting on them, and a judge's total counts only the cases
//! listed before them, not every case of the court. So every case of the agency is decided
//! and the page is cut in memory; only the rows shown are recorded as disclosed.

mod rows;

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use joinery_domain::{CaseId, Reader, ReaderId, Role, Stage, Timestamp, Username};
use joinery_ports::{
    AuditAction, CaseloadEntry, CaseloadOrder, CaseloadPage, CaseloadRows, NextHearing, ReaderClass,
};
use time::Duration;

use crate::gate::Decided;
use crate::{App, AppError, CaseView};
pub(crate) use rows::Deciding;

/// What decides the caseload rows under `policy`, as the store calls it: for tests that hold
/// the rows to what deciding on the fly answers.
pub fn caseload_rows(
    policy: std::sync::Arc<dyn joinery_ports::SharingAgreement>,
) -> Result<std::sync::Arc<dyn CaseloadRows>, joinery_ports::DecisionError> {
    Ok(std::sync::Arc::new(Deciding::new(policy)?))
}

/// When a case's next hearing is, as a caseload filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HearingWindow {
    #[default]
    Any,
    Today,
    /// Today or in the six days after.
    NextSevenDays,
    NextTwentyEightDays,
    /// No future hearing the reader may see.
    NoneListed,
}

/// The order of a caseload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseloadSort {
    /// Most recently changed first, by the latest item the reader may see: a change they may
    /// not see (police intelligence added, for a probation officer) moves nothing.
    #[default]
    RecentlyChanged,
    /// Soonest next hearing first; cases with none listed last.
    NextHearing,
    /// The cases whose overdue work has waited longest first: a worklist takes the oldest late
    /// work first. Then the cases with none, most recently changed first.
    LongestOverdue,
}

/// Which of an agency's cases to show, and which page of them.
#[derive(Debug, Clone, Default)]
pub struct CaseloadQuery {
    pub stage: Option<Stage>,
    pub hearing: HearingWindow,
    pub overdue_only: bool,
    pub sort: CaseloadSort,
    pub limit: usize,
    pub offset: usize,
}

/// A page of a caseload, and how many cases pass the filters in all.
#[derive(Debug, Clone)]
pub struct Caseload {
    pub cases: Vec<CaseView>,
    pub total: usize,
}

impl CaseloadQuery {
    fn admits(&self, view: &CaseView, now: Timestamp) -> bool {
        let today = now.date();
        let next = view.next_hearing.as_ref().map(|h| h.starts_at.date());
        let within = |days: i64| next.is_some_and(|date| date < today + Duration::days(days));
        let hearing = match self.hearing {
            HearingWindow::Any => true,
            HearingWindow::Today => next == Some(today),
            HearingWindow::NextSevenDays => within(7),
            HearingWindow::NextTwentyEightDays => within(28),
            HearingWindow::NoneListed => next.is_none(),
        };
        let stage = self.stage.is_none_or(|stage| view.state.stage == stage);
        stage && hearing && (!self.overdue_only || !view.overdue_actions.is_empty())
    }
}

impl CaseloadQuery {
    /// The page of the read model this query asks for a person, on `now`, with no case left
    /// out: what a caseload reads by index before it decides the page's cases.
    pub fn page_for(&self, reader: &Reader, username: &Username, now: Timestamp) -> CaseloadPage {
        CaseloadPage {
            class: ReaderClass {
                agency: reader.agency.clone(),
                kind: reader.agency_kind,
                role: reader.role,
                judge: (reader.role == Role::Judge).then(|| username.clone()),
            },
            now,
            stage: self.stage,
            hearing: self.hearing.as_of(now.date()),
            overdue_only: self.overdue_only,
            order: self.sort.order(),
            except: Vec::new(),
            holder: None,
            offset: self.offset,
            limit: self.limit,
        }
    }
}

impl HearingWindow {
    /// The window as the read model asks it, on `today`.
    fn as_of(self, today: time::Date) -> NextHearing {
        match self {
            Self::Any => NextHearing::Any,
            Self::Today => NextHearing::Before(today + Duration::days(1)),
            Self::NextSevenDays => NextHearing::Before(today + Duration::days(7)),
            Self::NextTwentyEightDays => NextHearing::Before(today + Duration::days(28)),
            Self::NoneListed => NextHearing::None,
        }
    }
}

impl CaseloadSort {
    fn order(self) -> CaseloadOrder {
        match self {
            Self::RecentlyChanged => CaseloadOrder::RecentlyChanged,
            Self::NextHearing => CaseloadOrder::NextHearing,
            Self::LongestOverdue => CaseloadOrder::LongestOverdue,
        }
    }
}

/// The order of two caseload entries: the chosen key, then most recently changed first.
fn compare(order: CaseloadOrder, a: &CaseloadEntry, b: &CaseloadEntry) -> Ordering {
    let recency = b.latest.cmp(&a.latest);
    match order {
        CaseloadOrder::RecentlyChanged => recency,
        CaseloadOrder::NextHearing => (a.next_hearing.is_none(), a.next_hearing)
            .cmp(&(b.next_hearing.is_none(), b.next_hearing))
            .then(recency),
        CaseloadOrder::LongestOverdue => (a.overdue_since.is_none(), a.overdue_since)
            .cmp(&(b.overdue_since.is_none(), b.overdue_since))
            .then(recency),
    }
}

/// A decided case's entry, with the keys the read model would give it.
fn entry_of(decided: &Decided) -> CaseloadEntry {
    let view = &decided.view;
    CaseloadEntry {
        case_id: view.id,
        latest: view
            .items
            .iter()
            .map(|item| item.sequence)
            .max()
            .unwrap_or(joinery_domain::Sequence::START),
        next_hearing: view.next_hearing.as_ref().map(|hearing| hearing.starts_at),
        overdue: view.overdue_actions.len(),
        overdue_since: view
            .overdue_actions
            .iter()
            .map(|action| action.due_on)
            .min(),
    }
}

impl App {
    /// The cases `reader`'s agency works on that pass `query`, as the reader may see them;
    /// the rows returned are recorded as listed. From the read model the store keeps, where it
    /// keeps one (a page costs what it shows); else every case of the agency decided.
    pub async fn caseload(
        &self,
        reader: &Reader,
        query: &CaseloadQuery,
    ) -> Result<Caseload, AppError> {
        match (&self.caseload_rows, &reader.id) {
            (Some(rows), ReaderId::User(username)) => {
                self.caseload_from_rows(rows, reader, username, query).await
            }
            _ => self.caseload_decided(reader, query).await,
        }
    }

    async fn caseload_from_rows(
        &self,
        rows: &Deciding,
        reader: &Reader,
        username: &Username,
        query: &CaseloadQuery,
    ) -> Result<Caseload, AppError> {
        let now = Timestamp::now();
        if !rows.sees_cases(reader.role) {
            return Ok(Caseload {
                cases: Vec::new(),
                total: 0,
            });
        }
        // The cases the reader holds break-glass grants on are decided apart, under them. Most
        // readers hold none: their grants are read with their page, which is read again without
        // those cases only when there are some.
        let mut first = self
            .store
            .caseload(CaseloadPage {
                holder: Some(username.clone()),
                ..query.page_for(reader, username, now)
            })
            .await?;
        let grants = std::mem::take(&mut first.grants);
        let mut apart: Vec<(CaseloadEntry, Decided)> = Vec::new();
        for (id, categories) in &grants {
            let Some((record, entries)) = self.store.case_history(*id).await? else {
                continue;
            };
            if !record.state.agencies.contains(&reader.agency) {
                continue;
            }
            if let Some(decided) = self.decide(reader, record, entries, categories.clone(), now)?
                && query.admits(&decided.view, now)
            {
                apart.push((entry_of(&decided), decided));
            }
        }
        let order = query.sort.order();
        let page = CaseloadPage {
            except: grants.keys().copied().collect(),
            offset: if apart.is_empty() { query.offset } else { 0 },
            limit: if apart.is_empty() {
                query.limit
            } else {
                query.offset + query.limit
            },
            ..query.page_for(reader, username, now)
        };
        let slice = if grants.is_empty() {
            first
        } else {
            self.store.caseload(page).await?
        };
        let total = slice.total + apart.len();
        let mut entries: Vec<CaseloadEntry> = slice.entries;
        let skip = if apart.is_empty() {
            0
        } else {
            entries.extend(apart.iter().map(|(entry, _)| entry.clone()));
            entries.sort_by(|a, b| compare(order, a, b));
            query.offset
        };
        let mut apart: BTreeMap<CaseId, Decided> = apart
            .into_iter()
            .map(|(entry, decided)| (entry.case_id, decided))
            .collect();
        // Only the page's cases are read (together) and decided in full.
        let shown: Vec<CaseId> = entries
            .into_iter()
            .skip(skip)
            .take(query.limit)
            .map(|entry| entry.case_id)
            .collect();
        let read: Vec<CaseId> = shown
            .iter()
            .filter(|id| !apart.contains_key(id))
            .copied()
            .collect();
        let mut histories = self.store.case_histories(read).await?.into_iter();
        let mut cases = Vec::new();
        let mut listed = Vec::new();
        for id in shown {
            let decided = match apart.remove(&id) {
                Some(decided) => Some(decided),
                None => match histories.next().flatten() {
                    Some((record, history)) => {
                        self.decide(reader, record, history, BTreeSet::new(), now)?
                    }
                    None => None,
                },
            };
            if let Some(decided) = decided {
                listed.push(self.disclosure_event(reader, &decided, AuditAction::CaseListed));
                cases.push(decided.view);
            }
        }
        // One durable write for the page's rows, before any of them is returned.
        if !listed.is_empty() {
            self.store.audit(listed).await?;
        }
        Ok(Caseload { cases, total })
    }

    /// Every case of the reader's agency decided, filtered, sorted and cut in memory: for an
    /// agreement that does not decide by relation, and for agencies' systems.
    async fn caseload_decided(
        &self,
        reader: &Reader,
        query: &CaseloadQuery,
    ) -> Result<Caseload, AppError> {
        let now = Timestamp::now();
        let histories = self
            .store
            .agency_case_histories(reader.agency.clone())
            .await?;
        let mut views: Vec<Decided> = self
            .decide_cases(reader, histories, now)
            .await?
            .into_iter()
            .filter(|decided| query.admits(&decided.view, now))
            .collect();
        let total = views.len();
        let order = query.sort.order();
        views.sort_by(|a, b| compare(order, &entry_of(a), &entry_of(b)));
        let (cases, listed): (Vec<CaseView>, Vec<_>) = views
            .into_iter()
            .skip(query.offset)
            .take(query.limit)
            .map(|decided| {
                let event = self.disclosure_event(reader, &decided, AuditAction::CaseListed);
                (decided.view, event)
            })
            .unzip();
        // One durable write for the page's rows, before any of them is returned.
        if !listed.is_empty() {
            self.store.audit(listed).await?;
        }
        Ok(Caseload { cases, total })
    }
}
