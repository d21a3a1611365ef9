//! Messages in agencies' own formats (SPI Results, Common Platform): translated into canonical
//! events and kept whole beside them, with their data-quality problems, in one transaction; or
//! refused, with the reasons recorded for the sending agency.

use std::collections::BTreeSet;

use joinery_domain::assertions::Sender;
use joinery_domain::{AgencyCode, CaseId, QualityProblem, Submission};
use joinery_ingest::{Rejection, SourceFormat, Translation, Unmodelled};
use joinery_ports::{AppendOutcome, SourceMessage};
use serde::Serialize;
use utoipa::ToSchema;

use super::{IntakeError, not_entitled};
use crate::{App, AppError};

/// Whether a translated message was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    Accepted,
    /// The same message was kept before.
    Duplicate,
}

/// What became of a translated message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceAnswer {
    pub status: SourceStatus,
    /// The id its events' message ids start with.
    pub source_id: String,
    pub events: usize,
    pub case_ids: Vec<CaseId>,
    /// The data-quality problems found, recorded for the sending agency to resolve.
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<QualityProblem>,
    /// The values the message holds that Joinery does not model yet, kept with it.
    #[schema(value_type = Vec<Object>)]
    pub unmodelled: Vec<Unmodelled>,
    /// Events refused because they contradict what is stored (same id, different content).
    pub conflicts: Vec<String>,
}

/// What became of a message in an agency's own format.
#[derive(Debug, Clone)]
pub enum SourceIntake {
    Stored(SourceAnswer),
    /// A case in it names no case Joinery could find: kept whole, to be placed by a person.
    Unplaced(super::unplaced::UnplacedAnswer),
    /// Malformed: kept nowhere but its reasons.
    Rejected(Rejection),
}

impl App {
    /// A message in an agency's own format: translated, then kept whole with its events and
    /// data-quality problems in one transaction; or refused, with its reasons recorded.
    pub async fn receive_source(
        &self,
        sender: &Sender,
        format: SourceFormat,
        text: &str,
    ) -> Result<SourceIntake, IntakeError> {
        // Who may send the format is settled first: a refusal does not wait on standing data.
        if let Err(refusal) = sender.may_use(format.message_format()) {
            return self
                .refuse_source(sender, format, not_entitled(None, refusal))
                .await;
        }
        let reference = self
            .reference
            .as_deref()
            .ok_or(IntakeError::ReferenceDataMissing)?;
        let translated =
            format
                .translate(&sender.agency, text, reference)
                .and_then(|translation| {
                    // Each event, too, must be the sender's to assert: a format names its senders,
                    // its events name their facts.
                    for event in &translation.events {
                        sender
                            .may_send(&event.payload)
                            .map_err(|refusal| not_entitled(None, refusal))?;
                    }
                    Ok(translation)
                });
        match translated {
            Ok(translation) if translation.unplaced => Ok(SourceIntake::Unplaced(
                self.keep_unplaced(sender, format, text, translation)
                    .await?,
            )),
            Ok(translation) => Ok(SourceIntake::Stored(
                self.store_translation(&sender.agency, text, translation)
                    .await?,
            )),
            Err(rejection) => self.refuse_source(sender, format, rejection).await,
        }
    }

    /// Records a refused message in an agency's own format, and answers so.
    async fn refuse_source(
        &self,
        sender: &Sender,
        format: SourceFormat,
        rejection: Rejection,
    ) -> Result<SourceIntake, IntakeError> {
        self.record_rejections(&sender.agency, format.message_format(), &[(0, &rejection)])
            .await?;
        Ok(SourceIntake::Rejected(rejection))
    }

    /// Keeps a translated message: the source whole, its problems, and its canonical events,
    /// in one store transaction.
    pub(super) async fn store_translation(
        &self,
        sender: &AgencyCode,
        raw: &str,
        translation: Translation,
    ) -> Result<SourceAnswer, AppError> {
        let format = translation.format.message_format();
        let source_id = translation
            .events
            .first()
            .and_then(|event| event.message_id.as_str().split(':').next())
            .unwrap_or_default()
            .to_owned();
        let events: Vec<Submission> = translation
            .events
            .into_iter()
            .map(|mut event| {
                joinery_ingest::classify_offences(&mut event, self.reference.as_deref());
                Submission::translated(event, format)
            })
            .collect::<Result<_, _>>()
            .map_err(|error| AppError::Internal(format!("an event does not serialize: {error}")))?;
        let count = events.len();
        let source = SourceMessage {
            agency: sender.clone(),
            format,
            source_id: source_id.clone(),
            body: raw.to_owned(),
            unmodelled: serde_json::to_value(&translation.unmodelled).map_err(|error| {
                AppError::Internal(format!("unmodelled values do not serialize: {error}"))
            })?,
            problems: translation
                .problems
                .into_iter()
                .map(QualityProblem::from)
                .collect(),
        };
        let mut problems = source.problems.clone();
        let outcomes = self.store.append_source(source, events).await?;
        let mut case_ids = BTreeSet::new();
        let mut conflicts = Vec::new();
        let mut accepted = 0;
        for outcome in outcomes {
            match outcome {
                AppendOutcome::Accepted {
                    case_id,
                    problems: found,
                } => {
                    accepted += 1;
                    case_ids.insert(case_id);
                    problems.extend(found);
                }
                AppendOutcome::Duplicate { case_id } => {
                    case_ids.insert(case_id);
                }
                AppendOutcome::Conflict { problem } => conflicts.push(problem),
            }
        }
        Ok(SourceAnswer {
            status: if accepted == 0 && conflicts.is_empty() {
                SourceStatus::Duplicate
            } else {
                SourceStatus::Accepted
            },
            source_id,
            events: count,
            case_ids: case_ids.into_iter().collect(),
            problems,
            unmodelled: translation.unmodelled,
            conflicts,
        })
    }
}
