//! Signing in and out in the browser, and the first page after.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use joinery_domain::Username;
use serde::Deserialize;

use super::csrf;
use super::form::FormErrors;
use super::render::{PageError, html};
use crate::api::{authenticate, session_cookie};
use crate::auth::SignedIn;
use crate::{ApiError, AppState};

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    csrf: String,
    username: String,
    errors: FormErrors,
    expired: bool,
    signed_out: bool,
}

#[derive(Deserialize)]
pub(crate) struct SignInNotice {
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    signed_out: Option<String>,
}

pub(crate) fn with_cookie(set: Option<String>, mut response: Response) -> Response {
    if let Some(set) = set.and_then(|value| value.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    response
}

pub(crate) async fn form(headers: HeaderMap, Query(notice): Query<SignInNotice>) -> Response {
    let (csrf, set) = csrf::token(&headers);
    let page = SignInPage {
        csrf,
        username: String::new(),
        errors: FormErrors::default(),
        expired: notice.expired.is_some(),
        signed_out: notice.signed_out.is_some(),
    };
    with_cookie(set, html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(posted): Form<SignInForm>,
) -> Result<Response, PageError> {
    let (csrf, set) = csrf::token(&headers);
    let refuse = |message: &'static str| {
        let page = SignInPage {
            csrf: csrf.clone(),
            username: posted.username.clone(),
            errors: FormErrors::one("username", message),
            expired: false,
            signed_out: false,
        };
        with_cookie(set.clone(), html(page.errors.status(), &page))
    };
    if !csrf::verified(&headers, &posted.csrf) {
        return Ok(refuse("The form had expired. Sign in again"));
    }
    let Ok(username) = Username::parse(posted.username.trim()) else {
        return Ok(refuse("Enter your user name, for example j.roberts"));
    };
    match authenticate(&state, username, posted.password).await {
        Ok((_, token)) => {
            let mut response = Redirect::to("/").into_response();
            if let Ok(cookie) = session_cookie(token.reveal(), None).parse() {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            Ok(response)
        }
        Err(ApiError::SignInFailed) => Ok(refuse(
            "The user name or password is not right, or the account is locked for 15 minutes after 5 failed attempts",
        )),
        Err(other) => Err(other.into()),
    }
}

/// Who is signed in, for the header of every page, with the sign-out form's token.
pub(crate) struct Nav {
    pub(crate) csrf: String,
    pub(crate) username: String,
    pub(crate) role: &'static str,
    /// The role as people say it: `Probation officer`.
    pub(crate) role_words: String,
    pub(crate) agency: String,
}

/// For a page that needs a signed-in person: them, the header, and the CSRF cookie to set;
/// or the redirect to the sign-in page.
pub(crate) async fn signed_in_page(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(SignedIn, Nav, Option<String>), Response> {
    let person = signed_in(state, headers).await?;
    let (csrf, set) = csrf::token(headers);
    let nav = Nav {
        csrf,
        username: person.user.username.to_string(),
        role: person.user.role.as_str(),
        role_words: super::caseload::label(person.user.role.as_str()),
        agency: person.user.agency.name.to_string(),
    };
    Ok((person, nav, set))
}

/// For a form posted by a signed-in person: them, once the form's CSRF token matches its
/// cookie; or the redirect to the sign-in page (`Ok(Err)`); or a refusal of a forged form.
pub(crate) async fn signed_in_form(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
) -> Result<Result<SignedIn, Response>, PageError> {
    let person = match signed_in(state, headers).await {
        Ok(person) => person,
        Err(redirect) => return Ok(Err(redirect)),
    };
    if !csrf::verified(headers, token) {
        return Err(PageError::Forbidden);
    }
    Ok(Ok(person))
}

/// The person signed in, or where to send them: the sign-in page, saying so if their session
/// has expired.
pub(crate) async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<SignedIn, Response> {
    let mut parts = axum::http::Request::new(()).into_parts().0;
    parts.headers = headers.clone();
    match <SignedIn as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, state,
    )
    .await
    {
        Ok(person) if !person.user.must_change_password => Ok(person),
        Ok(_) => Err(Redirect::to("/sign-in").into_response()),
        Err(ApiError::SessionExpired) => Err(Redirect::to("/sign-in?expired=1").into_response()),
        Err(_) => Err(Redirect::to("/sign-in").into_response()),
    }
}

#[derive(Deserialize)]
pub(crate) struct SignOutForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(posted): Form<SignOutForm>,
) -> Result<Response, PageError> {
    if !csrf::verified(&headers, &posted.csrf) {
        return Err(PageError::Forbidden);
    }
    if let Ok(person) = signed_in(&state, &headers).await {
        let audit = joinery_store::AuditEvent {
            actor: joinery_store::Actor::User {
                username: person.user.username.clone(),
                agency: person.user.agency.code.clone(),
            },
            action: joinery_store::AuditAction::SignedOut,
            subject: None,
            detail: serde_json::json!({}),
        };
        state.store.end_session(person.session, audit).await?;
    }
    let mut response = Redirect::to("/sign-in?signed_out=1").into_response();
    if let Ok(cookie) = session_cookie("", Some(0)).parse() {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}
