//! What a case counts in management information: each ended stretch of its journey, each trial
//! listed (with how it went and why), each adjournment (with its reason and the side
//! responsible) and each piece of requested work done (on time or late, with its days), every
//! one on the day it happened and at the court it happened in; and, while the case is open, what
//! it holds open now (`open.rs`). A report adds these up; it never reads a case.

use serde::{Deserialize, Serialize};
use time::Date;

use std::collections::BTreeMap;

use super::{Interval, Milestones};
use crate::journey::{ActionKind, ActionState, AdjournmentReason, TrialEffectiveness};
use crate::{AgencyCode, AgencyKind, CaseState};

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
    /// Requested work of one kind done, by whether it was done by the day it was due, with its
    /// days from request to done (for medians).
    Turnaround(ActionKind),
    /// Requested work not yet done, by kind and the agency asked; kept by the day it
    /// falls due (so how overdue it is can be told on any day).
    OpenWork,
    /// Open cases by stage; kept by the day of the offence (so their age can be told on any
    /// day).
    OpenCases,
    /// Open cases by stage and the kind of agency that holds the next step; kept by the day
    /// of their latest event (so how long they have been idle can be told on any day).
    Idle,
    /// Cases reaching each milestone of the journey (began, charged, first listed, completed,
    /// sentenced), by the month they reached it: the steps of a cumulative flow.
    Reached,
    /// Data-quality problems raised on messages, by the kind of agency that sent them and the
    /// problem's code.
    Exceptions,
    /// Data-quality problems resolved, the same way, with the days each took (kept apart, for
    /// medians).
    ExceptionsResolved,
    /// Data-quality problems still open, the same way; kept by the day raised.
    OpenExceptions,
}

impl Measure {
    /// The measures counted by the month things happened in.
    pub const FLOWS: [Self; 17] = [
        Self::Timeliness(Interval::OffenceToCharge),
        Self::Timeliness(Interval::ChargeToFirstListing),
        Self::Timeliness(Interval::FirstListingToCompletion),
        Self::Timeliness(Interval::CompletionToSentence),
        Self::Timeliness(Interval::OffenceToCompletion),
        Self::Trials,
        Self::Adjournments,
        Self::Turnaround(ActionKind::PreSentenceReport),
        Self::Turnaround(ActionKind::ChargingDecision),
        Self::Turnaround(ActionKind::FullFile),
        Self::Turnaround(ActionKind::Antecedents),
        Self::Turnaround(ActionKind::RiskAssessment),
        Self::Turnaround(ActionKind::Referral),
        Self::Turnaround(ActionKind::Other),
        Self::Reached,
        Self::Exceptions,
        Self::ExceptionsResolved,
    ];

    /// The measures of what is open now, kept by a day that tells how long.
    pub const OPEN: [Self; 4] = [
        Self::OpenWork,
        Self::OpenCases,
        Self::Idle,
        Self::OpenExceptions,
    ];

    /// The name a report, its cells and its files use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timeliness(interval) => interval.as_str(),
            Self::Trials => "trials",
            Self::Adjournments => "adjournments",
            Self::Turnaround(kind) => match kind {
                ActionKind::PreSentenceReport => "turnaround_pre_sentence_report",
                ActionKind::ChargingDecision => "turnaround_charging_decision",
                ActionKind::FullFile => "turnaround_full_file",
                ActionKind::Antecedents => "turnaround_antecedents",
                ActionKind::RiskAssessment => "turnaround_risk_assessment",
                ActionKind::Referral => "turnaround_referral",
                ActionKind::Other => "turnaround_other",
            },
            Self::OpenWork => "open_work",
            Self::OpenCases => "open_cases",
            Self::Idle => "idle",
            Self::Reached => "reached",
            Self::Exceptions => "exceptions",
            Self::ExceptionsResolved => "exceptions_resolved",
            Self::OpenExceptions => "open_exceptions",
        }
    }

    /// Whether each count has its days kept apart, for medians.
    pub fn has_days(self) -> bool {
        matches!(
            self,
            Self::Timeliness(_) | Self::Turnaround(_) | Self::ExceptionsResolved
        )
    }

    /// Whether the measure counts what is open now (by a day that tells how long) rather than
    /// what happened in a month.
    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::FLOWS
            .into_iter()
            .chain(Self::OPEN)
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
            Self::Turnaround(_) => {
                "Work one agency asked of another and recorded as done, counted on the day \
                 done, by whether it was done by the day it was due, with the days from the \
                 request to done. As the National Standards for pre-sentence reports measure \
                 timeliness against the date the court set."
            }
            Self::OpenWork => {
                "Work asked of an agency and not yet recorded as done, on open cases, by the \
                 kind of work and the agency asked, and by how many days past its due day it is \
                 today. What is open is counted at most a minute before it is shown."
            }
            Self::OpenCases => {
                "Open cases (not yet sentenced, closed or finished with), by stage and by age: \
                 the days since the offence (the earliest offence date), or since the case \
                 began where no offence date is known. The open caseload's age profile. What is \
                 open is counted at most a minute before it is shown."
            }
            Self::Idle => {
                "Open cases by stage and by the kind of agency that holds the next step (the \
                 agency asked for the earliest-due open work, otherwise the stage's: the police \
                 before a charging decision is asked, the CPS while it decides, the court \
                 until sentence, probation under an order), by how many days since anything \
                 last happened on the case. What is open is counted at most a minute before it \
                 is shown."
            }
            Self::Reached => {
                "Cases reaching each milestone, counted in the month they reached it: began (the \
                 first message about the case), charged, first listed before a court, completed \
                 (convicted, or ended without a conviction) and sentenced. Added up month by \
                 month, the counts are a cumulative flow: the gap between two milestones' lines \
                 is the work in progress between them."
            }
            Self::Exceptions => {
                "Data-quality problems found in the messages agencies sent (an identifier that \
                 fails its check, a code the standing data does not know), counted on the day \
                 the message came, at the sending court or police force, by the agency that \
                 sent it and the problem's code. As Bichard 7's exception reports."
            }
            Self::ExceptionsResolved => {
                "Data-quality problems a person at the sending agency marked resolved, counted \
                 on the day resolved, with the days from the message to its resolution."
            }
            Self::OpenExceptions => {
                "Data-quality problems not yet resolved, by how many days since the message \
                 came. What is open is counted at most a minute before it is shown."
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

/// Everything a case in `state` counts; `kinds` tells the kind of each agency on the case or
/// asked for work on it (an agency not in it holds no next step).
pub fn tallies(state: &CaseState, kinds: &BTreeMap<AgencyCode, AgencyKind>) -> Vec<Tally> {
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
    let court_now = super::open::court_now(state);
    let milestones = Milestones::of(state);
    let reached = [
        ("began", super::open::began(state)),
        ("charged", milestones.charge),
        ("first_listed", milestones.first_listing),
        ("completed", milestones.completion),
        ("sentenced", milestones.sentence),
    ];
    for (milestone, on) in reached {
        if let Some(on) = on {
            tallies.push(Tally {
                measure: Measure::Reached,
                on,
                court: court_now.clone(),
                value: milestone,
                detail: String::new(),
                days: None,
            });
        }
    }
    for action in &state.actions {
        let (ActionState::Completed, Some(done)) = (action.state, action.completed_at) else {
            continue;
        };
        let days = (done.date() - action.requested_at.date()).whole_days();
        if days < 0 {
            continue;
        }
        tallies.push(Tally {
            measure: Measure::Turnaround(action.action),
            on: done.date(),
            court: court_now.clone(),
            value: if done.date() <= action.due_on {
                "on_time"
            } else {
                "late"
            },
            detail: String::new(),
            days: Some(days),
        });
    }
    tallies.extend(super::open::open(state, kinds, court_now));
    tallies
}

/// The reason for an adjournment, in words, from its name in a cell.
pub fn adjournment_words(value: &str) -> &str {
    match AdjournmentReason::parse(value) {
        Some(reason) => reason.words(),
        None => value,
    }
}
