//! The one error type of the API, rendered as RFC 9457 problem+json.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use joinery_app::{AppError, FieldProblem, IntakeError, Rejection, RejectionKind, Segment};
use serde::Serialize;
use utoipa::ToSchema;

/// Everything a request can fail with.
#[derive(Debug)]
pub enum ApiError {
    Unauthenticated,
    /// The session was idle too long; the person must sign in again.
    SessionExpired,
    /// Wrong user name or password, or an account locked after repeated failures.
    SignInFailed,
    /// The password was issued by someone else and must be changed before anything else.
    PasswordChangeRequired,
    /// Authenticated, but this is not for the caller's role.
    Forbidden(String),
    NotFound,
    /// A method the route does not take.
    MethodNotAllowed,
    /// A body that is not JSON where JSON is read.
    UnsupportedMediaType,
    BodyTooLarge,
    Malformed(String),
    Rejected(Rejection),
    Conflict(String),
    /// The standing data a format needs is not installed.
    ReferenceDataMissing,
    /// Too many requests of this kind from the caller, or at once: try again after the wait.
    Busy(std::time::Duration),
    /// The database cannot be reached just now: a 503 the caller may retry.
    Unavailable,
    Internal,
}

/// An RFC 9457 problem document; `errors` names each field at fault.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<FieldProblem>,
}

impl ApiError {
    pub fn problem(&self) -> (StatusCode, Problem) {
        let (status, kind, title, detail, errors) = match self {
            Self::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "urn:joinery:problem:unauthenticated",
                "Unauthenticated",
                "send a valid API key as `Authorization: Bearer <key>`, or sign in".to_owned(),
                Vec::new(),
            ),
            Self::SessionExpired => (
                StatusCode::UNAUTHORIZED,
                "urn:joinery:problem:session-expired",
                "Session expired",
                "the session ended after 30 minutes without use; sign in again".to_owned(),
                Vec::new(),
            ),
            Self::SignInFailed => (
                StatusCode::UNAUTHORIZED,
                "urn:joinery:problem:sign-in-failed",
                "Sign-in failed",
                "the user name or password is wrong, or the account is locked after repeated \
                 failed sign-ins (it unlocks after 15 minutes)"
                    .to_owned(),
                Vec::new(),
            ),
            Self::PasswordChangeRequired => (
                StatusCode::FORBIDDEN,
                "urn:joinery:problem:password-change-required",
                "Password change required",
                "change the password you were given (`PUT /api/v1/session/password`) first"
                    .to_owned(),
                Vec::new(),
            ),
            Self::Forbidden(detail) => (
                StatusCode::FORBIDDEN,
                "urn:joinery:problem:forbidden",
                "Forbidden",
                detail.clone(),
                Vec::new(),
            ),
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "urn:joinery:problem:not-found",
                "Not found",
                "no such case, or none that you may see".to_owned(),
                Vec::new(),
            ),
            Self::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "urn:joinery:problem:method-not-allowed",
                "Method not allowed",
                "this address does not take that method; see `/api/v1/openapi.json`".to_owned(),
                Vec::new(),
            ),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "urn:joinery:problem:unsupported-media-type",
                "Unsupported media type",
                "send the body as JSON, with `Content-Type: application/json`".to_owned(),
                Vec::new(),
            ),
            Self::BodyTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "urn:joinery:problem:body-too-large",
                "Body too large",
                format!(
                    "the body is over the limit of {} bytes",
                    crate::MAX_BODY_BYTES
                ),
                Vec::new(),
            ),
            Self::Malformed(detail) => (
                StatusCode::BAD_REQUEST,
                "urn:joinery:problem:malformed",
                "Malformed request",
                detail.clone(),
                Vec::new(),
            ),
            Self::Rejected(rejection) => {
                let (status, kind, title) = match rejection.kind {
                    RejectionKind::Invalid => (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "urn:joinery:problem:invalid-message",
                        "Invalid message",
                    ),
                    RejectionKind::WrongAgency => (
                        StatusCode::FORBIDDEN,
                        "urn:joinery:problem:wrong-agency",
                        "Message claims another agency",
                    ),
                    RejectionKind::NotEntitled => (
                        StatusCode::FORBIDDEN,
                        "urn:joinery:problem:not-entitled",
                        "Not the sender's to assert",
                    ),
                };
                (
                    status,
                    kind,
                    title,
                    rejection.to_string(),
                    rejection.problems.clone(),
                )
            }
            Self::Conflict(detail) => (
                StatusCode::CONFLICT,
                "urn:joinery:problem:conflict",
                "Conflict",
                detail.clone(),
                Vec::new(),
            ),
            Self::ReferenceDataMissing => (
                StatusCode::SERVICE_UNAVAILABLE,
                "urn:joinery:problem:reference-data-missing",
                "Reference data missing",
                "this Joinery has no MoJ standing data installed (`npm ci`), which this format needs"
                    .to_owned(),
                Vec::new(),
            ),
            Self::Busy(wait) => (
                StatusCode::TOO_MANY_REQUESTS,
                "urn:joinery:problem:too-many-requests",
                "Too many requests",
                format!(
                    "too many sign-ins from here or at once; try again in {} seconds",
                    retry_seconds(*wait)
                ),
                Vec::new(),
            ),
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "urn:joinery:problem:unavailable",
                "Service unavailable",
                format!(
                    "the database cannot be reached just now; nothing was written; try again \
                     in {UNAVAILABLE_RETRY_SECONDS} seconds"
                ),
                Vec::new(),
            ),
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "urn:joinery:problem:internal",
                "Internal error",
                "something went wrong on our side; nothing was half-written".to_owned(),
                Vec::new(),
            ),
        };
        let problem = Problem {
            kind,
            title,
            status: status.as_u16(),
            detail,
            errors,
        };
        (status, problem)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, problem) = self.problem();
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
        match self {
            Self::Busy(wait) => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, retry_seconds(wait).into());
            }
            Self::Unavailable => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, UNAVAILABLE_RETRY_SECONDS.into());
            }
            _ => {}
        }
        response
    }
}

/// How long a caller is asked to wait when the database cannot be reached: a server restarting
/// or failing over takes seconds.
const UNAVAILABLE_RETRY_SECONDS: u64 = 5;

/// A wait in whole seconds, rounded up, as `Retry-After` gives it.
pub(crate) fn retry_seconds(wait: std::time::Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl From<AppError> for ApiError {
    /// What failed below the use cases is logged here, where it ends (its words name the step,
    /// never whose data); the caller learns only that it was on our side.
    fn from(error: AppError) -> Self {
        if error.is_unavailable() {
            tracing::warn!(%error, "a request found the database unreachable");
            return Self::Unavailable;
        }
        tracing::error!(%error, "a request failed");
        Self::Internal
    }
}

impl From<IntakeError> for ApiError {
    fn from(error: IntakeError) -> Self {
        match error {
            IntakeError::Malformed(detail) => Self::Malformed(detail),
            IntakeError::ReferenceDataMissing => Self::ReferenceDataMissing,
            IntakeError::App(error) => error.into(),
        }
    }
}

impl ApiError {
    /// A request body field with a bad value: `field` is its name, `problem` what is wrong.
    pub fn invalid_field(field: &str, problem: impl Into<String>) -> Self {
        let segment = Segment::Key(field.to_owned());
        Self::Rejected(Rejection::invalid(FieldProblem::new(&[segment], problem)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_status_and_problem_type() {
        let invalid = Rejection::invalid(FieldProblem::new(&[], "is not JSON"));
        let wrong_agency = Rejection {
            kind: RejectionKind::WrongAgency,
            problems: Vec::new(),
        };
        let table = [
            (
                ApiError::Unauthenticated,
                401,
                "urn:joinery:problem:unauthenticated",
            ),
            (ApiError::NotFound, 404, "urn:joinery:problem:not-found"),
            (
                ApiError::SessionExpired,
                401,
                "urn:joinery:problem:session-expired",
            ),
            (
                ApiError::SignInFailed,
                401,
                "urn:joinery:problem:sign-in-failed",
            ),
            (
                ApiError::PasswordChangeRequired,
                403,
                "urn:joinery:problem:password-change-required",
            ),
            (
                ApiError::Forbidden("x".into()),
                403,
                "urn:joinery:problem:forbidden",
            ),
            (
                ApiError::BodyTooLarge,
                413,
                "urn:joinery:problem:body-too-large",
            ),
            (
                ApiError::Malformed("x".into()),
                400,
                "urn:joinery:problem:malformed",
            ),
            (
                ApiError::Rejected(invalid),
                422,
                "urn:joinery:problem:invalid-message",
            ),
            (
                ApiError::Rejected(wrong_agency),
                403,
                "urn:joinery:problem:wrong-agency",
            ),
            (
                ApiError::Conflict("x".into()),
                409,
                "urn:joinery:problem:conflict",
            ),
            (
                ApiError::Unavailable,
                503,
                "urn:joinery:problem:unavailable",
            ),
            (ApiError::Internal, 500, "urn:joinery:problem:internal"),
        ];
        for (error, status, kind) in table {
            let (code, problem) = error.problem();
            assert_eq!(
                (code.as_u16(), problem.status, problem.kind),
                (status, status, kind)
            );
        }
    }

    #[test]
    fn an_internal_error_reveals_nothing_of_its_cause() {
        let (_, problem) = ApiError::Internal.problem();
        assert!(problem.errors.is_empty());
        assert!(!problem.detail.contains("database"), "{}", problem.detail);
    }
}
