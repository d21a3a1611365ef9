//! Who may see what, computed by asking the policy engine: for each role and category, every
//! combination of the facts a decision can depend on is put to Cedar, and the combinations it
//! permits are reduced to the shortest conditions that say the same ("team and with consent").
//! Governance signs off this table, so it must come from the policies, never be written by hand.

use std::collections::{BTreeMap, BTreeSet};

use joinery_domain::{AgencyCode, AgencyKind, CaseFacts, Category, ItemFacts, Role, Username};

use joinery_domain::matrix::{Matrix, MatrixCell};

use crate::{Access, PolicyError, Reader, SharingPolicy};

/// The facts a decision can depend on, each true or false.
const FACTS: [&str; 9] = [
    "team",
    "own",
    "addressed to them",
    "ordered by the court",
    "after conviction",
    "with consent",
    "listed",
    "author",
    "bad character admitted",
];
const TEAM: u16 = 1;
const OWN: u16 = 1 << 1;
const ADDRESSED: u16 = 1 << 2;
const ORDERED: u16 = 1 << 3;
const CONVICTED: u16 = 1 << 4;
const CONSENT: u16 = 1 << 5;
const LISTED: u16 = 1 << 6;
const AUTHOR: u16 = 1 << 7;
const BAD_CHARACTER: u16 = 1 << 8;

/// Who may see what under `policy`: every role and category, put to Cedar.
pub fn compute(policy: &SharingPolicy) -> Result<Matrix, PolicyError> {
    let rows = Category::ALL
        .into_iter()
        .map(|category| {
            let cells = Role::ALL
                .into_iter()
                .map(|role| cell(policy, role, category))
                .collect::<Result<_, _>>()?;
            Ok((category, cells))
        })
        .collect::<Result<_, PolicyError>>()?;
    let break_glass = Category::ALL
        .into_iter()
        .map(|category| {
            let roles = Role::ALL
                .into_iter()
                .map(|role| Ok((role, glass_opens(policy, role, category)?)))
                .filter_map(|result| match result {
                    Ok((role, true)) => Some(Ok(role)),
                    Ok((_, false)) => None,
                    Err(error) => Some(Err(error)),
                })
                .collect::<Result<_, PolicyError>>()?;
            Ok((category, roles))
        })
        .collect::<Result<_, PolicyError>>()?;
    Ok(Matrix {
        roles: Role::ALL.to_vec(),
        rows,
        break_glass,
    })
}

/// Whether someone in `role` working on a case (a judge: with the case listed before them) may
/// break glass for another agency's item of `category`, and the grant then shows it.
fn glass_opens(
    policy: &SharingPolicy,
    role: Role,
    category: Category,
) -> Result<bool, PolicyError> {
    let asking = Asking::as_role(role)?;
    let case = CaseFacts {
        team: BTreeSet::from([asking.reader_agency, asking.other_agency.clone()]),
        judges: BTreeSet::from([asking.reader_name]),
        convicted: false,
        bad_character_admitted: false,
        consents: BTreeSet::new(),
    };
    let item = ItemFacts {
        category,
        owner: asking.other_agency,
        addressed_to: BTreeSet::new(),
        order_requirement: false,
        author: (category == Category::JudicialComment).then_some(asking.other_judge),
    };
    if !policy.may_break_glass(&asking.reader, &case, &item)? {
        return Ok(false);
    }
    let granted = policy
        .case_access(&asking.reader, &case, &BTreeSet::from([category]))?
        .decide(&item)?;
    Ok(granted.access != Access::Withheld)
}

/// Whether a combination of facts can occur: an agency that sent an item or was given work by it
/// is on the team; only judicial comments have an author.
fn possible(mask: u16, category: Category) -> bool {
    let implies_team = mask & (OWN | ADDRESSED) != 0;
    let has_author = category == Category::JudicialComment;
    (!implies_team || mask & TEAM != 0) && (has_author || mask & AUTHOR == 0)
}

/// The reader the matrix puts its questions as, in one role, and the others in its cases.
struct Asking {
    reader: Reader,
    reader_agency: AgencyCode,
    other_agency: AgencyCode,
    reader_name: Username,
    other_judge: Username,
}

impl Asking {
    fn as_role(role: Role) -> Result<Self, PolicyError> {
        let known = |code: &str| AgencyCode::parse(code).map_err(|e| entity_error(&e));
        let name = |text: &str| Username::parse(text).map_err(|e| entity_error(&e));
        let reader_agency = known("READER")?;
        let reader_name = name("matrix.reader")?;
        Ok(Self {
            reader: Reader::user(
                reader_name.clone(),
                reader_agency.clone(),
                role.agency_kind().unwrap_or(AgencyKind::Police),
                role,
            ),
            reader_agency,
            other_agency: known("OTHER")?,
            reader_name,
            other_judge: name("matrix.other")?,
        })
    }
}

fn cell(policy: &SharingPolicy, role: Role, category: Category) -> Result<MatrixCell, PolicyError> {
    let Asking {
        reader,
        reader_agency,
        other_agency,
        reader_name,
        other_judge,
    } = Asking::as_role(role)?;
    let mut outcomes = BTreeMap::new();
    for mask in (0..1u16 << FACTS.len()).filter(|mask| possible(*mask, category)) {
        let has = |fact: u16| mask & fact != 0;
        let mut team = BTreeSet::from([other_agency.clone()]);
        if has(TEAM) {
            team.insert(reader_agency.clone());
        }
        let case = CaseFacts {
            team,
            judges: if has(LISTED) {
                BTreeSet::from([reader_name.clone()])
            } else {
                BTreeSet::new()
            },
            convicted: has(CONVICTED),
            bad_character_admitted: has(BAD_CHARACTER),
            consents: if has(CONSENT) {
                category.consent().into_iter().collect()
            } else {
                BTreeSet::new()
            },
        };
        let item = ItemFacts {
            category,
            owner: if has(OWN) {
                &reader_agency
            } else {
                &other_agency
            }
            .clone(),
            addressed_to: if has(ADDRESSED) {
                BTreeSet::from([reader_agency.clone()])
            } else {
                BTreeSet::new()
            },
            order_requirement: has(ORDERED),
            author: (category == Category::JudicialComment).then(|| {
                if has(AUTHOR) {
                    &reader_name
                } else {
                    &other_judge
                }
                .clone()
            }),
        };
        let access = policy
            .case_access(&reader, &case, &BTreeSet::new())?
            .decide(&item)?
            .access;
        outcomes.insert(mask, access);
    }
    Ok(MatrixCell {
        full: conditions(&outcomes, Access::Full),
        summary: conditions(&outcomes, Access::Summary),
    })
}

fn entity_error(error: &dyn std::fmt::Display) -> PolicyError {
    PolicyError::Entity {
        what: "the matrix's reader",
        message: error.to_string(),
    }
}

/// A conjunction of facts: `fixed` says which facts it names, `values` their required values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Term {
    fixed: u16,
    values: u16,
}

impl Term {
    fn matches(self, mask: u16) -> bool {
        mask & self.fixed == self.values
    }
}

/// The shortest description of the combinations with exactly `level` of access (or `None`):
/// prime implicants over the facts that matter, covering greedily.
fn conditions(outcomes: &BTreeMap<u16, Access>, level: Access) -> Option<String> {
    let allowed: BTreeSet<u16> = outcomes
        .iter()
        .filter(|(_, access)| **access == level)
        .map(|(mask, _)| *mask)
        .collect();
    if allowed.is_empty() {
        return None;
    }
    let relevant: Vec<u16> = (0..FACTS.len())
        .map(|bit| 1u16 << bit)
        .filter(|fact| {
            outcomes.iter().any(|(mask, access)| {
                outcomes
                    .get(&(mask ^ fact))
                    .is_some_and(|flipped| (*flipped == level) != (*access == level))
            })
        })
        .collect();
    let implicant = |term: Term| {
        let mut matched = outcomes
            .keys()
            .filter(|mask| term.matches(**mask))
            .peekable();
        matched.peek().is_some() && matched.all(|mask| allowed.contains(mask))
    };
    let terms = all_terms(&relevant);
    let primes: Vec<Term> = terms
        .iter()
        .copied()
        .filter(|term| implicant(*term))
        .filter(|term| {
            !relevant.iter().any(|fact| {
                term.fixed & fact != 0
                    && implicant(Term {
                        fixed: term.fixed & !fact,
                        values: term.values & !fact,
                    })
            })
        })
        .collect();
    let mut uncovered = allowed;
    let mut chosen = Vec::new();
    while !uncovered.is_empty() {
        let best = primes.iter().copied().max_by_key(|term| {
            let covers = uncovered.iter().filter(|m| term.matches(**m)).count();
            (covers, std::cmp::Reverse(term.fixed.count_ones()))
        })?;
        uncovered.retain(|mask| !best.matches(*mask));
        chosen.push(best);
    }
    chosen.sort_by_key(|term| (term.fixed.count_ones(), term.fixed, term.values));
    Some(
        chosen
            .iter()
            .map(|term| describe(*term))
            .collect::<Vec<_>>()
            .join(" or "),
    )
}

/// Every conjunction over `facts`: each fact required true, required false, or not named.
fn all_terms(facts: &[u16]) -> Vec<Term> {
    let mut terms = vec![Term {
        fixed: 0,
        values: 0,
    }];
    for fact in facts {
        terms = terms
            .into_iter()
            .flat_map(|term| {
                [
                    term,
                    Term {
                        fixed: term.fixed | fact,
                        values: term.values | fact,
                    },
                    Term {
                        fixed: term.fixed | fact,
                        values: term.values,
                    },
                ]
            })
            .collect();
    }
    terms
}

fn describe(term: Term) -> String {
    if term.fixed == 0 {
        return "always".to_owned();
    }
    FACTS
        .iter()
        .enumerate()
        .filter(|(bit, _)| term.fixed & (1 << bit) != 0)
        .map(|(bit, name)| {
            if term.values & (1 << bit) != 0 {
                (*name).to_owned()
            } else {
                format!("not {name}")
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}
