//! Who is calling: an agency system presents its API key as a bearer token.

use axum::extract::FromRequestParts;
use axum::extract::MatchedPath;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use joinery_policy::Principal;
use joinery_store::{Actor, Agency, AuditAction, AuditEvent, KeyHash};

use crate::{ApiError, AppState};

/// An authenticated agency system.
pub struct AgencySystem(pub Agency);

impl AgencySystem {
    pub fn principal(&self) -> Principal {
        Principal::AgencySystem {
            agency: self.0.code.clone(),
            kind: self.0.kind,
        }
    }
}

impl FromRequestParts<AppState> for AgencySystem {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let presented = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthenticated)?;
        match state
            .store
            .agency_for_key(KeyHash::of(presented.trim()))
            .await?
        {
            Some(agency) => Ok(Self(agency)),
            None => {
                let route = parts
                    .extensions
                    .get::<MatchedPath>()
                    .map_or("unmatched", MatchedPath::as_str);
                let event = AuditEvent {
                    actor: Actor::Unauthenticated,
                    action: AuditAction::AuthenticationFailed,
                    subject: None,
                    detail: serde_json::json!({ "route": route }),
                };
                state.store.audit(vec![event]).await?;
                Err(ApiError::Unauthenticated)
            }
        }
    }
}
