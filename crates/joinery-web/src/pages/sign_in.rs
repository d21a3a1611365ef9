//! Signing in and out in the browser.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use joinery_app::{SessionCheck, SignInOutcome};
use joinery_domain::Username;
use serde::Deserialize;

use super::PageError;
use super::csrf::{self, CheckedForm, PageForm, tokened};
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::return_to::ReturnTo;
use crate::AppState;
use crate::auth::{SESSION_COOKIE, cookie, session_cookie};
use crate::extract::{Client, PageQuery, QueryOf};
use crate::problem::retry_seconds;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    csrf: String,
    username: String,
    errors: FormErrors,
    expired: bool,
    signed_out: bool,
    /// The page to open once signed in, carried in the form.
    next: String,
}

impl SignInPage {
    fn new(csrf: String, username: String, errors: FormErrors, notice: &SignInNotice) -> Self {
        Self {
            csrf,
            username,
            errors,
            expired: notice.expired.is_some(),
            signed_out: notice.signed_out.is_some(),
            next: notice
                .next
                .as_deref()
                .and_then(ReturnTo::parse)
                .map(|to| to.as_str().to_owned())
                .unwrap_or_default(),
        }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct SignInNotice {
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    signed_out: Option<String>,
    /// The page asked for before signing in.
    #[serde(default)]
    next: Option<String>,
}

pub(crate) async fn form(
    headers: HeaderMap,
    QueryOf(notice, _): PageQuery<SignInNotice>,
) -> Result<Response, PageError> {
    let (csrf, set) = csrf::token(&headers)?;
    let page = SignInPage::new(csrf, String::new(), FormErrors::default(), &notice);
    Ok(with_cookie(set, html(StatusCode::OK, &page)))
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    PageForm(posted): PageForm<SignInForm>,
) -> Result<Response, PageError> {
    let (csrf, set) = csrf::token(&headers)?;
    // A refused sign-in is sent back on the form itself, with what was typed as the name.
    let refuse = |message: &'static str| {
        let errors = FormErrors::one("username", message);
        let notice = SignInNotice {
            next: Some(posted.next.clone()),
            ..SignInNotice::default()
        };
        let page = SignInPage::new(csrf.clone(), posted.username.clone(), errors, &notice);
        with_cookie(set.clone(), html(page.errors.status(), &page))
    };
    if !csrf::verified(&headers, &posted.csrf) {
        return Ok(refuse("The form had expired. Sign in again"));
    }
    let Ok(username) = Username::parse(posted.username.trim()) else {
        return Ok(refuse("Enter your user name, for example j.roberts"));
    };
    match state.app.sign_in(username, posted.password, client).await? {
        SignInOutcome::SignedIn { token, .. } => {
            let next = ReturnTo::parse(&posted.next);
            let to = next.as_ref().map_or("/", ReturnTo::as_str);
            Ok(set_session(
                Redirect::to(to).into_response(),
                &session_cookie(token.reveal(), None),
            ))
        }
        SignInOutcome::Refused => Ok(refuse(
            "The user name or password is not right, or the account is locked for 15 minutes after 5 failed attempts",
        )),
        SignInOutcome::Busy { retry_after } => {
            let mut page = refuse(
                "Too many people are signing in from here or at once. Wait a few seconds and try again",
            );
            *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            page.headers_mut()
                .insert(header::RETRY_AFTER, retry_seconds(retry_after).into());
            Ok(page)
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct SignOutForm {
    #[serde(default)]
    csrf: String,
}

tokened!(SignOutForm);

/// Signs out whoever is signed in (an expired session is simply cleared) and says so.
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    CheckedForm(_): CheckedForm<SignOutForm>,
) -> Result<Response, PageError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && let SessionCheck::Active(person) = state.app.session(token).await?
    {
        state.app.sign_out(&person).await?;
    }
    Ok(set_session(
        Redirect::to("/sign-in?signed_out=1").into_response(),
        &session_cookie("", Some(0)),
    ))
}

fn set_session(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = cookie.parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
