//! CSRF protection for forms: a double-submit token. The page sets a random token in a
//! `__Host-joinery_csrf` cookie (HttpOnly, Secure, SameSite=Strict) and in a hidden field; a
//! form post is accepted only when both are present and equal. Another site can neither read
//! the cookie nor, with SameSite=Strict, make the browser send it; and the `__Host-` prefix
//! stops a sibling subdomain from planting a token of its choosing.

use axum::http::HeaderMap;
use joinery_store::random_secret;

/// The cookie that carries the token.
pub(crate) const CSRF_COOKIE: &str = "__Host-joinery_csrf";

/// The token already in the request's cookie, or a new one; and the Set-Cookie to send.
pub(crate) fn token(headers: &HeaderMap) -> (String, Option<String>) {
    if let Some(existing) = cookie(headers) {
        return (existing.to_owned(), None);
    }
    let fresh = random_secret().unwrap_or_default();
    let set = format!("{CSRF_COOKIE}={fresh}; Path=/; HttpOnly; Secure; SameSite=Strict");
    (fresh, Some(set))
}

fn cookie(headers: &HeaderMap) -> Option<&str> {
    crate::auth::cookie(headers, CSRF_COOKIE)
}

/// Whether a posted form's token matches its cookie.
pub(crate) fn verified(headers: &HeaderMap, posted: &str) -> bool {
    cookie(headers).is_some_and(|expected| !posted.is_empty() && expected == posted)
}
