//! What a reader sees of a case: the items the policy lets them see, and the case state folded
//! from those items alone, so that nothing withheld can surface in a total, a stage or a name.
//! Pure: the store's records and a policy in, a view out.

use std::collections::{BTreeMap, BTreeSet};

use joinery_domain::projection::{ActionRecord, HearingState};
use joinery_domain::{
    Access, AgencyCode, CanonicalMessage, CaseFacts, CaseId, CaseState, Category, ItemFacts,
    MessageId, NoteFacts, Payload, Reader, Sequence, Timestamp,
};
use joinery_ports::{DecisionError, SharingAgreement, TimelineEntry};
use rustc_hash::FxHashMap;
use serde::Serialize;
use utoipa::ToSchema;

/// One item of a case as disclosed: an event with its provenance and category.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VisibleItem {
    /// The order in which Joinery accepted it.
    pub sequence: Sequence,
    pub received_at: Timestamp,
    pub category: Category,
    /// True when only the item's summary is disclosed (its detail is left out).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub summary_only: bool,
    /// True when the item carries a note on a request for work that is not shared with the
    /// reader (it belongs to the agencies party to the request); the note is left out.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub note_withheld: bool,
    #[serde(flatten)]
    pub event: CanonicalMessage,
}

/// A case as one reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CaseView {
    pub id: CaseId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_hearing: Option<HearingState>,
    pub overdue_actions: Vec<ActionRecord>,
    /// True when the reader sees no hearing to come and some hearing of the case is withheld
    /// from them: a page says the next hearing is not shared with them rather than that none
    /// is listed (without telling whether the withheld hearing is past or to come).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub next_hearing_withheld: bool,
    /// The categories of the case's items (sent by agencies on its team) that the reader is
    /// not shown, so that a page can say "not shared with you" where it would otherwise show
    /// nothing. Not part of the API's answer.
    #[serde(skip)]
    pub withheld: BTreeSet<Category>,
    /// The case folded from the visible items only.
    #[serde(flatten)]
    pub state: CaseState,
    /// The visible items, in the order they happened.
    pub items: Vec<VisibleItem>,
}

/// What was disclosed and why, for the audit trail: references only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disclosure {
    pub items: Vec<Sequence>,
    pub summaries: Vec<Sequence>,
    pub policies: BTreeSet<String>,
    pub cedar_evaluations: usize,
    /// The categories of items withheld (among those sent by agencies on the case's team).
    pub withheld: BTreeSet<Category>,
}

impl Disclosure {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.summaries.is_empty()
    }
}

/// Which of a case's items still stand: retracted messages and the retractions themselves are
/// left out, as the projection leaves them out.
pub(crate) struct Standing {
    retracted: BTreeSet<(AgencyCode, MessageId)>,
}

impl Standing {
    pub(crate) fn of(entries: &[TimelineEntry]) -> Self {
        Self {
            retracted: entries
                .iter()
                .filter_map(|entry| match &entry.event.payload {
                    Payload::Retraction(retraction) => {
                        Some((entry.event.agency.clone(), retraction.message_id.clone()))
                    }
                    _ => None,
                })
                .collect(),
        }
    }

    pub(crate) fn stands(&self, entry: &TimelineEntry) -> bool {
        let event = &entry.event;
        !matches!(event.payload, Payload::Retraction(_))
            && !self
                .retracted
                .contains(&(event.agency.clone(), event.message_id.clone()))
    }
}

/// The items of a case that still stand.
fn standing(entries: Vec<TimelineEntry>) -> impl Iterator<Item = TimelineEntry> {
    let standing = Standing::of(&entries);
    entries
        .into_iter()
        .filter(move |entry| standing.stands(entry))
}

/// Decides every standing item of a case for `reader` and keeps those they may see. `state` is
/// the whole case's projection, from which the facts decisions depend on are taken.
pub fn disclose(
    policy: &dyn SharingAgreement,
    reader: &Reader,
    state: &CaseState,
    break_glass: &BTreeSet<Category>,
    entries: Vec<TimelineEntry>,
) -> Result<(Vec<VisibleItem>, Disclosure), DecisionError> {
    let facts = CaseFacts::of(state);
    // Items with equal facts get equal decisions: each distinct set of facts is a slot, decided
    // once, and every item refers to its slot by index.
    let mut slot_of: FxHashMap<ItemFacts, usize> = FxHashMap::default();
    let mut slots: Vec<ItemFacts> = Vec::new();
    let standing: Vec<(TimelineEntry, usize)> = standing(entries)
        .map(|entry| {
            let slot = *slot_of
                .entry(ItemFacts::of(&entry.event))
                .or_insert_with_key(|facts| {
                    slots.push(facts.clone());
                    slots.len() - 1
                });
            (entry, slot)
        })
        .collect();
    let decided = policy.decide(reader, &facts, break_glass, &slots)?;
    let decisions = decided.decisions;
    let mut disclosure = Disclosure::default();
    let shown: Vec<(TimelineEntry, bool)> = standing
        .into_iter()
        .filter_map(|(entry, slot)| match decisions[slot].access {
            Access::Withheld => {
                let item = &slots[slot];
                if facts.team.contains(&item.owner) {
                    disclosure.withheld.insert(item.category);
                }
                None
            }
            Access::Summary => Some((entry, true)),
            Access::Full => Some((entry, false)),
        })
        .collect();
    // The notes on requests for work among what is shown, each decided by its parties.
    let notes: Vec<(usize, NoteFacts)> = shown
        .iter()
        .enumerate()
        .filter_map(|(at, (entry, _))| Some((at, NoteFacts::in_case(&entry.event, state)?)))
        .collect();
    let note_facts: Vec<NoteFacts> = notes.iter().map(|(_, note)| note.clone()).collect();
    let (note_decisions, note_evaluations) = match note_facts.is_empty() {
        true => (Vec::new(), 0),
        false => {
            let decided = policy.decide_notes(reader, &facts, &note_facts)?;
            (decided.decisions, decided.evaluations)
        }
    };
    let withheld_notes: BTreeSet<usize> = notes
        .iter()
        .zip(&note_decisions)
        .filter(|(_, decision)| !decision.is_disclosed())
        .map(|((at, _), _)| *at)
        .collect();
    let mut items = Vec::with_capacity(shown.len());
    for (at, (entry, summary_only)) in shown.into_iter().enumerate() {
        if summary_only {
            disclosure.summaries.push(entry.sequence);
        } else {
            disclosure.items.push(entry.sequence);
        }
        items.push(visible(entry, summary_only, withheld_notes.contains(&at)));
    }
    disclosure.policies = decisions
        .iter()
        .chain(&note_decisions)
        .flat_map(|decision| decision.policies.iter().cloned())
        .collect();
    disclosure.cedar_evaluations = decided.evaluations + note_evaluations;
    Ok((items, disclosure))
}

/// Every standing item, unfiltered: what a case view costs without authorization, for the
/// benchmark that measures what authorization adds. Behind the `bench` feature: nothing that
/// serves a reader may call it.
#[cfg(feature = "bench")]
pub fn disclose_all(entries: Vec<TimelineEntry>) -> Vec<VisibleItem> {
    standing(entries)
        .map(|entry| visible(entry, false, false))
        .collect()
}

/// An item as disclosed: its summary only if `summary_only`, without its note on a request for
/// work if `note_withheld`.
pub(crate) fn visible(
    entry: TimelineEntry,
    summary_only: bool,
    note_withheld: bool,
) -> VisibleItem {
    let mut event = entry.event;
    if summary_only {
        event.payload = event.payload.summarised();
    }
    let note_withheld = note_withheld && event.payload.has_request_note();
    if note_withheld {
        event.payload = event.payload.without_request_note();
    }
    VisibleItem {
        sequence: entry.sequence,
        received_at: entry.received_at,
        category: event.payload.category(),
        summary_only,
        note_withheld,
        event,
    }
}

impl CaseView {
    /// Folds the visible items into the state the reader sees, counting each as the whole
    /// case (`whole`) counted it.
    pub fn assemble(
        id: CaseId,
        items: Vec<VisibleItem>,
        whole: &CaseState,
        now: Timestamp,
    ) -> Self {
        let state = CaseState::from_visible(items.iter().map(|item| &item.event), whole);
        let next_hearing = state.next_hearing(now).cloned();
        Self {
            id,
            next_hearing_withheld: next_hearing.is_none()
                && whole.hearings.len() > state.hearings.len(),
            withheld: BTreeSet::new(),
            next_hearing,
            overdue_actions: state.overdue_actions(now.date()).cloned().collect(),
            state,
            items,
        }
    }

    /// The view, knowing which categories of item the reader was not shown.
    pub fn withholding(mut self, categories: &BTreeSet<Category>) -> Self {
        self.withheld.clone_from(categories);
        self
    }

    /// The judge's one-screen summary: what each agency reported since the last hearing that
    /// took place, and the judge's own comments (the only comments they can see).
    pub fn hearing_summary(&self, now: Timestamp) -> HearingSummary {
        let last_hearing = self
            .state
            .hearings
            .iter()
            .filter(|hearing| hearing.starts_at <= now)
            .map(|hearing| hearing.starts_at)
            .max();
        let mut since_last_hearing: BTreeMap<AgencyCode, Vec<VisibleItem>> = BTreeMap::new();
        let mut latest_from_each_agency = BTreeMap::new();
        let mut comments = Vec::new();
        for item in &self.items {
            if item.category == Category::JudicialComment {
                comments.push(item.clone());
                continue;
            }
            latest_from_each_agency.insert(item.event.agency.clone(), item.clone());
            if last_hearing.is_none_or(|last| item.event.occurred_at > last) {
                since_last_hearing
                    .entry(item.event.agency.clone())
                    .or_default()
                    .push(item.clone());
            }
        }
        HearingSummary {
            case_id: self.id,
            stage: self.state.stage,
            defendant: self.state.defendant.clone(),
            offences: self.state.offences.clone(),
            bail: self.state.bail.clone(),
            hearings: self.state.hearings.clone(),
            next_hearing: self.next_hearing.clone(),
            last_hearing,
            since_last_hearing,
            latest_from_each_agency,
            overdue_actions: self.overdue_actions.clone(),
            comments,
        }
    }
}

/// The judge's view of a case listed before them.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HearingSummary {
    pub case_id: CaseId,
    pub stage: joinery_domain::Stage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defendant: Option<joinery_domain::message::Person>,
    pub offences: Vec<joinery_domain::projection::OffenceState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bail: Option<joinery_domain::projection::BailState>,
    /// The case history in brief: its hearings and their results.
    pub hearings: Vec<HearingState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_hearing: Option<HearingState>,
    /// When the last hearing that has taken place began.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_hearing: Option<Timestamp>,
    /// What each agency reported since then, oldest first.
    pub since_last_hearing: BTreeMap<AgencyCode, Vec<VisibleItem>>,
    /// The latest item from every agency, however old.
    pub latest_from_each_agency: BTreeMap<AgencyCode, VisibleItem>,
    pub overdue_actions: Vec<ActionRecord>,
    /// The judge's own earlier comments on the case.
    pub comments: Vec<VisibleItem>,
}
