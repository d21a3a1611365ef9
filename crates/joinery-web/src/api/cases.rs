//! Reading cases: find one by URN or ASN, see its state and stage, and its timeline. Every read
//! asks the policy; a case the caller may not see answers exactly as one that does not exist.

use axum::Json;
use axum::extract::{Path, State};
use joinery_domain::projection::{ActionRecord, HearingState};
use joinery_domain::{Asn, CanonicalMessage, CaseId, CaseState, Timestamp, Urn};
use joinery_policy::{Action, CaseFacts, Decision, authorize};
use joinery_store::{Actor, AuditAction, AuditEvent, CaseLookup, CaseRecord};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AgencySystem;
use crate::problem::Problem;
use crate::{ApiError, AppState};

/// A case as served: its projected state, its stage, and what is next or late.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    pub id: CaseId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_hearing: Option<HearingState>,
    pub overdue_actions: Vec<ActionRecord>,
    #[serde(flatten)]
    pub state: CaseState,
}

/// One event of a case's timeline, with its provenance.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntryView {
    /// The order in which Joinery accepted it.
    pub sequence: i64,
    pub received_at: Timestamp,
    #[serde(flatten)]
    pub event: CanonicalMessage,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineView {
    pub case_id: CaseId,
    pub entries: Vec<TimelineEntryView>,
}

/// The case with this id, if it exists and `reader` may see it. A disclosure is recorded in the
/// audit trail before anything is returned.
async fn readable_case(
    state: &AppState,
    reader: &AgencySystem,
    id: CaseId,
    disclosure: AuditAction,
) -> Result<CaseRecord, ApiError> {
    let record = state.store.case(id).await?.ok_or(ApiError::NotFound)?;
    let facts = CaseFacts {
        team: &record.state.agencies,
    };
    match authorize(&reader.principal(), Action::ReadCase, facts) {
        Decision::Allow => {
            let event = AuditEvent {
                actor: Actor::AgencySystem(reader.0.code.clone()),
                action: disclosure,
                subject: Some(id.to_string()),
                detail: serde_json::json!({ "decision": "allow", "rule": "team" }),
            };
            state.store.audit(vec![event]).await?;
            Ok(record)
        }
        Decision::Deny => Err(ApiError::NotFound),
    }
}

fn view(record: CaseRecord) -> CaseView {
    let now = Timestamp::now();
    CaseView {
        id: record.id,
        next_hearing: record.state.next_hearing(now).cloned(),
        overdue_actions: record.state.overdue_actions(now.date()).cloned().collect(),
        state: record.state,
    }
}

async fn lookup(
    state: &AppState,
    reader: &AgencySystem,
    lookup: CaseLookup,
) -> Result<Json<CaseView>, ApiError> {
    let id = state
        .store
        .find_case(lookup)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(view(
        readable_case(state, reader, id, AuditAction::CaseRead).await?,
    )))
}

/// A case by Joinery's id.
#[utoipa::path(get, path = "/api/v1/cases/{id}",
    params(("id" = String, Path, description = "Joinery's case id")),
    responses((status = 200, body = CaseView), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub(crate) async fn case_by_id(
    State(state): State<AppState>,
    reader: AgencySystem,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    let id = CaseId::parse(&id).map_err(|_| ApiError::NotFound)?;
    Ok(Json(view(
        readable_case(&state, &reader, id, AuditAction::CaseRead).await?,
    )))
}

/// A case by its prosecution case reference (URN).
#[utoipa::path(get, path = "/api/v1/cases/by-urn/{urn}",
    params(("urn" = String, Path, description = "the URN, e.g. `01ZD0303208`")),
    responses((status = 200, body = CaseView), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub(crate) async fn case_by_urn(
    State(state): State<AppState>,
    reader: AgencySystem,
    Path(urn): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    let urn = Urn::parse(&urn).map_err(|_| ApiError::NotFound)?;
    lookup(&state, &reader, CaseLookup::Urn(urn)).await
}

/// A case by a defendant's Arrest Summons Number.
#[utoipa::path(get, path = "/api/v1/cases/by-asn/{asn}",
    params(("asn" = String, Path, description = "the ASN, long or short form")),
    responses((status = 200, body = CaseView), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub(crate) async fn case_by_asn(
    State(state): State<AppState>,
    reader: AgencySystem,
    Path(asn): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    let asn = Asn::parse(&asn).map_err(|_| ApiError::NotFound)?;
    lookup(&state, &reader, CaseLookup::Asn(asn)).await
}

/// A case's events in the order they happened, each with the agency and system that sent it.
#[utoipa::path(get, path = "/api/v1/cases/{id}/timeline",
    params(("id" = String, Path, description = "Joinery's case id")),
    responses((status = 200, body = TimelineView), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub(crate) async fn timeline(
    State(state): State<AppState>,
    reader: AgencySystem,
    Path(id): Path<String>,
) -> Result<Json<TimelineView>, ApiError> {
    let id = CaseId::parse(&id).map_err(|_| ApiError::NotFound)?;
    let record = readable_case(&state, &reader, id, AuditAction::TimelineRead).await?;
    let entries = state
        .store
        .timeline(record.id)
        .await?
        .into_iter()
        .map(|entry| TimelineEntryView {
            sequence: entry.sequence,
            received_at: entry.received_at,
            event: entry.event,
        })
        .collect();
    Ok(Json(TimelineView {
        case_id: record.id,
        entries,
    }))
}
