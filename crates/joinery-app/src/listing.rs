//! A court's listing officers put a judge on a courtroom's bench for a day: when a judge covers
//! another courtroom, every hearing there that day that has no result yet is listed again before
//! them (the court's own listing, as its listing system would send it), so the covering judge's
//! list, summaries and the cases themselves open to them as for any listing.

use joinery_domain::message::HearingListed;
use joinery_domain::{AgencyKind, Payload, Reader, ReaderId, Role, Timestamp, Username};
use joinery_ports::{CourtDay, Rooms};
use time::Date;

use crate::court::day_list;
use crate::writes::Writing;
use crate::{App, AppError, WriteOutcome};

/// What became of putting a judge on a bench.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BenchOutcome {
    /// Listed before the judge: how many hearings.
    Assigned(usize),
    /// No judge of the reader's court has that user name.
    NotAJudge,
    /// Not one of a court's legal advisers.
    Refused,
}

impl App {
    /// The judges of the reader's court who can sign in, by user name; none for anyone but
    /// the court's staff.
    pub async fn court_judges(&self, reader: &Reader) -> Result<Vec<Username>, AppError> {
        if !lists_hearings(reader) {
            return Ok(Vec::new());
        }
        Ok(self
            .store
            .people(reader.agency.clone())
            .await?
            .into_iter()
            .filter(|person| person.role == Role::Judge && person.deactivated_at.is_none())
            .map(|person| person.username)
            .collect())
    }

    /// Lists every hearing of the reader's court in the `room`th courtroom (from 0) on `date`
    /// that has no result yet before `judge`.
    pub async fn assign_bench(
        &self,
        reader: &Reader,
        date: Date,
        room: usize,
        judge: Username,
    ) -> Result<BenchOutcome, AppError> {
        if !lists_hearings(reader) {
            return Ok(BenchOutcome::Refused);
        }
        if !self.court_judges(reader).await?.contains(&judge) {
            return Ok(BenchOutcome::NotAJudge);
        }
        let CourtDay { sittings, cases } = self
            .store
            .court_day(date, day_list(reader), Rooms::One(room))
            .await?;
        let Some(sitting) = sittings.get(room) else {
            return Ok(BenchOutcome::Assigned(0));
        };
        let mut assigned = 0;
        for decided in self.decide_cases(reader, cases, Timestamp::now()).await? {
            let view = &decided.view;
            for hearing in view.state.hearings.iter().filter(|hearing| {
                hearing.starts_at.date() == date
                    && hearing.court == sitting.court
                    && hearing.courtroom == sitting.courtroom
                    && !hearing.resulted
                    && hearing.listed_by.as_ref() == Some(&reader.agency)
                    && hearing.judge.as_ref() != Some(&judge)
            }) {
                let payload = Payload::HearingListed(HearingListed {
                    hearing_id: hearing.hearing_id.clone(),
                    court: hearing.court.clone(),
                    courtroom: hearing.courtroom.clone(),
                    starts_at: hearing.starts_at,
                    purpose: hearing.purpose,
                    judge: Some(judge.clone()),
                });
                match self
                    .write_as(reader, view.id, &view.state, Writing::Listing, payload)
                    .await?
                {
                    WriteOutcome::Written { .. } => assigned += 1,
                    _ => return Ok(BenchOutcome::Refused),
                }
            }
        }
        Ok(BenchOutcome::Assigned(assigned))
    }
}

/// A court's legal advisers (its listing officers) list hearings; judges do not.
fn lists_hearings(reader: &Reader) -> bool {
    matches!(reader.id, ReaderId::User(_))
        && reader.role == Role::LegalAdviser
        && reader.agency_kind == AgencyKind::Court
}
