//! Joinery's facts as Cedar entities: the reader, the case (uid `Case::"case"`) and one item
//! entity per distinct set of item facts. The names every request uses are parsed once.

use std::collections::HashSet;
use std::str::FromStr;

use cedar_policy::{Entities, Entity, EntityId, EntityTypeName, EntityUid, RestrictedExpression};
use joinery_domain::measures::Scope;
use joinery_domain::{AgencyCode, CaseFacts, ItemFacts, NoteFacts, Reader, ReaderId};

use super::SharingPolicy;
use crate::PolicyError;

/// The agency that stands for every court, or every force, in a report's scope: no agency code
/// can be `*`.
const EVERY: &str = "*";

/// Cedar names used in every request, parsed once.
pub(super) struct Names {
    pub(super) user: EntityTypeName,
    pub(super) system: EntityTypeName,
    pub(super) agency: EntityTypeName,
    pub(super) case: EntityUid,
    pub(super) item: EntityUid,
    pub(super) note: EntityTypeName,
    pub(super) read: EntityUid,
    pub(super) read_note: EntityUid,
    pub(super) read_summary: EntityUid,
    pub(super) break_glass: EntityUid,
    pub(super) review_audit: EntityUid,
    pub(super) administer_agency: EntityUid,
    pub(super) view_measures: EntityUid,
    pub(super) measures: EntityUid,
}

impl Names {
    pub(super) fn new() -> Self {
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
            note: type_name("Joinery::Note"),
            read: uid("Joinery::Action", "read"),
            read_note: uid("Joinery::Action", "read_note"),
            read_summary: uid("Joinery::Action", "read_summary"),
            break_glass: uid("Joinery::Action", "break_glass"),
            review_audit: uid("Joinery::Action", "review_audit"),
            administer_agency: uid("Joinery::Action", "administer_agency"),
            view_measures: uid("Joinery::Action", "view_measures"),
            measures: uid("Joinery::Measures", "measures"),
        }
    }

    pub(super) fn agency(&self, code: &AgencyCode) -> RestrictedExpression {
        RestrictedExpression::new_entity_uid(EntityUid::from_type_name_and_id(
            self.agency.clone(),
            EntityId::new(code.as_str()),
        ))
    }

    pub(super) fn agencies<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a AgencyCode>,
    ) -> RestrictedExpression {
        RestrictedExpression::new_set(codes.into_iter().map(|code| self.agency(code)))
    }

    pub(super) fn user(&self, username: &str) -> EntityUid {
        EntityUid::from_type_name_and_id(self.user.clone(), EntityId::new(username))
    }

    pub(super) fn reader_uid(&self, reader: &Reader) -> EntityUid {
        match &reader.id {
            ReaderId::User(username) => self.user(username.as_str()),
            ReaderId::System => EntityUid::from_type_name_and_id(
                self.system.clone(),
                EntityId::new(reader.agency.as_str()),
            ),
        }
    }
}

pub(super) fn strings<'a>(values: impl IntoIterator<Item = &'a str>) -> RestrictedExpression {
    RestrictedExpression::new_set(
        values
            .into_iter()
            .map(|value| RestrictedExpression::new_string(value.to_owned())),
    )
}

pub(super) fn entity(
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
    pub(super) fn entities(&self, entities: Vec<Entity>) -> Result<Entities, PolicyError> {
        Entities::from_entities(entities, None).map_err(|e| PolicyError::Entity {
            what: "the entities of a request",
            message: e.to_string(),
        })
    }

    pub(super) fn reader_entity(&self, reader: &Reader) -> Result<Entity, PolicyError> {
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

    pub(super) fn case_entity(&self, case: &CaseFacts) -> Result<Entity, PolicyError> {
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
                    "bad_character_admitted",
                    RestrictedExpression::new_bool(case.bad_character_admitted),
                ),
                (
                    "consents",
                    strings(case.consents.iter().map(|consent| consent.as_str())),
                ),
            ],
            "the case",
        )
    }

    /// What a report covers: `Joinery::Agency::"*"` stands for every court or every force.
    pub(super) fn measures_entity(&self, scope: &Scope) -> Result<Entity, PolicyError> {
        let every = || {
            RestrictedExpression::new_entity_uid(EntityUid::from_type_name_and_id(
                self.names.agency.clone(),
                EntityId::new(EVERY),
            ))
        };
        let place = |code: &Option<AgencyCode>| {
            code.as_ref()
                .map_or_else(every, |code| self.names.agency(code))
        };
        entity(
            self.names.measures.clone(),
            [
                ("court", place(&scope.court)),
                ("force", place(&scope.force)),
                ("prosecutor", place(&scope.prosecutor)),
                ("probation", place(&scope.probation)),
            ],
            "the report's scope",
        )
    }

    pub(super) fn item_entity(
        &self,
        item: &ItemFacts,
        uid: EntityUid,
    ) -> Result<Entity, PolicyError> {
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
        entity(uid, attrs, "an item")
    }

    pub(super) fn note_entity(
        &self,
        note: &NoteFacts,
        uid: EntityUid,
    ) -> Result<Entity, PolicyError> {
        entity(
            uid,
            [
                (
                    "case",
                    RestrictedExpression::new_entity_uid(self.names.case.clone()),
                ),
                ("parties", self.names.agencies(&note.parties)),
            ],
            "a note",
        )
    }
}
