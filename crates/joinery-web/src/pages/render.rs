//! Rendering a page, and the one error type of the pages: a helpful page, never a stack trace.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::ApiError;

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
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with Joinery",
                "Try again later. Nothing you sent was half-saved.",
            ),
        };
        let page = ErrorPage { heading, message };
        match page.render() {
            Ok(body) => (status, Html(body)).into_response(),
            Err(_) => (status, heading).into_response(),
        }
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::NotFound => Self::NotFound,
            ApiError::Forbidden(_) => Self::Forbidden,
            _ => Self::Internal,
        }
    }
}

impl From<joinery_store::StoreError> for PageError {
    fn from(error: joinery_store::StoreError) -> Self {
        tracing::error!(%error, "store failure");
        Self::Internal
    }
}
