//! Messages that name no case Joinery could find (a court result whose PTIURN is empty and
//! whose ASN fails its check, say): kept whole with their problems, never lost, listed for the
//! sending agency, and placed on their case by its administrator (or its own system), after
//! which they fold into the case like any other message, audited.
//!
//! Bichard keeps such a message for a person to fix; so does Joinery. A placement names an
//! existing case by URN or ASN: it never opens a case of its own, so a mistyped reference
//! places nothing.

use joinery_domain::assertions::Sender;
use joinery_domain::{CaseId, CaseRef, QualityProblem, Reader, ReaderId, Timestamp, UnplacedId};
use joinery_ingest::{SourceFormat, Translation};
use joinery_ports::{
    AuditAction, AuditDetail, AuditEvent, AuditSubject, CaseLookup, Placed, UnplacedMessage,
    UnplacedRecord,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::not_entitled;
use super::sources::SourceAnswer;
use crate::{App, AppError, actor};

/// What became of a message that names no case: kept, to be placed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnplacedAnswer {
    /// What to place it by.
    #[schema(value_type = String, example = "unplaced-7")]
    pub unplaced_id: UnplacedId,
    /// Whether the same message was kept before.
    pub duplicate: bool,
    /// Its data-quality problems, the missing reference among them.
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<QualityProblem>,
}

/// What became of placing an unplaced message.
#[derive(Debug, Clone)]
pub enum PlaceOutcome {
    /// Its events are on the case.
    Placed(CaseId, SourceAnswer),
    /// Not one of the agency's unplaced messages.
    NotFound,
    /// Placed before, on this case.
    AlreadyPlaced(CaseId),
    /// No case has that URN or ASN.
    NoSuchCase,
    /// It still cannot be placed: why (it stays listed).
    CannotPlace(String),
    /// Not one of the agency's administrators or systems.
    Refused,
}

impl App {
    /// Keeps a translated message whose case names none, whole, with its problems.
    pub(super) async fn keep_unplaced(
        &self,
        sender: &Sender,
        format: SourceFormat,
        text: &str,
        translation: Translation,
    ) -> Result<UnplacedAnswer, AppError> {
        let problems: Vec<QualityProblem> = translation
            .problems
            .into_iter()
            .map(QualityProblem::from)
            .collect();
        let message = UnplacedMessage {
            agency: sender.agency.clone(),
            format: format.message_format(),
            body: text.to_owned(),
            problems: problems.clone(),
        };
        let (unplaced_id, new) = self.store.keep_unplaced(message).await?;
        if new {
            self.store
                .audit(vec![AuditEvent {
                    actor: joinery_ports::Actor::AgencySystem(sender.agency.clone()),
                    action: AuditAction::MessageUnplaced,
                    subject: Some(AuditSubject::Agency(sender.agency.clone())),
                    detail: AuditDetail::Unplaced {
                        unplaced: unplaced_id,
                        format: format.message_format(),
                    },
                }])
                .await?;
        }
        Ok(UnplacedAnswer {
            unplaced_id,
            duplicate: !new,
            problems,
        })
    }

    /// The reader's agency's messages waiting to be placed, newest first; `None` when the
    /// reader does not administer the agency.
    pub async fn agency_unplaced(
        &self,
        reader: &Reader,
    ) -> Result<Option<Vec<UnplacedRecord>>, AppError> {
        let read = self.store.unplaced(reader.agency.clone());
        self.administered(reader, read).await
    }

    /// Places one of the agency's unplaced messages on the case `lookup` finds: translated
    /// again with that case for the cases in it that name none, and kept like any message
    /// in the agency's format; then the placement is recorded, audited on the case.
    pub async fn place_unplaced(
        &self,
        reader: &Reader,
        id: UnplacedId,
        lookup: CaseLookup,
    ) -> Result<PlaceOutcome, AppError> {
        if !self.administers_agency(reader)? {
            return Ok(PlaceOutcome::Refused);
        }
        let agency = reader.agency.clone();
        let Some((record, body)) = self.store.unplaced_message(agency.clone(), id).await? else {
            return Ok(PlaceOutcome::NotFound);
        };
        if let Some(placed) = record.placed {
            return Ok(PlaceOutcome::AlreadyPlaced(placed.case_id));
        }
        let Some(case_id) = self.store.find_case(lookup.clone()).await? else {
            return Ok(PlaceOutcome::NoSuchCase);
        };
        let placement = match lookup {
            CaseLookup::Urn(urn) => CaseRef {
                urn: Some(urn),
                asn: None,
                court_case_id: None,
            },
            CaseLookup::Asn(asn) => CaseRef {
                urn: None,
                asn: Some(asn),
                court_case_id: None,
            },
        };
        let format = SourceFormat::ALL
            .into_iter()
            .find(|format| format.message_format() == record.format)
            .ok_or_else(|| {
                AppError::Internal(format!("`{}` is not a source format", record.format))
            })?;
        let reference = self
            .reference
            .as_deref()
            .ok_or_else(|| AppError::Internal("the standing data is not installed".into()))?;
        let sender = Sender {
            agency: agency.clone(),
            kind: reader.agency_kind,
        };
        let translation = match format.translate_placed(&agency, &body, reference, Some(&placement))
        {
            Ok(translation) if translation.unplaced => {
                return Ok(PlaceOutcome::CannotPlace(
                    "a case in it still names no case".into(),
                ));
            }
            Ok(translation) => translation,
            Err(rejection) => return Ok(PlaceOutcome::CannotPlace(rejection.to_string())),
        };
        for event in &translation.events {
            if let Err(refusal) = sender.may_send(&event.payload) {
                return Ok(PlaceOutcome::CannotPlace(
                    not_entitled(None, refusal).to_string(),
                ));
            }
        }
        let answer = self.store_translation(&agency, &body, translation).await?;
        let placed = Placed {
            case_id,
            by: match &reader.id {
                ReaderId::User(username) => username.to_string(),
                ReaderId::System => format!("{agency}'s system"),
            },
            at: Timestamp::now(),
        };
        let audit = AuditEvent {
            actor: actor(reader),
            action: AuditAction::MessagePlaced,
            subject: Some(AuditSubject::Case(case_id)),
            detail: AuditDetail::Unplaced {
                unplaced: id,
                format: record.format,
            },
        };
        // Placed twice at once: the second finds its events duplicates, and this says so.
        if !self
            .store
            .record_placement(agency, id, placed, audit)
            .await?
        {
            return Ok(PlaceOutcome::AlreadyPlaced(case_id));
        }
        Ok(PlaceOutcome::Placed(case_id, answer))
    }
}
