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
    modifiers(&SecuritySchemes, &MessageExamples, &ProblemResponses)
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
        // A single message that was stored before is answered `200` as well as a batch.
        if let Some(utoipa::openapi::RefOr::T(ok)) = openapi
            .paths
            .paths
            .get_mut("/api/v1/messages")
            .and_then(|item| item.post.as_mut())
            .and_then(|operation| operation.responses.responses.get_mut("200"))
            && let Some(json) = ok.content.get_mut("application/json")
        {
            json.schema = Some(
                utoipa::openapi::schema::OneOfBuilder::new()
                    .item(utoipa::openapi::Ref::from_schema_name("MessageAnswer"))
                    .item(utoipa::openapi::Ref::from_schema_name("BatchAnswer"))
                    .into(),
            );
        }
        let body = openapi
            .paths
            .paths
            .get_mut("/api/v1/messages")
            .and_then(|item| item.post.as_mut())
            .and_then(|operation| operation.request_body.as_mut())
            .and_then(|body| body.content.get_mut("application/json"));
        if let Some(content) = body {
            // One message, or a batch of 1 to `MAX_BATCH` message objects, each judged on its
            // own (so a batch's entries are objects, not necessarily valid messages).
            let batch = utoipa::openapi::schema::ArrayBuilder::new()
                .items(
                    utoipa::openapi::ObjectBuilder::new()
                        .schema_type(utoipa::openapi::schema::Type::Object),
                )
                .min_items(Some(1))
                .max_items(Some(joinery_app::MAX_BATCH));
            content.schema = Some(
                utoipa::openapi::schema::OneOfBuilder::new()
                    .item(utoipa::openapi::Ref::from_schema_name("CanonicalMessage"))
                    .item(batch)
                    .into(),
            );
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

/// The problem documents every route can answer besides its own, stated on each operation so
/// that a client generated from the document knows them: what the extractors and the error
/// type answer before or around a handler (`problem.rs`), by what the route takes.
struct ProblemResponses;

impl ProblemResponses {
    /// The statuses an operation can answer, by what it takes: its path, `has_body` (a JSON or
    /// text body), `has_query` and `secured` (a key or a session).
    fn statuses(
        path: &str,
        has_body: bool,
        has_query: bool,
        secured: bool,
    ) -> Vec<(&'static str, &'static str)> {
        let mut statuses = vec![(
            "500",
            "something below the route failed; nothing was changed",
        )];
        if secured {
            statuses.push((
                "401",
                "no valid API key or session (or a session idle too long)",
            ));
            statuses.push((
                "403",
                "the caller may not do this, or must change a password issued to them first",
            ));
        }
        if path.contains('{') {
            statuses.push(("404", "nothing the caller may see has this identifier"));
        }
        if has_body {
            statuses.push(("400", "the body is not JSON (or not UTF-8 text)"));
            statuses.push(("413", "the body is larger than the route takes"));
            statuses.push(("415", "the body is not sent as the route's content type"));
            statuses.push((
                "422",
                "a field is invalid; `errors` names each field at fault",
            ));
        }
        if has_query {
            statuses.push(("400", "a query parameter is malformed"));
            statuses.push(("422", "a query parameter is invalid; `errors` names it"));
        }
        statuses
    }
}

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let global_security = openapi.security.as_ref().is_some_and(|all| !all.is_empty());
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.delete.as_mut(),
                item.patch.as_mut(),
            ];
            for operation in operations.into_iter().flatten() {
                let secured = operation
                    .security
                    .as_ref()
                    .map_or(global_security, |all| !all.is_empty());
                let has_query = operation.parameters.as_ref().is_some_and(|parameters| {
                    parameters
                        .iter()
                        .any(|parameter| parameter.parameter_in == ParameterIn::Query)
                });
                let has_body = operation.request_body.is_some();
                for (status, description) in Self::statuses(path, has_body, has_query, secured) {
                    if operation.responses.responses.contains_key(status) {
                        continue;
                    }
                    let response = ResponseBuilder::new()
                        .description(description)
                        .content(
                            "application/problem+json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("Problem")))
                                .build(),
                        )
                        .build();
                    operation
                        .responses
                        .responses
                        .insert(status.to_owned(), response.into());
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
