//! `GET /api/v1/feed`: the changes an agency's system (or a person) may see, in order, resumable
//! from a cursor.

use axum::Json;
use axum::extract::State;
use joinery_app::FeedPage;
use joinery_domain::Sequence;
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::{ApiQuery, QueryOf};
use crate::problem::Problem;
use crate::{ApiError, AppState};

/// The most changes one page holds.
const MAX_LIMIT: usize = 500;

#[derive(Debug, Deserialize)]
pub struct FeedQuery {
    /// The `next` (or a change's `cursor`) from the page before; from the start when absent.
    after: Option<String>,
    /// How many changes at most, 1 to 500 (default 100).
    limit: Option<usize>,
}

/// Every change the caller may see, in the order Joinery accepted them, after a cursor. Each
/// change is decided by the sharing agreement as a case view would be; what the caller may not
/// see is skipped without a trace. Poll with the page's `next` to follow changes as they come.
#[utoipa::path(get, path = "/api/v1/feed",
    params(
        ("after" = Option<String>, Query, pattern = "^[0-9]{0,18}$", description = "the `next` of the page before; from the start when absent or empty"),
        ("limit" = Option<usize>, Query, minimum = 1, maximum = 500, description = "how many changes at most, 1 to 500 (default 100)")),
    responses((status = 200, body = FeedPage), (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn feed(
    State(state): State<AppState>,
    Caller(reader): Caller,
    QueryOf(query, _): ApiQuery<FeedQuery>,
) -> Result<Json<FeedPage>, ApiError> {
    let after = match query.after.as_deref() {
        None | Some("") => Sequence::START,
        Some(text) => Sequence::parse(text)
            .map_err(|error| ApiError::invalid_field("after", error.to_string()))?,
    };
    let limit = query.limit.unwrap_or(100);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            format!("must be 1 to {MAX_LIMIT}, not `{limit}`"),
        ));
    }
    Ok(Json(state.app.feed(&reader, after, limit).await?))
}
