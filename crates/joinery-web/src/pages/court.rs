//! The court list for a day, by courtroom, with what the agencies have ready for each case;
//! and the judge's one-screen hearing summary, with their own comments, a form for a new one,
//! and a link to the next case on their list. Each case read through the gatekeeper.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use joinery_access::{CaseView, CommentOutcome};
use joinery_domain::{CaseId, Payload, Role, Text, Timestamp};
use joinery_policy::Reader;
use joinery_store::AuditAction;
use serde::Deserialize;
use time::Date;

use super::caseload::{label, words};
use super::describe::describe;
use super::form::FormErrors;
use super::render::{PageError, html};
use super::sign_in::{Nav, signed_in_form, signed_in_page, with_cookie};
use crate::AppState;
use crate::titles::Titles;

#[derive(Deserialize)]
pub(crate) struct Day {
    #[serde(default)]
    date: Option<String>,
}

fn day(text: Option<&str>) -> Date {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.and_then(|text| Date::parse(text.trim(), &format).ok())
        .unwrap_or_else(|| Timestamp::now().date())
}

struct ListRow {
    case_id: CaseId,
    time: String,
    link: String,
    reference: String,
    defendant: String,
    purpose: String,
    report: bool,
    /// The police file (or its summary) has come in.
    file: bool,
    overdue: usize,
}

struct Room {
    name: String,
    rows: Vec<ListRow>,
}

#[derive(Template)]
#[template(path = "court_list.html")]
struct CourtListPage {
    nav: Nav,
    date: String,
    rooms: Vec<Room>,
}

/// The day's hearings `reader` may see, by courtroom then time; a judge's, only those before them.
async fn list(state: &AppState, reader: &Reader, date: Date) -> Result<Vec<Room>, PageError> {
    let mut rooms: BTreeMap<String, Vec<ListRow>> = BTreeMap::new();
    for id in state.store.cases_heard_on(date).await? {
        let Some(view) = state
            .gate
            .case(reader, id, AuditAction::CaseListed)
            .await
            .map_err(|_| PageError::Internal)?
        else {
            continue;
        };
        for hearing in view
            .state
            .hearings
            .iter()
            .filter(|h| h.starts_at.date() == date)
        {
            let mine = match &reader.id {
                joinery_policy::ReaderId::User(name) if reader.role == Role::Judge => {
                    hearing.judge.as_ref() == Some(name)
                }
                _ => true,
            };
            if !mine {
                continue;
            }
            let link = if reader.role == Role::Judge {
                format!("/cases/{id}/hearing?date={date}")
            } else {
                format!("/cases/{id}")
            };
            let row = ListRow {
                case_id: id,
                time: hearing
                    .starts_at
                    .to_string()
                    .get(11..16)
                    .unwrap_or_default()
                    .to_owned(),
                link,
                reference: reference(&view),
                defendant: defendant(&view),
                purpose: words(&hearing.purpose),
                report: view
                    .items
                    .iter()
                    .any(|i| matches!(i.event.payload, Payload::ReportSubmitted(_))),
                file: view
                    .items
                    .iter()
                    .any(|i| matches!(i.event.payload, Payload::PoliceFile(_))),
                overdue: view.overdue_actions.len(),
            };
            let room = hearing
                .courtroom
                .as_ref()
                .map_or_else(|| "No courtroom given".to_owned(), ToString::to_string);
            rooms.entry(room).or_default().push(row);
        }
    }
    Ok(rooms
        .into_iter()
        .map(|(name, mut rows)| {
            rows.sort_by(|a, b| (a.time.as_str(), a.case_id).cmp(&(b.time.as_str(), b.case_id)));
            Room { name, rows }
        })
        .collect())
}

fn reference(view: &CaseView) -> String {
    view.state
        .urns
        .first()
        .map(ToString::to_string)
        .or_else(|| view.state.asns.first().map(ToString::to_string))
        .unwrap_or_else(|| view.id.to_string())
}

fn defendant(view: &CaseView) -> String {
    view.state
        .defendant
        .as_ref()
        .map(|p| format!("{} {}", p.given_name, p.family_name))
        .unwrap_or_else(|| "Not known".to_owned())
}

pub(crate) async fn court_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Day>,
) -> Result<Response, PageError> {
    let (person, nav, set) = match signed_in_page(&state, &headers).await {
        Ok(signed_in) => signed_in,
        Err(redirect) => return Ok(redirect),
    };
    let date = day(query.date.as_deref());
    let rooms = list(&state, &person.reader(), date).await?;
    let page = CourtListPage {
        nav,
        date: date.to_string(),
        rooms,
    };
    Ok(with_cookie(set, html(StatusCode::OK, &page)))
}

#[derive(Template)]
#[template(path = "hearing.html")]
struct HearingPage {
    nav: Nav,
    id: String,
    date: String,
    reference: String,
    defendant: String,
    stage: String,
    charges: String,
    last_hearing: Option<String>,
    since: Vec<(String, Vec<String>)>,
    history: Vec<String>,
    comments: Vec<(String, String)>,
    next_case: Option<String>,
    /// A comment sent back to be put right.
    draft: String,
    errors: FormErrors,
}

pub(crate) async fn hearing(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<Day>,
) -> Result<Response, PageError> {
    let id = CaseId::parse(&id).map_err(|_| PageError::NotFound)?;
    let date = day(query.date.as_deref());
    render_hearing(
        &state,
        &headers,
        id,
        date,
        String::new(),
        FormErrors::default(),
    )
    .await
}

/// The judge's summary of a case listed before them on `date`; with a `draft` comment and its
/// `errors` when the comment form is sent back.
async fn render_hearing(
    state: &AppState,
    headers: &HeaderMap,
    id: CaseId,
    date: Date,
    draft: String,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let (person, nav, set) = match signed_in_page(state, headers).await {
        Ok(signed_in) => signed_in,
        Err(redirect) => return Ok(redirect),
    };
    let reader = person.reader();
    if reader.role != Role::Judge {
        return Err(PageError::Forbidden);
    }
    let view = state
        .gate
        .case(&reader, id, AuditAction::CaseRead)
        .await
        .map_err(|_| PageError::Internal)?
        .ok_or(PageError::NotFound)?;
    let summary = view.hearing_summary(Timestamp::now());
    let agency_names: Vec<_> = state
        .store
        .agencies()
        .await?
        .into_iter()
        .map(|agency| (agency.code, agency.name))
        .collect();
    let titles = Titles::of(&view.state, state.reference.as_deref());
    let rows: Vec<CaseId> = list(state, &reader, date)
        .await?
        .into_iter()
        .flat_map(|room| room.rows.into_iter().map(|row| row.case_id))
        .collect();
    let next_case = rows
        .iter()
        .position(|case| *case == id)
        .and_then(|at| rows.get(at + 1))
        .map(|next| format!("/cases/{next}/hearing?date={date}"));
    let page = HearingPage {
        nav,
        id: id.to_string(),
        date: date.to_string(),
        reference: reference(&view),
        defendant: defendant(&view),
        stage: label(summary.stage.as_str()),
        charges: summary
            .offences
            .iter()
            .map(|o| {
                let title = titles
                    .offences
                    .get(o.charged.code.as_str())
                    .cloned()
                    .unwrap_or_else(|| o.charged.wording.to_string());
                format!("{}. {title}", o.charged.sequence)
            })
            .collect::<Vec<_>>()
            .join(" "),
        last_hearing: summary.last_hearing.map(|at| at.date().to_string()),
        since: summary
            .since_last_hearing
            .iter()
            .map(|(agency, items)| {
                let lines = items
                    .iter()
                    .map(|item| {
                        format!(
                            "{}, {}: {}",
                            item.event.occurred_at.date(),
                            label(item.event.payload.kind().as_str()).to_lowercase(),
                            describe(item, &titles)
                        )
                    })
                    .collect();
                let name = agency_names
                    .iter()
                    .find(|(code, _)| code == agency)
                    .map_or_else(|| agency.to_string(), |(_, name)| name.to_string());
                (name, lines)
            })
            .collect(),
        history: summary
            .hearings
            .iter()
            .map(|h| {
                let results = h
                    .results
                    .iter()
                    .map(|r| r.text.to_string())
                    .collect::<Vec<_>>()
                    .join("; ");
                format!(
                    "{}: {}{}",
                    h.starts_at.date(),
                    words(&h.purpose),
                    if results.is_empty() {
                        String::new()
                    } else {
                        format!(" — {results}")
                    }
                )
            })
            .collect(),
        comments: summary
            .comments
            .iter()
            .filter_map(|item| match &item.event.payload {
                Payload::JudicialComment(comment) => Some((
                    item.event.occurred_at.date().to_string(),
                    comment.text.to_string(),
                )),
                _ => None,
            })
            .collect(),
        next_case,
        draft,
        errors,
    };
    Ok(with_cookie(set, html(page.errors.status(), &page)))
}

#[derive(Deserialize)]
pub(crate) struct CommentForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
}

pub(crate) async fn comment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(posted): Form<CommentForm>,
) -> Result<Response, PageError> {
    let person = match signed_in_form(&state, &headers, &posted.csrf).await? {
        Ok(person) => person,
        Err(redirect) => return Ok(redirect),
    };
    let id = CaseId::parse(&id).map_err(|_| PageError::NotFound)?;
    let date = day(Some(posted.date.as_str()));
    let back = format!("/cases/{id}/hearing?date={date}");
    let text = match posted.text.trim() {
        "" => Err("Enter your comment"),
        text => Text::parse(text).map_err(|_| "Your comment must be 4,000 characters or fewer"),
    };
    let text = match text {
        Ok(text) => text,
        Err(message) => {
            let errors = FormErrors::one("comment", message);
            return render_hearing(&state, &headers, id, date, posted.text, errors).await;
        }
    };
    match state
        .gate
        .write_comment(&person.reader(), id, None, text)
        .await
        .map_err(|_| PageError::Internal)?
    {
        CommentOutcome::Written { .. } => Ok(Redirect::to(&back).into_response()),
        CommentOutcome::Refused => Err(PageError::Forbidden),
        CommentOutcome::NotFound => Err(PageError::NotFound),
    }
}
