//! Information governance: who has seen a case, the break-glass grants to review, and the
//! policy matrix of who may see what. For governance officers alone.

use axum::Json;
use axum::extract::State;
use joinery_app::{AuditEntry, LoggedGrant};
use joinery_domain::{AgencyKind, MessageKind};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::extract::{ApiCase, PathId};
use crate::problem::Problem;
use crate::{ApiError, AppState};

fn governance_only() -> ApiError {
    ApiError::Forbidden("this is for information governance officers".to_owned())
}

/// Who has seen a case: every disclosure, break glass and comment recorded against it.
#[utoipa::path(get, path = "/api/v1/cases/{id}/audit",
    params(("id" = String, Path, description = "Joinery's case id")),
    responses((status = 200, body = Vec<Object>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("session" = [])))]
pub(crate) async fn who_has_seen(
    State(state): State<AppState>,
    Caller(reader): Caller,
    PathId(id, ..): ApiCase,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let entries = state.app.who_has_seen(&reader, id).await?;
    entries.map(Json).ok_or_else(governance_only)
}

/// Every break-glass grant (the latest 500), newest first, each with its number, its case's
/// reference, its expiry and governance's review once recorded.
#[utoipa::path(get, path = "/api/v1/governance/break-glass",
    responses((status = 200, body = Vec<Object>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("session" = [])))]
pub(crate) async fn break_glass_log(
    State(state): State<AppState>,
    Caller(reader): Caller,
) -> Result<Json<Vec<LoggedGrant>>, ApiError> {
    let grants = state.app.break_glass_log(&reader, false).await?;
    grants.map(Json).ok_or_else(governance_only)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixAnswer {
    /// The digest of the policy files in force.
    pub policy_version: String,
    /// Roles across, categories down, as computed from the policies, with the roles that may
    /// break glass for each category.
    pub markdown: String,
    /// Who may assert what: each type of message, with the kinds of agency that may send it.
    /// A message of a type its sender's kind may not send is refused at intake.
    pub who_may_assert: Vec<Assertion>,
}

/// One type of message and the kinds of agency that may send it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assertion {
    #[serde(rename = "type")]
    pub kind: MessageKind,
    pub sent_by: Vec<AgencyKind>,
}

/// Who may see what, computed from the policies in force.
#[utoipa::path(get, path = "/api/v1/governance/policy-matrix",
    responses((status = 200, body = MatrixAnswer), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("session" = [])))]
pub(crate) async fn policy_matrix(
    State(state): State<AppState>,
    Caller(reader): Caller,
) -> Result<Json<MatrixAnswer>, ApiError> {
    let matrix = state
        .app
        .policy_matrix(&reader)?
        .ok_or_else(governance_only)?;
    Ok(Json(MatrixAnswer {
        policy_version: matrix.version.to_owned(),
        markdown: matrix.matrix.to_markdown(),
        who_may_assert: matrix
            .assertions
            .iter()
            .map(|(kind, sent_by)| Assertion {
                kind: *kind,
                sent_by: sent_by.to_vec(),
            })
            .collect(),
    }))
}
