//! Joinery's HTTP face: the `/api/v1` API that agency systems and signed-in people call.
//!
//! Handlers are thin: extract (and authenticate) → authorize → call → render. Every read of case
//! data goes through the gatekeeper (`joinery-access`). Errors of every kind render as RFC 9457
//! problem+json through [`ApiError`]. This is the only crate that knows HTTP.
//!
//! It is not: validation (the ingest crate), storage (the store crate), the authorization path
//! (the access crate) or the sharing rules (the policy files); it wires them to routes.

mod api;
mod auth;
mod examples;
mod openapi;
mod pages;
mod problem;
pub mod sources;
mod titles;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use joinery_access::Gatekeeper;
use joinery_policy::SharingPolicy;
use joinery_reference::StandingData;
use joinery_store::EventStore;
use tower_http::trace::TraceLayer;

pub use api::{LOCK_AFTER_FAILURES, LOCKED_FOR};
pub use auth::{SESSION_COOKIE, SESSION_IDLE};
pub use examples::MESSAGE_EXAMPLES;
pub use openapi::openapi_document;
pub use problem::ApiError;

/// The largest request body accepted: a batch of a thousand ordinary messages.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn EventStore>,
    pub gate: Arc<Gatekeeper>,
    /// The MoJ standing data, when installed; formats that need it answer 503 without it.
    pub reference: Option<Arc<StandingData>>,
    /// The `node_modules` directory the pages' design-system files are served from.
    pub node_modules: Option<std::path::PathBuf>,
}

impl AppState {
    pub fn new(
        store: Arc<dyn EventStore>,
        policy: Arc<SharingPolicy>,
        reference: Option<Arc<StandingData>>,
    ) -> Self {
        Self {
            gate: Arc::new(Gatekeeper::new(Arc::clone(&store), policy)),
            store,
            reference,
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
