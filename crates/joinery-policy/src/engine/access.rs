//! The decisions for one reader on one case, remembered by the item facts they depend on.

use std::collections::HashSet;
use std::sync::PoisonError;

use cedar_policy::{Context, Entities, Entity, EntityId, EntityUid};
use joinery_domain::{Access, Category, Decision, ItemFacts};
use rustc_hash::FxHashMap;

use super::{DecisionContext, Decisions, SharingPolicy};
use crate::PolicyError;
use crate::relative::ItemKey;

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
        let fresh: Vec<(ItemKey, &ItemFacts)> = {
            let known = self.decisions();
            let mut seen: HashSet<ItemKey> = HashSet::new();
            items
                .into_iter()
                .map(|item| (self.key_of(item), item))
                .filter(|(key, _)| !known.contains_key(key) && seen.insert(key.clone()))
                .collect()
        };
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
        for (number, (_, item)) in fresh.iter().enumerate() {
            let uid = EntityUid::from_type_name_and_id(
                policy.names.item.type_name().clone(),
                EntityId::new(format!("item-{number}")),
            );
            entities.push(policy.item_entity(item, uid.clone())?);
            uids.push(uid);
        }
        let entities = policy.entities(entities)?;
        let principal_uid = principal.uid();
        let decided: Vec<(ItemKey, Decision)> = fresh
            .into_iter()
            .zip(uids)
            .map(|((key, item), uid)| {
                let decision = evaluate(
                    policy,
                    &entities,
                    &principal_uid,
                    &context,
                    item.category,
                    &uid,
                );
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
