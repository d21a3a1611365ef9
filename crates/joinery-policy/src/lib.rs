//! The one authorization decision. Every read of case data asks a [`SharingPolicy`] built from
//! the Cedar schema and policies in `policy/` (or a directory the operator names); nothing else
//! in Joinery decides who may see what. Nothing is shared unless a policy permits it.
//!
//! A decision is about one *item* (one event on a case) for one *reader* (a person signed in, or
//! an agency's system carrying its agency's rights), given facts about the case as a whole.
//! [`CaseAccess`] decides the items of one case for one reader and caches each decision by the
//! item facts it depends on, so a case of hundreds of items costs a handful of Cedar calls.
//!
//! It is not: I/O of any kind. Callers read the policy files and fetch the facts, and hand them
//! in; the answer is a value, and a denial is not an error.

mod engine;
mod matrix;
mod relative;
mod sources;

use joinery_domain::{AgencyCode, AgencyKind, Role, Username};

pub use engine::{CaseAccess, SharingPolicy};
pub use matrix::{Matrix, MatrixCell};
pub use sources::{PolicyFile, PolicySources};

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

/// Why a set of policies cannot be used. Joinery refuses to start with one.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("the schema `{file}` is not valid: {message}")]
    Schema { file: String, message: String },
    #[error("the policy file `{file}` does not parse: {message}")]
    Parse { file: String, message: String },
    #[error("the policy {position} of `{file}` has no `@id(\"...\")` annotation")]
    MissingId { file: String, position: usize },
    #[error("the policy `{id}` has a `@category` that is not valid: {message}")]
    Category { id: String, message: String },
    #[error("the policy id `{id}` is used twice")]
    DuplicateId { id: String },
    #[error("the policies do not validate against the schema:\n{}", problems.join("\n"))]
    Invalid { problems: Vec<String> },
    #[error("the policy directory has no schema (a `.cedarschema` file)")]
    NoSchema,
    #[error("the policy directory has no policies (`.cedar` files)")]
    NoPolicies,
    #[error("the policy set cannot describe {what}: {message}")]
    Entity { what: &'static str, message: String },
}
