//! An agency's webhooks: register an endpoint (`POST /api/v1/webhooks`), remove one (`DELETE
//! /api/v1/webhooks/{id}`), list them with their delivery state, and see the latest delivery
//! attempts. For the agency's administrators and its own systems.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use joinery_app::{Delivery, MAX_WEBHOOKS, Registration, Removal, Webhook, WebhookRefusal};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::extract::ApiJson;
use crate::problem::Problem;
use crate::{ApiError, AppState};

fn administrators_only() -> ApiError {
    ApiError::Forbidden("this is for the agency's administrators and its own systems".to_owned())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where to POST changes: an absolute `https://` URL whose host resolves only to public
    /// addresses (`http://`, and addresses inside, only for hosts the operator vouches for).
    pub url: String,
}

/// A webhook as registered. The secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookCreated {
    pub id: i64,
    pub url: String,
    /// Deliveries carry `Joinery-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
    /// "<t>.<body>" under this secret>`.
    pub secret: String,
}

/// Register a webhook: Joinery POSTs each change your agency may see to it, in order, signed,
/// retried with back-off until your endpoint answers 2xx. Redirects are not followed, and the
/// host's addresses are checked again at every delivery. At most 10 an agency.
#[utoipa::path(post, path = "/api/v1/webhooks", request_body = NewWebhook,
    responses((status = 201, body = WebhookCreated), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn register(
    State(state): State<AppState>,
    Caller(reader): Caller,
    ApiJson(request): ApiJson<NewWebhook>,
) -> Result<(StatusCode, Json<WebhookCreated>), ApiError> {
    match state.app.register_webhook(&reader, &request.url).await? {
        Registration::Registered { id, url, secret } => Ok((
            StatusCode::CREATED,
            Json(WebhookCreated { id, url, secret }),
        )),
        Registration::Refused(WebhookRefusal::NotAdministrator) => Err(administrators_only()),
        Registration::Refused(WebhookRefusal::Url(refusal)) => {
            Err(ApiError::invalid_field("url", refusal.to_string()))
        }
        Registration::Refused(WebhookRefusal::TooMany) => Err(ApiError::invalid_field(
            "url",
            format!("your agency has {MAX_WEBHOOKS} webhooks already; remove one first"),
        )),
    }
}

/// Remove a webhook: no more deliveries to it; its past attempts stay listed.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}",
    params(("id" = i64, Path, description = "the webhook's id")),
    responses((status = 204, description = "removed"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn remove(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    match state.app.remove_webhook(&reader, id).await? {
        Removal::Removed => Ok(StatusCode::NO_CONTENT),
        Removal::NotFound => Err(ApiError::NotFound),
        Removal::NotAdministrator => Err(administrators_only()),
    }
}

/// Your agency's webhooks, with how far each has been delivered.
#[utoipa::path(get, path = "/api/v1/webhooks",
    responses((status = 200, body = Vec<Object>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Caller(reader): Caller,
) -> Result<Json<Vec<Webhook>>, ApiError> {
    let mine = state.app.webhooks(&reader).await?;
    mine.map(Json).ok_or_else(administrators_only)
}

/// The latest delivery attempts of your agency's webhooks, newest first, with failures.
#[utoipa::path(get, path = "/api/v1/webhooks/deliveries",
    responses((status = 200, body = Vec<Object>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn deliveries(
    State(state): State<AppState>,
    Caller(reader): Caller,
) -> Result<Json<Vec<Delivery>>, ApiError> {
    let attempts = state.app.deliveries(&reader).await?;
    attempts.map(Json).ok_or_else(administrators_only)
}
