//! Management information: the journey's timeliness, defined once. Each measure follows the
//! definition the Ministry of Justice publishes in its criminal court statistics (timeliness of
//! criminal cases), so that Joinery's live figures mean what the quarterly ones mean.
//!
//! A measure is a whole number of days between two milestones of one case, taken from the
//! case's folded state alone: no measure reads the events again, so the facts a report needs
//! can be kept as each message is folded. Only aggregates of these are ever shown.

pub mod disclosure;
mod open;
mod period;
mod tallies;

pub use open::{band_of, bands};
pub use period::{Month, Period, PeriodError, Quarter, Week, weeks_of};
pub use tallies::{Measure, Tally, adjournment_words, tallies};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::journey::OffenceType;
use crate::{AgencyCode, AgencyKind, CaseState};

/// Where a report looks: the cases of one court centre (the court agency that listed them), of
/// one police force area, of one CPS area (the prosecutor on the case), of one probation
/// service, of a court with a force or a CPS area with a probation service (`mixes_places`), or
/// (`None` for each) the whole country; of one type of
/// principal offence, or of every one. Who may look where is the agreement's decision (by
/// place: every offence type of a place is the place's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Scope {
    pub court: Option<AgencyCode>,
    pub force: Option<AgencyCode>,
    pub prosecutor: Option<AgencyCode>,
    pub probation: Option<AgencyCode>,
    pub offence_type: Option<OffenceType>,
}

impl Scope {
    /// The places the scope is narrowed to, in the order of [`Place::ALL`] (`None`: every one).
    pub fn places(&self) -> [&Option<AgencyCode>; 4] {
        [&self.court, &self.force, &self.prosecutor, &self.probation]
    }

    /// Whether the scope names no place at all: the whole country.
    pub fn is_everywhere(&self) -> bool {
        self.places().iter().all(|place| place.is_none())
    }

    /// Whether the scope is narrowed both by a court or police force and by a CPS area or
    /// probation service: counts are kept by the one pair or the other (two linked grids, so
    /// that a national quarter's is not five times the size), not by both at once.
    pub fn mixes_places(&self) -> bool {
        (self.court.is_some() || self.force.is_some())
            && (self.prosecutor.is_some() || self.probation.is_some())
    }
}

/// The kinds of place a case counts at: a report is narrowed by court and force, or by CPS area
/// and probation service (`Scope::mixes_places`), each count protected with the others'
/// (`disclosure.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// The court agency that listed the case's hearing.
    Court,
    /// The police force on the case.
    Force,
    /// The CPS area on the case.
    Prosecutor,
    /// The probation service on the case.
    Probation,
}

impl Place {
    pub const ALL: [Self; 4] = [Self::Court, Self::Force, Self::Prosecutor, Self::Probation];

    /// The name of the filter, the cell's column and the export's.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Court => "court",
            Self::Force => "force",
            Self::Prosecutor => "prosecutor",
            Self::Probation => "probation",
        }
    }

    /// The kind of agency at such a place.
    pub fn kind(self) -> AgencyKind {
        match self {
            Self::Court => AgencyKind::Court,
            Self::Force => AgencyKind::Police,
            Self::Prosecutor => AgencyKind::Cps,
            Self::Probation => AgencyKind::Probation,
        }
    }

    /// What a person calls one, in a sentence.
    pub fn words(self) -> &'static str {
        match self {
            Self::Court => "court",
            Self::Force => "police force",
            Self::Prosecutor => "CPS area",
            Self::Probation => "probation service",
        }
    }
}

/// A stretch of the journey whose length in days is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    OffenceToCharge,
    ChargeToFirstListing,
    FirstListingToCompletion,
    CompletionToSentence,
    OffenceToCompletion,
}

impl Interval {
    pub const ALL: [Self; 5] = [
        Self::OffenceToCharge,
        Self::ChargeToFirstListing,
        Self::FirstListingToCompletion,
        Self::CompletionToSentence,
        Self::OffenceToCompletion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OffenceToCharge => "offence_to_charge",
            Self::ChargeToFirstListing => "charge_to_first_listing",
            Self::FirstListingToCompletion => "first_listing_to_completion",
            Self::CompletionToSentence => "completion_to_sentence",
            Self::OffenceToCompletion => "offence_to_completion",
        }
    }

    /// The definition the measure follows, as a reader of a report should see it.
    pub fn definition(self) -> &'static str {
        match self {
            Self::OffenceToCharge => {
                "Days from the offence (the earliest offence date on the case) to the day the \
                 defendant was first charged. MoJ criminal court statistics: offence to charge."
            }
            Self::ChargeToFirstListing => {
                "Days from the first charge to the case's first listing before a court. MoJ \
                 criminal court statistics: charge to first listing."
            }
            Self::FirstListingToCompletion => {
                "Days from the first listing to completion: the day the defendant was convicted \
                 (by plea or verdict) or the case ended without a conviction. MoJ criminal court \
                 statistics: first listing to completion."
            }
            Self::CompletionToSentence => {
                "Days from conviction to sentence, for cases sentenced. MoJ criminal court \
                 statistics: completion to sentence (the wait for sentence, often for a \
                 pre-sentence report)."
            }
            Self::OffenceToCompletion => {
                "Days from the offence to completion, for cases that reached a court. MoJ \
                 criminal court statistics and the Criminal Justice System Delivery Data \
                 Dashboard: offence to completion."
            }
        }
    }
}

/// The days of a case's journey that its timeliness is measured between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Milestones {
    /// The earliest offence date on the case.
    pub offence: Option<Date>,
    pub charge: Option<Date>,
    /// The first hearing the case was listed for.
    pub first_listing: Option<Date>,
    /// Convicted, or ended without a conviction.
    pub completion: Option<Date>,
    pub sentence: Option<Date>,
}

impl Milestones {
    pub fn of(state: &CaseState) -> Self {
        Self {
            offence: state
                .offences
                .iter()
                .filter_map(|offence| offence.charged.committed_on)
                .min(),
            charge: state.charged_on,
            first_listing: state
                .hearings
                .iter()
                .map(|hearing| hearing.starts_at.date())
                .min(),
            completion: state.completed_on,
            sentence: state
                .sentence
                .as_ref()
                .map(|sentence| sentence.sentenced_at.date()),
        }
    }

    /// The days `interval` took on this case: `None` while either end is still to come, and
    /// for the court's stretches when the case never reached a court. A stretch whose end came
    /// before its start (a date given wrongly) is not a measure either.
    pub fn days(&self, interval: Interval) -> Option<i64> {
        let (from, to) = match interval {
            Interval::OffenceToCharge => (self.offence, self.charge),
            Interval::ChargeToFirstListing => (self.charge, self.first_listing),
            Interval::FirstListingToCompletion => (
                self.first_listing,
                self.completion.filter(|_| self.first_listing.is_some()),
            ),
            Interval::CompletionToSentence => (self.completion, self.sentence),
            Interval::OffenceToCompletion => (
                self.offence,
                self.completion.filter(|_| self.first_listing.is_some()),
            ),
        };
        let days = (to? - from?).whole_days();
        (days >= 0).then_some(days)
    }
}

impl Milestones {
    /// Each stretch the case has completed: with the day it ended (a report counts a stretch in
    /// the period it ended in, as the published figures count cases in the period they were
    /// charged, listed or completed) and its length in days.
    pub fn stretches(&self) -> impl Iterator<Item = (Interval, Date, i64)> + '_ {
        Interval::ALL.into_iter().filter_map(|interval| {
            let days = self.days(interval)?;
            let ended = match interval {
                Interval::OffenceToCharge => self.charge,
                Interval::ChargeToFirstListing => self.first_listing,
                Interval::FirstListingToCompletion | Interval::OffenceToCompletion => {
                    self.completion
                }
                Interval::CompletionToSentence => self.sentence,
            }?;
            Some((interval, ended, days))
        })
    }
}

/// The type of a case's principal offence: the most serious type among its offences, as the
/// criminal court statistics count a defendant under their principal offence. `Unclassified`
/// before a charge, or when no offence's type is known.
pub fn offence_type(state: &CaseState) -> OffenceType {
    state
        .offences
        .iter()
        .filter_map(|offence| offence.charged.offence_type)
        .max()
        .unwrap_or(OffenceType::Unclassified)
}

/// How many cases took each whole number of days: enough for an exact median and 90th
/// percentile of any set of cases, by adding their counts together, without the cases.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DayCounts(std::collections::BTreeMap<i64, u64>);

impl DayCounts {
    pub fn add(&mut self, days: i64, cases: u64) {
        *self.0.entry(days).or_default() += cases;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Self) {
        for (days, cases) in &other.0 {
            self.add(*days, *cases);
        }
    }

    pub fn cases(&self) -> u64 {
        self.0.values().sum()
    }

    /// The `percent`-th percentile by nearest rank: the fewest days that at least `percent`%
    /// of the cases took no longer than. `None` with no cases. In whole numbers throughout, so
    /// that no rounding moves a rank (0.9 × 30 is not 27 in floating point).
    pub fn percentile(&self, percent: u8) -> Option<i64> {
        let cases = self.cases();
        // The rank of the case that marks it, from 1: ⌈percent·n / 100⌉, at least the first.
        let rank = (u64::from(percent.min(100)) * cases).div_ceil(100).max(1);
        let mut seen = 0;
        for (days, count) in &self.0 {
            seen += count;
            if seen >= rank {
                return Some(*days);
            }
        }
        None
    }

    pub fn median(&self) -> Option<i64> {
        self.percentile(50)
    }

    pub fn p90(&self) -> Option<i64> {
        self.percentile(90)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CanonicalMessage;

    fn example(text: &str, occurred_at: &str) -> CanonicalMessage {
        let mut message: serde_json::Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        message["occurred_at"] = occurred_at.into();
        serde_json::from_value(message).unwrap_or_else(|e| panic!("{e}"))
    }

    fn journey() -> Vec<CanonicalMessage> {
        vec![
            example(
                include_str!("../../../../examples/messages/charge.json"),
                "2026-03-03T10:00:00Z",
            ),
            example(
                include_str!("../../../../examples/messages/hearing_listed.json"),
                "2026-03-04T10:00:00Z",
            ),
            example(
                include_str!("../../../../examples/messages/plea.json"),
                "2026-04-01T10:00:00Z",
            ),
            example(
                include_str!("../../../../examples/messages/sentence.json"),
                "2026-05-13T10:00:00Z",
            ),
        ]
    }

    #[test]
    fn each_stretch_is_the_days_between_its_milestones() {
        let events = journey();
        let state = CaseState::from_events(&events);
        let milestones = Milestones::of(&state);
        assert_eq!(milestones.charge, Some(time::macros::date!(2026 - 03 - 03)));
        let offence = milestones
            .offence
            .expect("the example names an offence date");
        let listed = milestones.first_listing.expect("listed");
        assert_eq!(
            milestones.completion,
            Some(time::macros::date!(2026 - 04 - 01))
        );
        assert_eq!(
            milestones.sentence,
            Some(time::macros::date!(2026 - 05 - 13))
        );
        assert_eq!(
            milestones.days(Interval::OffenceToCharge),
            Some((time::macros::date!(2026 - 03 - 03) - offence).whole_days())
        );
        assert_eq!(
            milestones.days(Interval::FirstListingToCompletion),
            Some((time::macros::date!(2026 - 04 - 01) - listed).whole_days())
        );
        assert_eq!(milestones.days(Interval::CompletionToSentence), Some(42));
    }

    #[test]
    fn each_completed_stretch_counts_in_the_period_it_ended() {
        let state = CaseState::from_events(&journey());
        let stretches: Vec<(Interval, Date, i64)> = Milestones::of(&state).stretches().collect();
        assert_eq!(stretches.len(), Interval::ALL.len(), "{stretches:?}");
        assert!(stretches.contains(&(
            Interval::CompletionToSentence,
            time::macros::date!(2026 - 05 - 13),
            42
        )));
        let open = CaseState::from_events(&journey()[..1]);
        let stretches: Vec<Interval> = Milestones::of(&open)
            .stretches()
            .map(|(interval, _, _)| interval)
            .collect();
        assert_eq!(stretches, [Interval::OffenceToCharge]);
    }

    #[test]
    fn quantiles_from_day_counts_are_those_of_the_cases_themselves() {
        let days = [0, 0, 0, 3, 7, 7, 30, 31, 90, 400, 12];
        let mut counts = DayCounts::default();
        for day in days {
            counts.add(day, 1);
        }
        // Sorted, the cases are 0 0 0 3 7 7 12 30 31 90 400: the 6th of 11 is the median, the
        // 10th (⌈9.9⌉) the 90th percentile.
        assert_eq!(counts.cases(), 11);
        assert_eq!(counts.median(), Some(7));
        assert_eq!(counts.p90(), Some(90));
        assert_eq!(counts.percentile(0), Some(0));
        assert_eq!(counts.percentile(100), Some(400));
        // Thirty cases of 1 to 30 days: the 90th percentile is the 27th, exactly.
        let mut thirty = DayCounts::default();
        for day in 1..=30 {
            thirty.add(day, 1);
        }
        assert_eq!(thirty.p90(), Some(27));
        assert_eq!(thirty.median(), Some(15));
        // Two cells added together answer as their cases would.
        let (mut left, mut right) = (DayCounts::default(), DayCounts::default());
        for (i, day) in days.iter().enumerate() {
            if i % 2 == 0 {
                left.add(*day, 1)
            } else {
                right.add(*day, 1)
            }
        }
        left.merge(&right);
        assert_eq!(left, counts);
        assert_eq!(DayCounts::default().median(), None);
    }

    #[test]
    fn a_stretch_not_yet_ended_is_no_measure() {
        let events = journey();
        let state = CaseState::from_events(&events[..2]);
        let milestones = Milestones::of(&state);
        assert_eq!(milestones.completion, None);
        for interval in [
            Interval::FirstListingToCompletion,
            Interval::CompletionToSentence,
            Interval::OffenceToCompletion,
        ] {
            assert_eq!(milestones.days(interval), None, "{interval:?}");
        }
    }

    #[test]
    fn the_first_charge_and_the_first_decision_stand_whatever_follows() {
        let mut events = journey();
        let mut again = events[0].clone();
        again.message_id = crate::MessageId::parse("CHG-AGAIN").expect("id");
        again.occurred_at = crate::Timestamp::parse("2026-03-20T10:00:00Z").expect("time");
        events.push(again);
        let state = CaseState::from_events(&events);
        assert_eq!(state.charged_on, Some(time::macros::date!(2026 - 03 - 03)));
        assert_eq!(
            state.completed_on,
            Some(time::macros::date!(2026 - 04 - 01))
        );
    }
}
