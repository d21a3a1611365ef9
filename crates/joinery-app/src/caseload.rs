//! An agency's caseload as one reader may see it: filtered by stage, by when the next hearing
//! is, by overdue actions, sorted, a page at a time.
//!
//! Filters, sort keys and the total look only at what the reader may see of each case (its
//! [`CaseView`]), never at the stored state: a support worker who may not see a case's
//! hearings must not learn them by sorting on them, and a judge's total counts only the cases
//! listed before them, not every case of the court. So every case of the agency is decided
//! and the page is cut in memory; only the rows shown are recorded as disclosed.

use joinery_domain::{Reader, Stage, Timestamp};
use joinery_ports::AuditAction;
use time::Duration;

use crate::gate::Decided;
use crate::{App, AppError, CaseView};

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
    /// Most overdue actions first.
    MostOverdue,
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

    /// Orders `views` by the chosen sort, recency breaking ties; every key is taken from what
    /// the reader may see, never from the order the store keeps.
    fn sort(&self, views: &mut [Decided]) {
        views.sort_by_key(|decided| {
            std::cmp::Reverse(decided.view.items.iter().map(|item| item.sequence).max())
        });
        match self.sort {
            CaseloadSort::RecentlyChanged => {}
            CaseloadSort::NextHearing => views.sort_by_key(|decided| {
                decided
                    .view
                    .next_hearing
                    .as_ref()
                    .map_or((true, None), |h| (false, Some(h.starts_at)))
            }),
            CaseloadSort::MostOverdue => {
                views.sort_by_key(|decided| std::cmp::Reverse(decided.view.overdue_actions.len()));
            }
        }
    }
}

impl App {
    /// The cases `reader`'s agency works on that pass `query`, as the reader may see them;
    /// the rows returned are recorded as listed.
    pub async fn caseload(
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
        query.sort(&mut views);
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
