//! The policy set loaded into Cedar, and the translation of Joinery's facts into Cedar entities.
//!
//! Entities are built per decision from the facts alone: a reader, the case (uid `Case::"case"`)
//! and the item (uid `Item::"item"`). Because an item's uid says nothing about which item it is,
//! no policy can tell two items with equal facts apart, and caching by facts is exact.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicyId,
    PolicySet, Request, RestrictedExpression, Schema, ValidationMode, Validator,
};
use joinery_domain::{AgencyCode, CaseFacts, Category, ItemFacts};

use crate::{Access, Decision, PolicyError, PolicySources, Reader, ReaderId};

/// A validated policy set, ready to decide.
pub struct SharingPolicy {
    policies: PolicySet,
    authorizer: Authorizer,
    digest: String,
    ids: Vec<String>,
    names: Names,
}

/// Cedar names used in every request, parsed once.
struct Names {
    user: EntityTypeName,
    system: EntityTypeName,
    agency: EntityTypeName,
    case: EntityUid,
    item: EntityUid,
    read: EntityUid,
    read_summary: EntityUid,
    break_glass: EntityUid,
    review_audit: EntityUid,
}

impl Names {
    fn new() -> Self {
        let type_name =
            |name: &str| EntityTypeName::from_str(name).unwrap_or_else(|e| panic!("`{name}`: {e}"));
        let uid =
            |ty: &str, id: &str| EntityUid::from_type_name_and_id(type_name(ty), EntityId::new(id));
        Self {
            user: type_name("Joinery::User"),
            system: type_name("Joinery::System"),
            agency: type_name("Joinery::Agency"),
            case: uid("Joinery::Case", "case"),
            item: uid("Joinery::Item", "item"),
            read: uid("Joinery::Action", "read"),
            read_summary: uid("Joinery::Action", "read_summary"),
            break_glass: uid("Joinery::Action", "break_glass"),
            review_audit: uid("Joinery::Action", "review_audit"),
        }
    }

    fn agency(&self, code: &AgencyCode) -> RestrictedExpression {
        RestrictedExpression::new_entity_uid(EntityUid::from_type_name_and_id(
            self.agency.clone(),
            EntityId::new(code.as_str()),
        ))
    }

    fn agencies<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a AgencyCode>,
    ) -> RestrictedExpression {
        RestrictedExpression::new_set(codes.into_iter().map(|code| self.agency(code)))
    }

    fn user(&self, username: &str) -> EntityUid {
        EntityUid::from_type_name_and_id(self.user.clone(), EntityId::new(username))
    }

    fn reader_uid(&self, reader: &Reader) -> EntityUid {
        match &reader.id {
            ReaderId::User(username) => self.user(username.as_str()),
            ReaderId::System => EntityUid::from_type_name_and_id(
                self.system.clone(),
                EntityId::new(reader.agency.as_str()),
            ),
        }
    }
}

fn strings<'a>(values: impl IntoIterator<Item = &'a str>) -> RestrictedExpression {
    RestrictedExpression::new_set(
        values
            .into_iter()
            .map(|value| RestrictedExpression::new_string(value.to_owned())),
    )
}

fn entity(
    uid: EntityUid,
    attrs: impl IntoIterator<Item = (&'static str, RestrictedExpression)>,
    what: &'static str,
) -> Result<Entity, PolicyError> {
    let attrs = attrs
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
    Entity::new(uid, attrs, HashSet::new()).map_err(|e| PolicyError::Entity {
        what,
        message: e.to_string(),
    })
}

impl SharingPolicy {
    /// The default agreement built into Joinery. It is validated by the tests, so failing here
    /// is a build defect, not an operator's mistake.
    pub fn builtin() -> Self {
        Self::load(&PolicySources::builtin())
            .unwrap_or_else(|e| panic!("the built-in policy set is invalid: {e}"))
    }

    /// Parses the schema and every policy, requires each policy to carry a unique `@id`, and
    /// validates the set against the schema (strict mode).
    pub fn load(sources: &PolicySources) -> Result<Self, PolicyError> {
        let schema_error = |message: String| PolicyError::Schema {
            file: sources.schema.name.clone(),
            message,
        };
        let (schema, _warnings) = Schema::from_cedarschema_str(&sources.schema.text)
            .map_err(|e| schema_error(e.to_string()))?;
        let mut policies = PolicySet::new();
        let mut ids = Vec::new();
        for file in &sources.policies {
            let parsed = PolicySet::from_str(&file.text).map_err(|e| PolicyError::Parse {
                file: file.name.clone(),
                message: e.to_string(),
            })?;
            for (position, policy) in (1..).zip(parsed.policies()) {
                let id = policy
                    .annotation("id")
                    .ok_or_else(|| PolicyError::MissingId {
                        file: file.name.clone(),
                        position,
                    })?
                    .to_owned();
                policies
                    .add(policy.new_id(PolicyId::new(&id)))
                    .map_err(|_| PolicyError::DuplicateId { id: id.clone() })?;
                ids.push(id);
            }
        }
        let validation = Validator::new(schema).validate(&policies, ValidationMode::Strict);
        if !validation.validation_passed() {
            return Err(PolicyError::Invalid {
                problems: validation
                    .validation_errors()
                    .map(|error| format!("  - {error}"))
                    .collect(),
            });
        }
        Ok(Self {
            policies,
            authorizer: Authorizer::new(),
            digest: sources.digest(),
            ids,
            names: Names::new(),
        })
    }

    /// The version of the agreement in force (see [`PolicySources::digest`]).
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The ids of the policies, in the order of their files.
    pub fn policy_ids(&self) -> &[String] {
        &self.ids
    }

    /// Decides the items of one case for one reader. `break_glass` lists the categories the
    /// reader holds a break-glass grant for on this case, still in time.
    pub fn case_access<'p>(
        &'p self,
        reader: &Reader,
        case: &CaseFacts,
        break_glass: &BTreeSet<Category>,
    ) -> Result<CaseAccess<'p>, PolicyError> {
        let context = Context::from_pairs([(
            "break_glass".to_owned(),
            strings(break_glass.iter().map(|category| category.as_str())),
        )])
        .map_err(|e| PolicyError::Entity {
            what: "the request context",
            message: e.to_string(),
        })?;
        Ok(CaseAccess {
            policy: self,
            principal: self.reader_entity(reader)?,
            case: self.case_entity(case)?,
            context,
            cache: HashMap::new(),
        })
    }

    /// Whether `reader` may break glass for `item` on `case`.
    pub fn may_break_glass(
        &self,
        reader: &Reader,
        case: &CaseFacts,
        item: &ItemFacts,
    ) -> Result<bool, PolicyError> {
        let entities = [
            self.reader_entity(reader)?,
            self.case_entity(case)?,
            self.item_entity(item)?,
        ];
        Ok(self
            .ask(
                &self.names.break_glass,
                entities,
                Context::empty(),
                &self.names.item,
            )
            .is_some())
    }

    /// Whether `reader` may ask who has seen a case.
    pub fn may_review_audit(&self, reader: &Reader) -> Result<bool, PolicyError> {
        let case = self.case_entity(&CaseFacts::default())?;
        let entities = [self.reader_entity(reader)?, case];
        Ok(self
            .ask(
                &self.names.review_audit,
                entities,
                Context::empty(),
                &self.names.case,
            )
            .is_some())
    }

    /// Asks Cedar; the ids of the permitting policies if allowed.
    fn ask<const N: usize>(
        &self,
        action: &EntityUid,
        entities: [Entity; N],
        context: Context,
        resource: &EntityUid,
    ) -> Option<Vec<String>> {
        let principal = entities[0].uid();
        let entities = Entities::from_entities(entities, None).ok()?;
        let request =
            Request::new(principal, action.clone(), resource.clone(), context, None).ok()?;
        let response = self
            .authorizer
            .is_authorized(&request, &self.policies, &entities);
        (response.decision() == cedar_policy::Decision::Allow).then(|| {
            let mut ids: Vec<String> = response
                .diagnostics()
                .reason()
                .map(ToString::to_string)
                .collect();
            ids.sort();
            ids
        })
    }

    fn reader_entity(&self, reader: &Reader) -> Result<Entity, PolicyError> {
        entity(
            self.names.reader_uid(reader),
            [
                ("agency", self.names.agency(&reader.agency)),
                (
                    "agency_kind",
                    RestrictedExpression::new_string(reader.agency_kind.as_str().to_owned()),
                ),
                (
                    "role",
                    RestrictedExpression::new_string(reader.role.as_str().to_owned()),
                ),
            ],
            "the reader",
        )
    }

    fn case_entity(&self, case: &CaseFacts) -> Result<Entity, PolicyError> {
        let judges = case
            .judges
            .iter()
            .map(|judge| RestrictedExpression::new_entity_uid(self.names.user(judge.as_str())));
        entity(
            self.names.case.clone(),
            [
                ("team", self.names.agencies(&case.team)),
                ("judges", RestrictedExpression::new_set(judges)),
                ("convicted", RestrictedExpression::new_bool(case.convicted)),
                (
                    "consents",
                    strings(case.consents.iter().map(|consent| consent.as_str())),
                ),
            ],
            "the case",
        )
    }

    fn item_entity(&self, item: &ItemFacts) -> Result<Entity, PolicyError> {
        let mut attrs = vec![
            (
                "case",
                RestrictedExpression::new_entity_uid(self.names.case.clone()),
            ),
            (
                "category",
                RestrictedExpression::new_string(item.category.as_str().to_owned()),
            ),
            ("owner", self.names.agency(&item.owner)),
            ("addressed_to", self.names.agencies(&item.addressed_to)),
            (
                "order_requirement",
                RestrictedExpression::new_bool(item.order_requirement),
            ),
        ];
        if let Some(author) = &item.author {
            attrs.push((
                "author",
                RestrictedExpression::new_entity_uid(self.names.user(author.as_str())),
            ));
        }
        entity(self.names.item.clone(), attrs, "an item")
    }
}

/// The decisions for one reader on one case, cached by item facts for the life of a request.
pub struct CaseAccess<'p> {
    policy: &'p SharingPolicy,
    principal: Entity,
    case: Entity,
    context: Context,
    cache: HashMap<ItemFacts, Decision>,
}

impl CaseAccess<'_> {
    /// How much of an item with these facts the reader may see: whole if a policy permits
    /// `read`, else its summary if one permits `read_summary`, else nothing.
    pub fn decide(&mut self, item: &ItemFacts) -> Result<&Decision, PolicyError> {
        if !self.cache.contains_key(item) {
            let decision = self.evaluate(item)?;
            self.cache.insert(item.clone(), decision);
        }
        self.cache.get(item).ok_or(PolicyError::Entity {
            what: "an item",
            message: "a decision went missing from the cache".to_owned(),
        })
    }

    /// How many distinct decisions were asked of Cedar.
    pub fn evaluations(&self) -> usize {
        self.cache.len()
    }

    fn evaluate(&self, item: &ItemFacts) -> Result<Decision, PolicyError> {
        let policy = self.policy;
        let item_entity = policy.item_entity(item)?;
        for (action, access) in [
            (&policy.names.read, Access::Full),
            (&policy.names.read_summary, Access::Summary),
        ] {
            let entities = [
                self.principal.clone(),
                self.case.clone(),
                item_entity.clone(),
            ];
            if let Some(policies) =
                policy.ask(action, entities, self.context.clone(), &policy.names.item)
            {
                return Ok(Decision { access, policies });
            }
        }
        Ok(Decision::withheld())
    }
}
