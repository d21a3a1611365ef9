//! An agency's people, for its administrators: who can sign in, who is locked out by failed
//! sign-ins (and until when), who is deactivated; an account unlocked, a person who has left
//! deactivated (their sessions end), or brought back.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use joinery_app::{AccessChange, AccessOutcome, Person};
use joinery_domain::{Timestamp, Username};
use serde::Deserialize;

use super::PageError;
use super::csrf::{CheckedForm, tokened};
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::{label, minute};
use crate::AppState;
use crate::extract::{PageQuery, QueryOf};

struct Row {
    username: String,
    role: String,
    /// How they stand, in words.
    standing: String,
    locked: bool,
    deactivated: bool,
    /// Their own account: no buttons.
    me: bool,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    nav: Nav,
    rows: Vec<Row>,
    done: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Notice {
    #[serde(default)]
    done: Option<String>,
}

fn done_words(done: &str) -> Option<&'static str> {
    match done {
        "unlock" => Some("The account is unlocked: they may sign in again."),
        "deactivate" => {
            Some("The person is deactivated: they cannot sign in, and their sessions have ended.")
        }
        "reactivate" => Some("The person may sign in again."),
        _ => None,
    }
}

impl Row {
    fn new(person: &Person, me: &Username, now: Timestamp) -> Self {
        let locked = person.locked_until.is_some_and(|until| until > now);
        let standing = match (&person.deactivated_at, person.locked_until) {
            (Some(at), _) => format!("Deactivated {}", minute(at)),
            (None, Some(until)) if locked => format!(
                "Locked until {} after {} failed sign-ins",
                minute(&until),
                person.failed_sign_ins
            ),
            _ if person.failed_sign_ins > 0 => {
                format!("Active ({} failed sign-ins)", person.failed_sign_ins)
            }
            _ => "Active".to_owned(),
        };
        Self {
            username: person.username.to_string(),
            role: label(person.role.as_str()),
            standing,
            locked: locked || person.failed_sign_ins > 0,
            deactivated: person.deactivated_at.is_some(),
            me: person.username == *me,
        }
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    signed: Signed,
    QueryOf(notice, _): PageQuery<Notice>,
) -> Result<Response, PageError> {
    let people = state
        .app
        .agency_people(&signed.reader())
        .await?
        .ok_or(PageError::Forbidden)?;
    let now = Timestamp::now();
    let me = signed.person.user.username.clone();
    let page = PeoplePage {
        rows: people.iter().map(|p| Row::new(p, &me, now)).collect(),
        done: notice.done.as_deref().and_then(done_words),
        nav: signed.nav,
    };
    Ok(with_cookie(signed.set_csrf, html(StatusCode::OK, &page)))
}

/// A change to one person's access, as posted.
#[derive(Deserialize)]
pub(crate) struct AccessForm {
    username: String,
    /// `unlock`, `deactivate` or `reactivate`.
    change: String,
    #[serde(default)]
    csrf: String,
}

tokened!(AccessForm);

pub(crate) async fn change(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(posted): CheckedForm<AccessForm>,
) -> Result<Response, PageError> {
    let username = Username::parse(&posted.username).map_err(|_| PageError::NotFound)?;
    let change = match posted.change.as_str() {
        "unlock" => AccessChange::Unlock,
        "deactivate" => AccessChange::Deactivate,
        "reactivate" => AccessChange::Reactivate,
        _ => return Err(PageError::NotFound),
    };
    match state
        .app
        .change_access(&signed.reader(), username, change)
        .await?
    {
        AccessOutcome::Changed => {
            Ok(Redirect::to(&format!("/people?done={}", posted.change)).into_response())
        }
        AccessOutcome::Unchanged => Ok(Redirect::to("/people").into_response()),
        AccessOutcome::Refused => Err(PageError::Forbidden),
    }
}
