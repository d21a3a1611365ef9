//! One case of a national year as a plan: where it is, what it is for, and every turn it takes
//! from the offence to completion, with dates, drawn from [`SHAPE`]. A plan is pure: it says
//! nothing of messages (see `messages`), and it runs past the day the year is seen from, so the
//! calibration can be measured on whole journeys, as the published figures are, while the
//! messages stop at that day.
//!
//! Each case draws from its own dice, seeded from the year's seed and its number, so cases can be
//! planned in any order or at once and the same seed gives the same year.

use joinery_domain::AgencyKind;
use joinery_domain::journey::{AdjournmentReason, HearingPurpose, TrialEffectiveness};
use time::{Date, Duration, Weekday};

use super::calibration::{
    CRACKED_REASONS, INEFFECTIVE_REASONS, ModeOfTrial, OFFENCES, SHAPE, TARGETS,
};
use super::geography::{Court, FORCES, courts};
use crate::model_office::Dice;

/// Where a national year's cases are drawn: the force weights and every court, made once.
pub struct Nation {
    force_weights: Vec<u64>,
    offence_weights: Vec<u64>,
    courts: Vec<Court>,
}

impl Default for Nation {
    fn default() -> Self {
        Self {
            force_weights: super::geography::force_weights(),
            offence_weights: OFFENCES.iter().map(|offence| offence.weight).collect(),
            courts: courts(),
        }
    }
}

impl Nation {
    fn court(&self, ou: &str) -> Court {
        self.courts
            .iter()
            .copied()
            .find(|court| court.ou == ou)
            .unwrap_or(self.courts[0])
    }
}

/// A case's whole journey.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Its number in the year, from 1.
    pub number: u32,
    pub force: usize,
    pub cps: &'static str,
    pub offence: usize,
    pub offence_on: Date,
    pub arrested_on: Date,
    /// Charged in custody on the day of arrest, else released on bail or under investigation.
    pub custody: bool,
    /// The police asked the CPS for a charging decision (on this day, due by this day).
    pub asked_cps: Option<(Date, Date)>,
    /// The day of the charging decision (the CPS's, or the police's own charge).
    pub decided_on: Date,
    /// Whether the decision was to charge (else no further action).
    pub charged: bool,
    pub hearings: Vec<Hearing>,
    /// A pre-sentence report asked of probation: asked on, due by, submitted on.
    pub report: Option<(Date, Date, Date)>,
    /// Sentenced to an order supervised by probation.
    pub supervised: bool,
    /// The day the case completed (sentence, acquittal or the prosecution ending it).
    pub completed_on: Option<Date>,
    pub crown: bool,
}

/// One hearing: where, when it was listed, when it sits, why, and what came of it.
#[derive(Debug, Clone)]
pub struct Hearing {
    pub court: Court,
    pub judge: usize,
    pub listed_on: Date,
    pub on: Date,
    pub purpose: HearingPurpose,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Adjourned for a reason, to the next hearing.
    Adjourned(AdjournmentReason, Option<AgencyKind>),
    /// Sent to the Crown Court for trial.
    SentToCrown,
    /// Pleaded guilty; sentenced there and then when `sentenced`.
    Guilty { sentenced: bool },
    /// Pleaded not guilty; a trial is listed.
    NotGuilty,
    /// A trial, and how it went.
    Trial(TrialEffectiveness, &'static str, AfterTrial),
    /// Sentenced.
    Sentenced,
    /// A review of an order.
    Review,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterTrial {
    /// Convicted (after a trial or a late plea): sentenced now, or after a report.
    Convicted {
        sentenced: bool,
    },
    Acquitted,
    /// The prosecution offered no evidence.
    Discontinued,
    /// Listed again.
    Relisted,
}

/// The next weekday on or after `day`: courts sit Monday to Friday.
fn weekday(day: Date) -> Date {
    match day.weekday() {
        Weekday::Saturday => day + Duration::days(2),
        Weekday::Sunday => day + Duration::days(1),
        _ => day,
    }
}

fn days(value: f64) -> Duration {
    Duration::days(value.round().max(0.0) as i64)
}

/// Builds a case's hearings one after another.
struct Listing<'a> {
    dice: &'a mut Dice,
    hearings: Vec<Hearing>,
    /// When the next hearing is listed from, and where.
    last: Date,
}

impl Listing<'_> {
    fn sit(&mut self, court: Court, after: Duration, purpose: HearingPurpose, outcome: Outcome) {
        let on = weekday(self.last + after);
        let judge = self.dice.below(if court.crown { 4 } else { 3 }) as usize;
        self.hearings.push(Hearing {
            court,
            judge,
            listed_on: self.last,
            on,
            purpose,
            outcome,
        });
        self.last = on;
    }

    fn weeks(&mut self, crown: bool) -> Duration {
        let mean = if crown {
            SHAPE.weeks_between_crown
        } else {
            SHAPE.weeks_between_magistrates
        };
        days(7.0 * self.dice.log_normal(mean, 0.4))
    }

    /// Adjournments before the next step, each for a reason, while the dice say so.
    fn delays(&mut self, court: Court, purpose: HearingPurpose) {
        let odds = if court.crown {
            SHAPE.extra_adjournment_crown
        } else {
            SHAPE.extra_adjournment
        };
        while self.dice.odds(odds) {
            let (reason, responsible) = self.dice.pick(&[
                (
                    AdjournmentReason::ProsecutionNotReady,
                    Some(AgencyKind::Cps),
                ),
                (AdjournmentReason::DefenceNotReady, None),
                (AdjournmentReason::DefendantAbsent, None),
                (AdjournmentReason::WitnessAbsent, Some(AgencyKind::Police)),
                (
                    AdjournmentReason::InsufficientCourtTime,
                    Some(AgencyKind::Court),
                ),
                (
                    AdjournmentReason::InterpreterUnavailable,
                    Some(AgencyKind::Court),
                ),
            ]);
            let after = self.weeks(court.crown);
            self.sit(
                court,
                after,
                purpose,
                Outcome::Adjourned(reason, responsible),
            );
        }
    }

    /// A trial, listed again while ineffective, then what follows it; returns whether a
    /// report was asked for before sentence (`Some(day asked)`), or `None`.
    fn trial(&mut self, court: Court, after: Duration) -> Option<Date> {
        let mut after = after;
        loop {
            let roll = self.dice.unit();
            let (effectiveness, reasons, then): (_, &[(&'static str, u64)], _) =
                if roll < SHAPE.trial_effective {
                    let then = if self.dice.odds(SHAPE.convicted_at_trial) {
                        AfterTrial::Convicted {
                            sentenced: self.dice.odds(0.5),
                        }
                    } else {
                        AfterTrial::Acquitted
                    };
                    (TrialEffectiveness::Effective, &[("", 1)], then)
                } else if roll < SHAPE.trial_effective + SHAPE.trial_cracked {
                    let reason = self.dice.weighted(&CRACKED_REASONS.map(|(_, w)| w));
                    let then = if reason == 2 {
                        AfterTrial::Discontinued
                    } else {
                        AfterTrial::Convicted {
                            sentenced: self.dice.odds(0.6),
                        }
                    };
                    (
                        TrialEffectiveness::Cracked,
                        &CRACKED_REASONS[reason..=reason],
                        then,
                    )
                } else {
                    let reason = self.dice.weighted(&INEFFECTIVE_REASONS.map(|(_, w)| w));
                    (
                        TrialEffectiveness::Ineffective,
                        &INEFFECTIVE_REASONS[reason..=reason],
                        AfterTrial::Relisted,
                    )
                };
            self.sit(
                court,
                after,
                HearingPurpose::Trial,
                Outcome::Trial(effectiveness, reasons[0].0, then),
            );
            match then {
                AfterTrial::Relisted => after = self.weeks(court.crown) * 2,
                AfterTrial::Convicted { sentenced: false } => return Some(self.last),
                _ => return None,
            }
        }
    }

    /// After a not-guilty plea: any adjournments, the trial some days on (a median of
    /// `to_trial`), and a sentence after a report if convicted and not sentenced there; returns
    /// the day the report was asked for, if one was.
    fn tried(&mut self, court: Court, to_trial: f64) -> Option<Date> {
        self.delays(court, HearingPurpose::Trial);
        let after = days(self.dice.log_normal(to_trial, SHAPE.plea_to_trial_sigma));
        let asked = self.trial(court, after)?;
        self.sentence_after_report(court);
        Some(asked)
    }

    /// A sentence hearing after a report asked for today.
    fn sentence_after_report(&mut self, court: Court) {
        self.delays(court, HearingPurpose::Sentence);
        let after = days(self.dice.log_normal(28.0, 0.2));
        self.sit(court, after, HearingPurpose::Sentence, Outcome::Sentenced);
    }
}

impl Plan {
    /// Case `number` of a year that ends on `today`.
    pub fn draw(nation: &Nation, seed: u64, number: u32, today: Date) -> Self {
        // Cases' dice differ by number; the multiplier spreads neighbouring numbers apart.
        let mut dice = Dice::new(seed ^ u64::from(number).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        for _ in 0..4 {
            dice.below(2);
        }
        let force = dice.weighted(&nation.force_weights);
        let area = &FORCES[force];
        let cps = dice.pick(area.cps);
        let offence = dice.weighted(&nation.offence_weights);
        let mode = OFFENCES[offence].mode;
        let offence_on = today - Duration::days(dice.below(365) as i64);
        let arrest_delay = if dice.odds(0.6) {
            Duration::ZERO
        } else {
            days(dice.log_normal(5.0, 1.0))
        };
        let arrested_on = offence_on + arrest_delay;
        let crown = match mode {
            ModeOfTrial::IndictableOnly => true,
            ModeOfTrial::EitherWay => dice.odds(SHAPE.either_way_to_crown),
            ModeOfTrial::Summary => false,
        };
        let custody = dice.odds(SHAPE.charged_in_custody);
        let decided_on = if custody {
            arrested_on
        } else {
            let investigation = if crown {
                SHAPE.crown_investigation
            } else {
                1.0
            };
            let waited = days(dice.log_normal(
                SHAPE.offence_to_charge_median * investigation,
                SHAPE.offence_to_charge_sigma,
            ));
            (offence_on + waited).max(arrested_on + Duration::days(1))
        };
        let cps_decides = mode != ModeOfTrial::Summary || dice.odds(SHAPE.summary_charged_by_cps);
        let asked_cps = cps_decides.then(|| {
            if custody {
                (arrested_on, arrested_on + Duration::days(1))
            } else {
                let asked = (decided_on - days(dice.log_normal(21.0, 0.6))).max(arrested_on);
                (asked, asked + Duration::days(28))
            }
        });
        let charged = !(cps_decides && dice.odds(SHAPE.no_further_action));
        let mut plan = Self {
            number,
            force,
            cps,
            offence,
            offence_on,
            arrested_on,
            custody,
            asked_cps,
            decided_on,
            charged,
            hearings: Vec::new(),
            report: None,
            supervised: false,
            completed_on: None,
            crown: crown && charged,
        };
        if charged {
            let magistrates = nation.court(dice.pick(area.magistrates).0);
            let crown_court = nation.court(dice.pick(area.crown).0);
            plan.court_journey(&mut dice, magistrates, crown.then_some(crown_court));
        }
        plan
    }

    fn court_journey(&mut self, dice: &mut Dice, magistrates: Court, crown: Option<Court>) {
        let to_first = if self.custody && dice.odds(SHAPE.remanded) {
            Duration::days(1)
        } else {
            days(dice.log_normal(
                SHAPE.charge_to_first_listing_median,
                SHAPE.charge_to_first_listing_sigma,
            ))
        };
        let mut listing = Listing {
            dice,
            hearings: Vec::new(),
            last: self.decided_on,
        };
        let report_asked = match crown {
            Some(crown) => Self::crown_journey(&mut listing, magistrates, crown, to_first),
            None => Self::magistrates_journey(&mut listing, magistrates, to_first),
        };
        let sentenced = listing
            .hearings
            .last()
            .is_some_and(|hearing| Self::sentences(hearing.outcome));
        if let Some(asked) = report_asked {
            let due = asked + Duration::days(21);
            let submitted = if listing.dice.odds(SHAPE.report_late) {
                due + days(listing.dice.log_normal(6.0, 0.6)) + Duration::days(1)
            } else {
                due - Duration::days(listing.dice.below(5) as i64 + 1)
            };
            self.report = Some((asked, due, submitted));
        }
        self.completed_on = listing.hearings.last().map(|hearing| hearing.on);
        if sentenced && listing.dice.odds(SHAPE.supervised) {
            self.supervised = true;
            let after = days(listing.dice.log_normal(90.0, 0.2));
            listing.sit(magistrates, after, HearingPurpose::Review, Outcome::Review);
        }
        self.hearings = listing.hearings;
    }

    fn sentences(outcome: Outcome) -> bool {
        matches!(
            outcome,
            Outcome::Sentenced
                | Outcome::Guilty { sentenced: true }
                | Outcome::Trial(_, _, AfterTrial::Convicted { sentenced: true })
        )
    }

    /// A summary or either-way case tried in the magistrates' court; returns the day a report
    /// was asked for, if one was.
    fn magistrates_journey(
        listing: &mut Listing<'_>,
        court: Court,
        to_first: Duration,
    ) -> Option<Date> {
        use HearingPurpose::{FirstAppearance, PleaAndTrialPreparation};
        if listing.dice.odds(SHAPE.guilty_at_first) {
            let sentenced = listing.dice.odds(SHAPE.sentenced_at_first);
            listing.sit(
                court,
                to_first,
                FirstAppearance,
                Outcome::Guilty { sentenced },
            );
            if sentenced {
                return None;
            }
            let asked = listing.last;
            listing.sentence_after_report(court);
            return Some(asked);
        }
        // Not guilty, or no plea yet: adjourned until a plea, then a trial.
        if listing.dice.odds(0.5) {
            let reason = Outcome::Adjourned(AdjournmentReason::DefenceNotReady, None);
            listing.sit(court, to_first, FirstAppearance, reason);
            listing.delays(court, PleaAndTrialPreparation);
            let after = listing.weeks(false);
            listing.sit(court, after, PleaAndTrialPreparation, Outcome::NotGuilty);
        } else {
            listing.sit(court, to_first, FirstAppearance, Outcome::NotGuilty);
        }
        listing.tried(court, SHAPE.plea_to_trial_magistrates)
    }

    /// A case sent to the Crown Court: the first hearing at the magistrates' court sends it,
    /// the plea and trial preparation hearing takes the plea, then a trial or a sentence.
    fn crown_journey(
        listing: &mut Listing<'_>,
        magistrates: Court,
        crown: Court,
        to_first: Duration,
    ) -> Option<Date> {
        use HearingPurpose::{FirstAppearance, PleaAndTrialPreparation};
        listing.sit(magistrates, to_first, FirstAppearance, Outcome::SentToCrown);
        listing.delays(crown, PleaAndTrialPreparation);
        let to_ptph = days(listing.dice.log_normal(28.0, 0.2));
        if listing.dice.odds(SHAPE.guilty_at_ptph) {
            let outcome = Outcome::Guilty { sentenced: false };
            listing.sit(crown, to_ptph, PleaAndTrialPreparation, outcome);
            let asked = listing.last;
            listing.sentence_after_report(crown);
            return Some(asked);
        }
        listing.sit(crown, to_ptph, PleaAndTrialPreparation, Outcome::NotGuilty);
        listing.tried(crown, SHAPE.plea_to_trial_crown)
    }

    /// The first hearing, if the case has reached court.
    pub fn first_listing(&self) -> Option<Date> {
        self.hearings.first().map(|hearing| hearing.on)
    }

    /// Adjournments: the hearings of the case before the one that completed it.
    pub fn adjournments(&self) -> usize {
        self.hearings
            .iter()
            .take_while(|hearing| Some(hearing.on) != self.completed_on)
            .count()
    }
}

/// What a year's plans add up to, beside the targets: medians from whole-day counts.
#[derive(Debug, Default)]
pub struct Tally {
    offence_to_charge: Vec<u32>,
    charge_to_first_listing: Vec<u32>,
    completion_magistrates: Vec<u32>,
    completion_crown: Vec<u32>,
    adjournments_magistrates: (usize, usize),
    adjournments_crown: (usize, usize),
    trials: [usize; 3],
    cases: (usize, usize),
}

/// Counts of whole days, so that a national year's tally is a few thousand numbers.
fn add(histogram: &mut Vec<u32>, from: Date, to: Date) {
    let day = usize::try_from((to - from).whole_days()).unwrap_or(0);
    if histogram.len() <= day {
        histogram.resize(day + 1, 0);
    }
    histogram[day] += 1;
}

fn median(histogram: &[u32]) -> f64 {
    let total: u64 = histogram.iter().map(|&n| u64::from(n)).sum();
    let mut seen = 0;
    for (day, &n) in histogram.iter().enumerate() {
        seen += u64::from(n);
        if seen * 2 >= total {
            return day as f64;
        }
    }
    0.0
}

impl Tally {
    pub fn add(&mut self, plan: &Plan) {
        if !plan.charged {
            return;
        }
        add(
            &mut self.offence_to_charge,
            plan.offence_on,
            plan.decided_on,
        );
        if let Some(first) = plan.first_listing() {
            add(&mut self.charge_to_first_listing, plan.decided_on, first);
        }
        if let Some(completed) = plan.completed_on {
            let (completion, adjournments, cases) = if plan.crown {
                (
                    &mut self.completion_crown,
                    &mut self.adjournments_crown,
                    &mut self.cases.1,
                )
            } else {
                (
                    &mut self.completion_magistrates,
                    &mut self.adjournments_magistrates,
                    &mut self.cases.0,
                )
            };
            add(completion, plan.offence_on, completed);
            adjournments.0 += plan.adjournments();
            adjournments.1 += 1;
            *cases += 1;
        }
        for hearing in &plan.hearings {
            if let Outcome::Trial(effectiveness, _, _) = hearing.outcome {
                self.trials[effectiveness as usize] += 1;
            }
        }
    }

    /// Each target with what the plans made of it.
    pub fn against_targets(&self) -> Vec<(super::calibration::Target, f64)> {
        let per_case = |(sum, n): (usize, usize)| sum as f64 / n.max(1) as f64;
        let trials = self.trials.iter().sum::<usize>().max(1) as f64;
        let cases = (self.cases.0 + self.cases.1).max(1) as f64;
        let t = TARGETS;
        vec![
            (t.offence_to_charge, median(&self.offence_to_charge)),
            (
                t.charge_to_first_listing,
                median(&self.charge_to_first_listing),
            ),
            (
                t.offence_to_completion_magistrates,
                median(&self.completion_magistrates),
            ),
            (
                t.offence_to_completion_crown,
                median(&self.completion_crown),
            ),
            (
                t.adjournments_summary,
                per_case(self.adjournments_magistrates),
            ),
            (t.adjournments_indictable, per_case(self.adjournments_crown)),
            (t.trials_effective, self.trials[0] as f64 / trials),
            (t.trials_cracked, self.trials[1] as f64 / trials),
            (t.trials_ineffective, self.trials[2] as f64 / trials),
            (
                super::calibration::Target {
                    what: "share of completed cases in the Crown Court",
                    value: t.crown_share(),
                    unit: super::calibration::Unit::Share,
                    source: t.crown_cases.source,
                },
                self.cases.1 as f64 / cases,
            ),
        ]
    }
}
