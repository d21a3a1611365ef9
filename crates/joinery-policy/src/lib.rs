//! The one authorization decision. Every read of case data asks [`authorize`]; nothing else in
//! Joinery decides who may see a case. The default is to deny.
//!
//! For now the rule is the sharing agreement's "team": an agency sees the cases it works on
//! (it sent events for them or was given work on them). The information-sharing agreement as
//! Cedar policy replaces the body of [`authorize`], not its callers.
//!
//! It is not: I/O of any kind. Callers fetch the facts (who asks, what the case's team is) and
//! hand them in; the answer is a value, and a denial is not an error.

use std::collections::BTreeSet;

use joinery_domain::{AgencyCode, AgencyKind};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An agency's own system, authenticated by its API key.
    AgencySystem {
        agency: AgencyCode,
        kind: AgencyKind,
    },
}

/// What they ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read a case: its state, its timeline, or the fact that it exists.
    ReadCase,
}

/// The facts about a case that decisions depend on.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts<'a> {
    /// The agencies that work on the case.
    pub team: &'a BTreeSet<AgencyCode>,
}

/// The answer. A denied reader must be told nothing more than "not found".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny,
}

/// Decides whether `principal` may do `action` on a case with `facts`.
pub fn authorize(principal: &Principal, action: Action, facts: CaseFacts<'_>) -> Decision {
    match (principal, action) {
        (Principal::AgencySystem { agency, .. }, Action::ReadCase)
            if facts.team.contains(agency) =>
        {
            Decision::Allow
        }
        _ => Decision::Deny,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system(code: &str, kind: AgencyKind) -> Principal {
        Principal::AgencySystem {
            agency: AgencyCode::parse(code).unwrap_or_else(|e| panic!("{e}")),
            kind,
        }
    }

    #[test]
    fn team_members_read_and_others_are_denied() {
        let team: BTreeSet<AgencyCode> = ["MERPOL", "CPSMER"]
            .iter()
            .filter_map(|code| AgencyCode::parse(code).ok())
            .collect();
        let facts = CaseFacts { team: &team };
        let table = [
            ("MERPOL", AgencyKind::Police, Decision::Allow),
            ("CPSMER", AgencyKind::Cps, Decision::Allow),
            ("PROBNW", AgencyKind::Probation, Decision::Deny),
            ("LVCJC", AgencyKind::Court, Decision::Deny),
        ];
        for (code, kind, expected) in table {
            assert_eq!(
                authorize(&system(code, kind), Action::ReadCase, facts),
                expected,
                "{code}"
            );
        }
    }

    #[test]
    fn an_empty_team_denies_everyone() {
        let team = BTreeSet::new();
        let decision = authorize(
            &system("MERPOL", AgencyKind::Police),
            Action::ReadCase,
            CaseFacts { team: &team },
        );
        assert_eq!(decision, Decision::Deny);
    }
}
