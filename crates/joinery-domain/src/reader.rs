//! Who reads a case, and what a sharing decision answers about one item for them. The decision
//! itself is the policy crate's (Cedar); these are the words both sides of it speak, so that the
//! application layer can ask for decisions without knowing how they are made.

use crate::{AgencyCode, AgencyKind, Role, Username};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reader {
    pub id: ReaderId,
    pub agency: AgencyCode,
    pub agency_kind: AgencyKind,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReaderId {
    /// A person signed in to Joinery.
    User(Username),
    /// An agency's own system, by its API key; it carries its agency's case-working role.
    System,
}

impl Reader {
    pub fn user(
        username: Username,
        agency: AgencyCode,
        agency_kind: AgencyKind,
        role: Role,
    ) -> Self {
        Self {
            id: ReaderId::User(username),
            agency,
            agency_kind,
            role,
        }
    }

    pub fn system(agency: AgencyCode, agency_kind: AgencyKind) -> Self {
        Self {
            id: ReaderId::System,
            agency,
            agency_kind,
            role: Role::of_agency_system(agency_kind),
        }
    }

    /// The person's user name; `None` for an agency's system.
    pub fn username(&self) -> Option<&Username> {
        match &self.id {
            ReaderId::User(username) => Some(username),
            ReaderId::System => None,
        }
    }
}

/// How much of an item a reader may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    /// Nothing, not even that it exists.
    Withheld,
    /// Its summary form (the police file without its detail).
    Summary,
    Full,
}

/// The answer for one item, with the policies that gave it, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub access: Access,
    /// The ids (`@id` annotations) of the policies that permitted it; empty when withheld.
    pub policies: Vec<String>,
}

impl Decision {
    pub fn withheld() -> Self {
        Self {
            access: Access::Withheld,
            policies: Vec::new(),
        }
    }

    pub fn is_disclosed(&self) -> bool {
        self.access != Access::Withheld
    }
}
