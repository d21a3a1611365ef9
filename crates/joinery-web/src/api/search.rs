//! Finding a case over the API: by URN, ASN or PNC ID, or by family name and date of birth,
//! posted in the body so that nothing personal is in the address. The same use case as the
//! page: only cases the caller may open are answered, and the search is audited.

use axum::Json;
use axum::extract::State;
use joinery_app::SearchResults;
use joinery_domain::search::CaseSearch;
use joinery_domain::{Asn, Name, PncId, Urn};
use serde::Deserialize;
use time::Date;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::extract::ApiJson;
use crate::problem::Problem;
use crate::{ApiError, AppState};

/// What to search by: one reference (`urn`, `asn` or `pnc_id`), or `family_name` with
/// `date_of_birth` (and, to narrow it, the start of a `given_name`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    #[serde(default)]
    #[schema(pattern = "^\\s*[A-Za-z0-9]{4}[0-9]{3,7}\\s*$")]
    pub urn: Option<String>,
    #[serde(default)]
    pub asn: Option<String>,
    #[serde(default)]
    pub pnc_id: Option<String>,
    #[serde(default)]
    pub family_name: Option<String>,
    #[serde(default)]
    pub given_name: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub date_of_birth: Option<String>,
}

impl SearchRequest {
    fn parse(self) -> Result<CaseSearch, ApiError> {
        let invalid = |field: &str, error: &dyn std::fmt::Display| {
            ApiError::invalid_field(field, error.to_string())
        };
        let references = [&self.urn, &self.asn, &self.pnc_id]
            .iter()
            .filter(|field| field.is_some())
            .count();
        let by_person = self.family_name.is_some() || self.date_of_birth.is_some();
        if references + usize::from(by_person) != 1 {
            return Err(ApiError::invalid_field(
                "urn",
                "give one of `urn`, `asn` or `pnc_id`, or `family_name` with `date_of_birth`",
            ));
        }
        if let Some(urn) = &self.urn {
            return Urn::parse(urn)
                .map(CaseSearch::Urn)
                .map_err(|e| invalid("urn", &e));
        }
        if let Some(asn) = &self.asn {
            return Asn::parse(asn)
                .map(CaseSearch::Asn)
                .map_err(|e| invalid("asn", &e));
        }
        if let Some(pnc) = &self.pnc_id {
            return PncId::parse(pnc)
                .map(CaseSearch::Pnc)
                .map_err(|e| invalid("pnc_id", &e));
        }
        let family_name = Name::parse(self.family_name.as_deref().unwrap_or_default())
            .map_err(|e| invalid("family_name", &e))?;
        let given_name = self
            .given_name
            .as_deref()
            .map(Name::parse)
            .transpose()
            .map_err(|e| invalid("given_name", &e))?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date_of_birth = Date::parse(self.date_of_birth.as_deref().unwrap_or_default(), format)
            .map_err(|_| {
                ApiError::invalid_field("date_of_birth", "expected a date as `YYYY-MM-DD`")
            })?;
        Ok(CaseSearch::Person {
            family_name,
            date_of_birth,
            given_name,
        })
    }
}

/// Find the cases you may open by a reference, or by the defendant's name and date of birth.
/// At most 25 cases are answered, the case opened last first (`more` says when more match);
/// a case you may not open is not answered, exactly as one that does not exist.
#[utoipa::path(post, path = "/api/v1/search", request_body = SearchRequest,
    responses((status = 200, body = SearchResults),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = []), ("session" = [])))]
pub(crate) async fn search(
    State(state): State<AppState>,
    Caller(reader): Caller,
    ApiJson(request): ApiJson<SearchRequest>,
) -> Result<Json<SearchResults>, ApiError> {
    let search = request.parse()?;
    Ok(Json(state.app.search(&reader, &search).await?))
}
