//! The `/api/v1` routes.

mod administration;
mod case_actions;
mod cases;
mod feed;
mod governance;
mod measures;
mod messages;
mod search;
mod session;
mod unplaced;
mod webhooks;
mod work;

use axum::Router;
use axum::routing::{delete, get, post, put};

use crate::AppState;

pub(crate) use administration::{__path_exceptions, __path_rejections, __path_resolve};
pub(crate) use case_actions::{
    __path_break_glass, __path_write_comment, BreakGlassAnswer, BreakGlassRequest, CommentAnswer,
    NewComment,
};
pub(crate) use cases::{
    __path_case_by_asn, __path_case_by_id, __path_case_by_urn, __path_hearing_summary,
    __path_timeline, TimelineView,
};
pub(crate) use feed::__path_feed;
pub(crate) use governance::{
    __path_break_glass_log, __path_policy_matrix, __path_who_has_seen, MatrixAnswer,
};
pub(crate) use measures::__path_report;
pub(crate) use messages::{__path_post_messages, __path_post_source};
pub(crate) use search::{__path_search, SearchRequest};
pub(crate) use session::{
    __path_change_password, __path_current, __path_sign_in, __path_sign_out, PasswordChangeRequest,
    SessionAnswer, SignInRequest,
};
pub(crate) use unplaced::{__path_place, __path_unplaced, PlaceRequest, PlacedAnswer};
pub(crate) use webhooks::{
    __path_deliveries, __path_list, __path_register, __path_remove, NewWebhook, WebhookCreated,
};
pub(crate) use work::__path_work;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/messages", post(messages::post_messages))
        .route("/api/v1/messages/{format}", post(messages::post_source))
        .route("/api/v1/exceptions", get(administration::exceptions))
        .route("/api/v1/rejections", get(administration::rejections))
        .route(
            "/api/v1/exceptions/{id}/resolve",
            post(administration::resolve),
        )
        .route("/api/v1/unplaced", get(unplaced::unplaced))
        .route("/api/v1/unplaced/{id}/place", post(unplaced::place))
        .route("/api/v1/feed", get(feed::feed))
        .route(
            "/api/v1/webhooks",
            post(webhooks::register).get(webhooks::list),
        )
        .route("/api/v1/webhooks/deliveries", get(webhooks::deliveries))
        .route("/api/v1/webhooks/{id}", delete(webhooks::remove))
        .route(
            "/api/v1/session",
            post(session::sign_in)
                .get(session::current)
                .delete(session::sign_out),
        )
        .route("/api/v1/session/password", put(session::change_password))
        .route("/api/v1/search", post(search::search))
        .route("/api/v1/work", get(work::work))
        .route("/api/v1/cases/by-urn/{urn}", get(cases::case_by_urn))
        .route("/api/v1/cases/by-asn/{asn}", get(cases::case_by_asn))
        .route("/api/v1/cases/{id}", get(cases::case_by_id))
        .route("/api/v1/cases/{id}/timeline", get(cases::timeline))
        .route(
            "/api/v1/cases/{id}/hearing-summary",
            get(cases::hearing_summary),
        )
        .route(
            "/api/v1/cases/{id}/comments",
            post(case_actions::write_comment),
        )
        .route(
            "/api/v1/cases/{id}/break-glass",
            post(case_actions::break_glass),
        )
        .route("/api/v1/cases/{id}/audit", get(governance::who_has_seen))
        .route(
            "/api/v1/governance/break-glass",
            get(governance::break_glass_log),
        )
        .route(
            "/api/v1/governance/policy-matrix",
            get(governance::policy_matrix),
        )
        .route("/api/v1/measures/{report}", get(measures::report))
        .route("/api/v1/openapi.json", get(crate::openapi::serve_document))
        .route("/healthz", get(|| async { "ok" }))
}
