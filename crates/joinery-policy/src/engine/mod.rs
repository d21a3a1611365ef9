//! The policy set loaded into Cedar: loading and validating it, and the questions it answers.
//! `access.rs` decides (and remembers) the items of a case for a reader; `entities.rs` turns
//! Joinery's facts into Cedar entities.
//!
//! Entities are built from the facts alone: a reader, the case (uid `Case::"case"`) and one item
//! entity per distinct set of item facts (uid `Item::"item-N"`). Because an item's uid says
//! nothing about which item it is, no policy can tell two items with equal facts apart, and
//! caching by facts is exact.

use std::collections::BTreeSet;
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};

use cedar_policy::{
    Authorizer, Context, Entities, Entity, EntityId, EntityUid, PolicyId, PolicySet, Request,
    Schema, ValidationMode, Validator,
};
use joinery_domain::measures::Scope;
use joinery_domain::{CaseFacts, Category, ItemFacts};
use rustc_hash::FxHashMap;

mod access;
mod entities;

pub use self::access::CaseAccess;
use self::entities::{Names, strings};
use crate::relative::{ContextKey, ItemKey, names_entities};
use crate::{Decision, PolicyError, PolicySources, Reader};

/// How many (reader, case facts, grants) contexts keep their decisions remembered; past this the
/// memory is emptied and refilled. A context holds one decision per distinct set of item facts,
/// a few kilobytes.
const REMEMBERED_CONTEXTS: usize = 4_096;

/// The facts of one case access: the reader, the case and the reader's grants on it.
#[derive(Debug, Clone)]
struct DecisionContext {
    reader: Reader,
    case: CaseFacts,
    break_glass: BTreeSet<Category>,
}

type Decisions = Arc<Mutex<FxHashMap<ItemKey, Decision>>>;

/// A validated policy set, ready to decide.
///
/// Decisions are pure functions of the facts and of the policies, which do not change while
/// the set is loaded, so they are remembered across requests by everything they depend on (see
/// `relative.rs`): a case read again, or a case of the same shape read by a reader in the same
/// position, asks Cedar nothing.
pub struct SharingPolicy {
    remembered: Mutex<FxHashMap<ContextKey, Decisions>>,
    /// The matrix of who may see what, computed once when first asked for.
    matrix: std::sync::OnceLock<crate::Matrix>,
    /// Whether decisions may be remembered by relations rather than names: no policy names an
    /// agency or a person.
    pub(crate) relative: bool,
    policies: PolicySet,
    /// For each category (in `Category::ALL` order), the policies that apply to its items: those
    /// whose `@category` names it, and those with no `@category`. Cedar evaluates every policy
    /// it is given, so giving it only these is what keeps a decision cheap ("policy slicing").
    slices: Vec<PolicySet>,
    authorizer: Authorizer,
    digest: String,
    ids: Vec<String>,
    names: Names,
}

/// The categories a policy's `@category` annotation names (comma-separated), or `None` for
/// every category.
fn categories_of(id: &str, annotation: Option<&str>) -> Result<Option<Vec<Category>>, PolicyError> {
    annotation
        .map(|text| {
            text.split(',')
                .map(|name| {
                    Category::parse(name.trim()).map_err(|e| PolicyError::Category {
                        id: id.to_owned(),
                        message: e.to_string(),
                    })
                })
                .collect()
        })
        .transpose()
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
        let mut slices: Vec<PolicySet> = Category::ALL.iter().map(|_| PolicySet::new()).collect();
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
                let policy = policy.new_id(PolicyId::new(&id));
                let categories = categories_of(&id, policy.annotation("category"))?;
                for (slice, category) in slices.iter_mut().zip(Category::ALL) {
                    if categories
                        .as_ref()
                        .is_none_or(|named| named.contains(&category))
                    {
                        slice
                            .add(policy.clone())
                            .map_err(|_| PolicyError::DuplicateId { id: id.clone() })?;
                    }
                }
                policies
                    .add(policy)
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
        let relative = !sources
            .policies
            .iter()
            .any(|file| names_entities(&file.text));
        Ok(Self {
            remembered: Mutex::new(FxHashMap::default()),
            matrix: std::sync::OnceLock::new(),
            relative,
            policies,
            slices,
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
        let key = ContextKey::new(self.relative, reader, case, break_glass);
        let decisions = {
            let mut remembered = self
                .remembered
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if remembered.len() >= REMEMBERED_CONTEXTS && !remembered.contains_key(&key) {
                remembered.clear();
            }
            Arc::clone(remembered.entry(key).or_default())
        };
        Ok(CaseAccess::new(
            self,
            DecisionContext {
                reader: reader.clone(),
                case: case.clone(),
                break_glass: break_glass.clone(),
            },
            decisions,
        ))
    }

    /// Who may see what under this policy set (see [`crate::Matrix`]), computed on first use;
    /// the many artificial decisions it takes are not kept remembered.
    pub fn matrix(&self) -> Result<&crate::Matrix, PolicyError> {
        if let Some(matrix) = self.matrix.get() {
            return Ok(matrix);
        }
        let computed = crate::matrix::compute(self)?;
        self.forget_decisions();
        Ok(self.matrix.get_or_init(|| computed))
    }

    /// Forgets every remembered decision, so that the next ones are asked of Cedar afresh (for
    /// measuring what a first view costs).
    pub fn forget_decisions(&self) {
        self.remembered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// The Cedar side of a decision context: the reader and case entities and the context.
    fn cedar_context(
        &self,
        key: &DecisionContext,
    ) -> Result<(Entity, Entity, Context), PolicyError> {
        let context = Context::from_pairs([(
            "break_glass".to_owned(),
            strings(key.break_glass.iter().map(|category| category.as_str())),
        )])
        .map_err(|e| PolicyError::Entity {
            what: "the request context",
            message: e.to_string(),
        })?;
        Ok((
            self.reader_entity(&key.reader)?,
            self.case_entity(&key.case)?,
            context,
        ))
    }

    /// Whether `reader` may break glass for `item` on `case`.
    pub fn may_break_glass(
        &self,
        reader: &Reader,
        case: &CaseFacts,
        item: &ItemFacts,
    ) -> Result<bool, PolicyError> {
        let principal = self.reader_entity(reader)?;
        let principal_uid = principal.uid();
        let entities = self.entities(vec![
            principal,
            self.case_entity(case)?,
            self.item_entity(item, self.names.item.clone())?,
        ])?;
        Ok(self
            .ask(
                self.slice(item.category),
                &entities,
                &principal_uid,
                &self.names.break_glass,
                &self.names.item,
                Context::empty(),
            )
            .is_some())
    }

    /// Whether `reader` may ask who has seen a case.
    pub fn may_review_audit(&self, reader: &Reader) -> Result<bool, PolicyError> {
        let principal = self.reader_entity(reader)?;
        let principal_uid = principal.uid();
        let entities = self.entities(vec![principal, self.case_entity(&CaseFacts::default())?])?;
        Ok(self
            .ask(
                &self.policies,
                &entities,
                &principal_uid,
                &self.names.review_audit,
                &self.names.case,
                Context::empty(),
            )
            .is_some())
    }

    /// Whether `reader` may administer its own agency's integrations (data-quality problems,
    /// webhooks, deliveries).
    pub fn may_administer_agency(&self, reader: &Reader) -> Result<bool, PolicyError> {
        let principal = self.reader_entity(reader)?;
        let principal_uid = principal.uid();
        let entities = self.entities(vec![principal])?;
        let agency = EntityUid::from_type_name_and_id(
            self.names.agency.clone(),
            EntityId::new(reader.agency.as_str()),
        );
        Ok(self
            .ask(
                &self.policies,
                &entities,
                &principal_uid,
                &self.names.administer_agency,
                &agency,
                Context::empty(),
            )
            .is_some())
    }

    /// Whether `reader` may see management information over `scope`.
    pub fn may_view_measures(&self, reader: &Reader, scope: &Scope) -> Result<bool, PolicyError> {
        let principal = self.reader_entity(reader)?;
        let principal_uid = principal.uid();
        let entities = self.entities(vec![principal, self.measures_entity(scope)?])?;
        Ok(self
            .ask(
                &self.policies,
                &entities,
                &principal_uid,
                &self.names.view_measures,
                &self.names.measures,
                Context::empty(),
            )
            .is_some())
    }

    /// Asks Cedar; the ids of the permitting policies if allowed. Anything Cedar cannot
    /// evaluate is a denial.
    fn ask(
        &self,
        policies: &PolicySet,
        entities: &Entities,
        principal: &EntityUid,
        action: &EntityUid,
        resource: &EntityUid,
        context: Context,
    ) -> Option<Vec<String>> {
        let request = Request::new(
            principal.clone(),
            action.clone(),
            resource.clone(),
            context,
            None,
        )
        .ok()?;
        let response = self.authorizer.is_authorized(&request, policies, entities);
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

    fn slice(&self, category: Category) -> &PolicySet {
        Category::ALL
            .iter()
            .position(|c| *c == category)
            .and_then(|index| self.slices.get(index))
            .unwrap_or(&self.policies)
    }
}
