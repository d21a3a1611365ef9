//! Who is calling. An agency system presents its API key as a bearer token; a person presents
//! the session cookie set when they signed in. Either way the caller becomes a [`Reader`] that
//! the one authorization path decides for.
//!
//! Sessions expire after [`SESSION_IDLE`] without use. A session's last use is written at most
//! once a minute, so reading does not turn every request into a write.

use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::extract::MatchedPath;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use joinery_policy::Reader;
use joinery_store::{Actor, Agency, AuditAction, AuditEvent, KeyHash, UserRecord};

use crate::{ApiError, AppState};

/// The cookie that carries a person's session token.
pub const SESSION_COOKIE: &str = "__Host-joinery_session";

/// How long a session lasts without use.
pub const SESSION_IDLE: Duration = Duration::from_secs(30 * 60);

/// How stale a session's last use may be before it is written again.
const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// An authenticated agency system.
pub struct AgencySystem(pub Agency);

impl FromRequestParts<AppState> for AgencySystem {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let presented = bearer(parts).ok_or(ApiError::Unauthenticated)?;
        system(parts, state, presented).await.map(Self)
    }
}

/// Anyone authenticated, as a reader: an agency system or a person whose password is current.
pub struct Caller(pub Reader);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(presented) = bearer(parts) {
            let agency = system(parts, state, presented).await?;
            return Ok(Self(Reader::system(agency.code, agency.kind)));
        }
        let person = SignedIn::from_request_parts(parts, state).await?;
        if person.user.must_change_password {
            return Err(ApiError::PasswordChangeRequired);
        }
        Ok(Self(person.reader()))
    }
}

/// A person signed in, with their session; their password may still need changing.
pub struct SignedIn {
    pub user: UserRecord,
    pub session: KeyHash,
}

impl SignedIn {
    pub fn reader(&self) -> Reader {
        Reader::user(
            self.user.username.clone(),
            self.user.agency.code.clone(),
            self.user.agency.kind,
            self.user.role,
        )
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_cookie(parts).ok_or(ApiError::Unauthenticated)?;
        let session = KeyHash::of(token);
        let record = state
            .store
            .session(session)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        if record.ended {
            return Err(ApiError::Unauthenticated);
        }
        let idle = record.last_seen_at.until(joinery_domain::Timestamp::now());
        if idle >= SESSION_IDLE {
            return Err(ApiError::SessionExpired);
        }
        if idle >= TOUCH_EVERY {
            state.store.touch_session(session).await?;
        }
        Ok(Self {
            user: record.user,
            session,
        })
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
}

fn session_cookie(parts: &Parts) -> Option<&str> {
    cookie(&parts.headers, SESSION_COOKIE)
}

/// The value of the cookie `name` in a request's headers, if set and not empty.
pub(crate) fn cookie<'h>(headers: &'h axum::http::HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name && !value.is_empty()).then_some(value)
        })
}

/// The agency whose live key this is; a key that is not is recorded as a failed attempt.
async fn system(parts: &Parts, state: &AppState, presented: &str) -> Result<Agency, ApiError> {
    match state.store.agency_for_key(KeyHash::of(presented)).await? {
        Some(agency) => Ok(agency),
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
