//! Joinery's HTTP face: the `/api/v1` API that agency systems and signed-in people call, and the
//! pages people use in a browser.
//!
//! Handlers are thin: extract (authenticate, parse the path and body into domain types) → call
//! one use case of the application layer → render. Errors of every kind render as RFC 9457
//! problem+json through [`ApiError`] on the API, and as a helpful page on the pages. This is the
//! only crate that knows HTTP and HTML.
//!
//! It is not: the application (`joinery-app` holds every use case and the one authorization
//! path), the store or the policy — this crate has no path to either; the crate graph keeps it
//! so, since it depends on neither.

mod api;
mod auth;
mod extract;
mod openapi;
mod pages;
mod problem;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use joinery_app::App;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use auth::SESSION_COOKIE;
pub use openapi::openapi_document;
pub use problem::ApiError;

/// The largest request body accepted: a batch of a thousand ordinary messages.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    /// The `node_modules` directory the pages' design-system files are served from.
    pub node_modules: Option<std::path::PathBuf>,
}

impl AppState {
    pub fn new(app: Arc<App>) -> Self {
        Self {
            app,
            node_modules: None,
        }
    }
}

/// Whether a request is the API's (answered in problem+json) rather than a page's.
fn is_api(uri: &axum::http::Uri) -> bool {
    uri.path().starts_with("/api/")
}

/// An address nothing answers: a problem on the API, a page elsewhere.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    if is_api(&uri) {
        ApiError::NotFound.into_response()
    } else {
        pages::PageError::NotFound.into_response()
    }
}

/// An address that does not take the method used.
async fn method_not_allowed(uri: axum::http::Uri) -> axum::response::Response {
    if is_api(&uri) {
        ApiError::MethodNotAllowed.into_response()
    } else {
        pages::PageError::NotFound.into_response()
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    // Spans carry the route template, never the concrete path: a path can hold a URN or ASN.
    let trace = TraceLayer::new_for_http().make_span_with(|request: &Request| {
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or("unmatched", MatchedPath::as_str);
        tracing::info_span!("request", method = %request.method(), route)
    });
    api::routes()
        .merge(pages::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Every answer, API or page, is what it says it is, and case data is never kept by a
        // browser or proxy (the design systems' files set their own caching).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(trace)
        .with_state(state)
}
