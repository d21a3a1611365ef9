//! A national year: England and Wales's agencies (the 43 police forces, 14 CPS areas, their
//! magistrates' and Crown Courts, 12 probation regions and their voluntary services) and a
//! year of cases shaped by the published figures ([`calibration`]), for `joinery generate`.
//!
//! Each case is planned whole ([`plan`]) and then written as its agencies' systems would send it
//! up to the day the year is seen from ([`messages`]); the loader takes the messages through the
//! same intake as the API. Same seed, same year.

pub mod calibration;
pub mod geography;
mod messages;
pub mod plan;
mod year;

use joinery_app::Agency;
use joinery_domain::{AgencyCode, AgencyKind, CanonicalMessage, Role, SystemName};
use time::Date;

use geography::{CPS_AREAS, Court, FORCES, PROBATION_REGIONS, courts, voluntary_services};
use plan::{Nation, Plan, Tally};
pub use year::{Made, make, peak_mib};

/// Which year to make.
#[derive(Debug, Clone, Copy)]
pub struct Year {
    pub cases: u32,
    pub seed: u64,
    /// The day the year is seen from: its last day's messages are not yet sent.
    pub today: Date,
}

/// Every agency of England and Wales that a national year's cases reach.
pub fn agencies() -> Vec<Agency> {
    let mut all: Vec<(String, AgencyKind, String)> = Vec::new();
    for force in &FORCES {
        all.push((force.agency.into(), AgencyKind::Police, force.name.into()));
    }
    for (code, name) in CPS_AREAS {
        all.push((code.into(), AgencyKind::Cps, name.into()));
    }
    for court in courts() {
        all.push((court.ou.into(), AgencyKind::Court, court.name()));
    }
    for (code, name) in PROBATION_REGIONS {
        all.push((code.into(), AgencyKind::Probation, name.into()));
        for (code, name) in voluntary_services(code) {
            all.push((code, AgencyKind::Voluntary, name));
        }
    }
    all.into_iter()
        .filter_map(|(code, kind, name)| {
            Some(Agency {
                code: AgencyCode::parse(&code).ok()?,
                kind,
                name: SystemName::parse(&name).ok()?,
            })
        })
        .collect()
}

/// The busiest of each kind of agency, by the share of the nation's cases the table gives it:
/// where the demo's people work.
#[derive(Debug, Clone)]
pub struct Busiest {
    pub force: &'static str,
    pub cps: &'static str,
    pub magistrates: Court,
    pub crown: Court,
    pub probation: &'static str,
    pub voluntary: String,
}

/// Each force's expected share of cases (its people over the nation's).
fn shares() -> Vec<f64> {
    let total: f64 = FORCES.iter().map(|force| f64::from(force.population)).sum();
    FORCES
        .iter()
        .map(|force| f64::from(force.population) / total)
        .collect()
}

fn most<K: PartialEq + Clone>(items: impl Iterator<Item = (K, f64)>) -> Option<K> {
    let mut tally: Vec<(K, f64)> = Vec::new();
    for (key, share) in items {
        match tally.iter_mut().find(|(k, _)| *k == key) {
            Some((_, total)) => *total += share,
            None => tally.push((key, share)),
        }
    }
    tally
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(key, _)| key)
}

pub fn busiest() -> Option<Busiest> {
    let shares = shares();
    let each = || FORCES.iter().zip(shares.iter().copied());
    let force = most(each().map(|(force, share)| (force.agency, share)))?;
    let cps = most(each().flat_map(|(force, share)| {
        let split = share / force.cps.len() as f64;
        force.cps.iter().map(move |area| (*area, split))
    }))?;
    let magistrates = most(each().flat_map(|(force, share)| {
        let split = share / force.magistrates.len() as f64;
        force.magistrates.iter().map(move |(ou, _)| (*ou, split))
    }))?;
    let crown = most(each().flat_map(|(force, share)| {
        let split = share / force.crown.len() as f64;
        force.crown.iter().map(move |(ou, _)| (*ou, split))
    }))?;
    let probation = most(each().map(|(force, share)| (force.probation, share)))?;
    let court = |ou: &str| courts().into_iter().find(|court| court.ou == ou);
    Some(Busiest {
        force,
        cps,
        magistrates: court(magistrates)?,
        crown: court(crown)?,
        probation,
        voluntary: voluntary_services(probation)[0].0.clone(),
    })
}

/// The people of a national year's demo: every role, at the busiest agencies.
pub fn people(busiest: &Busiest) -> Vec<(String, String, Role)> {
    let court = busiest.magistrates.ou.to_owned();
    let crown = busiest.crown.ou.to_owned();
    let mut people = vec![
        (
            "pc.national".into(),
            busiest.force.into(),
            Role::PoliceOfficer,
        ),
        ("cps.national".into(), busiest.cps.into(), Role::Prosecutor),
        ("la.national".into(), court.clone(), Role::LegalAdviser),
        (
            "po.national".into(),
            busiest.probation.into(),
            Role::ProbationOfficer,
        ),
        (
            "sw.national".into(),
            busiest.voluntary.clone(),
            Role::SupportWorker,
        ),
        ("mgr.national".into(), court.clone(), Role::Manager),
        ("mgr.cps.national".into(), busiest.cps.into(), Role::Manager),
        (
            "mgr.probation.national".into(),
            busiest.probation.into(),
            Role::Manager,
        ),
        ("ig.national".into(), court.clone(), Role::GovernanceOfficer),
        ("admin.national".into(), court.clone(), Role::Administrator),
        (
            "lcjb.national".into(),
            busiest.force.into(),
            Role::AreaAnalyst,
        ),
        (
            "analyst.national".into(),
            court.clone(),
            Role::NationalAnalyst,
        ),
    ];
    for judge in busiest.magistrates.judges() {
        people.push((judge, court.clone(), Role::Judge));
    }
    for judge in busiest.crown.judges().into_iter().take(1) {
        people.push((judge, crown.clone(), Role::Judge));
    }
    people
}

/// The year's plans, case by case.
pub fn plans(year: Year) -> impl Iterator<Item = Plan> {
    let nation = Nation::default();
    (1..=year.cases).map(move |number| Plan::draw(&nation, year.seed, number, year.today))
}

/// The messages of a run of plans, as of the year's day.
pub fn messages_of(plans: &[Plan], year: Year) -> Vec<CanonicalMessage> {
    plans
        .iter()
        .filter_map(|plan| messages::case_messages(plan, year.today, year.seed))
        .flatten()
        .collect()
}

/// What the year's plans add up to, beside the targets.
pub fn tally(plans: &[Plan], into: &mut Tally) {
    for plan in plans {
        into.add(plan);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(cases: u32) -> Year {
        Year {
            cases,
            seed: 2026,
            today: Date::from_calendar_date(2026, time::Month::November, 30)
                .unwrap_or_else(|e| panic!("{e}")),
        }
    }

    #[test]
    fn the_plans_land_on_the_published_figures() {
        let plans: Vec<Plan> = plans(year(40_000)).collect();
        let mut made = Tally::default();
        tally(&plans, &mut made);
        let figures = made.against_targets();
        let report: Vec<String> = figures
            .iter()
            .map(|(target, value)| {
                format!("{}: made {value:.3}, target {}", target.what, target.value)
            })
            .collect();
        for (target, value) in figures {
            let close = match target.unit {
                calibration::Unit::Share => (value - target.value).abs() <= 0.03,
                _ => (value - target.value).abs() <= 0.12 * target.value,
            };
            assert!(close, "{} is off:\n{}", target.what, report.join("\n"));
        }
    }

    #[test]
    fn the_same_seed_makes_the_same_year() {
        let first = messages_of(&plans(year(300)).collect::<Vec<_>>(), year(300));
        let again = messages_of(&plans(year(300)).collect::<Vec<_>>(), year(300));
        assert_eq!(first, again);
        let other = Year {
            seed: 7,
            ..year(300)
        };
        assert_ne!(first, messages_of(&plans(other).collect::<Vec<_>>(), other));
        assert!(
            first.len() > 300 * 8,
            "{} messages for 300 cases",
            first.len()
        );
    }

    #[test]
    fn the_busiest_agencies_are_real_ones() {
        let busiest = busiest().unwrap_or_else(|| panic!("no busiest"));
        let codes: Vec<String> = agencies()
            .into_iter()
            .map(|agency| agency.code.to_string())
            .collect();
        for (_, agency, _) in people(&busiest) {
            assert!(codes.contains(&agency), "{agency} is not an agency");
        }
        assert_eq!(busiest.force, "METPOL");
    }
}
