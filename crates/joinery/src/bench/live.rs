//! `joinery bench live`: management information's reports asked of a running Joinery while
//! the agencies' systems send it more of a national year's messages, against the same reports
//! asked with nothing arriving, in one run.
//!
//! It reads a year made by `joinery generate` (its credentials: every agency's key, and the
//! national analyst and the busiest places' people), served by `joinery serve` at `addr`, and
//! asks over HTTP, as an analyst's browser or tool would. Quiet: each report of each place asked
//! in turn, round after round, for `lasting` (longer than the 15 seconds a moved grid is shown
//! before it is built again). Live: the same while the cases after the year's (numbered from `first`) are
//! sent by their agencies' systems, each message with its own agency's key, in the order things
//! happened, at `rate` messages a second (several at once: each waits for its acknowledgement,
//! a durable write). A report may be shown from figures a few seconds old while newer are
//! counted in the background (`cache.rs`): what is timed is what a reader waits.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use joinery_domain::AgencyCode;
use time::Date;

use super::Percentiles;
use crate::national::messages_of;
use crate::national::plan::{Nation, Plan};

/// The reports asked, as the API names them.
const REPORTS: [&str; 6] = [
    "timeliness",
    "trials",
    "adjournments",
    "blockages",
    "caseload",
    "data_quality",
];

/// Messages in flight at once: each waits for its durable acknowledgement.
const IN_FLIGHT: usize = 32;

/// One report of one place, quiet and live.
#[derive(Debug, Clone)]
pub struct LiveFigures {
    pub report: &'static str,
    /// The query naming the place (`force=METPOL`), or empty for the country.
    pub place: String,
    pub quiet: Percentiles,
    pub live: Percentiles,
    /// How many times it was asked in each phase.
    pub asked: (usize, usize),
}

/// What the agencies' systems sent while the live reports were asked.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub accepted: usize,
    pub refused: usize,
    pub seconds: f64,
}

/// The year's credentials: each agency's key, and each person's agency and password.
struct Credentials {
    keys: HashMap<AgencyCode, String>,
    people: HashMap<String, (String, String)>,
}

fn credentials(data_dir: &Path) -> anyhow::Result<Credentials> {
    let path = data_dir.join("demo-credentials.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (made by joinery generate)", path.display()))?;
    let document: serde_json::Value = serde_json::from_str(&text)?;
    let mut keys = HashMap::new();
    for agency in document["agencies"].as_array().into_iter().flatten() {
        if let (Some(code), Some(key)) = (agency["agency"].as_str(), agency["api_key"].as_str()) {
            keys.insert(AgencyCode::parse(code)?, key.to_owned());
        }
    }
    let mut people = HashMap::new();
    for user in document["users"].as_array().into_iter().flatten() {
        if let (Some(name), Some(agency), Some(password)) = (
            user["username"].as_str(),
            user["agency"].as_str(),
            user["password"].as_str(),
        ) {
            people.insert(name.to_owned(), (agency.to_owned(), password.to_owned()));
        }
    }
    Ok(Credentials { keys, people })
}

/// A session of the national analyst, over HTTP.
struct Analyst {
    client: reqwest::Client,
    base: String,
    cookie: String,
}

impl Analyst {
    async fn sign_in(base: &str, credentials: &Credentials) -> anyhow::Result<Self> {
        let (_, password) = credentials
            .people
            .get("analyst.national")
            .context("the credentials name no analyst.national")?;
        let client = reqwest::Client::new();
        let answer = client
            .post(format!("{base}/api/v1/session"))
            .json(&serde_json::json!({"username": "analyst.national", "password": password}))
            .send()
            .await?
            .error_for_status()?;
        // The session cookie is `Secure`: over plain HTTP to this machine, sent by hand.
        let cookie = answer
            .headers()
            .get("set-cookie")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .context("signing in set no cookie")?
            .to_owned();
        Ok(Self {
            client,
            base: base.to_owned(),
            cookie,
        })
    }

    /// How long `report` of `place` in `period` took to answer.
    async fn time(&self, report: &str, period: &str, place: &str) -> anyhow::Result<Duration> {
        let url = format!(
            "{}/api/v1/measures/{report}?period={period}&{place}",
            self.base
        );
        let started = Instant::now();
        let answer = self
            .client
            .get(&url)
            .header("cookie", &self.cookie)
            .send()
            .await?
            .error_for_status()
            .with_context(|| format!("asking {url}"))?;
        answer.bytes().await?;
        Ok(started.elapsed())
    }

    /// Every report of every place in turn, round after round until `lasting` has passed:
    /// the times of each.
    async fn ask_all(
        &self,
        period: &str,
        places: &[String],
        lasting: Duration,
    ) -> anyhow::Result<Vec<Vec<Duration>>> {
        let mut times = vec![Vec::new(); REPORTS.len() * places.len()];
        let started = Instant::now();
        loop {
            for (r, report) in REPORTS.iter().enumerate() {
                for (p, place) in places.iter().enumerate() {
                    times[r * places.len() + p].push(self.time(report, period, place).await?);
                }
            }
            if started.elapsed() >= lasting {
                return Ok(times);
            }
        }
    }
}

/// Sends the cases from number `first` on, as of `today`, to `base` at `rate` messages a second
/// until `stop`: counts what was accepted and refused.
async fn send(
    base: String,
    keys: HashMap<AgencyCode, String>,
    (first, seed, today): (u32, u64, Date),
    rate: f64,
    stop: Arc<AtomicBool>,
) -> anyhow::Result<Load> {
    let client = reqwest::Client::new();
    let accepted = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let slots = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate.max(0.001)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let nation = Nation::default();
    let year = crate::national::Year {
        cases: first,
        seed,
        today,
    };
    let started = Instant::now();
    let mut number = first;
    'cases: while !stop.load(Ordering::Relaxed) {
        let plan = Plan::draw(&nation, seed, number, today);
        number += 1;
        let mut messages = messages_of(std::slice::from_ref(&plan), year);
        messages.sort_by_key(|message| message.occurred_at);
        for message in messages {
            if stop.load(Ordering::Relaxed) {
                break 'cases;
            }
            tick.tick().await;
            let key = keys
                .get(&message.agency)
                .with_context(|| format!("no key for `{}`", message.agency))?
                .clone();
            let body = serde_json::to_string(&message)?;
            let slot = Arc::clone(&slots).acquire_owned().await?;
            let (client, url) = (client.clone(), format!("{base}/api/v1/messages"));
            let (accepted, refused) = (Arc::clone(&accepted), Arc::clone(&refused));
            tokio::spawn(async move {
                let answer = client.post(url).bearer_auth(key).body(body).send().await;
                let counter = match answer {
                    Ok(answer) if answer.status().is_success() => &accepted,
                    _ => &refused,
                };
                counter.fetch_add(1, Ordering::Relaxed);
                drop(slot);
            });
        }
    }
    // The last in flight are waited for.
    let _all = slots.acquire_many(IN_FLIGHT as u32).await?;
    Ok(Load {
        accepted: accepted.load(Ordering::Relaxed),
        refused: refused.load(Ordering::Relaxed),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The reports of the country and of the busiest places' (those the credentials' people are
/// at), quiet and then while messages arrive.
pub async fn live(
    addr: &str,
    data_dir: &Path,
    (first, seed): (u32, u64),
    rate: f64,
    lasting: Duration,
) -> anyhow::Result<(Vec<LiveFigures>, Load)> {
    let credentials = credentials(data_dir)?;
    let analyst = Analyst::sign_in(addr, &credentials).await?;
    let today = joinery_domain::Timestamp::now().date();
    let period = joinery_domain::measures::Month::of(today)
        .quarter()
        .to_string();
    let mut places = vec![String::new()];
    for (person, filter) in [
        ("la.national", "court"),
        ("pc.national", "force"),
        ("cps.national", "prosecutor"),
        ("po.national", "probation"),
    ] {
        if let Some((agency, _)) = credentials.people.get(person) {
            places.push(format!("{filter}={agency}"));
        }
    }
    // Once unasked, so that neither phase meets grids built for the first time.
    analyst.ask_all(&period, &places, Duration::ZERO).await?;
    let quiet = analyst.ask_all(&period, &places, lasting).await?;
    let stop = Arc::new(AtomicBool::new(false));
    let sender = tokio::spawn(send(
        addr.to_owned(),
        credentials.keys,
        (first, seed, today),
        rate,
        Arc::clone(&stop),
    ));
    // The load runs a little before the first live report is asked.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let live = analyst.ask_all(&period, &places, lasting).await;
    stop.store(true, Ordering::Relaxed);
    let load = sender.await??;
    let live = live?;
    let mut figures = Vec::new();
    for (r, report) in REPORTS.iter().enumerate() {
        for (p, place) in places.iter().enumerate() {
            let at = r * places.len() + p;
            figures.push(LiveFigures {
                report,
                place: place.clone(),
                quiet: Percentiles::of(quiet[at].clone()),
                live: Percentiles::of(live[at].clone()),
                asked: (quiet[at].len(), live[at].len()),
            });
        }
    }
    Ok((figures, load))
}
