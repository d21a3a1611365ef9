//! Information governance: who has seen a case (its audit entries), the break-glass grants to
//! review, and the matrix of who may see what under the agreement in force. For those the
//! agreement lets review the audit trail (governance officers) alone; each look is itself
//! recorded.

use joinery_domain::{AgencyKind, CaseId, MessageKind, Reader, ReaderId, Text, Timestamp};
use joinery_ports::{
    AuditAction, AuditDetail, AuditEntry, AuditEvent, AuditSubject, AuditVerdict, CaseLookup,
    GrantReview, LoggedGrant, ReviewOutcome,
};

use crate::csv_file::csv_text;
use crate::{App, AppError, Matrix, actor};

/// What a governance officer learns when they look a case up by its reference.
#[derive(Debug, Clone, PartialEq)]
pub enum WhoHasSeen {
    /// Every disclosure, break glass and comment recorded against the case, oldest first.
    Seen(Vec<AuditEntry>),
    /// No case has that reference.
    NoSuchCase,
    /// The reader may not ask.
    Refused,
}

/// What became of a review of a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewRecorded {
    Recorded,
    /// No such grant, or it is reviewed already.
    NotToReview,
    Refused,
}

/// The matrix of who may see what, and the version of the agreement it was computed from; and
/// beside it who may assert what, the facts the agreement's decisions rest on.
#[derive(Debug, Clone)]
pub struct PolicyMatrix<'a> {
    /// The digest of the policy files in force.
    pub version: &'a str,
    pub matrix: &'a Matrix,
    /// Each type of message agencies' systems send, with the kinds of agency that may send it.
    pub assertions: Vec<(MessageKind, &'static [AgencyKind])>,
}

impl App {
    /// Who has seen a case: its audit entries. `None` when the reader may not ask; an empty
    /// list for a case nobody has touched (or that does not exist).
    pub async fn who_has_seen(
        &self,
        reader: &Reader,
        id: CaseId,
    ) -> Result<Option<Vec<AuditEntry>>, AppError> {
        if !self.policy.may_review_audit(reader)? {
            return Ok(None);
        }
        let entries = self.store.case_audit(id).await?;
        let audit = AuditEvent {
            actor: actor(reader),
            action: AuditAction::AuditReviewed,
            subject: Some(AuditSubject::Case(id)),
            detail: AuditDetail::Reviewed {
                entries: entries.len(),
            },
        };
        self.store.audit(vec![audit]).await?;
        Ok(Some(entries))
    }

    /// Who has seen the case a URN or ASN names.
    pub async fn who_has_seen_case(
        &self,
        reader: &Reader,
        lookup: CaseLookup,
    ) -> Result<WhoHasSeen, AppError> {
        if !self.policy.may_review_audit(reader)? {
            return Ok(WhoHasSeen::Refused);
        }
        let Some(id) = self.store.find_case(lookup).await? else {
            return Ok(WhoHasSeen::NoSuchCase);
        };
        Ok(self
            .who_has_seen(reader, id)
            .await?
            .map_or(WhoHasSeen::Refused, WhoHasSeen::Seen))
    }

    /// The latest break-glass grants (500), newest first, each with its case's reference, its
    /// expiry and its review; only those not reviewed yet with `to_review`. `None` when the
    /// reader may not ask.
    pub async fn break_glass_log(
        &self,
        reader: &Reader,
        to_review: bool,
    ) -> Result<Option<Vec<LoggedGrant>>, AppError> {
        if !self.policy.may_review_audit(reader)? {
            return Ok(None);
        }
        Ok(Some(self.store.break_glass_log(to_review).await?))
    }

    /// The latest break-glass grants as CSV (`to_review`: only those waiting for review), for
    /// governance's own records or a review board: each grant with its case's reference, who,
    /// why, when it expired and what its review found. The download is audited (how many
    /// rows, never what they say). `None` when the reader may not ask.
    pub async fn break_glass_csv(
        &self,
        reader: &Reader,
        to_review: bool,
    ) -> Result<Option<String>, AppError> {
        let Some(grants) = self.break_glass_log(reader, to_review).await? else {
            return Ok(None);
        };
        let csv = grants_csv(&grants)?;
        let audit = AuditEvent {
            actor: actor(reader),
            action: AuditAction::GrantsExported,
            subject: None,
            detail: AuditDetail::Reviewed {
                entries: grants.len(),
            },
        };
        self.store.audit(vec![audit]).await?;
        Ok(Some(csv))
    }

    /// Records governance's review of a break-glass grant: what it found and why. Once only.
    pub async fn review_break_glass(
        &self,
        reader: &Reader,
        grant: i64,
        outcome: ReviewOutcome,
        note: Text,
    ) -> Result<ReviewRecorded, AppError> {
        let ReaderId::User(me) = &reader.id else {
            return Ok(ReviewRecorded::Refused);
        };
        if !self.policy.may_review_audit(reader)? {
            return Ok(ReviewRecorded::Refused);
        }
        let audit = AuditEvent {
            actor: actor(reader),
            action: AuditAction::BreakGlassReviewed,
            subject: None,
            detail: AuditDetail::GrantReviewed {
                grant,
                outcome: outcome.as_str(),
            },
        };
        let review = GrantReview {
            reviewed_by: me.clone(),
            reviewed_at: Timestamp::now(),
            outcome,
            note,
        };
        Ok(
            match self.store.review_break_glass(grant, review, audit).await? {
                true => ReviewRecorded::Recorded,
                false => ReviewRecorded::NotToReview,
            },
        )
    }

    /// Walks the audit trail's hash chain, as the operator checks it, and names the first entry
    /// altered, deleted or reordered.
    pub async fn verify_audit(&self) -> Result<AuditVerdict, AppError> {
        Ok(self.store.verify_audit().await?)
    }

    /// Who may see what, computed from the policies in force; `None` when the reader may not
    /// ask.
    pub fn policy_matrix(&self, reader: &Reader) -> Result<Option<PolicyMatrix<'_>>, AppError> {
        if !self.policy.may_review_audit(reader)? {
            return Ok(None);
        }
        Ok(Some(PolicyMatrix {
            version: self.policy.digest(),
            matrix: self.policy.matrix()?,
            assertions: joinery_domain::assertions::table(),
        }))
    }
}

/// The grants as CSV: a heading, then one line a grant, times in RFC 3339 (UTC).
fn grants_csv(grants: &[LoggedGrant]) -> Result<String, AppError> {
    let heading = [
        "grant",
        "granted_at",
        "who",
        "agency",
        "case_reference",
        "category",
        "reason",
        "expires_at",
        "review_outcome",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    ];
    csv_text(
        &heading,
        grants.iter().map(|logged| {
            let grant = &logged.grant;
            let review = logged.review.as_ref();
            [
                logged.id.to_string(),
                grant.granted_at.to_string(),
                grant.username.to_string(),
                grant.agency.to_string(),
                logged.reference.clone().unwrap_or_default(),
                grant.category.as_str().to_owned(),
                grant.reason.to_string(),
                grant.expires_at.to_string(),
                review.map_or_else(String::new, |review| review.outcome.as_str().to_owned()),
                review.map_or_else(String::new, |review| review.reviewed_by.to_string()),
                review.map_or_else(String::new, |review| review.reviewed_at.to_string()),
                review.map_or_else(String::new, |review| review.note.to_string()),
            ]
        }),
    )
}
