//! Management information as JSON: the same report the page shows, every count already through
//! disclosure control (`"[c]"` where suppressed). For a person signed in whose role the
//! agreement lets see the scope asked.

use axum::Json;
use axum::extract::{Path, Query, State};
use joinery_app::{App, Report, ReportForm, ReportName, ReportOutcome};

use crate::auth::Caller;
use crate::pages::measures::{Filters, request};
use crate::problem::Problem;
use crate::{ApiError, AppState};

/// A management information report: `timeliness`, `trials`, `adjournments`, `blockages` (work
/// waiting today and work done in the period), `caseload` (the open caseload today) or
/// `data_quality` (problems in what agencies sent), for an ISO week (`YYYY-Www`), a month
/// (`YYYY-MM`) or a quarter (`YYYY-Qn`), a court, a police force area, a CPS area and a probation
/// service (codes; empty for every one, and all empty for the reader's own centre or area), and
/// an offence type.
#[utoipa::path(get, path = "/api/v1/measures/{report}",
    params(
        ("report" = String, Path, description = "timeliness, trials, adjournments, blockages, caseload or data_quality"),
        ("period" = Option<String>, Query, description = "YYYY-Www, YYYY-MM or YYYY-Qn; this quarter if empty"),
        ("court" = Option<String>, Query, description = "a court agency's code; every court if empty"),
        ("force" = Option<String>, Query, description = "a police force's code; every force if empty"),
        ("prosecutor" = Option<String>, Query, description = "a CPS area's code; every CPS area if empty"),
        ("probation" = Option<String>, Query, description = "a probation service's code; every probation service if empty"),
        ("offence_type" = Option<String>, Query, description = "indictable_only, either_way, summary_non_motoring, summary_motoring or unclassified: the type of the cases' principal offence; every type if empty"),
    ),
    responses(
        (status = 200, body = Object, description = "the report's tables, counts suppressed as \"[c]\""),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("session" = [])))]
pub(crate) async fn report(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path(name): Path<String>,
    Query(mut filters): Query<Filters>,
) -> Result<Json<Report>, ApiError> {
    let name = ReportName::parse(&name).ok_or(ApiError::NotFound)?;
    filters.report = name.as_str().to_owned();
    let request = request(&filters, App::home_scope(&reader)).map_err(|errors| {
        let words: Vec<String> = errors
            .iter()
            .map(|error| format!("`{}`: {}", error.field, error.message.to_lowercase()))
            .collect();
        ApiError::Malformed(words.join("; "))
    })?;
    match state.app.report(&reader, request, ReportForm::Json).await? {
        ReportOutcome::Shown(report) => Ok(Json(*report)),
        ReportOutcome::Refused => Err(ApiError::Forbidden(
            "the agreement does not let you see management information for that court, police \
             force area, CPS area or probation service"
                .to_owned(),
        )),
    }
}
