//! The keys decisions are remembered by.
//!
//! A decision depends on the reader, the case facts, the break-glass grants and the item facts.
//! When no policy names a particular entity (an agency, a person — Cedar entity literals other
//! than actions), it depends on agencies and people only through how they relate: whether the
//! item's owner is the reader's agency, whether the reader's agency is on the team, how many
//! other agencies an item is addressed to, whether the reader wrote a comment, and so on. Cedar
//! has no operation that looks at an entity's name, so renaming entities consistently leaves
//! every decision unchanged; two requests whose relations are equal are such a renaming of each
//! other, and share one decision. That is what lets the first view of a new case reuse the
//! decisions of earlier cases of the same shape.
//!
//! When a policy does name an entity, decisions are remembered by the exact facts instead.

use std::collections::BTreeSet;

use joinery_domain::journey::ConsentCategory;
use joinery_domain::{AgencyKind, CaseFacts, Category, ItemFacts, NoteFacts, Role};

use crate::{Reader, ReaderId};

/// Whether a policy text may name an entity other than an action: `Type::"id"` for any type
/// path not ending in `Action`. Errs on the side of yes (a comment or a string that looks like
/// one counts), which only costs reuse.
pub(crate) fn names_entities(policy_text: &str) -> bool {
    policy_text.match_indices("::\"").any(|(at, _)| {
        let path: String = policy_text[..at]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        !(path == "Action" || path.ends_with("::Action"))
    })
}

/// Everything a decision depends on besides the item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ContextKey {
    Exact {
        reader: Reader,
        case: CaseFacts,
        break_glass: BTreeSet<Category>,
    },
    Relative {
        role: Role,
        agency_kind: AgencyKind,
        system: bool,
        reader_on_team: bool,
        team: usize,
        reader_listed: bool,
        judges: usize,
        convicted: bool,
        bad_character_admitted: bool,
        consents: BTreeSet<ConsentCategory>,
        break_glass: BTreeSet<Category>,
    },
}

/// What a decision depends on about the item, in the same two forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ItemKey {
    Exact(ItemFacts),
    Relative {
        category: Category,
        order_requirement: bool,
        owner_is_reader: bool,
        owner_on_team: bool,
        reader_addressed: bool,
        owner_addressed: bool,
        /// Agencies addressed besides the reader's and the owner, on the team and off it.
        others_addressed_on_team: usize,
        others_addressed_off_team: usize,
        /// For a comment: whether the reader wrote it, whether its author is listed.
        author: Option<(bool, bool)>,
    },
    /// A note on a request for work, decided apart from its item.
    ExactNote(NoteFacts),
    RelativeNote {
        reader_party: bool,
        /// Parties besides the reader's agency, on the team and off it.
        others_on_team: usize,
        others_off_team: usize,
    },
}

impl ContextKey {
    pub(crate) fn new(
        relative: bool,
        reader: &Reader,
        case: &CaseFacts,
        break_glass: &BTreeSet<Category>,
    ) -> Self {
        if !relative {
            return Self::Exact {
                reader: reader.clone(),
                case: case.clone(),
                break_glass: break_glass.clone(),
            };
        }
        let (system, reader_listed) = match &reader.id {
            ReaderId::User(username) => (false, case.judges.contains(username)),
            ReaderId::System => (true, false),
        };
        Self::Relative {
            role: reader.role,
            agency_kind: reader.agency_kind,
            system,
            reader_on_team: case.team.contains(&reader.agency),
            team: case.team.len(),
            reader_listed,
            judges: case.judges.len(),
            convicted: case.convicted,
            bad_character_admitted: case.bad_character_admitted,
            consents: case.consents.clone(),
            break_glass: break_glass.clone(),
        }
    }
}

impl ItemKey {
    pub(crate) fn new(relative: bool, reader: &Reader, case: &CaseFacts, item: &ItemFacts) -> Self {
        if !relative {
            return Self::Exact(item.clone());
        }
        let mine = &reader.agency;
        let owner = &item.owner;
        let others = item
            .addressed_to
            .iter()
            .filter(|agency| *agency != mine && *agency != owner);
        let (on_team, off_team) = others.fold((0, 0), |(on, off), agency| {
            match case.team.contains(agency) {
                true => (on + 1, off),
                false => (on, off + 1),
            }
        });
        let author = item.author.as_ref().map(|author| {
            let by_reader = matches!(&reader.id, ReaderId::User(name) if name == author);
            (by_reader, case.judges.contains(author))
        });
        Self::Relative {
            category: item.category,
            order_requirement: item.order_requirement,
            owner_is_reader: owner == mine,
            owner_on_team: case.team.contains(owner),
            reader_addressed: item.addressed_to.contains(mine),
            owner_addressed: item.addressed_to.contains(owner),
            others_addressed_on_team: on_team,
            others_addressed_off_team: off_team,
            author,
        }
    }
}

impl ItemKey {
    pub(crate) fn note(
        relative: bool,
        reader: &Reader,
        case: &CaseFacts,
        note: &NoteFacts,
    ) -> Self {
        if !relative {
            return Self::ExactNote(note.clone());
        }
        let others = note
            .parties
            .iter()
            .filter(|agency| **agency != reader.agency);
        let (on_team, off_team) = others.fold((0, 0), |(on, off), agency| {
            match case.team.contains(agency) {
                true => (on + 1, off),
                false => (on, off + 1),
            }
        });
        Self::RelativeNote {
            reader_party: note.parties.contains(&reader.agency),
            others_on_team: on_team,
            others_off_team: off_team,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_entity_literals_other_than_actions_count_as_naming() {
        assert!(!names_entities(
            r#"permit (principal, action == Joinery::Action::"read", resource);"#
        ));
        assert!(!names_entities(
            r#"permit (principal, action in [Action::"a"], resource);"#
        ));
        assert!(names_entities(
            r#"permit (principal, action, resource) when { resource.owner == Joinery::Agency::"MERPOL" };"#
        ));
        assert!(names_entities(
            r#"permit (principal == User::"dj.roberts", action, resource);"#
        ));
    }
}
