//! CSRF protection for forms: a double-submit token. The page sets a random token in a
//! `__Host-joinery_csrf` cookie (HttpOnly, Secure, SameSite=Strict) and in a hidden field; a
//! form post is accepted only when both are present and equal. Another site can neither read
//! the cookie nor, with SameSite=Strict, make the browser send it; and the `__Host-` prefix
//! stops a sibling subdomain from planting a token of its choosing.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use joinery_app::random_secret;
use serde::de::DeserializeOwned;

use super::PageError;
use crate::auth::cookie;

/// The cookie that carries the token.
pub(crate) const CSRF_COOKIE: &str = "__Host-joinery_csrf";

/// The token already in the request's cookie, or a new one; and the Set-Cookie to send.
pub(crate) fn token(headers: &HeaderMap) -> Result<(String, Option<String>), PageError> {
    if let Some(existing) = cookie(headers, CSRF_COOKIE) {
        return Ok((existing.to_owned(), None));
    }
    let fresh = random_secret()?;
    let set = format!("{CSRF_COOKIE}={fresh}; Path=/; HttpOnly; Secure; SameSite=Strict");
    Ok((fresh, Some(set)))
}

/// Whether a posted form's token matches its cookie.
pub(crate) fn verified(headers: &HeaderMap, posted: &str) -> bool {
    cookie(headers, CSRF_COOKIE).is_some_and(|expected| !posted.is_empty() && expected == posted)
}

/// A body that is not a form: refused as a forged one is, and logged by its status alone (the
/// parser's words could quote what was typed).
fn unreadable(rejection: FormRejection) -> PageError {
    tracing::info!(status = %rejection.status(), "a posted form does not parse");
    PageError::BadRequest
}

/// A posted form with no token to check (signing in, before there is a session), read as `T`;
/// one that does not read is answered with a page, never axum's plain-text rejection.
pub(crate) struct PageForm<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PageForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Form(form) = Form::<T>::from_request(request, state)
            .await
            .map_err(unreadable)?;
        Ok(Self(form))
    }
}

/// A form that carries the CSRF token in its `csrf` field.
pub(crate) trait Tokened {
    fn csrf(&self) -> &str;
}

/// Implements [`Tokened`] for forms whose token is their `csrf` field.
macro_rules! tokened {
    ($($form:ty),* $(,)?) => {$(
        impl $crate::pages::csrf::Tokened for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        }
    )*};
}
pub(crate) use tokened;

/// A posted form whose CSRF token matches its cookie; a forged (or stale) one is refused.
pub(crate) struct CheckedForm<T>(pub(crate) T);

impl<S: Send + Sync, T: Tokened + DeserializeOwned> FromRequest<S> for CheckedForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let Form(form) = Form::<T>::from_request(request, state)
            .await
            .map_err(unreadable)?;
        if verified(&headers, form.csrf()) {
            Ok(Self(form))
        } else {
            Err(PageError::Forbidden)
        }
    }
}
