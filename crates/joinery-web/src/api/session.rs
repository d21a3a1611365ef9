//! Signing in and out, and changing one's password. A sign-in sets the session cookie (secure,
//! HttpOnly, SameSite=Strict); five failures in a row lock the account for 15 minutes.

use std::sync::OnceLock;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use joinery_domain::{AgencyCode, Role, Timestamp, Username};
use joinery_store::{
    Actor, AuditAction, AuditEvent, Lockout, PasswordDigest, SessionToken, UserRecord,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{SESSION_COOKIE, SignedIn};
use crate::problem::Problem;
use crate::{ApiError, AppState};

/// The failure that locks an account.
pub const LOCK_AFTER_FAILURES: u32 = 5;

/// How long a locked account stays locked.
pub const LOCKED_FOR: Duration = Duration::from_secs(15 * 60);

/// The shortest password accepted when one is changed.
pub const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
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

/// A hash to check passwords against when the user name is unknown, so that a wrong name takes
/// as long to refuse as a wrong password.
fn decoy() -> Option<&'static PasswordDigest> {
    static DECOY: OnceLock<Option<PasswordDigest>> = OnceLock::new();
    DECOY
        .get_or_init(|| PasswordDigest::hash("decoy password for unknown names").ok())
        .as_ref()
}

async fn verify(digest: Option<PasswordDigest>, password: String) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || match digest {
        Some(digest) => digest.verify(&password),
        None => {
            if let Some(decoy) = decoy() {
                decoy.verify(&password);
            }
            false
        }
    })
    .await
    .map_err(|_| ApiError::Internal)
}

pub(crate) fn session_cookie(token: &str, max_age: Option<u64>) -> String {
    let max_age = max_age.map_or(String::new(), |seconds| format!("; Max-Age={seconds}"));
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict{max_age}")
}

/// Sign in with a user name and password.
#[utoipa::path(post, path = "/api/v1/session", request_body = SignInRequest,
    responses((status = 201, body = SessionAnswer, description = "signed in; the session cookie is set"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    Json(request): Json<SignInRequest>,
) -> Result<Response, ApiError> {
    let username = Username::parse(&request.username)
        .map_err(|e| ApiError::invalid_field("username", e.to_string()))?;
    let (user, token) = authenticate(&state, username, request.password).await?;
    Ok((
        StatusCode::CREATED,
        [(header::SET_COOKIE, session_cookie(token.reveal(), None))],
        Json(SessionAnswer::of(&user)),
    )
        .into_response())
}

/// Checks a user name and password, counting failures and locking as it goes, and opens a
/// session; every attempt is audited. Shared by the API and the sign-in page.
pub(crate) async fn authenticate(
    state: &AppState,
    username: Username,
    password: String,
) -> Result<(UserRecord, SessionToken), ApiError> {
    let user = state.store.user(username.clone()).await?;
    let now = Timestamp::now();
    let locked = user
        .as_ref()
        .and_then(|user| user.locked_until)
        .is_some_and(|until| until > now);
    let digest = user.as_ref().map(|user| user.password.clone());
    let matches = verify(digest, password).await?;
    let user = match user {
        Some(user) if matches && !locked => user,
        _ => {
            let audit = AuditEvent {
                actor: Actor::SigningIn(username.clone()),
                action: AuditAction::SignInFailed,
                subject: None,
                detail: serde_json::json!({ "locked": locked }),
            };
            let lockout = Lockout {
                after_failures: LOCK_AFTER_FAILURES,
                until: now.after(LOCKED_FOR),
            };
            if locked {
                state.store.audit(vec![audit]).await?;
            } else {
                state.store.sign_in_failed(username, lockout, audit).await?;
            }
            return Err(ApiError::SignInFailed);
        }
    };
    let token = SessionToken::generate().map_err(|_| ApiError::Internal)?;
    let audit = AuditEvent {
        actor: Actor::User {
            username: user.username.clone(),
            agency: user.agency.code.clone(),
        },
        action: AuditAction::SignedIn,
        subject: None,
        detail: serde_json::json!({ "role": user.role.as_str() }),
    };
    state
        .store
        .sign_in_succeeded(user.username.clone(), token.hash(), audit)
        .await?;
    Ok((user, token))
}

/// Who is signed in on this session.
#[utoipa::path(get, path = "/api/v1/session",
    responses((status = 200, body = SessionAnswer), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn current(person: SignedIn) -> Json<SessionAnswer> {
    Json(SessionAnswer::of(&person.user))
}

/// Sign out: the session ends and the cookie is cleared.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204, description = "signed out")))]
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    person: SignedIn,
) -> Result<Response, ApiError> {
    let audit = AuditEvent {
        actor: Actor::User {
            username: person.user.username.clone(),
            agency: person.user.agency.code.clone(),
        },
        action: AuditAction::SignedOut,
        subject: None,
        detail: serde_json::json!({}),
    };
    state.store.end_session(person.session, audit).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session_cookie("", Some(0)))],
    )
        .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Change one's password (required after a password issued by an administrator).
#[utoipa::path(put, path = "/api/v1/session/password", request_body = PasswordChange,
    responses((status = 204, description = "changed"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn change_password(
    State(state): State<AppState>,
    person: SignedIn,
    Json(change): Json<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    if change.new_password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid_field(
            "new_password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if change.new_password == change.current_password {
        return Err(ApiError::invalid_field(
            "new_password",
            "must differ from the current password",
        ));
    }
    if !verify(Some(person.user.password.clone()), change.current_password).await? {
        return Err(ApiError::invalid_field(
            "current_password",
            "is not the current password",
        ));
    }
    let new_password = change.new_password;
    let digest = tokio::task::spawn_blocking(move || PasswordDigest::hash(&new_password))
        .await
        .map_err(|_| ApiError::Internal)?
        .map_err(|_| ApiError::Internal)?;
    let audit = AuditEvent {
        actor: Actor::User {
            username: person.user.username.clone(),
            agency: person.user.agency.code.clone(),
        },
        action: AuditAction::PasswordChanged,
        subject: None,
        detail: serde_json::json!({}),
    };
    state
        .store
        .set_password(person.user.username, digest, audit)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
