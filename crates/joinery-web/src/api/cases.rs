//! Reading cases: by id, by URN or ASN, their timeline, and a judge's hearing summary. Every read
//! goes through the gatekeeper, which keeps only what the caller may see and records it; a case
//! the caller may see nothing of answers exactly as one that does not exist.

use axum::Json;
use axum::extract::{Path, State};
use joinery_access::{CaseView, HearingSummary, VisibleItem};
use joinery_domain::{Asn, CaseId, Role, Timestamp, Urn};
use joinery_policy::Reader;
use joinery_store::{AuditAction, CaseLookup, ExceptionRecord};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::problem::Problem;
use crate::titles::Titles;
use crate::{ApiError, AppState};

/// A case as served: what the caller may see, with the titles of its codes.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseAnswer {
    #[serde(flatten)]
    pub view: CaseView,
    /// Offence titles, court names and result meanings from the MoJ standing data.
    pub titles: Titles,
    /// For the administrators and systems of an agency: the open data-quality problems in the
    /// messages it sent on this case.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub data_quality: Vec<ExceptionRecord>,
}

async fn answer(
    state: &AppState,
    reader: &Reader,
    view: Option<CaseView>,
) -> Result<Json<CaseAnswer>, ApiError> {
    let view = view.ok_or(ApiError::NotFound)?;
    let titles = Titles::of(&view.state, state.reference.as_deref());
    let data_quality = state
        .gate
        .agency_exceptions(reader)
        .await
        .map_err(|_| ApiError::Internal)?
        .unwrap_or_default()
        .into_iter()
        .filter(|exception| exception.case_id == Some(view.id))
        .collect();
    Ok(Json(CaseAnswer {
        view,
        titles,
        data_quality,
    }))
}

/// A case's visible items in the order they happened, each with its provenance.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineView {
    pub case_id: CaseId,
    pub entries: Vec<VisibleItem>,
}

pub(crate) fn case_id(text: &str) -> Result<CaseId, ApiError> {
    CaseId::parse(text).map_err(|_| ApiError::NotFound)
}

/// A case by Joinery's id: its state as folded from what the caller may see, and those items.
#[utoipa::path(get, path = "/api/v1/cases/{id}",
    params(("id" = String, Path, description = "Joinery's case id")),
    responses((status = 200, body = CaseAnswer), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn case_by_id(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path(id): Path<String>,
) -> Result<Json<CaseAnswer>, ApiError> {
    let view = state
        .gate
        .case(&reader, case_id(&id)?, AuditAction::CaseRead)
        .await?;
    answer(&state, &reader, view).await
}

/// A case by its prosecution case reference (URN).
#[utoipa::path(get, path = "/api/v1/cases/by-urn/{urn}",
    params(("urn" = String, Path, description = "the URN, e.g. `01ZD0303208`")),
    responses((status = 200, body = CaseAnswer), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn case_by_urn(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path(urn): Path<String>,
) -> Result<Json<CaseAnswer>, ApiError> {
    let urn = Urn::parse(&urn).map_err(|_| ApiError::NotFound)?;
    let view = state.gate.find(&reader, CaseLookup::Urn(urn)).await?;
    answer(&state, &reader, view).await
}

/// A case by a defendant's Arrest Summons Number.
#[utoipa::path(get, path = "/api/v1/cases/by-asn/{asn}",
    params(("asn" = String, Path, description = "the ASN, long or short form")),
    responses((status = 200, body = CaseAnswer), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn case_by_asn(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path(asn): Path<String>,
) -> Result<Json<CaseAnswer>, ApiError> {
    let asn = Asn::parse(&asn).map_err(|_| ApiError::NotFound)?;
    let view = state.gate.find(&reader, CaseLookup::Asn(asn)).await?;
    answer(&state, &reader, view).await
}

/// The items of a case the caller may see, in the order they happened.
#[utoipa::path(get, path = "/api/v1/cases/{id}/timeline",
    params(("id" = String, Path, description = "Joinery's case id")),
    responses((status = 200, body = TimelineView), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn timeline(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path(id): Path<String>,
) -> Result<Json<TimelineView>, ApiError> {
    let view = state
        .gate
        .case(&reader, case_id(&id)?, AuditAction::TimelineRead)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(TimelineView {
        case_id: view.id,
        entries: view.items,
    }))
}

/// A judge's one-screen summary of a case listed before them: what each agency reported since
/// the last hearing, the case history in brief, and their own earlier comments.
#[utoipa::path(get, path = "/api/v1/cases/{id}/hearing-summary",
    params(("id" = String, Path, description = "Joinery's case id")),
    responses((status = 200, body = HearingSummary), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("session" = [])))]
pub(crate) async fn hearing_summary(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path(id): Path<String>,
) -> Result<Json<HearingSummary>, ApiError> {
    if reader.role != Role::Judge {
        return Err(ApiError::Forbidden(
            "the hearing summary is for judges and magistrates".to_owned(),
        ));
    }
    let view = state
        .gate
        .case(&reader, case_id(&id)?, AuditAction::CaseRead)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(view.hearing_summary(Timestamp::now())))
}
