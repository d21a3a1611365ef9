//! The model office: the agencies of a community justice centre and synthetic cases spread across
//! every stage of the journey, with adjournments and overdue actions. The demo loads it and the
//! ingest benchmark sends it; all names are invented.
//!
//! It is deterministic: the same seed and day give the same cases, so a demo can be reproduced.

mod journey;

use joinery_app::Agency;
use joinery_domain::message::Person;
use joinery_domain::text::Name;
use joinery_domain::{
    AgencyCode, AgencyKind, Asn, CanonicalMessage, CaseRef, PncId, Role, SystemName, Urn,
};
use time::{Date, Duration};

use journey::CaseWriter;

/// The centre's agencies: code, kind, name, and the name of the system each sends from.
pub const AGENCIES: [(&str, AgencyKind, &str, &str); 6] = [
    (
        "MERPOL",
        AgencyKind::Police,
        "Merseyside Police",
        "Niche RMS",
    ),
    (
        "CPSMER",
        AgencyKind::Cps,
        "CPS Mersey-Cheshire",
        "CPS Case Management",
    ),
    (
        "LVCJC",
        AgencyKind::Court,
        "Liverpool Community Justice Centre",
        "Libra",
    ),
    (
        "PROBNW",
        AgencyKind::Probation,
        "Probation Service North West",
        "nDelius",
    ),
    (
        "VOLDRG",
        AgencyKind::Voluntary,
        "Community Drug Service",
        "Drug Service Case Notes",
    ),
    (
        "VOLHSG",
        AgencyKind::Voluntary,
        "Housing Support Trust",
        "Housing Case Notes",
    ),
];

pub(super) const COURT_OU: &str = "B05PK00";
pub(super) const CUSTODY_OU: &str = "05AA00";

/// The centre's judges, by user name; the listing system names one on every hearing.
pub const JUDGES: [&str; 2] = ["dj.roberts", "dj.okafor"];

/// The people of the model office: one or more for every role, with their agency.
pub const PEOPLE: [(&str, &str, Role); 15] = [
    ("pc.hughes", "MERPOL", Role::PoliceOfficer),
    ("cps.shah", "CPSMER", Role::Prosecutor),
    ("la.byrne", "LVCJC", Role::LegalAdviser),
    ("dj.roberts", "LVCJC", Role::Judge),
    ("dj.okafor", "LVCJC", Role::Judge),
    ("po.walsh", "PROBNW", Role::ProbationOfficer),
    ("sw.kaur", "VOLDRG", Role::SupportWorker),
    ("sw.evans", "VOLHSG", Role::SupportWorker),
    ("mgr.lewis", "LVCJC", Role::Manager),
    // The CPS area's and the probation service's managers: where their own cases wait.
    ("mgr.greene", "CPSMER", Role::Manager),
    ("mgr.patel", "PROBNW", Role::Manager),
    ("ig.price", "LVCJC", Role::GovernanceOfficer),
    ("admin.moss", "LVCJC", Role::Administrator),
    // The Local Criminal Justice Board's analyst, on an account of the force area it covers.
    ("lcjb.ahmed", "MERPOL", Role::AreaAnalyst),
    ("mi.national", "LVCJC", Role::NationalAnalyst),
];

pub(super) const GIVEN: [&str; 12] = [
    "Alex", "Sam", "Jordan", "Casey", "Riley", "Morgan", "Jamie", "Taylor", "Robin", "Charlie",
    "Drew", "Kit",
];
pub(super) const FAMILY: [&str; 12] = [
    "Ashdown",
    "Brannigan",
    "Corlett",
    "Dunmore",
    "Everton",
    "Fairclough",
    "Garston",
    "Halewood",
    "Ince",
    "Kirkby",
    "Litherland",
    "Maghull",
];
pub(super) const OFFENCES: [(&str, &str); 5] = [
    ("TH68001", "stole a mobile phone from the person of another"),
    ("TH68010", "stole goods from a shop"),
    (
        "CD71001",
        "destroyed or damaged property belonging to another",
    ),
    (
        "MD71230",
        "had in possession a quantity of a controlled drug of class B",
    ),
    (
        "PU86004",
        "used threatening words or behaviour to cause fear of violence",
    ),
];

pub fn agencies() -> Vec<Agency> {
    AGENCIES
        .iter()
        .filter_map(|(code, kind, name, _)| {
            Some(Agency {
                code: AgencyCode::parse(code).ok()?,
                kind: *kind,
                name: SystemName::parse(name).ok()?,
            })
        })
        .collect()
}

/// A small, fast, seeded generator (xorshift); the model office needs variety, not secrecy.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A number in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1_u64 << 53) as f64
    }

    /// True with probability `p` (0 to 1).
    pub(crate) fn odds(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A draw from the log-normal distribution with this median and spread (Box-Muller).
    pub(crate) fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        let u = 1.0 - self.unit();
        let v = self.unit();
        let normal = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
        median * (sigma * normal).exp()
    }

    /// An index into `weights`, drawn in proportion to them.
    pub(crate) fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (index, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return index;
            }
            roll -= weight;
        }
        0
    }
}

/// How far along the journey a synthetic case has got, with the weights of a busy centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reach {
    Arrested,
    Bailed,
    Charged,
    FirstHearing,
    AwaitingTrial,
    AwaitingSentence,
    Supervised,
    Fined,
    ClosedEarly,
}

const REACH_WEIGHTS: [(Reach, u64); 9] = [
    (Reach::Arrested, 4),
    (Reach::Bailed, 8),
    (Reach::Charged, 10),
    (Reach::FirstHearing, 12),
    (Reach::AwaitingTrial, 14),
    (Reach::AwaitingSentence, 18),
    (Reach::Supervised, 16),
    (Reach::Fined, 8),
    (Reach::ClosedEarly, 10),
];

/// The messages of case `number`, as of `today`. `None` only if a built-in value were invalid.
pub fn case_messages(number: u32, today: Date, dice: &mut Dice) -> Option<Vec<CanonicalMessage>> {
    let reach = roll_reach(dice);
    let year = u32::try_from(today.year() % 100).ok()?;
    let asn = Asn::allocate(
        &format!("{year:02}"),
        "05AA",
        "01",
        100_000 + u64::from(number),
    )?;
    let unit = unit_letters(number);
    let urn = Urn::parse(&format!("05{unit}{:05}{year:02}", number % 100_000)).ok()?;
    let person = Person {
        given_name: Name::parse(dice.pick(&GIVEN)).ok()?,
        family_name: Name::parse(dice.pick(&FAMILY)).ok()?,
        date_of_birth: Date::from_ordinal_date(
            1970 + i32::try_from(dice.below(36)).ok()?,
            1 + u16::try_from(dice.below(365)).ok()?,
        )
        .ok(),
        pnc_id: PncId::allocate(
            1990 + u16::try_from(dice.below(30)).ok()?,
            10_000 + u64::from(number),
        ),
        cro_number: None,
    };
    // Later stages began longer ago; a case's first hearing falls four weeks after arrest.
    let age_days = match reach {
        Reach::Arrested => 1 + dice.below(3),
        Reach::Bailed => 4 + dice.below(20),
        Reach::Charged => 12 + dice.below(10),
        Reach::FirstHearing | Reach::ClosedEarly => 30 + dice.below(30),
        Reach::AwaitingTrial | Reach::AwaitingSentence => 45 + dice.below(60),
        Reach::Supervised | Reach::Fined => 120 + dice.below(150),
    };
    let arrested = today - Duration::days(i64::try_from(age_days).ok()?);
    let mut case = CaseWriter {
        number,
        today,
        reach,
        case: CaseRef {
            urn: None,
            asn: Some(asn),
            court_case_id: None,
        },
        sent: 0,
        messages: Vec::new(),
        person: None,
    };
    case.journey(dice, arrested, person, urn)?;
    Some(case.messages)
}

/// The police unit (two letters) whose serials hold case `number`: a unit's serials run to
/// 99,999 a year, so past that a force's cases go to its next unit (AA, AB, AC...).
pub(crate) fn unit_letters(number: u32) -> String {
    let unit_index = number / 100_000;
    [unit_index / 26 % 26, unit_index % 26]
        .iter()
        .filter_map(|letter| char::from_u32(u32::from(b'A') + letter))
        .collect()
}

fn roll_reach(dice: &mut Dice) -> Reach {
    let total: u64 = REACH_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut roll = dice.below(total);
    REACH_WEIGHTS
        .iter()
        .find(|(_, weight)| {
            let hit = roll < *weight;
            roll = roll.saturating_sub(*weight);
            hit
        })
        .map_or(Reach::Arrested, |(reach, _)| *reach)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urns_do_not_wrap_past_one_units_serials() {
        let today = Date::from_calendar_date(2026, time::Month::November, 30)
            .unwrap_or_else(|e| panic!("{e}"));
        // The first seed whose case reaches charge (and so has a URN).
        let urn_of = |number: u32| {
            (1..100).find_map(|seed| {
                let mut dice = Dice::new(seed);
                case_messages(number, today, &mut dice)
                    .into_iter()
                    .flatten()
                    .find_map(|message| message.case.urn)
            })
        };
        let (first, wrapped) = (urn_of(1), urn_of(100_001));
        assert!(first.is_some() && wrapped.is_some());
        assert_ne!(first, wrapped, "case 100,001 took case 1's URN");
    }
}
