//! Signing in and out, and changing one's password. A sign-in sets the session cookie (secure,
//! HttpOnly, SameSite=Strict); each failure after the first holds the account off a little
//! longer, five in a row lock it for 15 minutes, and sign-ins from one address, or at once, are
//! limited (429).

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use joinery_app::{MIN_PASSWORD_CHARS, PasswordChange, PasswordRefusal, SignInOutcome, UserRecord};
use joinery_domain::{AgencyCode, Role, Username};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Person, session_cookie};
use crate::extract::{ApiJson, Client};
use crate::problem::Problem;
use crate::{ApiError, AppState};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    #[schema(pattern = "^[a-z0-9._-]{2,64}$")]
    pub username: String,
    pub password: String,
}

/// Who is signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionAnswer {
    pub username: Username,
    pub agency: AgencyCode,
    pub role: Role,
    /// When true, the password must be changed before anything else is allowed.
    pub must_change_password: bool,
}

impl SessionAnswer {
    fn of(user: &UserRecord) -> Self {
        Self {
            username: user.username.clone(),
            agency: user.agency.code.clone(),
            role: user.role,
            must_change_password: user.must_change_password,
        }
    }
}

/// Sign in with a user name and password.
#[utoipa::path(post, path = "/api/v1/session", request_body = SignInRequest,
    responses((status = 201, body = SessionAnswer, description = "signed in; the session cookie is set"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json",
            description = "too many sign-ins from this address, or at once; `Retry-After` says when to try again")))]
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    Client(client): Client,
    ApiJson(request): ApiJson<SignInRequest>,
) -> Result<Response, ApiError> {
    let username = Username::parse(&request.username)
        .map_err(|e| ApiError::invalid_field("username", e.to_string()))?;
    match state
        .app
        .sign_in(username, request.password, client)
        .await?
    {
        SignInOutcome::SignedIn { user, token } => Ok((
            StatusCode::CREATED,
            [(header::SET_COOKIE, session_cookie(token.reveal(), None))],
            Json(SessionAnswer::of(&user)),
        )
            .into_response()),
        SignInOutcome::Refused => Err(ApiError::SignInFailed),
        SignInOutcome::Busy { retry_after } => Err(ApiError::Busy(retry_after)),
    }
}

/// Who is signed in on this session.
#[utoipa::path(get, path = "/api/v1/session",
    responses((status = 200, body = SessionAnswer), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn current(Person(person): Person) -> Json<SessionAnswer> {
    Json(SessionAnswer::of(&person.user))
}

/// Sign out: the session ends and the cookie is cleared.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204, description = "signed out")),
    security(("session" = [])))]
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    Person(person): Person,
) -> Result<Response, ApiError> {
    state.app.sign_out(&person).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session_cookie("", Some(0)))],
    )
        .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PasswordChange)]
pub struct PasswordChangeRequest {
    /// The password the person signs in with now: a wrong one is refused (`422`), naming it.
    pub current_password: String,
    /// At least 12 characters, and not the current password.
    #[schema(min_length = 12)]
    pub new_password: String,
}

/// Change one's password (required after a password issued by an administrator). Every other
/// session of the person's ends.
#[utoipa::path(put, path = "/api/v1/session/password", request_body = PasswordChangeRequest,
    responses((status = 204, description = "changed"), (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json", description = "too many wrong current passwords: try again after `Retry-After` seconds")),
    security(("session" = [])))]
pub(crate) async fn change_password(
    State(state): State<AppState>,
    Person(person): Person,
    ApiJson(change): ApiJson<PasswordChangeRequest>,
) -> Result<StatusCode, ApiError> {
    let outcome = state
        .app
        .change_password(&person, change.current_password, change.new_password)
        .await?;
    match outcome {
        PasswordChange::Changed => Ok(StatusCode::NO_CONTENT),
        PasswordChange::Busy { retry_after } => Err(ApiError::Busy(retry_after)),
        PasswordChange::Refused(PasswordRefusal::TooShort) => Err(ApiError::invalid_field(
            "new_password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        )),
        PasswordChange::Refused(PasswordRefusal::SameAsCurrent) => Err(ApiError::invalid_field(
            "new_password",
            "must differ from the current password",
        )),
        PasswordChange::Refused(PasswordRefusal::WrongCurrent) => Err(ApiError::invalid_field(
            "current_password",
            "is not the current password",
        )),
    }
}
