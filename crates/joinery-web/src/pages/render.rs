//! Rendering a page, and the one error type of the pages: a helpful page, never a stack trace.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use joinery_app::AppError;

/// Renders `page` as HTML with `status`.
pub(crate) fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "a page failed to render");
            PageError::Internal.into_response()
        }
    }
}

/// `response` with the cookie `set` (a CSRF token issued with the page), if any.
pub(crate) fn with_cookie(set: Option<String>, mut response: Response) -> Response {
    if let Some(set) = set.and_then(|value| value.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    response
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    heading: &'a str,
    message: &'a str,
}

/// What a page can fail with.
#[derive(Debug)]
pub(crate) enum PageError {
    NotFound,
    Forbidden,
    /// A request no page of ours sends: a form or address altered by hand.
    BadRequest,
    /// The database cannot be reached just now.
    Unavailable,
    Internal,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self {
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is no such page, or none that you may see.",
            ),
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                "You cannot do that",
                "The information-sharing agreement does not let you do that.",
            ),
            Self::BadRequest => (
                StatusCode::BAD_REQUEST,
                "That request cannot be read",
                "Go back to the page, and use its links and forms.",
            ),
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, Joinery is unavailable",
                "Joinery cannot reach its records just now. Try again in a few seconds. Nothing \
                 you sent was half-saved.",
            ),
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with Joinery",
                "Try again later. Nothing you sent was half-saved.",
            ),
        };
        let page = ErrorPage { heading, message };
        match page.render() {
            Ok(body) => (status, Html(body)).into_response(),
            Err(error) => {
                tracing::error!(%error, "the error page failed to render");
                (status, heading).into_response()
            }
        }
    }
}

impl From<AppError> for PageError {
    /// What failed below the use cases is logged here, where it ends (its words name the step,
    /// never whose data); the person is told only that it was on our side.
    fn from(error: AppError) -> Self {
        if error.is_unavailable() {
            tracing::warn!(%error, "a page found the database unreachable");
            return Self::Unavailable;
        }
        tracing::error!(%error, "a page failed");
        Self::Internal
    }
}
