//! Messages in: canonical JSON (one message or a batch), CSV rows read into canonical messages,
//! and messages in agencies' own formats (SPI Results, Common Platform) translated into
//! canonical events and kept whole beside them. One path whether they come over HTTP or from
//! files on the command line: each message is parsed (the ingest crate names the field at
//! fault), codes the standing data does not know are noted as data-quality problems, what
//! parses is stored whole or not at all, and what is refused is recorded for the sending
//! agency's administrator (why, never what it said) with its audit entry.

mod sources;
mod unplaced;

use joinery_domain::assertions::{NotEntitled, Sender};
use joinery_domain::{AgencyCode, CaseId, MessageFormat, QualityProblem, Submission};
use joinery_ingest::{
    CsvRow, FieldProblem, Rejection, RejectionKind, Segment, example_of, noting_unknown_codes,
    parse_message, split_document,
};
use joinery_ports::{
    Actor, AppendOutcome, AuditAction, AuditDetail, AuditEvent, RejectedAt, RejectedField,
};
use serde::Serialize;
use utoipa::ToSchema;

pub use self::sources::{SourceAnswer, SourceIntake, SourceStatus};
pub use self::unplaced::{PlaceOutcome, UnplacedAnswer};
use crate::{App, AppError};

/// The most messages in one batch.
pub const MAX_BATCH: usize = 1_000;

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Accepted,
    /// The same message was stored before; nothing changed.
    Duplicate,
    Rejected,
}

/// The answer for one message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageAnswer {
    /// Position in the batch, from 0.
    pub index: usize,
    pub status: MessageStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<CaseId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<FieldProblem>,
    /// Data-quality problems in an accepted message (a code the standing data does not know,
    /// a result for an offence the case does not have), recorded with it for the sending
    /// agency to resolve.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<QualityProblem>,
}

/// The answer for a batch: one entry per message, in order, and the totals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchAnswer {
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    pub results: Vec<MessageAnswer>,
}

/// What became of a body holding one canonical message.
#[derive(Debug, Clone)]
pub enum SingleOutcome {
    Accepted(MessageAnswer),
    Duplicate(MessageAnswer),
    /// Refused before the store, with every problem found; recorded for the sender.
    Rejected(Rejection),
    /// The message id was used for a different message, or its references name two cases.
    Conflict(String),
}

/// What became of a body of canonical JSON.
#[derive(Debug, Clone)]
pub enum CanonicalIntake {
    Single(SingleOutcome),
    Batch(BatchAnswer),
}

/// A body Joinery could not take at all.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// Not JSON, or a batch of the wrong size: nothing in it is read.
    #[error("{0}")]
    Malformed(String),
    /// The format needs the MoJ standing data, which is not installed.
    #[error("the MoJ standing data is not installed")]
    ReferenceDataMissing,
    #[error(transparent)]
    App(#[from] AppError),
}

impl App {
    /// One canonical message as `sender` sent it, with the codes the standing data does not
    /// know noted on it; refused when its type is not the sender's kind's to assert.
    pub fn parse_canonical(&self, sender: &Sender, text: &str) -> Result<Submission, Rejection> {
        let submission = entitled(sender, parse_message(&sender.agency, text)?)?;
        Ok(noting_unknown_codes(submission, self.reference.as_deref()))
    }

    /// CSV rows of canonical messages (the layout of `docs/csv.md`), each parsed as `sender`
    /// sent it with its row number, unknown codes noted; or why the file cannot be read at all.
    pub fn parse_csv(&self, sender: &Sender, text: &str) -> Result<Vec<CsvRow>, Rejection> {
        let rows = joinery_ingest::parse_csv(&sender.agency, text, &example_of)?;
        Ok(rows
            .into_iter()
            .map(|(row, parsed)| {
                let noted = parsed
                    .and_then(|submission| entitled(sender, submission))
                    .map(|submission| noting_unknown_codes(submission, self.reference.as_deref()));
                (row, noted)
            })
            .collect())
    }

    /// A body of canonical JSON from an agency's system: one message, or a batch (a JSON array)
    /// of up to [`MAX_BATCH`], each stored whole or not at all.
    pub async fn receive_canonical(
        &self,
        sender: &Sender,
        text: &str,
    ) -> Result<CanonicalIntake, IntakeError> {
        let is_batch = text.trim_start().starts_with('[');
        let documents = match split_document(text, false) {
            Ok(documents) => documents,
            Err(error) => return Err(self.malformed(sender, error.to_string()).await?),
        };
        if is_batch {
            if documents.is_empty() || documents.len() > MAX_BATCH {
                let problem = format!("a batch holds 1 to {MAX_BATCH} messages");
                return Err(self.malformed(sender, problem).await?);
            }
            // Each entry is judged as a message on its own, but it must be one (an object) to
            // be judged at all: anything else is not a batch.
            if let Some(index) = documents
                .iter()
                .position(|raw| !raw.get().trim_start().starts_with('{'))
            {
                let problem =
                    format!("a batch holds message objects: entry {index} is not an object");
                return Err(self.malformed(sender, problem).await?);
            }
            let parsed = documents
                .iter()
                .map(|raw| self.parse_canonical(sender, raw.get()))
                .collect();
            let results = self
                .receive(sender, MessageFormat::Canonical, parsed)
                .await?;
            let count = |status| results.iter().filter(|r| r.status == status).count();
            return Ok(CanonicalIntake::Batch(BatchAnswer {
                accepted: count(MessageStatus::Accepted),
                duplicate: count(MessageStatus::Duplicate),
                rejected: count(MessageStatus::Rejected),
                results,
            }));
        }
        let submission = match self.parse_canonical(sender, text) {
            Ok(submission) => submission,
            Err(rejection) => {
                self.record_rejections(
                    &sender.agency,
                    MessageFormat::Canonical,
                    &[(0, &rejection)],
                )
                .await?;
                return Ok(CanonicalIntake::Single(SingleOutcome::Rejected(rejection)));
            }
        };
        let outcome = self
            .store
            .append(vec![submission])
            .await
            .map_err(AppError::from)?
            .pop()
            .ok_or_else(|| AppError::Internal("the store gave no answer for a message".into()))?;
        Ok(CanonicalIntake::Single(match outcome {
            AppendOutcome::Conflict { problem } => SingleOutcome::Conflict(problem),
            AppendOutcome::Duplicate { .. } => SingleOutcome::Duplicate(answer(0, outcome)),
            AppendOutcome::Accepted { .. } => SingleOutcome::Accepted(answer(0, outcome)),
        }))
    }

    /// Messages already parsed (from a batch, a file, CSV rows), in order: what parsed is
    /// stored, what did not is recorded as refused; answered message by message.
    pub async fn receive(
        &self,
        sender: &Sender,
        format: MessageFormat,
        parsed: Vec<Result<Submission, Rejection>>,
    ) -> Result<Vec<MessageAnswer>, AppError> {
        let rejected: Vec<(usize, &Rejection)> = parsed
            .iter()
            .enumerate()
            .filter_map(|(index, result)| result.as_ref().err().map(|rejection| (index, rejection)))
            .collect();
        self.record_rejections(&sender.agency, format, &rejected)
            .await?;
        let mut answers: Vec<Option<MessageAnswer>> = Vec::with_capacity(parsed.len());
        let mut valid = Vec::new();
        for (index, result) in parsed.into_iter().enumerate() {
            match result {
                Ok(submission) => {
                    valid.push(submission);
                    answers.push(None);
                }
                Err(rejection) => answers.push(Some(MessageAnswer {
                    index,
                    status: MessageStatus::Rejected,
                    case_id: None,
                    detail: Some(rejection.to_string()),
                    errors: rejection.problems,
                    problems: Vec::new(),
                })),
            }
        }
        let mut outcomes = if valid.is_empty() {
            Vec::new().into_iter()
        } else {
            self.store.append(valid).await?.into_iter()
        };
        Ok(answers
            .into_iter()
            .enumerate()
            .map(|(index, answered)| {
                answered.unwrap_or_else(|| {
                    let outcome = outcomes.next().unwrap_or(AppendOutcome::Conflict {
                        problem: "the store gave no answer for this message".into(),
                    });
                    answer(index, outcome)
                })
            })
            .collect())
    }

    /// A body that is not a message or a batch of them at all (not JSON, a batch too big): it
    /// is refused whole, and listed among the agency's refused messages like any other.
    async fn malformed(&self, sender: &Sender, problem: String) -> Result<IntakeError, AppError> {
        let rejection = Rejection::invalid(FieldProblem::new(&[], problem.clone()));
        self.record_rejections(&sender.agency, MessageFormat::Canonical, &[(0, &rejection)])
            .await?;
        Ok(IntakeError::Malformed(problem))
    }

    /// Records refused messages: in the agency's list of rejections (why, never what they said)
    /// and in the audit trail (their place in the body and the fields at fault, never the values,
    /// which may be personal data).
    async fn record_rejections(
        &self,
        sender: &AgencyCode,
        format: MessageFormat,
        rejected: &[(usize, &Rejection)],
    ) -> Result<(), AppError> {
        if rejected.is_empty() {
            return Ok(());
        }
        let event = AuditEvent {
            actor: Actor::AgencySystem(sender.clone()),
            action: AuditAction::MessagesRejected,
            subject: None,
            detail: AuditDetail::MessagesRejected {
                format,
                rejected: rejected
                    .iter()
                    .map(|(index, rejection)| RejectedAt {
                        index: *index,
                        kind: rejection.kind,
                        fields: rejection
                            .problems
                            .iter()
                            .map(|problem| problem.kept().pointer)
                            .collect(),
                    })
                    .collect(),
            },
        };
        let reasons = rejected
            .iter()
            .map(|(_, rejection)| {
                rejection
                    .problems
                    .iter()
                    .map(|problem| {
                        let kept = problem.kept();
                        RejectedField {
                            field: kept.field,
                            problem: kept.problem,
                        }
                    })
                    .collect()
            })
            .collect();
        self.store
            .record_rejections(sender.clone(), format, reasons, event)
            .await?;
        Ok(())
    }
}

/// `submission`, if its type is its sender's kind's to assert; else refused at its `type`.
fn entitled(sender: &Sender, submission: Submission) -> Result<Submission, Rejection> {
    sender
        .may_send(&submission.message().payload)
        .map_err(|refusal| not_entitled(Some("type"), refusal))?;
    Ok(submission)
}

/// A refusal of a message its sender's kind may not send, pointing at `field` (the type, or the
/// whole message for a format).
pub(crate) fn not_entitled(field: Option<&str>, refusal: NotEntitled) -> Rejection {
    let at: Vec<Segment> = field
        .map(|name| Segment::Key(name.into()))
        .into_iter()
        .collect();
    Rejection {
        kind: RejectionKind::NotEntitled,
        problems: vec![FieldProblem::new(&at, refusal.to_string())],
    }
}

fn answer(index: usize, outcome: AppendOutcome) -> MessageAnswer {
    let (status, case_id, detail, problems) = match outcome {
        AppendOutcome::Accepted { case_id, problems } => {
            (MessageStatus::Accepted, Some(case_id), None, problems)
        }
        AppendOutcome::Duplicate { case_id } => {
            (MessageStatus::Duplicate, Some(case_id), None, Vec::new())
        }
        AppendOutcome::Conflict { problem } => {
            (MessageStatus::Rejected, None, Some(problem), Vec::new())
        }
    };
    MessageAnswer {
        index,
        status,
        case_id,
        detail,
        errors: Vec::new(),
        problems,
    }
}
