//! `POST /api/v1/messages`: one canonical message, or a batch of them as a JSON array; and
//! `POST /api/v1/messages/{format}`: a message in an agency system's own format.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use joinery_app::{
    BatchAnswer, CanonicalIntake, MessageAnswer, SingleOutcome, SourceAnswer, SourceFormat,
    SourceIntake, SourceStatus, UnplacedAnswer,
};
use joinery_domain::CanonicalMessage;
use joinery_domain::assertions::Sender;

use crate::auth::AgencySystem;
use crate::extract::Utf8Body;
use crate::problem::Problem;
use crate::{ApiError, AppState};

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
        (status = 403, description = "the message claims another agency, or is of a type the sender's kind of agency may not send", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the message id was used for a different message", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "body too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid message; `errors` names each field", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn post_messages(
    State(state): State<AppState>,
    AgencySystem(sender): AgencySystem,
    Utf8Body(text): Utf8Body,
) -> Result<Response, ApiError> {
    match state
        .app
        .receive_canonical(&Sender::from(&sender), &text)
        .await?
    {
        CanonicalIntake::Batch(answer) => Ok(Json(answer).into_response()),
        CanonicalIntake::Single(SingleOutcome::Accepted(answer)) => {
            let location = answer
                .case_id
                .map(|id| format!("/api/v1/cases/{id}"))
                .unwrap_or_default();
            Ok((
                StatusCode::CREATED,
                [(header::LOCATION, location)],
                Json(answer),
            )
                .into_response())
        }
        CanonicalIntake::Single(SingleOutcome::Duplicate(answer)) => {
            Ok(Json(answer).into_response())
        }
        CanonicalIntake::Single(SingleOutcome::Rejected(rejection)) => {
            Err(ApiError::Rejected(rejection))
        }
        CanonicalIntake::Single(SingleOutcome::Conflict(problem)) => {
            Err(ApiError::Conflict(problem))
        }
    }
}

/// Send a message in an agency system's own format: `spi-results` (a Libra court result, SPI
/// Results XML in the CJSE `DeliverRequest` envelope) or `common-platform` (an HMCTS Common
/// Platform hearing, `{"hearing": {...}}` JSON).
///
/// It becomes canonical events: the charge and defendant, the hearing, pleas, verdicts and, for
/// court results, results, bail, the next hearing and the sentence. An identifier failing its
/// check or a code the standing data does not know is a data-quality problem: the message is
/// kept and the problem listed at `/api/v1/exceptions`. A message in which a case has no
/// usable reference (no valid URN or ASN) is kept whole, unplaced (`202`), listed at
/// `/api/v1/unplaced` for the agency's administrator to place on its case. A malformed message
/// is refused and stored nowhere.
#[utoipa::path(post, path = "/api/v1/messages/{format}",
    params(("format" = String, Path, description = "`spi-results` or `common-platform`")),
    request_body(content = String, content_type = "application/xml"),
    responses(
        (status = 201, body = SourceAnswer, description = "kept and translated"),
        (status = 200, body = SourceAnswer, description = "the same message was kept before"),
        (status = 202, body = UnplacedAnswer, description = "a case in it names no case: kept whole, to be placed"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "the sender's kind of agency does not send this format"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json", description = "the standing data is not installed")),
    security(("api_key" = [])))]
pub(crate) async fn post_source(
    State(state): State<AppState>,
    AgencySystem(sender): AgencySystem,
    Path(format): Path<String>,
    Utf8Body(text): Utf8Body,
) -> Result<Response, ApiError> {
    let format = SourceFormat::parse(&format).ok_or(ApiError::NotFound)?;
    match state
        .app
        .receive_source(&Sender::from(&sender), format, &text)
        .await?
    {
        SourceIntake::Stored(answer) => {
            let status = match answer.status {
                SourceStatus::Duplicate => StatusCode::OK,
                SourceStatus::Accepted => StatusCode::CREATED,
            };
            Ok((status, Json(answer)).into_response())
        }
        SourceIntake::Unplaced(answer) => Ok((StatusCode::ACCEPTED, Json(answer)).into_response()),
        SourceIntake::Rejected(rejection) => Err(ApiError::Rejected(rejection)),
    }
}
