//! An agency's own administration: the data-quality problems in the messages its systems
//! sent, the messages refused at the door, marking a problem resolved, and its people (unlocking
//! an account locked by failed sign-ins, deactivating someone who has left). For the agency's
//! administrators and its own systems alone, as the policy's `administer_agency` decides.
//!
//! It is not: case data. A problem names its message and case by reference; reading the case
//! itself still goes through the case paths.

use joinery_domain::{ExceptionId, Reader, ReaderId, Text, Username};
use joinery_ports::{
    AccessChange, AuditAction, AuditDetail, AuditEvent, AuditSubject, ExceptionRecord, Person,
    RejectionRecord, Resolution, ResolutionRecord, StoreFuture,
};

use crate::{App, AppError, actor};

/// What became of changing a person's access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessOutcome {
    Changed,
    /// No such person in the agency, or nothing to change (not locked, already deactivated).
    Unchanged,
    /// Not one of the agency's administrators, or their own account.
    Refused,
}

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

    /// How the reader's agency resolved its latest problems (100), newest first; `None` when
    /// the reader does not administer it.
    pub async fn agency_resolutions(
        &self,
        reader: &Reader,
    ) -> Result<Option<Vec<ResolutionRecord>>, AppError> {
        let read = self.store.resolutions(reader.agency.clone());
        self.administered(reader, read).await
    }

    /// The people of the reader's agency, with how each stands (locked, deactivated); `None`
    /// when the reader is not one of its administrators.
    pub async fn agency_people(&self, reader: &Reader) -> Result<Option<Vec<Person>>, AppError> {
        if !matches!(reader.id, ReaderId::User(_)) {
            return Ok(None);
        }
        let read = self.store.people(reader.agency.clone());
        self.administered(reader, read).await
    }

    /// Unlocks, deactivates or reactivates a person of the reader's agency; an administrator
    /// does not change their own access.
    pub async fn change_access(
        &self,
        reader: &Reader,
        username: Username,
        change: AccessChange,
    ) -> Result<AccessOutcome, AppError> {
        let ReaderId::User(me) = &reader.id else {
            return Ok(AccessOutcome::Refused);
        };
        if *me == username || !self.administers_agency(reader)? {
            return Ok(AccessOutcome::Refused);
        }
        let audit = AuditEvent {
            actor: actor(reader),
            action: match change {
                AccessChange::Unlock => AuditAction::AccountUnlocked,
                AccessChange::Deactivate => AuditAction::AccountDeactivated,
                AccessChange::Reactivate => AuditAction::AccountReactivated,
            },
            subject: Some(AuditSubject::User(username.clone())),
            detail: AuditDetail::Nothing {},
        };
        Ok(
            match self
                .store
                .change_access(username, reader.agency.clone(), change, audit)
                .await?
            {
                true => AccessOutcome::Changed,
                false => AccessOutcome::Unchanged,
            },
        )
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
        note: Option<Text>,
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
        let resolution = Resolution {
            by: match &reader.id {
                ReaderId::User(username) => username.to_string(),
                ReaderId::System => format!("{}'s system", reader.agency),
            },
            note,
        };
        let resolved = self
            .store
            .resolve_exception(reader.agency.clone(), id, resolution, audit)
            .await?;
        Ok(if resolved {
            ResolveOutcome::Resolved
        } else {
            ResolveOutcome::NotFound
        })
    }
}
