//! The design systems' files, served from the npm packages in `node_modules` (installed by
//! `npm ci`), and Joinery's own small stylesheet. Only the files the pages use are served.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;

const JOINERY_CSS: &str = include_str!("../../assets/joinery.css");

/// Where each served name comes from, below `node_modules`.
fn source(file: &str) -> Option<&'static str> {
    match file {
        "govuk-frontend.min.css" => Some("govuk-frontend/dist/govuk/govuk-frontend.min.css"),
        "moj-frontend.min.css" => Some("@ministryofjustice/frontend/moj/moj-frontend.min.css"),
        "images/favicon.ico" => Some("govuk-frontend/dist/govuk/assets/images/favicon.ico"),
        _ => None,
    }
}

pub(crate) async fn serve(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let css = [(header::CONTENT_TYPE, "text/css; charset=utf-8")];
    if file == "joinery.css" {
        return (css, JOINERY_CSS).into_response();
    }
    let (Some(relative), Some(root)) = (source(&file), state.node_modules.as_deref()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match tokio::fs::read(root.join(relative)).await {
        Ok(bytes) if file.ends_with(".css") => (css, bytes).into_response(),
        Ok(bytes) => ([(header::CONTENT_TYPE, "image/x-icon")], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
