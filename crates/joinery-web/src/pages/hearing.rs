//! The judge's one-screen hearing summary of a case listed before them: what each agency
//! reported since the last hearing, the case in brief, their own earlier comments with a form
//! for a new one, and a link to the next case on their list.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use joinery_app::{Agency, HearingBrief, HearingOutcome, WriteOutcome};
use joinery_domain::{CaseId, Payload};
use serde::Deserialize;
use time::Date;

use super::PageError;
use super::court::{Day, day, defendant, reference};
use super::csrf::{CheckedForm, tokened};
use super::describe::describe;
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::{agency_name, label, minute, on_day, words};
use crate::AppState;
use crate::extract::{PageCase, PageQuery, PathId, QueryOf};

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

/// What the page shows besides the summary: the day of the list it came from, the next case on
/// that list, and a comment sent back.
struct Around {
    date: Date,
    next_case: Option<CaseId>,
    draft: String,
    errors: FormErrors,
}

impl HearingPage {
    fn new(nav: Nav, brief: &HearingBrief, agencies: &[Agency], around: Around) -> Self {
        let HearingBrief {
            view,
            summary,
            titles,
        } = brief;
        let date = around.date;
        Self {
            nav,
            id: view.id.to_string(),
            date: date.to_string(),
            reference: reference(view.state.urns.first(), view.state.asns.first(), view.id),
            defendant: defendant(view.state.defendant.as_ref()),
            stage: label(summary.stage.as_str()),
            charges: summary
                .offences
                .iter()
                .map(|o| format!("{}. {}", o.charged.sequence, titles.offence(&o.charged)))
                .collect::<Vec<_>>()
                .join(" "),
            last_hearing: summary.last_hearing.map(|at| on_day(&at)),
            since: summary
                .since_last_hearing
                .iter()
                .map(|(agency, items)| {
                    let lines = items
                        .iter()
                        .map(|item| {
                            format!(
                                "{}, {}: {}",
                                on_day(&item.event.occurred_at),
                                label(item.event.payload.kind().as_str()).to_lowercase(),
                                describe(item, titles, agencies)
                            )
                        })
                        .collect();
                    (agency_name(agencies, agency), lines)
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
                        on_day(&h.starts_at),
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
                    Payload::JudicialComment(comment) => {
                        Some((minute(&item.event.occurred_at), comment.text.to_string()))
                    }
                    _ => None,
                })
                .collect(),
            next_case: around
                .next_case
                .map(|next| format!("/cases/{next}/hearing?date={date}")),
            draft: around.draft,
            errors: around.errors,
        }
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    QueryOf(day, _): PageQuery<Day>,
) -> Result<Response, PageError> {
    let around = Around {
        date: day.date_or_today(),
        next_case: None,
        draft: String::new(),
        errors: FormErrors::default(),
    };
    render(&state, signed, id, around).await
}

/// The judge's summary of a case listed before them; with a draft comment and its errors when
/// the comment form is sent back.
async fn render(
    state: &AppState,
    signed: Signed,
    id: CaseId,
    mut around: Around,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let brief = match state.app.hearing_summary(&reader, id).await? {
        HearingOutcome::Summary(brief) => brief,
        HearingOutcome::NotJudge => return Err(PageError::Forbidden),
        HearingOutcome::NotFound => return Err(PageError::NotFound),
    };
    around.next_case = state.app.next_on_list(&reader, id, around.date).await?;
    let agencies = state.app.agencies().await?;
    let page = HearingPage::new(signed.nav, &brief, &agencies, around);
    Ok(with_cookie(
        signed.set_csrf,
        html(page.errors.status(), &page),
    ))
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

tokened!(CommentForm);

pub(crate) async fn comment(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id, ..): PageCase,
    CheckedForm(posted): CheckedForm<CommentForm>,
) -> Result<Response, PageError> {
    let date = day(Some(posted.date.as_str()));
    let mut errors = FormErrors::default();
    let Some(text) = errors.text(
        "comment",
        "Your comment",
        &posted.text,
        Some("Enter your comment"),
    ) else {
        let around = Around {
            date,
            next_case: None,
            draft: posted.text,
            errors,
        };
        return render(&state, signed, id, around).await;
    };
    match state
        .app
        .write_comment(&signed.reader(), id, None, text)
        .await?
    {
        WriteOutcome::Written { .. } => {
            Ok(Redirect::to(&format!("/cases/{id}/hearing?date={date}")).into_response())
        }
        WriteOutcome::Refused | WriteOutcome::Invalid(_) => Err(PageError::Forbidden),
        WriteOutcome::NotFound => Err(PageError::NotFound),
    }
}
