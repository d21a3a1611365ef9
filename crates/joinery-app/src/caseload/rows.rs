//! The caseload rows, decided: what each class of reader may see of a case, as far as a
//! caseload needs, for the store to keep (`joinery_ports::CaseloadRows`). The same decisions as
//! any read (the agreement, asked about every standing item for a reader of the class) and the
//! same fold (`CaseState::from_visible`), so that a caseload read from the rows answers what
//! deciding every case on the fly would.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use joinery_domain::journey::ActionState;
use joinery_domain::{
    Access, AgencyCode, AgencyKind, CaseFacts, CaseState, ItemFacts, Reader, Role, Username,
};
use joinery_ports::{
    CaseRecord, CaseloadRow, CaseloadRows, DecisionError, ReaderClass, SharingAgreement,
    TimelineEntry,
};

use crate::view::Standing;

/// The agreement, deciding caseload rows.
pub(crate) struct Deciding {
    policy: Arc<dyn SharingAgreement>,
    /// The roles that may see anything of any case (the rest have no rows and no caseload).
    seeing: BTreeSet<Role>,
}

/// The user name a class's reader is asked as: no judge's, so that only what every reader of
/// the class shares is decided on (a judge is a class of their own, by name).
const CLASS_READER: &str = "caseload.class";

impl Deciding {
    pub(crate) fn new(policy: Arc<dyn SharingAgreement>) -> Result<Self, DecisionError> {
        let matrix = policy.matrix()?;
        let seeing = matrix
            .roles
            .iter()
            .enumerate()
            .filter(|(column, _)| {
                matrix.rows.iter().any(|(_, cells)| {
                    cells
                        .get(*column)
                        .is_some_and(|cell| cell.full.is_some() || cell.summary.is_some())
                })
            })
            .map(|(_, role)| *role)
            .collect();
        Ok(Self { policy, seeing })
    }

    /// The reader a class is decided as.
    fn reader(class: &ReaderClass) -> Result<Reader, DecisionError> {
        let name = match &class.judge {
            Some(judge) => judge.clone(),
            None => {
                Username::parse(CLASS_READER).map_err(|error| DecisionError(Box::new(error)))?
            }
        };
        Ok(Reader::user(
            name,
            class.agency.clone(),
            class.kind,
            class.role,
        ))
    }
}

impl CaseloadRows for Deciding {
    fn digest(&self) -> &str {
        self.policy.digest()
    }

    fn sees_cases(&self, role: Role) -> bool {
        self.seeing.contains(&role)
    }

    fn rows(
        &self,
        record: &CaseRecord,
        entries: &[TimelineEntry],
        classes: &[ReaderClass],
    ) -> Result<Vec<CaseloadRow>, DecisionError> {
        let stands = Standing::of(entries);
        let standing: Vec<&TimelineEntry> = entries.iter().filter(|e| stands.stands(e)).collect();
        let facts = CaseFacts::of(&record.state);
        // Items with equal facts get equal decisions: each distinct set is decided once.
        let mut slot_of: BTreeMap<ItemFacts, usize> = BTreeMap::new();
        let mut slots: Vec<ItemFacts> = Vec::new();
        let slot_of_entry: Vec<usize> = standing
            .iter()
            .map(|entry| {
                let item = ItemFacts::of(&entry.event);
                *slot_of.entry(item).or_insert_with_key(|item| {
                    slots.push(item.clone());
                    slots.len() - 1
                })
            })
            .collect();
        let mut rows = Vec::new();
        for class in classes {
            let decided =
                self.policy
                    .decide(&Self::reader(class)?, &facts, &BTreeSet::new(), &slots)?;
            let visible: Vec<&TimelineEntry> = standing
                .iter()
                .zip(&slot_of_entry)
                .filter(|(_, slot)| decided.decisions[**slot].access != Access::Withheld)
                .map(|(entry, _)| *entry)
                .collect();
            let Some(latest) = visible.iter().map(|entry| entry.sequence).max() else {
                continue;
            };
            let state = CaseState::from_visible(visible.iter().map(|e| &e.event), &record.state);
            rows.push(row(class.clone(), latest, &state));
        }
        Ok(rows)
    }

    fn feed(
        &self,
        agency: &AgencyCode,
        kind: AgencyKind,
        facts: &CaseFacts,
        items: &[ItemFacts],
    ) -> Result<Vec<bool>, DecisionError> {
        let system = Reader::system(agency.clone(), kind);
        let decided = self
            .policy
            .decide(&system, facts, &BTreeSet::new(), items)?;
        Ok(decided
            .decisions
            .iter()
            .map(|decision| decision.access != Access::Withheld)
            .collect())
    }
}

/// A class's row from the state folded from what it may see.
fn row(class: ReaderClass, latest: joinery_domain::Sequence, state: &CaseState) -> CaseloadRow {
    CaseloadRow {
        class,
        stage: state.stage,
        latest,
        hearings: state
            .hearings
            .iter()
            .filter(|hearing| !hearing.resulted)
            .map(|hearing| hearing.starts_at)
            .collect(),
        open_actions: state
            .actions
            .iter()
            .filter(|action| action.state == ActionState::Open)
            .map(|action| action.due_on)
            .collect(),
    }
}
