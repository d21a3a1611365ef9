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

mod agreement;
mod engine;
mod matrix;
mod relative;
mod sources;

pub use engine::{CaseAccess, SharingPolicy};
pub use joinery_domain::matrix::{Matrix, MatrixCell};
pub use joinery_domain::reader::{Access, Decision, Reader, ReaderId};
pub use matrix::compute as compute_matrix;
pub use sources::{PolicyFile, PolicySources};

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
