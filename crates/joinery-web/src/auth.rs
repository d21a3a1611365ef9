//! Who is calling. An agency system presents its API key as a bearer token; a person presents
//! the session cookie set when they signed in. Either way the caller becomes a [`Reader`] that
//! the application layer decides for.

use axum::extract::FromRequestParts;
use axum::extract::MatchedPath;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use joinery_app::{Reader, SessionCheck, SignedIn};

use crate::{ApiError, AppState};

/// The cookie that carries a person's session token.
pub const SESSION_COOKIE: &str = "__Host-joinery_session";

/// An authenticated agency system, as the reader its key makes it.
pub(crate) struct AgencySystem(pub(crate) Reader);

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
pub(crate) struct Caller(pub(crate) Reader);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(presented) = bearer(parts) {
            return system(parts, state, presented).await.map(Self);
        }
        let Person(person) = Person::from_request_parts(parts, state).await?;
        if person.user.must_change_password {
            return Err(ApiError::PasswordChangeRequired);
        }
        Ok(Self(person.reader()))
    }
}

/// A person signed in, with their session; their password may still need changing.
pub(crate) struct Person(pub(crate) SignedIn);

impl FromRequestParts<AppState> for Person {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(ApiError::Unauthenticated)?;
        match state.app.session(token).await? {
            SessionCheck::Active(person) => Ok(Self(*person)),
            SessionCheck::Expired => Err(ApiError::SessionExpired),
            SessionCheck::Unknown => Err(ApiError::Unauthenticated),
        }
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

/// The agency system whose live key this is; a key that is not is recorded as a failed attempt
/// at the route's template.
async fn system(parts: &Parts, state: &AppState, presented: &str) -> Result<Reader, ApiError> {
    let route = parts
        .extensions
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    state
        .app
        .agency_system(presented, route)
        .await?
        .ok_or(ApiError::Unauthenticated)
}

/// The `Set-Cookie` value for a session token (an empty one with `Max-Age=0` clears it).
pub(crate) fn session_cookie(token: &str, max_age: Option<u64>) -> String {
    let max_age = max_age.map_or(String::new(), |seconds| format!("; Max-Age={seconds}"));
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict{max_age}")
}
