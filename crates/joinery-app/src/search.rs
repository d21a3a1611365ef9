//! Finding a case: by URN or ASN, by PNC ID, or by family name and date of birth. Each case the
//! store finds is decided for the reader through the one authorization path, and answers only if
//! what was searched for is among what the reader may see of it (the reference on an item they
//! see, the defendant as their view shows them): a search tells no one of a case, or a person on
//! it, they could not open. Recorded in the audit trail as how the search was made and which
//! cases it showed (each also as a case listed), never as what was searched for.

use joinery_domain::search::{CaseSearch, SearchBy};
use joinery_domain::{Reader, Timestamp};
use joinery_ports::{AuditAction, AuditDetail, AuditEvent, CaseLookup};
use serde::Serialize;
use tokio::time::Instant;
use utoipa::ToSchema;

use crate::gate::evenly;
use crate::{App, AppError, CaseView, actor};

/// The most cases one search shows. A search by name and date of birth that matches more asks
/// for a given name, or a reference, to narrow it.
pub const SEARCH_SHOWS: usize = 25;

/// What a search found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    /// How the search was made.
    pub by: SearchBy,
    /// The cases found that the reader may open, the case opened last first.
    pub cases: Vec<CaseView>,
    /// True when more cases matched than a search shows ([`SEARCH_SHOWS`]).
    pub more: bool,
}

impl App {
    /// The cases `search` finds that `reader` may open, recorded before they are returned.
    pub async fn search(
        &self,
        reader: &Reader,
        search: &CaseSearch,
    ) -> Result<SearchResults, AppError> {
        let started = Instant::now();
        let candidates = match (search, search.person_key()) {
            (CaseSearch::Urn(urn), _) => self.found_by(CaseLookup::Urn(urn.clone())).await?,
            (CaseSearch::Asn(asn), _) => self.found_by(CaseLookup::Asn(asn.clone())).await?,
            (_, Some(key)) => self.store.cases_of_person(key, SEARCH_SHOWS + 1).await?,
            (_, None) => Vec::new(),
        };
        let more = candidates.len() > SEARCH_SHOWS;
        let shown: Vec<_> = candidates.into_iter().take(SEARCH_SHOWS).collect();
        let histories: Vec<_> = self
            .store
            .case_histories(shown)
            .await?
            .into_iter()
            .flatten()
            .collect();
        let decided = self
            .decide_cases(reader, histories, Timestamp::now())
            .await?;
        let found: Vec<_> = decided
            .into_iter()
            .filter(|decided| answers(search, &decided.view))
            .collect();
        let mut events: Vec<AuditEvent> = found
            .iter()
            .map(|decided| self.disclosure_event(reader, decided, AuditAction::CaseListed))
            .collect();
        let cases: Vec<CaseView> = found.into_iter().map(|decided| decided.view).collect();
        events.push(AuditEvent {
            actor: actor(reader),
            action: AuditAction::CaseSearched,
            subject: None,
            detail: AuditDetail::Searched {
                by: search.by(),
                shown: cases.iter().map(|case| case.id).collect(),
                more,
            },
        });
        self.store.audit(events).await?;
        // Finding nothing takes as long as finding a case the reader may not open.
        let cases = evenly(started, Some(cases).filter(|cases| !cases.is_empty()))
            .await
            .unwrap_or_default();
        Ok(SearchResults {
            by: search.by(),
            cases,
            more,
        })
    }

    async fn found_by(&self, lookup: CaseLookup) -> Result<Vec<joinery_domain::CaseId>, AppError> {
        Ok(self.store.find_case(lookup).await?.into_iter().collect())
    }
}

/// Whether what was searched for is among what the reader sees of the case.
fn answers(search: &CaseSearch, view: &CaseView) -> bool {
    match search {
        CaseSearch::Urn(urn) => view
            .items
            .iter()
            .any(|item| item.event.case.urn.as_ref() == Some(urn)),
        CaseSearch::Asn(asn) => view
            .items
            .iter()
            .any(|item| item.event.case.asn.as_ref() == Some(asn)),
        CaseSearch::Pnc(_) | CaseSearch::Person { .. } => view
            .state
            .defendant
            .as_ref()
            .is_some_and(|person| search.matches(person)),
    }
}
