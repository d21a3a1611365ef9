//! The decisions for one reader on one case, remembered by the item facts they depend on.

use std::collections::HashSet;
use std::sync::PoisonError;

use cedar_policy::{Context, Entities, Entity, EntityId, EntityUid};
use joinery_domain::{Access, Category, Decision, ItemFacts, NoteFacts};
use rustc_hash::FxHashMap;

use super::{DecisionContext, Decisions, SharingPolicy};
use crate::PolicyError;
use crate::relative::ItemKey;

/// What one decision is about: an item, or the note on a request for work an item carries.
enum Subject<'a> {
    Item(&'a ItemFacts),
    Note(&'a NoteFacts),
}

/// The decisions for one reader on one case, by item facts. Built from the policy's memory of
/// earlier decisions in the same context; what is new is asked of Cedar and remembered.
pub struct CaseAccess<'p> {
    policy: &'p SharingPolicy,
    facts: DecisionContext,
    /// Built on the first decision that needs Cedar.
    cedar: Option<(Entity, Entity, Context)>,
    decisions: Decisions,
    evaluated: usize,
}

impl<'p> CaseAccess<'p> {
    pub(super) fn new(
        policy: &'p SharingPolicy,
        facts: DecisionContext,
        decisions: Decisions,
    ) -> Self {
        Self {
            policy,
            facts,
            cedar: None,
            decisions,
            evaluated: 0,
        }
    }

    /// How much of an item with these facts the reader may see: whole if a policy permits
    /// `read`, else its summary if one permits `read_summary`, else nothing.
    pub fn decide(&mut self, item: &ItemFacts) -> Result<Decision, PolicyError> {
        self.decide_all([item])?;
        let key = self.key_of(item);
        self.decisions()
            .get(&key)
            .cloned()
            .ok_or(PolicyError::Entity {
                what: "an item",
                message: "a decision went missing from the cache".to_owned(),
            })
    }

    /// Decides every item not decided yet, building the Cedar entities once for all of them
    /// (one entity per distinct key): a case's view costs one entity store, not one per item.
    pub fn decide_all<'i>(
        &mut self,
        items: impl IntoIterator<Item = &'i ItemFacts>,
    ) -> Result<(), PolicyError> {
        let fresh: Vec<(ItemKey, Subject<'_>)> = {
            let known = self.decisions();
            let mut seen: HashSet<ItemKey> = HashSet::new();
            items
                .into_iter()
                .map(|item| (self.key_of(item), Subject::Item(item)))
                .filter(|(key, _)| !known.contains_key(key) && seen.insert(key.clone()))
                .collect()
        };
        self.decide_fresh(fresh)
    }

    /// Whether the reader may read each note on a request for work: `Full` if a policy permits
    /// `read_note`, else `Withheld`. Remembered like item decisions, by what they depend on.
    pub fn decide_notes(&mut self, notes: &[NoteFacts]) -> Result<Vec<Decision>, PolicyError> {
        let keys: Vec<ItemKey> = notes
            .iter()
            .map(|note| {
                ItemKey::note(
                    self.policy.relative,
                    &self.facts.reader,
                    &self.facts.case,
                    note,
                )
            })
            .collect();
        let fresh: Vec<(ItemKey, Subject<'_>)> = {
            let known = self.decisions();
            let mut seen: HashSet<&ItemKey> = HashSet::new();
            keys.iter()
                .zip(notes)
                .filter(|(key, _)| !known.contains_key(*key) && seen.insert(*key))
                .map(|(key, note)| (key.clone(), Subject::Note(note)))
                .collect()
        };
        self.decide_fresh(fresh)?;
        let known = self.decisions();
        keys.iter()
            .map(|key| {
                known.get(key).cloned().ok_or(PolicyError::Entity {
                    what: "a note",
                    message: "a decision went missing from the cache".to_owned(),
                })
            })
            .collect()
    }

    /// Asks Cedar about what was not decided yet, with one entity store for all of it, and
    /// remembers the answers.
    fn decide_fresh(&mut self, fresh: Vec<(ItemKey, Subject<'_>)>) -> Result<(), PolicyError> {
        if fresh.is_empty() {
            return Ok(());
        }
        let policy = self.policy;
        let (principal, case, context) = match self.cedar.take() {
            Some(cedar) => cedar,
            None => policy.cedar_context(&self.facts)?,
        };
        let mut entities = vec![principal.clone(), case.clone()];
        let mut uids = Vec::with_capacity(fresh.len());
        for (number, (_, subject)) in fresh.iter().enumerate() {
            let (type_name, prefix) = match subject {
                Subject::Item(_) => (policy.names.item.type_name(), "item"),
                Subject::Note(_) => (&policy.names.note, "note"),
            };
            let uid = EntityUid::from_type_name_and_id(
                type_name.clone(),
                EntityId::new(format!("{prefix}-{number}")),
            );
            entities.push(match subject {
                Subject::Item(item) => policy.item_entity(item, uid.clone())?,
                Subject::Note(note) => policy.note_entity(note, uid.clone())?,
            });
            uids.push(uid);
        }
        let entities = policy.entities(entities)?;
        let principal_uid = principal.uid();
        let decided: Vec<(ItemKey, Decision)> = fresh
            .into_iter()
            .zip(uids)
            .map(|((key, subject), uid)| {
                let decision = match subject {
                    Subject::Item(item) => evaluate(
                        policy,
                        &entities,
                        &principal_uid,
                        &context,
                        item.category,
                        &uid,
                    ),
                    Subject::Note(_) => policy
                        .ask(
                            &policy.policies,
                            &entities,
                            &principal_uid,
                            &policy.names.read_note,
                            &uid,
                            Context::empty(),
                        )
                        .map_or_else(Decision::withheld, |policies| Decision {
                            access: Access::Full,
                            policies,
                        }),
                };
                (key, decision)
            })
            .collect();
        self.evaluated += decided.len();
        self.decisions().extend(decided);
        self.cedar = Some((principal, case, context));
        Ok(())
    }

    fn key_of(&self, item: &ItemFacts) -> ItemKey {
        ItemKey::new(
            self.policy.relative,
            &self.facts.reader,
            &self.facts.case,
            item,
        )
    }

    /// How many decisions this access asked of Cedar (the rest were remembered).
    pub fn evaluations(&self) -> usize {
        self.evaluated
    }

    fn decisions(&self) -> std::sync::MutexGuard<'_, FxHashMap<ItemKey, Decision>> {
        self.decisions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Asks `read`, then — for a category that has a summary form — `read_summary`.
fn evaluate(
    policy: &SharingPolicy,
    entities: &Entities,
    principal: &EntityUid,
    context: &Context,
    category: Category,
    item: &EntityUid,
) -> Decision {
    let slice = policy.slice(category);
    let summary = category
        .has_summary_form()
        .then_some((&policy.names.read_summary, Access::Summary));
    for (action, access) in std::iter::once((&policy.names.read, Access::Full)).chain(summary) {
        if let Some(policies) =
            policy.ask(slice, entities, principal, action, item, context.clone())
        {
            return Decision { access, policies };
        }
    }
    Decision::withheld()
}
