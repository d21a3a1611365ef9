//! Reading cases: by id, by URN or ASN, their timeline, and a judge's hearing summary. Every read
//! goes through the application layer, which keeps only what the caller may see and records
//! it; a case the caller may see nothing of answers exactly as one that does not exist.

use axum::Json;
use axum::extract::State;
use joinery_app::{
    CaseDetail, CaseLookup, CaseView, HearingOutcome, HearingSummary, Purpose, Reader, VisibleItem,
};
use joinery_domain::CaseId;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::extract::{ApiAsn, ApiCase, ApiUrn, PathId};
use crate::problem::Problem;
use crate::{ApiError, AppState};

/// The case with the titles of its codes (and, for an agency's administrators and systems, its
/// open data-quality problems), or not found.
async fn detail(
    state: &AppState,
    reader: &Reader,
    view: Option<CaseView>,
) -> Result<Json<CaseDetail>, ApiError> {
    let view = view.ok_or(ApiError::NotFound)?;
    Ok(Json(state.app.case_detail(reader, view).await?))
}

/// A case's visible items in the order they happened, each with its provenance.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineView {
    pub case_id: CaseId,
    pub entries: Vec<VisibleItem>,
}

/// A case by Joinery's id: its state as folded from what the caller may see, and those items.
#[utoipa::path(get, path = "/api/v1/cases/{id}",
    params(("id" = String, Path, description = "Joinery's case id")),
    responses((status = 200, body = CaseDetail), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn case_by_id(
    State(state): State<AppState>,
    Caller(reader): Caller,
    PathId(id, ..): ApiCase,
) -> Result<Json<CaseDetail>, ApiError> {
    let view = state.app.case(&reader, id, Purpose::Case).await?;
    detail(&state, &reader, view).await
}

/// A case by its prosecution case reference (URN).
#[utoipa::path(get, path = "/api/v1/cases/by-urn/{urn}",
    params(("urn" = String, Path, description = "the URN, e.g. `01ZD0303208`")),
    responses((status = 200, body = CaseDetail), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn case_by_urn(
    State(state): State<AppState>,
    Caller(reader): Caller,
    PathId(urn, ..): ApiUrn,
) -> Result<Json<CaseDetail>, ApiError> {
    let view = state.app.find(&reader, CaseLookup::Urn(urn)).await?;
    detail(&state, &reader, view).await
}

/// A case by a defendant's Arrest Summons Number.
#[utoipa::path(get, path = "/api/v1/cases/by-asn/{asn}",
    params(("asn" = String, Path, description = "the ASN, long or short form")),
    responses((status = 200, body = CaseDetail), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn case_by_asn(
    State(state): State<AppState>,
    Caller(reader): Caller,
    PathId(asn, ..): ApiAsn,
) -> Result<Json<CaseDetail>, ApiError> {
    let view = state.app.find(&reader, CaseLookup::Asn(asn)).await?;
    detail(&state, &reader, view).await
}

/// The items of a case the caller may see, in the order they happened.
#[utoipa::path(get, path = "/api/v1/cases/{id}/timeline",
    params(("id" = String, Path, description = "Joinery's case id")),
    responses((status = 200, body = TimelineView), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn timeline(
    State(state): State<AppState>,
    Caller(reader): Caller,
    PathId(id, ..): ApiCase,
) -> Result<Json<TimelineView>, ApiError> {
    let view = state
        .app
        .case(&reader, id, Purpose::Timeline)
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
    PathId(id, ..): ApiCase,
) -> Result<Json<HearingSummary>, ApiError> {
    match state.app.hearing_summary(&reader, id).await? {
        HearingOutcome::Summary(brief) => Ok(Json(brief.summary)),
        HearingOutcome::NotJudge => Err(ApiError::Forbidden(
            "the hearing summary is for judges and magistrates".to_owned(),
        )),
        HearingOutcome::NotFound => Err(ApiError::NotFound),
    }
}
