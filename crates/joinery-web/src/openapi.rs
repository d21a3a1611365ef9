//! The OpenAPI 3 document, generated from the handlers and types, with every message example.

use axum::Json;
use joinery_domain::message::{
    ActionCompleted, ActionRequested, Adjournment, Arrest, Bail, CaseClosed, Charge,
    ChargedOffence, ChargingDecision, ConsentGiven, ConsentWithdrawn, Disposal, HearingListed,
    HearingResult, Person, Plea, Referral, ReportSubmitted, ResultLine, Retraction, Sentence,
    SupportProgress, Verdict,
};
use joinery_domain::{CanonicalMessage, CaseRef, Payload};
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::{
    __path_case_by_asn, __path_case_by_id, __path_case_by_urn, __path_post_messages,
    __path_timeline, BatchAnswer, CaseView, MessageAnswer, TimelineEntryView, TimelineView,
};
use crate::examples::MESSAGE_EXAMPLES;
use crate::problem::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Joinery",
        description = "Joins up the criminal justice agencies working on the same cases. Agency systems send canonical messages and read the cases they work on."
    ),
    paths(post_messages, case_by_id, case_by_urn, case_by_asn, timeline),
    components(schemas(
        CanonicalMessage, CaseRef, Payload, Person, Arrest, Bail, ChargingDecision, Charge,
        ChargedOffence, HearingListed, HearingResult, ResultLine, Plea, Verdict, Adjournment,
        Sentence, Disposal, ActionRequested, ActionCompleted, ReportSubmitted, Referral,
        SupportProgress, CaseClosed, ConsentGiven, ConsentWithdrawn, Retraction, MessageAnswer, BatchAnswer, CaseView,
        TimelineView, TimelineEntryView, Problem
    )),
    modifiers(&ApiKeyScheme, &MessageExamples)
)]
struct ApiDoc;

struct ApiKeyScheme;

impl Modify for ApiKeyScheme {
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
