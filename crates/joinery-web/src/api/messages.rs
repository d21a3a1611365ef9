//! `POST /api/v1/messages`: one canonical message, or a batch of them as a JSON array.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use joinery_domain::{CanonicalMessage, CaseId, QualityProblem, Submission};
use joinery_ingest::{FieldProblem, Rejection, split_document};
use joinery_store::{Actor, AppendOutcome, AuditAction, AuditEvent, RejectedField};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AgencySystem;
use crate::problem::Problem;
use crate::{ApiError, AppState};

/// The most messages in one batch.
const MAX_BATCH: usize = 1_000;

/// The answer for one message.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageAnswer {
    /// Position in the batch, from 0.
    pub index: usize,
    /// `accepted`, `duplicate` or `rejected`.
    pub status: &'static str,
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
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchAnswer {
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    pub results: Vec<MessageAnswer>,
}

/// Send one canonical message or a batch.
///
/// A single message is answered `201` (accepted), `200` (duplicate), `409` (conflict) or a
/// problem naming the field at fault. A batch (a JSON array) is answered `200` with a result per
/// message; each message is stored whole or not at all.
#[utoipa::path(
    post,
    path = "/api/v1/messages",
    request_body(content = CanonicalMessage, description = "a message, or an array of them"),
    responses(
        (status = 201, description = "accepted", body = MessageAnswer),
        (status = 200, description = "a duplicate, or the answer to a batch", body = BatchAnswer),
        (status = 400, description = "not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "no valid API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "the message claims another agency", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the message id was used for a different message", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "body too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid message; `errors` names each field", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn post_messages(
    State(state): State<AppState>,
    sender: AgencySystem,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|rejection| match rejection {
        BytesRejection::FailedToBufferBody(_) => ApiError::BodyTooLarge,
        other => ApiError::Malformed(other.body_text()),
    })?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::Malformed("the body is not UTF-8 text".into()))?;
    let is_batch = text.trim_start().starts_with('[');
    let documents =
        split_document(text, false).map_err(|error| ApiError::Malformed(error.to_string()))?;
    if is_batch {
        if documents.is_empty() || documents.len() > MAX_BATCH {
            return Err(ApiError::Malformed(format!(
                "a batch holds 1 to {MAX_BATCH} messages"
            )));
        }
        let parsed: Vec<_> = documents
            .iter()
            .map(|raw| {
                joinery_ingest::parse_message(&sender.0.code, raw.get()).map(|submission| {
                    joinery_ingest::noting_unknown_codes(submission, state.reference.as_deref())
                })
            })
            .collect();
        Ok(Json(append_batch(&state, &sender, parsed).await?).into_response())
    } else {
        let submission = match joinery_ingest::parse_message(&sender.0.code, text) {
            Ok(submission) => {
                joinery_ingest::noting_unknown_codes(submission, state.reference.as_deref())
            }
            Err(rejection) => {
                record_rejections(&state, &sender, "canonical", &[(0, &rejection)]).await?;
                return Err(ApiError::Rejected(rejection));
            }
        };
        let outcome = state
            .store
            .append(vec![submission])
            .await?
            .pop()
            .ok_or(ApiError::Internal)?;
        single_answer(outcome)
    }
}

async fn append_batch(
    state: &AppState,
    sender: &AgencySystem,
    parsed: Vec<Result<Submission, Rejection>>,
) -> Result<BatchAnswer, ApiError> {
    let rejected: Vec<(usize, &Rejection)> = parsed
        .iter()
        .enumerate()
        .filter_map(|(index, result)| result.as_ref().err().map(|rejection| (index, rejection)))
        .collect();
    record_rejections(state, sender, "canonical", &rejected).await?;
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
                status: "rejected",
                case_id: None,
                detail: Some(rejection.to_string()),
                errors: rejection.problems,
                problems: Vec::new(),
            })),
        }
    }
    let mut outcomes = state.store.append(valid).await?.into_iter();
    let results: Vec<MessageAnswer> = answers
        .into_iter()
        .enumerate()
        .map(|(index, answer)| {
            answer.unwrap_or_else(|| {
                let outcome = outcomes.next().unwrap_or(AppendOutcome::Conflict {
                    problem: "the store gave no answer for this message".into(),
                });
                outcome_answer(index, outcome)
            })
        })
        .collect();
    let count = |status: &str| results.iter().filter(|r| r.status == status).count();
    Ok(BatchAnswer {
        accepted: count("accepted"),
        duplicate: count("duplicate"),
        rejected: count("rejected"),
        results,
    })
}

/// Records refused messages: in the agency's list of rejections (why, never what they said)
/// and in the audit trail (their place in the body and the fields at fault, never the values,
/// which may be personal data).
pub(crate) async fn record_rejections(
    state: &AppState,
    sender: &AgencySystem,
    format: &'static str,
    rejected: &[(usize, &Rejection)],
) -> Result<(), ApiError> {
    if rejected.is_empty() {
        return Ok(());
    }
    let detail: Vec<serde_json::Value> = rejected
        .iter()
        .map(|(index, rejection)| {
            let fields: Vec<&str> = rejection
                .problems
                .iter()
                .map(|p| p.pointer.as_str())
                .collect();
            serde_json::json!({ "index": index, "kind": rejection.kind, "fields": fields })
        })
        .collect();
    let event = AuditEvent {
        actor: Actor::AgencySystem(sender.0.code.clone()),
        action: AuditAction::MessagesRejected,
        subject: None,
        detail: serde_json::json!({ "format": format, "rejected": detail }),
    };
    let reasons = rejected
        .iter()
        .map(|(_, rejection)| {
            rejection
                .problems
                .iter()
                .map(|problem| RejectedField {
                    field: problem.field.clone(),
                    problem: problem.problem.clone(),
                })
                .collect()
        })
        .collect();
    state
        .store
        .record_rejections(sender.0.code.clone(), format, reasons, event)
        .await?;
    Ok(())
}

fn outcome_answer(index: usize, outcome: AppendOutcome) -> MessageAnswer {
    let (status, case_id, detail, problems) = match outcome {
        AppendOutcome::Accepted { case_id, problems } => {
            ("accepted", Some(case_id), None, problems)
        }
        AppendOutcome::Duplicate { case_id } => ("duplicate", Some(case_id), None, Vec::new()),
        AppendOutcome::Conflict { problem } => ("rejected", None, Some(problem), Vec::new()),
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

fn single_answer(outcome: AppendOutcome) -> Result<Response, ApiError> {
    let status = match &outcome {
        AppendOutcome::Accepted { .. } => StatusCode::CREATED,
        AppendOutcome::Duplicate { .. } => StatusCode::OK,
        AppendOutcome::Conflict { problem } => return Err(ApiError::Conflict(problem.clone())),
    };
    let answer = outcome_answer(0, outcome);
    let location = answer
        .case_id
        .map(|id| format!("/api/v1/cases/{id}"))
        .unwrap_or_default();
    Ok((status, [(header::LOCATION, location)], Json(answer)).into_response())
}
