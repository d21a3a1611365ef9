//! The web pages people use, server-rendered with askama (one struct per page), styled with
//! GOV.UK Frontend and MoJ Frontend served from the npm packages. Every page works without
//! JavaScript. Forms carry a CSRF token (a double-submit cookie, SameSite=Strict), and every
//! response carries a strict Content-Security-Policy and the usual security headers.
//!
//! It is not: another authorization path. Pages read through the same gatekeeper as the API.

mod actions;
mod assets;
mod break_glass;
mod case;
mod caseload;
mod consent;
mod court;
mod csrf;
mod describe;
mod form;
mod governance;
mod messages;
mod render;
mod sign_in;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;

/// The page routes, with the security headers every response carries.
pub(crate) fn routes() -> Router<AppState> {
    let headers: [(HeaderName, &'static str); 6] = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
             object-src 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        (header::CACHE_CONTROL, "no-store"),
    ];
    let mut router = Router::new()
        .route("/", get(caseload::caseload))
        .route("/cases/{id}", get(case::page))
        .route("/cases/{id}/hearing", get(court::hearing))
        .route("/cases/{id}/actions", post(actions::request))
        .route("/cases/{id}/break-glass", post(break_glass::request))
        .route("/cases/{id}/consent", post(consent::record))
        .route(
            "/cases/{id}/actions/{action}/complete",
            post(actions::complete),
        )
        .route("/cases/{id}/comments", post(court::comment))
        .route("/court-list", get(court::court_list))
        .route(
            "/governance",
            get(governance::page).post(governance::lookup),
        )
        .route("/messages", get(messages::page))
        .route("/messages/resolve", post(messages::resolve))
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/assets/{*file}", get(assets::serve))
        .fallback(|| async { render::PageError::NotFound });
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}
