//! An agency's own administration: the data-quality problems in the messages its systems
//! sent, the messages refused at the door, and marking a problem resolved. For the agency's
//! administrators and its own systems alone, as the policy's `administer_agency` decides.
//!
//! It is not: case data. A problem names its message and case by reference; reading the case
//! itself still goes through the case paths.

use joinery_domain::{ExceptionId, Reader};
use joinery_ports::{
    AuditAction, AuditDetail, AuditEvent, ExceptionRecord, RejectionRecord, StoreFuture,
};

use crate::{App, AppError, actor};

/// What became of marking a data-quality problem resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveOutcome {
    Resolved,
    /// The agency has no open problem with that id.
    NotFound,
    /// Not one of the agency's administrators or systems.
    Refused,
}

impl App {
    /// Whether `reader` administers their agency (its administrators and its own systems).
    pub fn administers_agency(&self, reader: &Reader) -> Result<bool, AppError> {
        Ok(self.policy.may_administer_agency(reader)?)
    }

    /// The open data-quality problems of the reader's agency, newest first; `None` when the
    /// reader does not administer it.
    pub async fn agency_exceptions(
        &self,
        reader: &Reader,
    ) -> Result<Option<Vec<ExceptionRecord>>, AppError> {
        let read = self.store.exceptions(reader.agency.clone());
        self.administered(reader, read).await
    }

    /// The messages the reader's agency's systems sent that were refused, with why, newest
    /// first; `None` when the reader does not administer the agency.
    pub async fn agency_rejections(
        &self,
        reader: &Reader,
    ) -> Result<Option<Vec<RejectionRecord>>, AppError> {
        let read = self.store.rejections(reader.agency.clone());
        self.administered(reader, read).await
    }

    /// What `read` finds, if `reader` administers their agency; `None`, unread, if not.
    pub(crate) async fn administered<T>(
        &self,
        reader: &Reader,
        read: StoreFuture<'_, T>,
    ) -> Result<Option<T>, AppError> {
        if !self.administers_agency(reader)? {
            return Ok(None);
        }
        Ok(Some(read.await?))
    }

    /// Marks one of the agency's open data-quality problems resolved, recording who did.
    pub async fn resolve_exception(
        &self,
        reader: &Reader,
        id: ExceptionId,
    ) -> Result<ResolveOutcome, AppError> {
        let Some(open) = self.agency_exceptions(reader).await? else {
            return Ok(ResolveOutcome::Refused);
        };
        if !open.iter().any(|exception| exception.id == id) {
            return Ok(ResolveOutcome::NotFound);
        }
        let audit = AuditEvent {
            actor: actor(reader),
            action: AuditAction::ExceptionResolved,
            subject: None,
            detail: AuditDetail::Resolved { exception: id },
        };
        let resolved = self
            .store
            .resolve_exception(reader.agency.clone(), id, audit)
            .await?;
        Ok(if resolved {
            ResolveOutcome::Resolved
        } else {
            ResolveOutcome::NotFound
        })
    }
}
