//! What a national year is calibrated to: the published figures for England and Wales, each with
//! its source, in one table ([`TARGETS`]); the offences cases are drawn from ([`OFFENCES`]); and
//! the generator's own settings ([`SHAPE`]), chosen so that what it makes lands on the targets.
//! `joinery generate` prints the figures it made beside the targets, and a test holds them to
//! the targets within a tolerance, so a change to the generator cannot drift from them silently.

/// One published figure.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub what: &'static str,
    pub value: f64,
    pub unit: Unit,
    pub source: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Median days between two points of a case.
    MedianDays,
    /// A count a year.
    PerYear,
    /// A mean per case.
    PerCase,
    /// A share of a whole, 0 to 1.
    Share,
}

const CCSQ: &str = "Ministry of Justice, Criminal court statistics quarterly, England and Wales \
                    (timeliness tables: median days between stages, cases completed in the \
                    magistrates' courts and in the Crown Court), years 2019-2023";
const TRIALS: &str = "Ministry of Justice, Criminal court statistics quarterly, trial \
                      effectiveness tables (effective, cracked and ineffective trials, \
                      magistrates' courts and Crown Court), years 2019-2023";
const LISTINGS: &str = "HMCTS management information on hearings per case, as summarised in \
                        the National Audit Office's 'Reducing the backlog in the criminal \
                        courts' (2021) and the CJS Delivery Data Dashboard";

/// The published figures a national year is shaped by.
pub const TARGETS: Targets = Targets {
    magistrates_cases: Target {
        what: "cases received by the magistrates' courts",
        value: 1_400_000.0,
        unit: Unit::PerYear,
        source: "Ministry of Justice, Criminal court statistics quarterly: receipts, \
                 magistrates' courts (about 1.4 million a year, 2019-2023)",
    },
    crown_cases: Target {
        what: "cases received by the Crown Court",
        value: 105_000.0,
        unit: Unit::PerYear,
        source: "Ministry of Justice, Criminal court statistics quarterly: receipts, Crown \
                 Court (about 105,000 a year, 2019-2023)",
    },
    offence_to_charge: Target {
        what: "offence to charge",
        value: 63.0,
        unit: Unit::MedianDays,
        source: CCSQ,
    },
    charge_to_first_listing: Target {
        what: "charge to first listing",
        value: 27.0,
        unit: Unit::MedianDays,
        source: CCSQ,
    },
    offence_to_completion_magistrates: Target {
        what: "offence to completion, magistrates' courts",
        value: 182.0,
        unit: Unit::MedianDays,
        source: CCSQ,
    },
    offence_to_completion_crown: Target {
        what: "offence to completion, Crown Court",
        value: 366.0,
        unit: Unit::MedianDays,
        source: CCSQ,
    },
    adjournments_summary: Target {
        what: "adjournments per case, magistrates' courts",
        value: 1.2,
        unit: Unit::PerCase,
        source: LISTINGS,
    },
    adjournments_indictable: Target {
        what: "adjournments per case, Crown Court",
        value: 2.5,
        unit: Unit::PerCase,
        source: LISTINGS,
    },
    trials_effective: Target {
        what: "trials effective",
        value: 0.41,
        unit: Unit::Share,
        source: TRIALS,
    },
    trials_ineffective: Target {
        what: "trials ineffective",
        value: 0.235,
        unit: Unit::Share,
        source: TRIALS,
    },
    trials_cracked: Target {
        what: "trials cracked",
        value: 0.355,
        unit: Unit::Share,
        source: TRIALS,
    },
};

/// The figures, by name.
#[derive(Debug, Clone, Copy)]
pub struct Targets {
    pub magistrates_cases: Target,
    pub crown_cases: Target,
    pub offence_to_charge: Target,
    pub charge_to_first_listing: Target,
    pub offence_to_completion_magistrates: Target,
    pub offence_to_completion_crown: Target,
    pub adjournments_summary: Target,
    pub adjournments_indictable: Target,
    pub trials_effective: Target,
    pub trials_ineffective: Target,
    pub trials_cracked: Target,
}

impl Targets {
    /// The share of cases that go to the Crown Court.
    pub fn crown_share(&self) -> f64 {
        self.crown_cases.value / (self.crown_cases.value + self.magistrates_cases.value)
    }
}

/// How an offence may be tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeOfTrial {
    Summary,
    EitherWay,
    IndictableOnly,
}

/// An offence cases are drawn from: its CJS code (as in the standing data's
/// `offence-code.json`; a test checks each is there), how it may be tried, its weight among
/// charges, and the wording of a charge.
#[derive(Debug, Clone, Copy)]
pub struct OffenceKind {
    pub code: &'static str,
    pub mode: ModeOfTrial,
    pub weight: u64,
    pub wording: &'static str,
}

const fn offence(
    code: &'static str,
    mode: ModeOfTrial,
    weight: u64,
    wording: &'static str,
) -> OffenceKind {
    OffenceKind {
        code,
        mode,
        weight,
        wording,
    }
}

use ModeOfTrial::{EitherWay, IndictableOnly, Summary};

/// The offences charged, weighted roughly as the offence groups of defendants prosecuted are in
/// the MoJ's Criminal Justice System statistics quarterly (summary non-motoring and motoring
/// offences about half, theft and violence the largest either-way groups, indictable-only
/// offences a few in a hundred), without the offences dealt with by the Single Justice
/// Procedure, which do not reach a court room. Weights are per thousand charges.
pub const OFFENCES: [OffenceKind; 24] = [
    offence("CJ88001", Summary, 90, "assaulted another by beating"),
    offence(
        "PL96001",
        Summary,
        25,
        "assaulted a constable in the execution of their duty",
    ),
    offence(
        "PU86004",
        Summary,
        45,
        "used threatening words or behaviour with intent to cause fear of violence",
    ),
    offence(
        "CJ67002",
        Summary,
        30,
        "was drunk and disorderly in a public place",
    ),
    offence(
        "BA76001",
        Summary,
        35,
        "failed without reasonable cause to surrender to custody at the appointed time",
    ),
    offence(
        "CA03005",
        Summary,
        20,
        "sent by a public communication network a message that was grossly offensive",
    ),
    offence(
        "RT88007",
        Summary,
        80,
        "drove a motor vehicle on a road with alcohol above the prescribed limit",
    ),
    offence(
        "RT88333",
        Summary,
        35,
        "drove a motor vehicle on a road while disqualified",
    ),
    offence(
        "RT88191",
        Summary,
        40,
        "used a motor vehicle on a road without third-party insurance",
    ),
    offence(
        "RT88010",
        Summary,
        15,
        "failed without reasonable excuse to provide a specimen for analysis",
    ),
    offence("TH68010", EitherWay, 110, "stole goods from a shop"),
    offence(
        "TH68001",
        EitherWay,
        20,
        "stole property from the person of another",
    ),
    offence(
        "COML002",
        EitherWay,
        70,
        "assaulted another occasioning actual bodily harm",
    ),
    offence(
        "CD71039",
        EitherWay,
        50,
        "destroyed or damaged property belonging to another, value under £5,000",
    ),
    offence(
        "MD71530",
        EitherWay,
        45,
        "had in their possession a quantity of cannabis, a controlled drug of class B",
    ),
    offence(
        "MD71210",
        EitherWay,
        20,
        "had in their possession a quantity of cocaine, a controlled drug of class A",
    ),
    offence(
        "MD71230",
        EitherWay,
        20,
        "had in their possession cocaine, a controlled drug of class A, with intent to supply it",
    ),
    offence(
        "CJ88144",
        EitherWay,
        30,
        "had with them in a public place an article with a blade or sharply pointed",
    ),
    offence(
        "TH68036",
        EitherWay,
        25,
        "entered a dwelling as a trespasser and stole property therein",
    ),
    offence(
        "TH68073",
        EitherWay,
        15,
        "dishonestly received stolen goods",
    ),
    offence(
        "FA06001",
        EitherWay,
        20,
        "committed fraud by false representation",
    ),
    offence(
        "SC15004",
        EitherWay,
        20,
        "engaged in controlling or coercive behaviour in an intimate relationship",
    ),
    offence(
        "OF61016",
        IndictableOnly,
        12,
        "wounded another with intent to do grievous bodily harm",
    ),
    offence("TH68023", IndictableOnly, 18, "robbed another of property"),
];

/// The generator's own settings: the shapes of the delays and the odds at each turn of a case,
/// chosen so that what it makes lands on [`TARGETS`] (checked by the tests and printed by
/// `joinery generate`). Delays are log-normal (a median and a spread, `sigma`), as court
/// timeliness is: most cases quick, a long tail.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Charged in custody within a day of arrest.
    pub charged_in_custody: f64,
    /// The rest: offence to charge.
    pub offence_to_charge_median: f64,
    pub offence_to_charge_sigma: f64,
    /// How many times longer a case bound for the Crown Court takes to investigate.
    pub crown_investigation: f64,
    /// Cases the CPS decides not to charge (no further action), of those it is asked about.
    pub no_further_action: f64,
    /// Charges decided by the CPS rather than the police (all either-way and indictable ones
    /// are; summary ones mostly not).
    pub summary_charged_by_cps: f64,
    pub charge_to_first_listing_median: f64,
    pub charge_to_first_listing_sigma: f64,
    /// Of those charged in custody, remanded and listed the next day.
    pub remanded: f64,
    /// Magistrates' cases: guilty plea at the first hearing.
    pub guilty_at_first: f64,
    /// Of those, sentenced there and then (the rest adjourned for a report).
    pub sentenced_at_first: f64,
    /// Either-way cases sent to the Crown Court (with every indictable-only one).
    pub either_way_to_crown: f64,
    /// At any hearing that does not end the case, the chance of one more adjournment before
    /// the next step (magistrates' courts, Crown Court).
    pub extra_adjournment: f64,
    pub extra_adjournment_crown: f64,
    /// Weeks between hearings, magistrates' and Crown.
    pub weeks_between_magistrates: f64,
    pub weeks_between_crown: f64,
    /// Crown Court: guilty plea at the plea and trial preparation hearing.
    pub guilty_at_ptph: f64,
    /// Days from a not-guilty plea to the trial, median and spread.
    pub plea_to_trial_magistrates: f64,
    pub plea_to_trial_crown: f64,
    pub plea_to_trial_sigma: f64,
    /// Trials: effective, or cracked; the rest ineffective (and listed again).
    pub trial_effective: f64,
    pub trial_cracked: f64,
    /// Convictions after an effective trial.
    pub convicted_at_trial: f64,
    /// Sentences to an order supervised by probation (with its referrals and reviews).
    pub supervised: f64,
    /// Requested reports submitted late.
    pub report_late: f64,
    /// Referrals the service reports progress on.
    pub referral_progress: f64,
}

pub const SHAPE: Shape = Shape {
    charged_in_custody: 0.22,
    offence_to_charge_median: 95.0,
    offence_to_charge_sigma: 1.25,
    crown_investigation: 1.9,
    no_further_action: 0.08,
    summary_charged_by_cps: 0.15,
    charge_to_first_listing_median: 28.0,
    charge_to_first_listing_sigma: 0.5,
    remanded: 0.3,
    guilty_at_first: 0.62,
    sentenced_at_first: 0.8,
    either_way_to_crown: 0.075,
    extra_adjournment: 0.28,
    extra_adjournment_crown: 0.12,
    weeks_between_magistrates: 5.0,
    weeks_between_crown: 7.0,
    guilty_at_ptph: 0.55,
    plea_to_trial_magistrates: 110.0,
    plea_to_trial_crown: 270.0,
    plea_to_trial_sigma: 0.5,
    trial_effective: 0.41,
    trial_cracked: 0.355,
    convicted_at_trial: 0.6,
    supervised: 0.3,
    report_late: 0.15,
    referral_progress: 0.75,
};

/// The courts' reasons for a cracked or an ineffective trial, as the trial effectiveness
/// tables group them, each with its responsible side.
pub const CRACKED_REASONS: [(&str, u64); 4] = [
    ("Cracked: defendant pleaded guilty late to the charge", 55),
    (
        "Cracked: defendant pleaded guilty to an alternative charge acceptable to the prosecution",
        15,
    ),
    (
        "Cracked: prosecution offered no evidence (insufficient evidence or witness issues)",
        25,
    ),
    ("Cracked: defendant bound over", 5),
];

pub const INEFFECTIVE_REASONS: [(&str, u64); 5] = [
    ("Ineffective: defendant absent or unfit", 25),
    ("Ineffective: prosecution witness absent", 20),
    ("Ineffective: prosecution not ready", 15),
    ("Ineffective: defence not ready", 15),
    ("Ineffective: lack of court time or over-listing", 25),
];
