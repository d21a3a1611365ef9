//! HTML as a browser meets it, for the page tests: a client that does not follow redirects,
//! the cookies a response sets, the CSRF token a page's forms carry, a table's rows as text.

use reqwest::StatusCode;
use reqwest::redirect::Policy;

use super::TestServer;

/// A client that does not follow redirects: a test reads each answer as a browser first gets it.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A browser's GET of `path` on `server`, sending `cookies` (a `Cookie` header's value; empty
/// for none). Redirects are not followed.
pub async fn visit(server: &TestServer, path: &str, cookies: &str) -> reqwest::Response {
    let mut request = browser().get(format!("{}{path}", server.base));
    if !cookies.is_empty() {
        request = request.header("cookie", cookies);
    }
    request.send().await.unwrap_or_else(|e| panic!("{e}"))
}

/// A browser's POST of a form's `fields` to `path` on `server`, sending `cookies`.
pub async fn post_form(
    server: &TestServer,
    path: &str,
    cookies: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    browser()
        .post(format!("{}{path}", server.base))
        .header("cookie", cookies)
        .form(fields)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The value of the cookie `name` set by `response`.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

/// The CSRF token a page's forms carry.
pub fn form_token(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

pub async fn sign_in_form(server: &TestServer) -> (String, String) {
    let page = visit(server, "/sign-in", "").await;
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = set_cookie(&page, "__Host-joinery_csrf").unwrap_or_default();
    let body = page.text().await.unwrap_or_default();
    assert!(
        body.contains(&format!("name=\"csrf\" value=\"{csrf}\"")),
        "the form carries the token"
    );
    (csrf, body)
}

/// The rows of the first table body on `page` (the caseload's): each row's cells as text.
pub fn caseload_rows(page: &str) -> Vec<Vec<String>> {
    let Some(body) = page
        .split("<tbody class=\"govuk-table__body\">")
        .nth(1)
        .and_then(|rest| rest.split("</tbody>").next())
    else {
        return Vec::new();
    };
    body.split("<tr class=\"govuk-table__row\">")
        .skip(1)
        .map(|row| {
            row.split("<td class=\"govuk-table__cell\">")
                .skip(1)
                .map(|cell| {
                    let cell = cell.split("</td>").next().unwrap_or_default();
                    let mut text = String::new();
                    let mut in_tag = false;
                    for c in cell.chars() {
                        match c {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.trim().to_owned()
                })
                .collect()
        })
        .collect()
}

/// How many cases the caseload says pass its filters.
pub fn caseload_total(page: &str) -> usize {
    page.split("<p class=\"govuk-body\">")
        .find_map(|p| p.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no total: {page}"))
}
