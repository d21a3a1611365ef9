//! An agency's webhooks: register an endpoint (`POST /api/v1/webhooks`), list them with their
//! delivery state, and see the latest delivery attempts. For the agency's administrators and
//! its own systems.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use joinery_policy::Reader;
use joinery_store::{AuditAction, AuditEvent, Delivery, Webhook, random_secret};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::problem::Problem;
use crate::{ApiError, AppState};

fn administrators_only(state: &AppState, reader: &Reader) -> Result<(), ApiError> {
    let allowed = state
        .gate
        .administers_agency(reader)
        .map_err(|_| ApiError::Internal)?;
    if allowed {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "this is for the agency's administrators and its own systems".to_owned(),
        ))
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where to POST changes: an absolute `https://` (or `http://`) URL.
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
/// retried with back-off until your endpoint answers 2xx.
#[utoipa::path(post, path = "/api/v1/webhooks", request_body = NewWebhook,
    responses((status = 201, body = WebhookCreated), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn register(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Json(request): Json<NewWebhook>,
) -> Result<(StatusCode, Json<WebhookCreated>), ApiError> {
    administrators_only(&state, &reader)?;
    let uri: Uri = request
        .url
        .parse()
        .map_err(|_| ApiError::invalid_field("url", format!("`{}` is not a URL", request.url)))?;
    if !matches!(uri.scheme_str(), Some("https" | "http")) || uri.host().is_none() {
        return Err(ApiError::invalid_field(
            "url",
            "must be an absolute `https://` or `http://` URL",
        ));
    }
    let secret = random_secret().map_err(|_| ApiError::Internal)?;
    let audit = AuditEvent {
        actor: joinery_access::actor(&reader),
        action: AuditAction::WebhookAdded,
        subject: Some(reader.agency.to_string()),
        detail: serde_json::json!({ "url": request.url }),
    };
    let id = state
        .store
        .add_webhook(
            reader.agency.clone(),
            request.url.clone(),
            secret.clone(),
            audit,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(WebhookCreated {
            id,
            url: request.url,
            secret,
        }),
    ))
}

/// Your agency's webhooks, with how far each has been delivered.
#[utoipa::path(get, path = "/api/v1/webhooks",
    responses((status = 200, body = Vec<Object>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Caller(reader): Caller,
) -> Result<Json<Vec<Webhook>>, ApiError> {
    administrators_only(&state, &reader)?;
    let mine = state
        .store
        .webhooks()
        .await?
        .into_iter()
        .filter(|webhook| webhook.agency == reader.agency)
        .collect();
    Ok(Json(mine))
}

/// The latest delivery attempts of your agency's webhooks, newest first, with failures.
#[utoipa::path(get, path = "/api/v1/webhooks/deliveries",
    responses((status = 200, body = Vec<Object>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn deliveries(
    State(state): State<AppState>,
    Caller(reader): Caller,
) -> Result<Json<Vec<Delivery>>, ApiError> {
    administrators_only(&state, &reader)?;
    Ok(Json(state.store.deliveries(reader.agency.clone()).await?))
}
