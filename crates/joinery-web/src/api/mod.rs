//! The `/api/v1` routes.

mod cases;
mod messages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub(crate) use cases::{CaseView, TimelineEntryView, TimelineView};
pub(crate) use messages::{BatchAnswer, MessageAnswer};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/messages", post(messages::post_messages))
        .route("/api/v1/cases/by-urn/{urn}", get(cases::case_by_urn))
        .route("/api/v1/cases/by-asn/{asn}", get(cases::case_by_asn))
        .route("/api/v1/cases/{id}", get(cases::case_by_id))
        .route("/api/v1/cases/{id}/timeline", get(cases::timeline))
        .route("/api/v1/openapi.json", get(crate::openapi::serve_document))
        .route("/healthz", get(|| async { "ok" }))
}

pub(crate) use cases::__path_case_by_asn;
pub(crate) use cases::__path_case_by_id;
pub(crate) use cases::__path_case_by_urn;
pub(crate) use cases::__path_timeline;
pub(crate) use messages::__path_post_messages;
