//! The court's day: the list of hearings by courtroom with what each agency has ready, a judge's
//! own list and the next case on it, and the judge's one-screen hearing summary.
//!
//! The list reads the day's cases in one store snapshot, decides each for the reader once, and
//! records every case it shows in one audit write. A judge sees only the hearings before them.
//! The next case on a judge's list is found from the day's listings and only that case is
//! decided, so moving through a list does not decide (or record) the whole day again.

use std::cmp::Ordering;

use joinery_domain::journey::BailStatus;
use joinery_domain::message::Person;
use joinery_domain::projection::HearingState;
use joinery_domain::{
    AgencyKind, Asn, CaseId, Category, HearingId, Payload, Reader, ReaderId, Role, Text, Timestamp,
    Urn, Username,
};
use joinery_ports::{AuditAction, CourtDay, DayList, Rooms, Sitting};
use time::Date;

use crate::{App, AppError, CaseView, HearingSummary, Purpose, Titles};

/// One hearing on a court list, with what the agencies have ready for it (as far as the
/// reader may see).
#[derive(Debug, Clone, PartialEq)]
pub struct ListedHearing {
    pub case_id: CaseId,
    pub hearing: HearingState,
    pub urn: Option<Urn>,
    pub asn: Option<Asn>,
    pub defendant: Option<Person>,
    /// Whether a pre-sentence report (or other report) has been submitted.
    pub report_submitted: Ready,
    /// Whether the police file (or its summary) has come in.
    pub police_file: Ready,
    pub overdue_actions: usize,
    /// The first offence charged, by its title (or the wording sent), as the reader sees it.
    pub offence: Option<String>,
    /// Bail or custody, as the reader sees it.
    pub custody: Option<BailStatus>,
    /// For a court's staff: who at the court is resulting the hearing, since when.
    pub resulting: Option<(Username, Timestamp)>,
}

/// Whether something a hearing needs has come in, as far as the reader may know: what is
/// withheld from them is said to be, never shown as missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ready {
    In,
    /// It has come in, in a category not shared with the reader.
    NotShared,
    NotIn,
}

impl Ready {
    fn of(view: &CaseView, shown: bool, category: Category) -> Self {
        match (shown, view.withheld.contains(&category)) {
            (true, _) => Self::In,
            (false, true) => Self::NotShared,
            (false, false) => Self::NotIn,
        }
    }
}

/// A courtroom's hearings of the day, in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct Courtroom {
    /// `None` where the listing gave no courtroom.
    pub name: Option<Text>,
    pub hearings: Vec<ListedHearing>,
}

/// A day's court list, by courtroom (named ones first, in order).
#[derive(Debug, Clone, PartialEq)]
pub struct CourtList {
    pub date: Date,
    pub rooms: Vec<Courtroom>,
    /// For a court's staff, the rooms the day's hearings sit in, of which `rooms` holds the
    /// one chosen; empty for anyone else, whose list is the whole day's.
    pub sittings: Vec<Sitting>,
    /// Which of `sittings` is shown (from 0).
    pub chosen: usize,
    /// The days to offer before and after: for a judge, the nearest with hearings before them;
    /// for anyone else, the working days either side.
    pub earlier: Option<Date>,
    pub later: Option<Date>,
}

/// The judge's summary of a case listed before them, with the case as they see it and the
/// titles of its codes.
#[derive(Debug, Clone)]
pub struct HearingBrief {
    pub view: CaseView,
    pub summary: HearingSummary,
    pub titles: Titles,
}

/// What became of asking for a hearing summary.
#[derive(Debug, Clone)]
pub enum HearingOutcome {
    Summary(Box<HearingBrief>),
    /// The summary is for judges and magistrates.
    NotJudge,
    NotFound,
}

/// Where a hearing stands on a list: courtroom (named ones first), time, then case.
fn list_order(
    a: (&Option<Text>, Timestamp, CaseId),
    b: (&Option<Text>, Timestamp, CaseId),
) -> Ordering {
    let room = |name: &Option<Text>| (name.is_none(), name.as_ref().map(|n| n.to_string()));
    (room(a.0), a.1, a.2).cmp(&(room(b.0), b.1, b.2))
}

/// Whether `hearing` belongs on `reader`'s list for `date`: it is that day, and a judge's list
/// holds only the hearings before them.
fn on_list(reader: &Reader, hearing: &HearingState, date: Date) -> bool {
    hearing.starts_at.date() == date
        && match (&reader.id, reader.role) {
            (ReaderId::User(name), Role::Judge) => hearing.judge.as_ref() == Some(name),
            _ => true,
        }
}

/// Whose day `reader` reads: a judge's own hearings; anyone else's, those of the cases their
/// agency works on. Only those are read; the agreement then decides what of them they see.
pub fn day_list(reader: &Reader) -> DayList {
    match (&reader.id, reader.role) {
        (ReaderId::User(name), Role::Judge) => DayList::Judge(name.clone()),
        _ => DayList::Agency(reader.agency.clone()),
    }
}

/// Which hearings of the day `reader`'s list holds: a court's staff work one courtroom of the
/// day (the `room`th, from 0); a judge their own list, anyone else the day's hearings of the
/// cases their agency works on.
pub fn rooms_for(reader: &Reader, room: usize) -> Rooms {
    match (&reader.id, reader.agency_kind, reader.role) {
        (ReaderId::User(_), AgencyKind::Court, role) if role != Role::Judge => Rooms::One(room),
        _ => Rooms::Every,
    }
}

impl App {
    /// The day's hearings `reader` may see, by courtroom then time; a judge's, only those
    /// before them; a court's staff, those of the `room`th (from 0) of the day's courtrooms.
    /// The cases shown are recorded as listed, in one durable write. The rooms are named from
    /// the court's listings of the cases the agency works on, which case core shows its staff
    /// (the agreement's "team"); only the chosen room's cases are read whole and decided.
    pub async fn court_list(
        &self,
        reader: &Reader,
        date: Date,
        room: usize,
    ) -> Result<CourtList, AppError> {
        // A role the agreement shows no case (a manager, governance, an administrator) has an
        // empty list, known without reading the day.
        if self.caseload_rows.as_ref().is_some_and(|rows| {
            !joinery_ports::CaseloadRows::sees_cases(rows.as_ref(), reader.role)
        }) {
            return Ok(CourtList {
                date,
                rooms: Vec::new(),
                sittings: Vec::new(),
                chosen: 0,
                earlier: None,
                later: None,
            });
        }
        let now = Timestamp::now();
        let wanted = rooms_for(reader, room);
        let CourtDay { sittings, cases } = (self.store)
            .court_day(date, day_list(reader), wanted)
            .await?;
        let in_room = |hearing: &HearingState| match wanted {
            Rooms::Every => true,
            Rooms::One(index) => sittings.get(index).is_some_and(|sitting| {
                sitting.court == hearing.court && sitting.courtroom == hearing.courtroom
            }),
        };
        let mut listed: Vec<ListedHearing> = Vec::new();
        let mut disclosed = Vec::new();
        for decided in self.decide_cases(reader, cases, now).await? {
            let before = listed.len();
            listed.extend(
                decided
                    .view
                    .state
                    .hearings
                    .iter()
                    .filter(|hearing| on_list(reader, hearing, date) && in_room(hearing))
                    .map(|hearing| {
                        listed_hearing(&decided.view, hearing, self.reference.as_deref())
                    }),
            );
            if listed.len() > before {
                disclosed.push(self.disclosure_event(reader, &decided, AuditAction::CaseListed));
            }
        }
        if !disclosed.is_empty() {
            self.store.audit(disclosed).await?;
        }
        listed.sort_by(|a, b| {
            list_order(
                (&a.hearing.courtroom, a.hearing.starts_at, a.case_id),
                (&b.hearing.courtroom, b.hearing.starts_at, b.case_id),
            )
        });
        // A court's staff see who is resulting each hearing that has taken place.
        if rooms_for(reader, room) != Rooms::Every {
            let asked: Vec<(CaseId, HearingId)> = listed
                .iter()
                .filter(|listed| listed.hearing.starts_at <= now && !listed.hearing.resulted)
                .map(|listed| (listed.case_id, listed.hearing.hearing_id.clone()))
                .collect();
            if !asked.is_empty() {
                let mut resulting = self.store.resulting(asked).await?;
                for listed in &mut listed {
                    listed.resulting =
                        resulting.remove(&(listed.case_id, listed.hearing.hearing_id.clone()));
                }
            }
        }
        let mut rooms: Vec<Courtroom> = Vec::new();
        for hearing in listed {
            match rooms.last_mut() {
                Some(room) if room.name == hearing.hearing.courtroom => room.hearings.push(hearing),
                _ => rooms.push(Courtroom {
                    name: hearing.hearing.courtroom.clone(),
                    hearings: vec![hearing],
                }),
            }
        }
        let (earlier, later) = match &reader.id {
            ReaderId::User(judge) if reader.role == Role::Judge => {
                self.store.judge_days_around(judge.clone(), date).await?
            }
            _ => (Some(working_day(date, -1)), Some(working_day(date, 1))),
        };
        Ok(CourtList {
            date,
            rooms,
            sittings,
            chosen: room,
            earlier,
            later,
        })
    }

    /// The case after `current` on the judge's list for `date`, if there is one they may see.
    /// Only the day's listings are read; only the candidate case is decided.
    pub async fn next_on_list(
        &self,
        reader: &Reader,
        current: CaseId,
        date: Date,
    ) -> Result<Option<CaseId>, AppError> {
        let (ReaderId::User(judge), Role::Judge) = (&reader.id, reader.role) else {
            return Ok(None);
        };
        let mut listings: Vec<(Option<Text>, Timestamp, CaseId)> = self
            .store
            .cases_heard_on(date, DayList::Judge(judge.clone()))
            .await?
            .into_iter()
            .flat_map(|record| {
                let id = record.id;
                record
                    .state
                    .hearings
                    .into_iter()
                    .filter(|hearing| hearing_before(hearing, judge, date))
                    .map(move |hearing| (hearing.courtroom, hearing.starts_at, id))
            })
            .collect();
        listings.sort_by(|a, b| list_order((&a.0, a.1, a.2), (&b.0, b.1, b.2)));
        let Some(at) = listings.iter().position(|(_, _, id)| *id == current) else {
            return Ok(None);
        };
        for (_, _, candidate) in listings.iter().skip(at + 1) {
            if *candidate == current {
                continue;
            }
            // The listing is what the store holds; whether the judge may see it is the
            // agreement's to say, as for any read.
            if let Some((record, _, visible)) = self.seen_by(reader, *candidate).await? {
                let view = CaseView::assemble(*candidate, visible, &record.state, Timestamp::now());
                if view
                    .state
                    .hearings
                    .iter()
                    .any(|hearing| hearing_before(hearing, judge, date))
                {
                    return Ok(Some(*candidate));
                }
            }
        }
        Ok(None)
    }

    /// A judge's one-screen summary of a case listed before them, recorded as a case read.
    pub async fn hearing_summary(
        &self,
        reader: &Reader,
        id: CaseId,
    ) -> Result<HearingOutcome, AppError> {
        if reader.role != Role::Judge {
            return Ok(HearingOutcome::NotJudge);
        }
        let Some(view) = self.case(reader, id, Purpose::Case).await? else {
            return Ok(HearingOutcome::NotFound);
        };
        let summary = view.hearing_summary(Timestamp::now());
        let titles = Titles::of(&view.state, self.reference.as_deref());
        Ok(HearingOutcome::Summary(Box::new(HearingBrief {
            view,
            summary,
            titles,
        })))
    }
}

fn hearing_before(hearing: &HearingState, judge: &Username, date: Date) -> bool {
    hearing.starts_at.date() == date && hearing.judge.as_ref() == Some(judge)
}

/// The working day (Monday to Friday) `step` days (1 or -1) on from `date`.
fn working_day(date: Date, step: i64) -> Date {
    let mut day = date;
    loop {
        day = day.saturating_add(time::Duration::days(step));
        if !matches!(
            day.weekday(),
            time::Weekday::Saturday | time::Weekday::Sunday
        ) {
            return day;
        }
    }
}

fn listed_hearing(
    view: &CaseView,
    hearing: &HearingState,
    standing: Option<&joinery_reference::StandingData>,
) -> ListedHearing {
    let has = |wanted: fn(&Payload) -> bool| view.items.iter().any(|i| wanted(&i.event.payload));
    ListedHearing {
        case_id: view.id,
        hearing: hearing.clone(),
        urn: view.state.urns.first().cloned(),
        asn: view.state.asns.first().cloned(),
        defendant: view.state.defendant.clone(),
        report_submitted: Ready::of(
            view,
            has(|payload| matches!(payload, Payload::ReportSubmitted(_))),
            Category::PreSentenceReport,
        ),
        police_file: Ready::of(
            view,
            has(|payload| matches!(payload, Payload::PoliceFile(_))),
            Category::PoliceFile,
        ),
        overdue_actions: view.overdue_actions.len(),
        offence: view.state.offences.first().map(|offence| {
            standing
                .and_then(|standing| standing.offence(&offence.charged.code))
                .map_or_else(
                    || offence.charged.wording.to_string(),
                    |known| known.title.clone(),
                )
        }),
        custody: view.state.bail.as_ref().map(|bail| bail.bail.status),
        resulting: None,
    }
}
