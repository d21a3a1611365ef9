//! The court list for a day, by courtroom, with what the agencies have ready for each case. A
//! judge sees their own list, each case opening their hearing summary.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use joinery_app::{BenchOutcome, ClaimOutcome, CourtList, ListedHearing, Ready};
use joinery_domain::message::Person;
use joinery_domain::{Asn, CaseId, HearingId, Role, Text, Timestamp, Urn, Username};
use serde::Deserialize;
use time::Date;

use super::PageError;
use super::csrf::{CheckedForm, tokened};
use super::form::FormErrors;
use super::render::{html, with_cookie};
use super::signed::{Nav, Signed};
use super::words::{clock, day as words_day, words};
use crate::AppState;
use crate::extract::{PageQuery, QueryOf};

/// The day a page is about, as `?date=2026-11-27`; today when absent. On the court list,
/// `room=N` picks the court's Nth courtroom of the day (from 1).
#[derive(Deserialize)]
pub(crate) struct Day {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    room: Option<std::num::NonZeroUsize>,
}

impl Day {
    /// The day asked for: today when none is given; `None` when what was typed is not a date,
    /// which the page says rather than showing another day's list.
    pub(crate) fn date(&self) -> Option<Date> {
        match self.date.as_deref().map(str::trim) {
            None | Some("") => Some(Timestamp::now().date()),
            Some(text) => Date::parse(text, &DAY).ok(),
        }
    }

    /// The day asked for, or today when it is not a date: for the hearing summary, reached
    /// by the list's links, which always carry one.
    pub(crate) fn date_or_today(&self) -> Date {
        self.date().unwrap_or_else(|| Timestamp::now().date())
    }
}

/// How a day is written in an address and typed in the list's form.
const DAY: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// What the list's form says of a day that is not one.
const NOT_A_DAY: &str = "Enter the day as year, month and day, for example 2026-12-03";

/// `text` as a date (`2026-11-27`); today when absent or not a date.
pub(crate) fn day(text: Option<&str>) -> Date {
    text.and_then(|text| Date::parse(text.trim(), &DAY).ok())
        .unwrap_or_else(|| Timestamp::now().date())
}

/// A case's first URN, else its first ASN, else Joinery's id: how a list names it.
pub(crate) fn reference(urn: Option<&Urn>, asn: Option<&Asn>, id: CaseId) -> String {
    urn.map(ToString::to_string)
        .or_else(|| asn.map(ToString::to_string))
        .unwrap_or_else(|| id.to_string())
}

/// The defendant's name, or that it is not known (to the reader).
pub(crate) fn defendant(person: Option<&Person>) -> String {
    person
        .map(|p| format!("{} {}", p.given_name, p.family_name))
        .unwrap_or_else(|| "Not known".to_owned())
}

struct ListRow {
    time: String,
    /// The case page.
    link: String,
    /// For a judge, the hearing summary.
    summary: Option<String>,
    reference: String,
    defendant: String,
    purpose: String,
    /// The first offence charged, by its title; empty when none is seen.
    offence: String,
    /// Bail or custody in words; empty when not known.
    custody: String,
    case_id: String,
    hearing_id: String,
    /// For a court's staff, where resulting the hearing stands: `resulted`, `being` (by
    /// `resulting_by`), `to_result`, or empty (not taken place, or not the reader's to result).
    result: &'static str,
    resulting_by: String,
    /// The reader is the one resulting it.
    resulting_mine: bool,
    /// The judge it is listed before, for a court's staff; empty otherwise or when none is.
    judge: String,
    /// Whether a report is in: `in`, `not_shared` or `not_in`.
    report: &'static str,
    /// Whether the police file (or its summary) is in, likewise.
    file: &'static str,
    overdue: usize,
}

fn ready(ready: Ready) -> &'static str {
    match ready {
        Ready::In => "in",
        Ready::NotShared => "not_shared",
        Ready::NotIn => "not_in",
    }
}

impl ListRow {
    fn new(listed: &ListedHearing, judge: bool, date: Date, staff: Option<&str>) -> Self {
        let id = listed.case_id;
        let taken_place = listed.hearing.starts_at <= Timestamp::now();
        let result = match (staff, &listed.resulting) {
            (None, _) => "",
            (Some(_), _) if listed.hearing.resulted => "resulted",
            (Some(_), Some(_)) => "being",
            (Some(_), None) if taken_place => "to_result",
            (Some(_), None) => "",
        };
        let resulting_by = listed
            .resulting
            .as_ref()
            .map(|(who, _)| who.to_string())
            .unwrap_or_default();
        Self {
            judge: match staff {
                Some(_) => listed
                    .hearing
                    .judge
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                None => String::new(),
            },
            case_id: id.to_string(),
            hearing_id: listed.hearing.hearing_id.to_string(),
            result,
            resulting_mine: staff.is_some_and(|me| me == resulting_by),
            resulting_by,
            time: clock(&listed.hearing.starts_at),
            link: format!("/cases/{id}"),
            summary: judge.then(|| format!("/cases/{id}/hearing?date={date}")),
            offence: listed.offence.clone().unwrap_or_default(),
            custody: listed
                .custody
                .map(|status| words(&status))
                .unwrap_or_default(),
            reference: reference(listed.urn.as_ref(), listed.asn.as_ref(), id),
            defendant: defendant(listed.defendant.as_ref()),
            purpose: words(&listed.hearing.purpose),
            report: ready(listed.report_submitted),
            file: ready(listed.police_file),
            overdue: listed.overdue_actions,
        }
    }
}

struct Room {
    name: String,
    rows: Vec<ListRow>,
}

/// A link to one of the day's courtrooms.
struct SittingLink {
    name: String,
    href: String,
    current: bool,
}

/// How a list names a room.
fn room_name(name: Option<&Text>) -> String {
    name.map_or_else(|| "No courtroom given".to_owned(), ToString::to_string)
}

#[derive(Template)]
#[template(path = "court_list.html")]
struct CourtListPage {
    nav: Nav,
    /// The day shown, or what was typed when it is not a day.
    date: String,
    /// The day shown, in words.
    date_words: String,
    /// For a court's staff, the room shown (from 1), for the forms to come back to.
    room_shown: Option<usize>,
    /// For a court's staff, the court's judges, to put one on the room's bench.
    judges: Vec<String>,
    /// The days to go to before and after: (address, words).
    earlier: Option<(String, String)>,
    later: Option<(String, String)>,
    errors: FormErrors,
    /// The day's courtrooms, for a court's staff; empty for anyone else.
    sittings: Vec<SittingLink>,
    rooms: Vec<Room>,
}

impl CourtListPage {
    fn new(nav: Nav, list: &CourtList, judge: bool) -> Self {
        // A court's staff (who see a room at a time) result hearings.
        let staff = (!list.sittings.is_empty()).then(|| nav.username.clone());
        let date = list.date;
        // A room is named by its court too only where the day's rooms are at more than one.
        let one_court = list
            .sittings
            .windows(2)
            .all(|pair| pair[0].court == pair[1].court);
        let go = |day: Date| (format!("/court-list?date={day}"), words_day(day));
        Self {
            nav,
            date: date.to_string(),
            date_words: words_day(date),
            room_shown: (!list.sittings.is_empty()).then_some(list.chosen + 1),
            judges: Vec::new(),
            earlier: list.earlier.map(go),
            later: list.later.map(go),
            errors: FormErrors::default(),
            sittings: list
                .sittings
                .iter()
                .enumerate()
                .map(|(index, sitting)| SittingLink {
                    name: if one_court {
                        room_name(sitting.courtroom.as_ref())
                    } else {
                        format!(
                            "{} at {}",
                            room_name(sitting.courtroom.as_ref()),
                            sitting.court
                        )
                    },
                    href: format!("/court-list?date={date}&room={}", index + 1),
                    current: index == list.chosen,
                })
                .collect(),
            rooms: list
                .rooms
                .iter()
                .map(|room| Room {
                    name: room_name(room.name.as_ref()),
                    rows: room
                        .hearings
                        .iter()
                        .map(|listed| ListRow::new(listed, judge, list.date, staff.as_deref()))
                        .collect(),
                })
                .collect(),
        }
    }
}

pub(crate) async fn court_list(
    State(state): State<AppState>,
    signed: Signed,
    QueryOf(day, _): PageQuery<Day>,
) -> Result<Response, PageError> {
    let reader = signed.reader();
    let Some(date) = day.date() else {
        // Sent back to be put right, with what was typed: no other day's list stands in.
        let page = CourtListPage {
            nav: signed.nav,
            date: day.date.unwrap_or_default(),
            date_words: String::new(),
            room_shown: None,
            judges: Vec::new(),
            earlier: None,
            later: None,
            errors: FormErrors::one("date", NOT_A_DAY),
            sittings: Vec::new(),
            rooms: Vec::new(),
        };
        return Ok(with_cookie(
            signed.set_csrf,
            html(page.errors.status(), &page),
        ));
    };
    let room = day.room.map_or(0, |room| room.get() - 1);
    let list = state.app.court_list(&reader, date, room).await?;
    let mut page = CourtListPage::new(signed.nav, &list, reader.role == Role::Judge);
    if page.room_shown.is_some() {
        page.judges = state
            .app
            .court_judges(&reader)
            .await?
            .iter()
            .map(ToString::to_string)
            .collect();
    }
    Ok(with_cookie(signed.set_csrf, html(StatusCode::OK, &page)))
}

/// A hearing's resulting started or stopped, with the list to come back to.
#[derive(Deserialize)]
pub(crate) struct ResultingForm {
    case: String,
    hearing: String,
    /// `start` or `stop`.
    change: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    room: Option<std::num::NonZeroUsize>,
    #[serde(default)]
    csrf: String,
}

tokened!(ResultingForm);

/// Start, or stop, resulting a hearing; back to the list.
pub(crate) async fn resulting(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(posted): CheckedForm<ResultingForm>,
) -> Result<Response, PageError> {
    let case = CaseId::parse(&posted.case).map_err(|_| PageError::NotFound)?;
    let hearing = HearingId::parse(&posted.hearing).map_err(|_| PageError::NotFound)?;
    let reader = signed.reader();
    let day = day(Some(posted.date.as_str()));
    let back = format!(
        "/court-list?date={day}{}",
        posted
            .room
            .map(|room| format!("&room={room}"))
            .unwrap_or_default()
    );
    match posted.change.as_str() {
        "start" => match state.app.start_resulting(&reader, case, hearing).await? {
            ClaimOutcome::Claimed | ClaimOutcome::HeldBy(_) => {
                Ok(Redirect::to(&back).into_response())
            }
            ClaimOutcome::Refused => Err(PageError::Forbidden),
            ClaimOutcome::NotFound => Err(PageError::NotFound),
        },
        "stop" => {
            state.app.stop_resulting(&reader, case, hearing).await?;
            Ok(Redirect::to(&back).into_response())
        }
        _ => Err(PageError::NotFound),
    }
}

/// A judge put on a courtroom's bench for the day, with the list to come back to.
#[derive(Deserialize)]
pub(crate) struct BenchForm {
    judge: String,
    date: String,
    room: std::num::NonZeroUsize,
    #[serde(default)]
    csrf: String,
}

tokened!(BenchForm);

/// List the room's hearings of the day before a judge; back to the list.
pub(crate) async fn bench(
    State(state): State<AppState>,
    signed: Signed,
    CheckedForm(posted): CheckedForm<BenchForm>,
) -> Result<Response, PageError> {
    let judge = Username::parse(&posted.judge).map_err(|_| PageError::NotFound)?;
    let date = day(Some(posted.date.as_str()));
    let room = posted.room.get();
    match state
        .app
        .assign_bench(&signed.reader(), date, room - 1, judge)
        .await?
    {
        BenchOutcome::Assigned(_) => {
            Ok(Redirect::to(&format!("/court-list?date={date}&room={room}")).into_response())
        }
        BenchOutcome::NotAJudge => Err(PageError::NotFound),
        BenchOutcome::Refused => Err(PageError::Forbidden),
    }
}
