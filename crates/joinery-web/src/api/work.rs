//! `GET /api/v1/work`: the work asked of the caller's agency and still open, the earliest due
//! first, as the worklist page shows it (a person's, or the agency's own system's).

use axum::Json;
use axum::extract::State;
use joinery_app::{Handler, Worklist, WorklistQuery};
use joinery_domain::journey::ActionKind;
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::{ApiQuery, QueryOf};
use crate::problem::Problem;
use crate::{ApiError, AppState};

/// The most pieces of work one page holds.
const MAX_LIMIT: usize = 100;

/// The furthest into the list a page may start (as the API document states).
const MAX_OFFSET: usize = 100_000;

#[derive(Debug, Deserialize)]
pub struct WorkQuery {
    /// Only this kind of work, e.g. `pre_sentence_report`.
    kind: Option<String>,
    /// `me` (a person's own), `no_one` (not taken on), or anyone's when absent.
    handler: Option<String>,
    /// `true` for work past its due date only.
    overdue: Option<bool>,
    offset: Option<usize>,
    /// 1 to 100 (default 25).
    limit: Option<usize>,
}

/// The work asked of your agency and still open, the earliest due first, each with who in the
/// agency is handling it; only work on cases you may see.
#[utoipa::path(get, path = "/api/v1/work",
    params(
        ("kind" = Option<String>, Query, pattern = "^(|pre_sentence_report|charging_decision|full_file|antecedents|risk_assessment|referral|other)$",
            description = "only this kind of work, e.g. `pre_sentence_report`; every kind when empty"),
        ("handler" = Option<String>, Query, pattern = "^(|me|no_one)$",
            description = "`me` or `no_one`; anyone's when absent or empty"),
        ("overdue" = Option<bool>, Query, description = "only work past its due date"),
        ("offset" = Option<usize>, Query, minimum = 0, maximum = 100000, description = "how many to skip, at most 100,000"),
        ("limit" = Option<usize>, Query, minimum = 1, maximum = 100, description = "how many at most, 1 to 100 (default 25)")),
    responses((status = 200, body = Worklist),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn work(
    State(state): State<AppState>,
    Caller(reader): Caller,
    QueryOf(query, _): ApiQuery<WorkQuery>,
) -> Result<Json<Worklist>, ApiError> {
    let kind = match query.kind.as_deref() {
        None | Some("") => None,
        Some(text) => Some(ActionKind::parse(text).ok_or_else(|| {
            ApiError::invalid_field("kind", format!("`{text}` is not a kind of work"))
        })?),
    };
    let handler = match query.handler.as_deref() {
        None | Some("") => Handler::Anyone,
        Some("me") => Handler::Me,
        Some("no_one") => Handler::NoOne,
        Some(text) => {
            return Err(ApiError::invalid_field(
                "handler",
                format!("expected `me` or `no_one`, not `{text}`"),
            ));
        }
    };
    let limit = query.limit.unwrap_or(25);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            format!("must be 1 to {MAX_LIMIT}, not `{limit}`"),
        ));
    }
    let offset = query.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(ApiError::invalid_field(
            "offset",
            format!("must be at most {MAX_OFFSET}, not `{offset}`"),
        ));
    }
    let query = WorklistQuery {
        kind,
        overdue_only: query.overdue.unwrap_or(false),
        handler,
        offset,
        limit,
    };
    Ok(Json(state.app.worklist(&reader, &query).await?))
}

#[cfg(test)]
mod tests {
    use joinery_domain::journey::ActionKind;

    /// The document's pattern for `kind` names every kind of work the server takes.
    #[test]
    fn the_documented_kinds_of_work_are_the_kinds_taken() {
        let document = serde_json::to_value(crate::openapi::openapi_document())
            .unwrap_or_else(|e| panic!("{e}"));
        let parameters = document["paths"]["/api/v1/work"]["get"]["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let pattern = parameters
            .iter()
            .find(|parameter| parameter["name"] == "kind")
            .and_then(|kind| kind["schema"]["pattern"].as_str())
            .unwrap_or_default()
            .to_owned();
        for kind in ActionKind::ALL {
            assert!(
                pattern.contains(&format!("|{}|", kind.as_str()))
                    || pattern.contains(&format!("|{})", kind.as_str())),
                "`{}` is not in the documented pattern `{pattern}`",
                kind.as_str()
            );
        }
    }
}
