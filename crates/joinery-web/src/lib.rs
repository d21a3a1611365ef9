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
use joinery_app::App;
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
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(trace)
        .with_state(state)
}
