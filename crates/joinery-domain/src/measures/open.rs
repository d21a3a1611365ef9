//! What an open case holds open now: its requested work not yet done, its stage and age, and
//! how long since anything happened on it, with who holds the next step. Each is kept by a day
//! (due, offence, latest event) rather than by a number of days, so that a count kept when the
//! message came in still tells the truth tomorrow: a report puts each day in its band of days
//! before today when it reads them.

use std::collections::BTreeMap;

use time::Date;

use super::{Measure, Milestones, Tally};
use crate::journey::{ActionState, Stage};
use crate::{AgencyCode, AgencyKind, CaseState};

/// The court a case is at now: the court agency that listed its latest hearing.
pub(super) fn court_now(state: &CaseState) -> Option<AgencyCode> {
    state
        .hearings
        .iter()
        .max_by_key(|hearing| hearing.starts_at)
        .and_then(|hearing| hearing.listed_by.clone())
}

/// The day a case began: its first message's (when the first agency on it joined).
pub(super) fn began(state: &CaseState) -> Option<Date> {
    state
        .joined
        .values()
        .map(|key| key.occurred_at.date())
        .min()
}

/// What an open case holds open: nothing for a finished one.
pub(super) fn open(
    state: &CaseState,
    kinds: &BTreeMap<AgencyCode, AgencyKind>,
    court: Option<AgencyCode>,
) -> Vec<Tally> {
    if !state.stage.is_open() || state.closed.is_some() {
        return Vec::new();
    }
    let mut open = Vec::new();
    let mut waiting: Vec<_> = state
        .actions
        .iter()
        .filter(|action| action.state == ActionState::Open)
        .collect();
    waiting.sort_by_key(|action| (action.due_on, action.requested_at));
    for action in &waiting {
        open.push(Tally {
            measure: Measure::OpenWork,
            on: action.due_on,
            court: court.clone(),
            value: action.action.as_str(),
            // The agency asked, by its code: a report names it, and groups agencies by kind.
            detail: if kinds.contains_key(&action.owner) {
                action.owner.to_string()
            } else {
                String::new()
            },
            days: None,
        });
    }
    let began = began(state);
    let latest = state.last_folded.as_ref().map(|key| key.occurred_at.date());
    if let Some(offence) = Milestones::of(state).offence.or(began).or(latest) {
        open.push(Tally {
            measure: Measure::OpenCases,
            on: offence,
            court: court.clone(),
            value: state.stage.as_str(),
            detail: String::new(),
            days: None,
        });
    }
    if let Some(latest) = latest {
        let holder = waiting
            .first()
            .and_then(|action| kinds.get(&action.owner).copied())
            .unwrap_or_else(|| stage_holder(state.stage));
        open.push(Tally {
            measure: Measure::Idle,
            on: latest,
            court,
            value: state.stage.as_str(),
            detail: holder.as_str().to_owned(),
            days: None,
        });
    }
    open
}

/// Who holds the next step of a case at `stage` with no work asked of anyone.
fn stage_holder(stage: Stage) -> AgencyKind {
    match stage {
        Stage::Arrested => AgencyKind::Police,
        Stage::AwaitingChargingDecision => AgencyKind::Cps,
        Stage::UnderOrder => AgencyKind::Probation,
        Stage::Charged
        | Stage::BeforeCourt
        | Stage::AwaitingTrial
        | Stage::AwaitingSentence
        | Stage::Completed
        | Stage::Closed => AgencyKind::Court,
    }
}

/// The bands of days before today an open measure's days fall in: each band's fewest days and
/// its words. The first band takes every day up to the second's.
pub fn bands(measure: Measure) -> &'static [(i64, &'static str)] {
    match measure {
        Measure::OpenWork => &[
            (i64::MIN, "Not yet due"),
            (1, "1 to 7 days overdue"),
            (8, "8 to 28 days overdue"),
            (29, "29 to 91 days overdue"),
            (92, "More than 91 days overdue"),
        ],
        Measure::OpenCases => &[
            (i64::MIN, "Up to 91 days old"),
            (92, "92 to 182 days old"),
            (183, "183 to 365 days old"),
            (366, "More than 365 days old"),
        ],
        Measure::Idle => &[
            (i64::MIN, "Something happened in the last 28 days"),
            (29, "Idle 29 to 56 days"),
            (57, "Idle 57 to 91 days"),
            (92, "Idle more than 91 days"),
        ],
        Measure::OpenExceptions => &[
            (i64::MIN, "Up to 7 days"),
            (8, "8 to 28 days"),
            (29, "29 to 91 days"),
            (92, "More than 91 days"),
        ],
        _ => &[],
    }
}

/// The band of `measure` that `day` falls in on `today`.
pub fn band_of(measure: Measure, day: Date, today: Date) -> usize {
    let days = (today - day).whole_days();
    bands(measure)
        .iter()
        .rposition(|(fewest, _)| days >= *fewest)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_day_falls_in_the_band_of_its_days_before_today() {
        let today = date!(2026 - 11 - 30);
        let work = Measure::OpenWork;
        assert_eq!(
            band_of(work, date!(2026 - 12 - 25), today),
            0,
            "not yet due"
        );
        assert_eq!(band_of(work, today, today), 0, "due today is not overdue");
        assert_eq!(band_of(work, date!(2026 - 11 - 29), today), 1);
        assert_eq!(band_of(work, date!(2026 - 11 - 23), today), 1, "7 days");
        assert_eq!(band_of(work, date!(2026 - 11 - 22), today), 2, "8 days");
        assert_eq!(band_of(work, date!(2026 - 08 - 31), today), 3, "91 days");
        assert_eq!(band_of(work, date!(2026 - 08 - 30), today), 4, "92 days");
        assert_eq!(band_of(work, date!(2026 - 09 - 01), today), 3, "90 days");
        let idle = Measure::Idle;
        assert_eq!(band_of(idle, date!(2026 - 11 - 02), today), 0, "28 days");
        assert_eq!(band_of(idle, date!(2026 - 11 - 01), today), 1, "29 days");
    }
}
