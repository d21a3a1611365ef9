//! Messages that name no case, over the API: listed for the sending agency's administrators and
//! systems, and placed on their case by URN or ASN (posted in the body, never in the address).

use axum::Json;
use axum::extract::{Path, State};
use joinery_app::{CaseLookup, PlaceOutcome, SourceAnswer, UnplacedRecord};
use joinery_domain::{Asn, CaseId, UnplacedId, Urn};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::extract::ApiJson;
use crate::problem::Problem;
use crate::{ApiError, AppState};

fn administrators_only() -> ApiError {
    ApiError::Forbidden(
        "messages waiting to be placed are for the agency's administrators and systems".into(),
    )
}

/// Your agency's messages that name no case Joinery could find (no usable URN or ASN), kept
/// whole and waiting to be placed, newest first: for its administrators and its own systems.
#[utoipa::path(get, path = "/api/v1/unplaced",
    responses((status = 200, body = Vec<Object>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn unplaced(
    State(state): State<AppState>,
    Caller(reader): Caller,
) -> Result<Json<Vec<UnplacedRecord>>, ApiError> {
    let listed = state.app.agency_unplaced(&reader).await?;
    listed.map(Json).ok_or_else(administrators_only)
}

/// The case to place a message on: one of `urn` or `asn`, of a case Joinery holds.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceRequest {
    #[serde(default)]
    #[schema(pattern = "^\\s*[A-Za-z0-9]{4}[0-9]{3,7}\\s*$")]
    pub urn: Option<String>,
    #[serde(default)]
    pub asn: Option<String>,
}

impl PlaceRequest {
    fn parse(self) -> Result<CaseLookup, ApiError> {
        match (self.urn, self.asn) {
            (Some(urn), None) => Urn::parse(&urn)
                .map(CaseLookup::Urn)
                .map_err(|e| ApiError::invalid_field("urn", e.to_string())),
            (None, Some(asn)) => Asn::parse(&asn)
                .map(CaseLookup::Asn)
                .map_err(|e| ApiError::invalid_field("asn", e.to_string())),
            _ => Err(ApiError::invalid_field(
                "urn",
                "give one of `urn` or `asn`, of the case to place the message on",
            )),
        }
    }
}

/// Where a message was placed, and what of it was kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacedAnswer {
    pub case_id: CaseId,
    pub message: SourceAnswer,
}

/// Place one of your agency's unplaced messages on its case (by the case's `urn` or `asn`):
/// the message is read again with that case for the cases in it that name none, and its events
/// are kept on the case like any other message; the placement is audited on the case.
#[utoipa::path(post, path = "/api/v1/unplaced/{id}/place",
    params(("id" = String, Path, description = "the message's id, e.g. `unplaced-7`")),
    request_body = PlaceRequest,
    responses(
        (status = 200, body = PlacedAnswer, description = "placed; its events are on the case"),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "the body is not JSON"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "not one of your agency's unplaced messages"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "placed already"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "no case has that reference, or the message still cannot be placed")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn place(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<PlaceRequest>,
) -> Result<Json<PlacedAnswer>, ApiError> {
    let lookup = request.parse()?;
    let Ok(id) = UnplacedId::parse(&id) else {
        return Err(if state.app.administers_agency(&reader)? {
            ApiError::NotFound
        } else {
            administrators_only()
        });
    };
    let field = match &lookup {
        CaseLookup::Urn(_) => "urn",
        CaseLookup::Asn(_) => "asn",
    };
    match state.app.place_unplaced(&reader, id, lookup).await? {
        PlaceOutcome::Placed(case_id, message) => Ok(Json(PlacedAnswer { case_id, message })),
        PlaceOutcome::NotFound => Err(ApiError::NotFound),
        PlaceOutcome::Refused => Err(administrators_only()),
        PlaceOutcome::AlreadyPlaced(case_id) => Err(ApiError::Conflict(format!(
            "the message was placed already, on case {case_id}"
        ))),
        PlaceOutcome::NoSuchCase => Err(ApiError::invalid_field(
            field,
            format!("no case has this {}", field.to_uppercase()),
        )),
        PlaceOutcome::CannotPlace(why) => Err(ApiError::invalid_field("", why)),
    }
}
