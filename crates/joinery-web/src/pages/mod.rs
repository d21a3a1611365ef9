//! The web pages people use, server-rendered with askama (one struct per page), styled with
//! GOV.UK Frontend and MoJ Frontend served from the npm packages. Every page works without
//! JavaScript. Forms carry a CSRF token (a double-submit cookie, SameSite=Strict), and every
//! response carries a strict Content-Security-Policy and the usual security headers.
//!
//! A page is a struct built by `::new` from what the application layer returns; its handler
//! extracts the signed-in person ([`signed::Signed`]) and a CSRF-checked form
//! ([`csrf::CheckedForm`]), calls one use case, and renders.
//!
//! It is not: another authorization path. Pages read and write through the same application
//! layer as the API.

mod assets;
mod case;
mod caseload;
mod court;
mod csrf;
mod describe;
mod form;
mod governance;
mod hearing;
pub(crate) mod measures;
mod messages;
mod people;
mod render;
mod return_to;
mod search;
mod sign_in;
mod signed;
mod words;
mod work;

pub(crate) use render::PageError;

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
        .route("/cases/{id}/hearing", get(hearing::page))
        .route("/cases/{id}/actions", post(case::request_action))
        .route("/cases/{id}/break-glass", post(case::break_glass))
        .route("/cases/{id}/consent", post(case::record_consent))
        .route(
            "/cases/{id}/charging-decision",
            post(case::record_charging_decision),
        )
        .route("/cases/{id}/progress", post(case::record_progress))
        .route(
            "/cases/{id}/actions/{action}/complete",
            post(case::complete_action),
        )
        .route(
            "/cases/{id}/actions/{action}/withdraw",
            post(case::withdraw_action),
        )
        .route("/cases/{id}/comments", post(hearing::comment))
        .route("/court-list", get(court::court_list))
        .route("/court-list/resulting", post(court::resulting))
        .route("/court-list/bench", post(court::bench))
        .route("/search", get(search::form).post(search::search))
        .route("/work", get(work::page))
        .route("/work/claim", post(work::claim))
        .route("/work/release", post(work::release))
        .route(
            "/governance",
            get(governance::page).post(governance::lookup),
        )
        .route("/governance/review", post(governance::review))
        .route("/governance/grants.csv", get(governance::grants_csv))
        .route("/measures", get(measures::page))
        .route("/measures.csv", get(measures::csv))
        .route("/messages", get(messages::page))
        .route("/messages/resolve", post(messages::resolve))
        .route("/messages/place", post(messages::place))
        .route("/people", get(people::page))
        .route("/people/access", post(people::change))
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/assets/{*file}", get(assets::serve));
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}
