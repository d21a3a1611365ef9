//! Messages in agencies' own formats: `POST /api/v1/messages/spi-results` and
//! `POST /api/v1/messages/common-platform`, and the list of data-quality problems an agency's
//! administrator resolves, `GET /api/v1/exceptions`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use joinery_access::ResolveOutcome;
use joinery_ingest::SourceFormat;
use joinery_store::{ExceptionRecord, RejectionRecord};

use crate::auth::{AgencySystem, Caller};
use crate::problem::Problem;
use crate::sources::{SourceAnswer, store_translation};
use crate::{ApiError, AppState};

/// Send a message in an agency system's own format: `spi-results` (a Libra court result, SPI
/// Results XML in the CJSE `DeliverRequest` envelope) or `common-platform` (an HMCTS Common
/// Platform hearing, `{"hearing": {...}}` JSON).
///
/// It becomes canonical events: the charge and defendant, the hearing, pleas, verdicts and, for
/// court results, results, bail, the next hearing and the sentence. An identifier failing its
/// check or a code the standing data does not know is a data-quality problem: the message is
/// kept and the problem listed at `/api/v1/exceptions`. A malformed message, or a case with no
/// usable reference, is refused and stored nowhere.
#[utoipa::path(post, path = "/api/v1/messages/{format}",
    params(("format" = String, Path, description = "`spi-results` or `common-platform`")),
    request_body(content = String, content_type = "application/xml"),
    responses(
        (status = 201, body = SourceAnswer, description = "kept and translated"),
        (status = 200, body = SourceAnswer, description = "the same message was kept before"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json", description = "the standing data is not installed")),
    security(("api_key" = [])))]
pub(crate) async fn post_source(
    State(state): State<AppState>,
    sender: AgencySystem,
    Path(format): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let format = SourceFormat::parse(&format).ok_or(ApiError::NotFound)?;
    let reference = state
        .reference
        .as_deref()
        .ok_or(ApiError::ReferenceDataMissing)?;
    let body = body.map_err(|rejection| match rejection {
        BytesRejection::FailedToBufferBody(_) => ApiError::BodyTooLarge,
        other => ApiError::Malformed(other.body_text()),
    })?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::Malformed("the body is not UTF-8 text".into()))?;
    let translation = match format.translate(&sender.0.code, text, reference) {
        Ok(translation) => translation,
        Err(rejection) => {
            crate::api::messages::record_rejections(
                &state,
                &sender,
                format.as_str(),
                &[(0, &rejection)],
            )
            .await?;
            return Err(ApiError::Rejected(rejection));
        }
    };
    let answer = store_translation(state.store.as_ref(), &sender.0.code, text, translation).await?;
    let status = if answer.status == "duplicate" {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(answer)).into_response())
}

/// The data-quality problems in the messages your agency sent, newest first: for its
/// administrators and its own systems.
#[utoipa::path(get, path = "/api/v1/exceptions",
    responses((status = 200, body = Vec<Object>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn exceptions(
    State(state): State<AppState>,
    Caller(reader): Caller,
) -> Result<Json<Vec<ExceptionRecord>>, ApiError> {
    let listed = state
        .gate
        .agency_exceptions(&reader)
        .await
        .map_err(|_| ApiError::Internal)?;
    listed.map(Json).ok_or_else(|| {
        ApiError::Forbidden(
            "the data-quality list is for the agency's administrators and systems".to_owned(),
        )
    })
}

/// The messages your agency's systems sent that were refused, newest first, with why (the
/// messages themselves are kept nowhere): for its administrators and its own systems.
#[utoipa::path(get, path = "/api/v1/rejections",
    responses((status = 200, body = Vec<Object>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn rejections(
    State(state): State<AppState>,
    Caller(reader): Caller,
) -> Result<Json<Vec<RejectionRecord>>, ApiError> {
    let listed = state
        .gate
        .agency_rejections(&reader)
        .await
        .map_err(|_| ApiError::Internal)?;
    listed.map(Json).ok_or_else(|| {
        ApiError::Forbidden(
            "the rejection list is for the agency's administrators and systems".to_owned(),
        )
    })
}

/// Mark one of your agency's data-quality problems resolved (by its `id`).
#[utoipa::path(post, path = "/api/v1/exceptions/{id}/resolve",
    params(("id" = String, Path, description = "the problem's id, e.g. `source-12`")),
    responses((status = 204, description = "resolved"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn resolve(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    match state
        .gate
        .resolve_exception(&reader, id)
        .await
        .map_err(|_| ApiError::Internal)?
    {
        ResolveOutcome::Resolved => Ok(StatusCode::NO_CONTENT),
        ResolveOutcome::NotFound => Err(ApiError::NotFound),
        ResolveOutcome::Refused => Err(ApiError::Forbidden(
            "the data-quality list is for the agency's administrators and systems".to_owned(),
        )),
    }
}
