//! What a case counts in management information: each ended stretch of its journey, each trial
//! listed (with how it went and why), and each adjournment (with its reason and the side
//! responsible), every one on the day it happened and at the court it happened in. A report
//! adds these up; it never reads a case.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Interval, Milestones};
use crate::journey::{AdjournmentReason, TrialEffectiveness};
use crate::{AgencyCode, CaseState};

/// A measure a report shows: what is counted, and what each count is split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Cases whose stretch ended, with its days (kept apart, for medians).
    Timeliness(Interval),
    /// Trials listed, by how they went and the court's reason.
    Trials,
    /// Hearings adjourned, by reason and the side responsible.
    Adjournments,
}

impl Measure {
    pub const ALL: [Self; 7] = [
        Self::Timeliness(Interval::OffenceToCharge),
        Self::Timeliness(Interval::ChargeToFirstListing),
        Self::Timeliness(Interval::FirstListingToCompletion),
        Self::Timeliness(Interval::CompletionToSentence),
        Self::Timeliness(Interval::OffenceToCompletion),
        Self::Trials,
        Self::Adjournments,
    ];

    /// The name a report, its cells and its files use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timeliness(interval) => interval.as_str(),
            Self::Trials => "trials",
            Self::Adjournments => "adjournments",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|measure| measure.as_str() == input)
    }

    /// The definition the measure follows, as a reader of a report should see it.
    pub fn definition(self) -> &'static str {
        match self {
            Self::Timeliness(interval) => interval.definition(),
            Self::Trials => {
                "Trials listed, counted on the day listed, by whether the trial went ahead \
                 (effective), did not go ahead and was not needed again (cracked: a late guilty \
                 plea, or the prosecution offered no evidence), or did not go ahead and had to \
                 be listed again (ineffective), with the court's reason. MoJ criminal court \
                 statistics: trial effectiveness at the magistrates' courts."
            }
            Self::Adjournments => {
                "Hearings adjourned, counted on the day adjourned, by the reason the court gave \
                 and the side it held responsible (prosecution, defence, court, probation). As \
                 the effectiveness tables attribute ineffective hearings."
            }
        }
    }
}

/// One thing a case counts: in `measure`, on day `on`, at `court` (the court agency that listed
/// the hearing; the first hearing's for timeliness; none when the case never reached a court), as `value` with `detail` (both empty
/// when the measure is not split).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tally {
    pub measure: Measure,
    pub on: Date,
    pub court: Option<AgencyCode>,
    pub value: &'static str,
    pub detail: String,
    /// The stretch's days, for timeliness; none otherwise.
    pub days: Option<i64>,
}

/// Everything a case in `state` counts.
pub fn tallies(state: &CaseState) -> Vec<Tally> {
    let first_court = state
        .hearings
        .iter()
        .min_by_key(|hearing| hearing.starts_at)
        .and_then(|hearing| hearing.listed_by.clone());
    let mut tallies: Vec<Tally> = Milestones::of(state)
        .stretches()
        .map(|(interval, on, days)| Tally {
            measure: Measure::Timeliness(interval),
            on,
            court: first_court.clone(),
            value: "",
            detail: String::new(),
            days: Some(days),
        })
        .collect();
    for hearing in &state.hearings {
        if let Some(trial) = hearing.trial {
            tallies.push(Tally {
                measure: Measure::Trials,
                on: hearing.starts_at.date(),
                court: hearing.listed_by.clone(),
                value: trial.as_str(),
                detail: hearing
                    .trial_reason
                    .as_ref()
                    .filter(|_| trial != TrialEffectiveness::Effective)
                    .map(|reason| reason.as_str().to_owned())
                    .unwrap_or_default(),
                days: None,
            });
        }
    }
    for adjournment in &state.adjournments {
        let court = state
            .hearings
            .iter()
            .find(|hearing| hearing.hearing_id == adjournment.hearing_id)
            .and_then(|hearing| hearing.listed_by.clone());
        tallies.push(Tally {
            measure: Measure::Adjournments,
            on: adjournment.adjourned_at.date(),
            court,
            value: adjournment.reason.as_str(),
            detail: adjournment
                .responsible
                .map(|side| side.as_str().to_owned())
                .unwrap_or_default(),
            days: None,
        });
    }
    tallies
}

/// The reason for an adjournment, in words, from its name in a cell.
pub fn adjournment_words(value: &str) -> &str {
    match AdjournmentReason::parse(value) {
        Some(reason) => reason.words(),
        None => value,
    }
}
