//! An agency's own administration over the API: the data-quality problems in the messages its
//! systems sent, the messages refused at the door, and marking a problem resolved. For the
//! agency's administrators and its own systems.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use joinery_app::{ExceptionRecord, RejectionRecord, ResolveOutcome};
use joinery_domain::ExceptionId;

use crate::auth::Caller;
use crate::problem::Problem;
use crate::{ApiError, AppState};

fn administrators_only(list: &str) -> ApiError {
    ApiError::Forbidden(format!(
        "the {list} is for the agency's administrators and systems"
    ))
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
    let listed = state.app.agency_exceptions(&reader).await?;
    listed
        .map(Json)
        .ok_or_else(|| administrators_only("data-quality list"))
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
    let listed = state.app.agency_rejections(&reader).await?;
    listed
        .map(Json)
        .ok_or_else(|| administrators_only("rejection list"))
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
    let Ok(id) = ExceptionId::parse(&id) else {
        // Not an id of ours: as an id of nothing the caller may resolve, unless they may
        // resolve nothing at all.
        return Err(if state.app.administers_agency(&reader)? {
            ApiError::NotFound
        } else {
            administrators_only("data-quality list")
        });
    };
    match state.app.resolve_exception(&reader, id, None).await? {
        ResolveOutcome::Resolved => Ok(StatusCode::NO_CONTENT),
        ResolveOutcome::NotFound => Err(ApiError::NotFound),
        ResolveOutcome::Refused => Err(administrators_only("data-quality list")),
    }
}
