//! Acting on a case: a judge's comment, and breaking glass for an item otherwise refused.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use joinery_app::{BreakGlassOutcome, WriteOutcome};
use joinery_domain::{Category, HearingId, MessageId, Text, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::extract::{ApiCase, ApiJson, PathId};
use crate::problem::Problem;
use crate::{ApiError, AppState};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub text: String,
    /// The hearing the comment is written at, if any.
    #[serde(default)]
    pub hearing_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentAnswer {
    pub message_id: MessageId,
}

/// Write a private comment on a case listed before you (judges only). Only you will see it,
/// at every later hearing of the case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/comments", request_body = NewComment,
    params(("id" = String, Path, description = "Joinery's case id")),
    responses((status = 201, body = CommentAnswer), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("session" = [])))]
pub(crate) async fn write_comment(
    State(state): State<AppState>,
    Caller(reader): Caller,
    PathId(id, ..): ApiCase,
    ApiJson(comment): ApiJson<NewComment>,
) -> Result<(StatusCode, Json<CommentAnswer>), ApiError> {
    let text =
        Text::parse(&comment.text).map_err(|e| ApiError::invalid_field("text", e.to_string()))?;
    let hearing_id = comment
        .hearing_id
        .as_deref()
        .map(HearingId::parse)
        .transpose()
        .map_err(|e| ApiError::invalid_field("hearing_id", e.to_string()))?;
    match state
        .app
        .write_comment(&reader, id, hearing_id, text)
        .await?
    {
        WriteOutcome::Written { message_id } => {
            Ok((StatusCode::CREATED, Json(CommentAnswer { message_id })))
        }
        WriteOutcome::Refused | WriteOutcome::Invalid(_) => Err(ApiError::Forbidden(
            "only a judge may comment, on a case listed before them".to_owned(),
        )),
        WriteOutcome::NotFound => Err(ApiError::NotFound),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakGlassRequest {
    /// The category of the items asked for, e.g. `police_file`.
    pub category: String,
    /// Why you need them; governance reviews every grant.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BreakGlassAnswer {
    pub category: Category,
    pub expires_at: Timestamp,
}

/// Break glass: ask, with a reason, for items of a category on this case that you are otherwise
/// refused. Granted for an hour if the policy allows it, logged, and flagged to governance.
#[utoipa::path(post, path = "/api/v1/cases/{id}/break-glass", request_body = BreakGlassRequest,
    params(("id" = String, Path, description = "Joinery's case id")),
    responses((status = 201, body = BreakGlassAnswer), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("session" = [])))]
pub(crate) async fn break_glass(
    State(state): State<AppState>,
    Caller(reader): Caller,
    PathId(id, ..): ApiCase,
    ApiJson(request): ApiJson<BreakGlassRequest>,
) -> Result<(StatusCode, Json<BreakGlassAnswer>), ApiError> {
    let category = Category::parse(&request.category)
        .map_err(|e| ApiError::invalid_field("category", e.to_string()))?;
    let reason = Text::parse(&request.reason)
        .map_err(|e| ApiError::invalid_field("reason", e.to_string()))?;
    match state.app.break_glass(&reader, id, category, reason).await? {
        BreakGlassOutcome::Granted(grant) => Ok((
            StatusCode::CREATED,
            Json(BreakGlassAnswer {
                category: grant.category,
                expires_at: grant.expires_at,
            }),
        )),
        BreakGlassOutcome::NothingWithheld => Err(ApiError::Conflict(format!(
            "nothing of `{}` on this case is withheld from you",
            category.as_str()
        ))),
        BreakGlassOutcome::Refused => Err(ApiError::Forbidden(format!(
            "the sharing agreement does not let you break glass for `{}` on this case",
            category.as_str()
        ))),
        BreakGlassOutcome::NotFound => Err(ApiError::NotFound),
    }
}
