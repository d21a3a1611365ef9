//! The OpenAPI 3 document, generated from the handlers and types, with every message example.

use axum::Json;
use joinery_app::{
    BatchAnswer, CaseDetail, CaseView, FeedChange, FeedPage, HearingSummary, MESSAGE_EXAMPLES,
    MessageAnswer, MessageStatus, SearchResults, SourceAnswer, SourceStatus, Titles,
    UnplacedAnswer, VisibleItem, WorkItem, Worklist,
};
use joinery_domain::message::{
    ActionCompleted, ActionRequested, ActionWithdrawn, Adjournment, Antecedents, Arrest,
    BadCharacterRuling, Bail, CaseClosed, Charge, ChargedOffence, ChargingDecision, ConsentGiven,
    ConsentWithdrawn, Disposal, Health, HearingListed, HearingResult, Intelligence, LegalAdvice,
    Person, Plea, PoliceFile, PreviousConviction, Referral, ReportSubmitted, ResultLine,
    Retraction, Sentence, SupportProgress, Verdict, VictimWitness,
};
use joinery_domain::search::SearchBy;
use joinery_domain::{CanonicalMessage, CaseRef, Category, Payload, Role};
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::{
    __path_break_glass, __path_break_glass_log, __path_case_by_asn, __path_case_by_id,
    __path_case_by_urn, __path_change_password, __path_current, __path_deliveries,
    __path_exceptions, __path_feed, __path_hearing_summary, __path_list, __path_place,
    __path_policy_matrix, __path_post_messages, __path_post_source, __path_register,
    __path_rejections, __path_remove, __path_report, __path_resolve, __path_search, __path_sign_in,
    __path_sign_out, __path_timeline, __path_unplaced, __path_who_has_seen, __path_work,
    __path_write_comment, BreakGlassAnswer, BreakGlassRequest, CommentAnswer, MatrixAnswer,
    NewComment, NewWebhook, PasswordChangeRequest, PlaceRequest, PlacedAnswer, SearchRequest,
    SessionAnswer, SignInRequest, TimelineView, WebhookCreated,
};
use crate::problem::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Joinery",
        description = "Joins up the criminal justice agencies working on the same cases. Agency systems send canonical messages and read the cases they work on; people sign in and see what the information-sharing agreement lets them see."
    ),
    paths(
        post_messages, post_source, exceptions, resolve, rejections, feed, register, remove, list, deliveries, sign_in, current, sign_out, change_password, case_by_id, case_by_urn,
        case_by_asn, timeline, hearing_summary, write_comment, break_glass, who_has_seen,
        break_glass_log, policy_matrix, report, search, work, unplaced, place
    ),
    components(schemas(
        CanonicalMessage, CaseRef, Payload, Person, Arrest, Bail, ChargingDecision, Charge,
        ChargedOffence, HearingListed, HearingResult, ResultLine, Plea, BadCharacterRuling, Verdict, Adjournment,
        Sentence, Disposal, ActionRequested, ActionCompleted, ActionWithdrawn, ReportSubmitted, Referral,
        SupportProgress, CaseClosed, ConsentGiven, ConsentWithdrawn, PoliceFile, Intelligence,
        VictimWitness, LegalAdvice, Antecedents, PreviousConviction, Health, Retraction,
        MessageAnswer, MessageStatus, BatchAnswer, CaseView, CaseDetail, Titles, VisibleItem,
        HearingSummary, TimelineView, Category, Role, SignInRequest, SessionAnswer,
        PasswordChangeRequest, NewComment, CommentAnswer, BreakGlassRequest, BreakGlassAnswer,
        MatrixAnswer, SourceAnswer, SourceStatus, FeedPage, FeedChange, NewWebhook,
        WebhookCreated, SearchRequest, SearchResults, SearchBy, Worklist, WorkItem, Problem,
        PlaceRequest, PlacedAnswer, UnplacedAnswer
    )),
    modifiers(&SecuritySchemes, &MessageExamples)
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An agency system's API key, from `joinery keys create`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::SESSION_COOKIE,
                "A person's session, set by `POST /api/v1/session`.",
            ))),
        );
    }
}

struct MessageExamples;

impl Modify for MessageExamples {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let body = openapi
            .paths
            .paths
            .get_mut("/api/v1/messages")
            .and_then(|item| item.post.as_mut())
            .and_then(|operation| operation.request_body.as_mut())
            .and_then(|body| body.content.get_mut("application/json"));
        if let Some(content) = body {
            for (kind, text) in MESSAGE_EXAMPLES {
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
                    let example = ExampleBuilder::new()
                        .summary(kind.as_str())
                        .value(Some(value))
                        .build();
                    content
                        .examples
                        .insert(kind.as_str().to_owned(), example.into());
                }
            }
        }
    }
}

/// The OpenAPI document.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub(crate) async fn serve_document() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}
