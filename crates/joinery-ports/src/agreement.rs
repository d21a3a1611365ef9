//! The sharing agreement as the application layer asks it: how much of each item on a case a
//! reader may see, whether they may break glass, review the audit trail or administer their
//! agency, and the matrix governance signs off. `joinery-policy` answers from Cedar.

use std::collections::BTreeSet;

use joinery_domain::matrix::Matrix;
use joinery_domain::measures::Scope;
use joinery_domain::{CaseFacts, Category, Decision, ItemFacts, NoteFacts, Reader};

/// The decisions for a case's items, in the order asked, and how many of them the engine had
/// to evaluate (the rest were remembered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub decisions: Vec<Decision>,
    pub evaluations: usize,
}

/// The agreement could not decide (an entity it cannot describe, say). Never a denial: a denial
/// is a decision.
#[derive(Debug, thiserror::Error)]
#[error("the sharing policy could not decide: {0}")]
pub struct DecisionError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

/// Who may see what, decided.
pub trait SharingAgreement: Send + Sync + 'static {
    /// The version of the agreement in force: a digest of its files.
    fn digest(&self) -> &str;

    /// The ids of its policies.
    fn policy_ids(&self) -> &[String];

    /// How much of each of `items` (by their facts) `reader` may see on a case with the facts
    /// `case`, holding break-glass grants for the categories `break_glass`.
    fn decide(
        &self,
        reader: &Reader,
        case: &CaseFacts,
        break_glass: &BTreeSet<Category>,
        items: &[ItemFacts],
    ) -> Result<Decided, DecisionError>;

    /// Whether `reader` may read each of `notes` (the note on a request for work, by the
    /// agencies party to it) on a case with the facts `case`: `Full` or `Withheld`, in the order
    /// asked. Asked only for notes on items the reader was already given.
    fn decide_notes(
        &self,
        reader: &Reader,
        case: &CaseFacts,
        notes: &[NoteFacts],
    ) -> Result<Decided, DecisionError>;

    /// Whether `reader` may break glass for `item` on a case with the facts `case`.
    fn may_break_glass(
        &self,
        reader: &Reader,
        case: &CaseFacts,
        item: &ItemFacts,
    ) -> Result<bool, DecisionError>;

    /// Whether `reader` may see management information (aggregates only) over `scope`.
    fn may_view_measures(&self, reader: &Reader, scope: &Scope) -> Result<bool, DecisionError>;

    /// Whether `reader` may ask who has seen a case, and review the agreement.
    fn may_review_audit(&self, reader: &Reader) -> Result<bool, DecisionError>;

    /// Whether `reader` administers their own agency's integrations.
    fn may_administer_agency(&self, reader: &Reader) -> Result<bool, DecisionError>;

    /// Who may see what, computed from the policies.
    fn matrix(&self) -> Result<&Matrix, DecisionError>;

    /// Whether decisions depend on a reader only through their role, their agency's kind and
    /// how they relate to the case (no policy names an agency or a person): then everyone of
    /// one agency and role sees the same of a case, and a caseload can be kept per class.
    fn decides_by_relation(&self) -> bool;
}
