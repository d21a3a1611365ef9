//! The Cedar policy set as the application layer's [`SharingAgreement`]: the port it asks, and
//! this crate the adapter that answers.

use std::collections::BTreeSet;

use joinery_domain::matrix::Matrix;
use joinery_domain::measures::Scope;
use joinery_domain::{CaseFacts, Category, ItemFacts, NoteFacts, Reader};
use joinery_ports::{Decided, DecisionError, SharingAgreement};

use crate::{PolicyError, SharingPolicy};

impl From<PolicyError> for DecisionError {
    fn from(error: PolicyError) -> Self {
        Self(Box::new(error))
    }
}

impl SharingAgreement for SharingPolicy {
    fn digest(&self) -> &str {
        SharingPolicy::digest(self)
    }

    fn policy_ids(&self) -> &[String] {
        SharingPolicy::policy_ids(self)
    }

    fn decide(
        &self,
        reader: &Reader,
        case: &CaseFacts,
        break_glass: &BTreeSet<Category>,
        items: &[ItemFacts],
    ) -> Result<Decided, DecisionError> {
        let mut access = self.case_access(reader, case, break_glass)?;
        access.decide_all(items)?;
        let decisions = items
            .iter()
            .map(|item| access.decide(item))
            .collect::<Result<_, _>>()?;
        Ok(Decided {
            decisions,
            evaluations: access.evaluations(),
        })
    }

    fn decide_notes(
        &self,
        reader: &Reader,
        case: &CaseFacts,
        notes: &[NoteFacts],
    ) -> Result<Decided, DecisionError> {
        let mut access = self.case_access(reader, case, &BTreeSet::new())?;
        let decisions = access.decide_notes(notes)?;
        Ok(Decided {
            decisions,
            evaluations: access.evaluations(),
        })
    }

    fn may_break_glass(
        &self,
        reader: &Reader,
        case: &CaseFacts,
        item: &ItemFacts,
    ) -> Result<bool, DecisionError> {
        Ok(SharingPolicy::may_break_glass(self, reader, case, item)?)
    }

    fn may_view_measures(&self, reader: &Reader, scope: &Scope) -> Result<bool, DecisionError> {
        Ok(SharingPolicy::may_view_measures(self, reader, scope)?)
    }

    fn may_review_audit(&self, reader: &Reader) -> Result<bool, DecisionError> {
        Ok(SharingPolicy::may_review_audit(self, reader)?)
    }

    fn may_administer_agency(&self, reader: &Reader) -> Result<bool, DecisionError> {
        Ok(SharingPolicy::may_administer_agency(self, reader)?)
    }

    fn matrix(&self) -> Result<&Matrix, DecisionError> {
        Ok(SharingPolicy::matrix(self)?)
    }

    fn decides_by_relation(&self) -> bool {
        self.relative
    }
}
