//! The signed-in person a page is for, as an extractor: them, the header every page shows, and
//! the CSRF cookie to set with the page; or, when nobody (or nobody current) is signed in, the
//! redirect to the sign-in page, saying so when the session has expired, and carrying the page
//! asked for so that it opens once they are signed in.

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use joinery_app::{Reader, SessionCheck, SignedIn};

use super::csrf;
use super::return_to::ReturnTo;
use super::words::label;
use crate::AppState;
use crate::auth::{SESSION_COOKIE, cookie};

/// Who is signed in, for the header of every page, with the sign-out form's token.
pub(crate) struct Nav {
    pub(crate) csrf: String,
    pub(crate) username: String,
    pub(crate) role: &'static str,
    /// The role as people say it: `Probation officer`.
    pub(crate) role_words: String,
    pub(crate) agency: String,
}

/// A person signed in with a current password, for a page.
pub(crate) struct Signed {
    pub(crate) person: SignedIn,
    pub(crate) nav: Nav,
    /// The CSRF cookie to set with the page, when the request had none.
    pub(crate) set_csrf: Option<String>,
}

impl Signed {
    pub(crate) fn reader(&self) -> Reader {
        self.person.reader()
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // A page asked for by its address is opened once signed in; a form's post is not
        // replayed.
        let going_to = (parts.method == Method::GET)
            .then(|| parts.uri.path_and_query())
            .flatten()
            .and_then(|path| ReturnTo::parse(path.as_str()));
        let to_sign_in = |notice: &str| {
            Redirect::to(&ReturnTo::sign_in(going_to.as_ref(), notice)).into_response()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in(""));
        };
        let person = match state.app.session(token).await {
            Ok(SessionCheck::Active(person)) if !person.user.must_change_password => *person,
            Ok(SessionCheck::Expired) => return Err(to_sign_in("expired=1")),
            Ok(_) => return Err(to_sign_in("")),
            Err(error) => return Err(super::PageError::from(error).into_response()),
        };
        let (csrf, set_csrf) = csrf::token(&parts.headers).map_err(IntoResponse::into_response)?;
        let nav = Nav {
            csrf,
            username: person.user.username.to_string(),
            role: person.user.role.as_str(),
            role_words: label(person.user.role.as_str()),
            agency: person.user.agency.name.to_string(),
        };
        Ok(Self {
            person,
            nav,
            set_csrf,
        })
    }
}
