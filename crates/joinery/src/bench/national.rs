//! `joinery bench national`: the pages of a national year, each against the same page built
//! with nothing decided, in one run.
//!
//! It opens a year made by `joinery generate` (or makes one first) and, for the people its
//! credentials name — the busiest police force's officer, CPS area's prosecutor, court's legal
//! adviser and judge, probation region's officer, a support worker and a manager — times:
//! - the caseload's first page, and two filtered, sorted pages (hearings in the next 28 days
//!   by date; cases with overdue work, longest overdue first);
//! - the court list of the court's busiest day in the next fortnight (court staff);
//! - a case page (a case from the reader's first page);
//! - a hearing summary (the judge, a case on their busiest day);
//! - the feed's next page, for the agency's system.
//!
//! "Nothing decided" is the same page read from the same store the same way (the caseload by
//! the same index, the court day, the case, the agency's changes) with every item shown: what
//! the page would cost if Joinery had no sharing agreement. It records what it shows in the
//! audit trail as Joinery does (one durable write a page, an entry a case), since recording a
//! disclosure is not deciding it: the ratio is what deciding adds. Each page is built once
//! before it is timed (the feed walks its `rounds` pages once, then again timed), then timed
//! `rounds` times per side, alternating; p50 and p99 are reported.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use joinery_app::{App, CaseView, CaseloadQuery, CaseloadSort, HearingWindow, Purpose};
use joinery_app::{HearingOutcome, actor, day_list, disclose_all, rooms_for};
use joinery_domain::{
    AgencyCode, AgencyKind, CaseId, Reader, ReaderId, Role, Sequence, Timestamp, Username,
};
use joinery_ports::{AuditAction, AuditDetail, AuditEvent, AuditStore, AuditSubject, CaseStore};
use joinery_store::SqlStore;
use time::{Date, Duration as Days};

/// Rows on a caseload page, as the page shows.
const PAGE: usize = 25;
/// Changes on a feed page.
const FEED_PAGE: usize = 100;

/// One page's timings for one reader.
#[derive(Debug, Clone)]
pub struct PageFigures {
    pub reader: String,
    pub page: String,
    /// What the page showed (rows, hearings, items or changes).
    pub shown: usize,
    pub baseline: Percentiles,
    pub joinery: Percentiles,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Percentiles {
    pub p50: Duration,
    pub p99: Duration,
}

impl Percentiles {
    pub(crate) fn of(mut times: Vec<Duration>) -> Self {
        times.sort_unstable();
        let at = |q: f64| {
            let index = ((times.len() as f64 - 1.0) * q).round() as usize;
            times.get(index).copied().unwrap_or_default()
        };
        Self {
            p50: at(0.5),
            p99: at(0.99),
        }
    }
}

impl PageFigures {
    /// Joinery's p50 and p99, each as a multiple of the baseline's.
    pub fn ratios(&self) -> (f64, f64) {
        let ratio =
            |ours: Duration, theirs: Duration| ours.as_secs_f64() / theirs.as_secs_f64().max(1e-9);
        (
            ratio(self.joinery.p50, self.baseline.p50),
            ratio(self.joinery.p99, self.baseline.p99),
        )
    }
}

/// The people in a year's credentials, as readers, with their agencies' kinds.
fn readers(data_dir: &Path) -> anyhow::Result<Vec<(String, Reader)>> {
    let path = data_dir.join("demo-credentials.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (made by joinery generate)", path.display()))?;
    let credentials: serde_json::Value = serde_json::from_str(&text)?;
    let kind_of = |code: &str| -> Option<AgencyKind> {
        credentials["agencies"]
            .as_array()?
            .iter()
            .find(|agency| agency["agency"] == code)
            .and_then(|agency| serde_json::from_value(agency["kind"].clone()).ok())
    };
    let mut readers = Vec::new();
    for user in credentials["users"].as_array().into_iter().flatten() {
        let (Some(name), Some(agency)) = (user["username"].as_str(), user["agency"].as_str())
        else {
            continue;
        };
        let role: Role = serde_json::from_value(user["role"].clone())?;
        if matches!(role, Role::GovernanceOfficer | Role::Administrator) {
            continue;
        }
        // One judge is enough: they are alike.
        if role == Role::Judge
            && readers
                .iter()
                .any(|(_, r): &(String, Reader)| r.role == role)
        {
            continue;
        }
        let kind = kind_of(agency).with_context(|| format!("no kind for `{agency}`"))?;
        let reader = Reader::user(
            Username::parse(name)?,
            AgencyCode::parse(agency)?,
            kind,
            role,
        );
        readers.push((format!("{name} ({role:?} at {agency})"), reader));
    }
    Ok(readers)
}

/// Times `joinery` and `baseline` `rounds` times each, alternating which goes first: each
/// writes what it shows to the audit trail, and a durable write straight after another waits
/// longer than one after a read.
async fn time_both<J, B, JF, BF>(
    rounds: usize,
    mut joinery: J,
    mut baseline: B,
) -> anyhow::Result<(Percentiles, Percentiles)>
where
    J: FnMut() -> JF,
    B: FnMut() -> BF,
    JF: Future<Output = anyhow::Result<()>>,
    BF: Future<Output = anyhow::Result<()>>,
{
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if round % 2 == 0 {
            let started = Instant::now();
            baseline().await?;
            theirs.push(started.elapsed());
        }
        let started = Instant::now();
        joinery().await?;
        ours.push(started.elapsed());
        if round % 2 == 1 {
            let started = Instant::now();
            baseline().await?;
            theirs.push(started.elapsed());
        }
    }
    Ok((Percentiles::of(ours), Percentiles::of(theirs)))
}

/// A case with every item shown: the view, and the disclosure Joinery would record of it.
async fn undecided(
    store: &SqlStore,
    reader: &Reader,
    action: AuditAction,
    id: CaseId,
    now: Timestamp,
) -> anyhow::Result<Option<(CaseView, AuditEvent)>> {
    Ok(store.case_history(id).await?.map(|(record, entries)| {
        let view = CaseView::assemble(id, disclose_all(entries), &record.state, now);
        let event = disclosure(reader, action, &view);
        (view, event)
    }))
}

/// The entry Joinery records when `reader` is shown `view`, every item in full.
fn disclosure(reader: &Reader, action: AuditAction, view: &CaseView) -> AuditEvent {
    AuditEvent {
        actor: actor(reader),
        action,
        subject: Some(AuditSubject::Case(view.id)),
        detail: AuditDetail::Disclosure {
            role: reader.role,
            items: view.items.iter().map(|item| item.sequence).collect(),
            summaries: Vec::new(),
            policies: Default::default(),
            break_glass: Vec::new(),
            policy_version: String::new(),
        },
    }
}

/// Records a page's disclosures, as Joinery does: one durable write.
async fn record(store: &SqlStore, events: Vec<AuditEvent>) -> anyhow::Result<()> {
    if !events.is_empty() {
        store.audit(events).await?;
    }
    Ok(())
}

/// The day in the fortnight from `today` with the most cases on `reader`'s list.
async fn busiest_day(store: &SqlStore, reader: &Reader, today: Date) -> anyhow::Result<Date> {
    let mut best = (0, today);
    for ahead in 0..14 {
        let day = today + Days::days(ahead);
        let heard = store.cases_heard_on(day, day_list(reader)).await?.len();
        if heard > best.0 {
            best = (heard, day);
        }
    }
    Ok(best.1)
}

/// Times every page for every reader of the year in `data_dir`.
pub async fn national(
    app: &App,
    store: &SqlStore,
    data_dir: &Path,
    rounds: usize,
) -> anyhow::Result<Vec<PageFigures>> {
    let mut figures = Vec::new();
    let today = Timestamp::now().date();
    for (name, reader) in readers(data_dir)? {
        let ReaderId::User(username) = &reader.id else {
            continue;
        };
        let queries = [
            ("caseload, first page", CaseloadQuery::default()),
            (
                "caseload, hearings in 28 days by date",
                CaseloadQuery {
                    hearing: HearingWindow::NextTwentyEightDays,
                    sort: CaseloadSort::NextHearing,
                    ..CaseloadQuery::default()
                },
            ),
            (
                "caseload, overdue work, longest overdue first",
                CaseloadQuery {
                    overdue_only: true,
                    sort: CaseloadSort::LongestOverdue,
                    ..CaseloadQuery::default()
                },
            ),
        ];
        let mut first_case = None;
        for (page, query) in queries {
            let query = CaseloadQuery {
                limit: PAGE,
                ..query
            };
            let shown = app.caseload(&reader, &query).await?.cases;
            first_case = first_case.or_else(|| shown.first().map(|view| view.id));
            let (joinery, baseline) = time_both(
                rounds,
                || async {
                    app.caseload(&reader, &query).await?;
                    Ok(())
                },
                || async {
                    let now = Timestamp::now();
                    let slice = store
                        .caseload(query.page_for(&reader, username, now))
                        .await?;
                    // The page's cases read together, as Joinery reads them.
                    let ids = slice.entries.iter().map(|entry| entry.case_id).collect();
                    let mut listed = Vec::new();
                    for (record, entries) in store.case_histories(ids).await?.into_iter().flatten()
                    {
                        let view = CaseView::assemble(
                            record.id,
                            disclose_all(entries),
                            &record.state,
                            now,
                        );
                        listed.push(disclosure(&reader, AuditAction::CaseListed, &view));
                    }
                    record(store, listed).await
                },
            )
            .await?;
            figures.push(PageFigures {
                reader: name.clone(),
                page: page.into(),
                shown: shown.len(),
                baseline,
                joinery,
            });
        }
        if reader.agency_kind == AgencyKind::Court {
            let day = busiest_day(store, &reader, today).await?;
            let list = app.court_list(&reader, day, 0).await?;
            let shown: usize = list.rooms.iter().map(|room| room.hearings.len()).sum();
            let (joinery, baseline) = time_both(
                rounds,
                || async {
                    app.court_list(&reader, day, 0).await?;
                    Ok(())
                },
                || async {
                    let now = Timestamp::now();
                    let read = store
                        .court_day(day, day_list(&reader), rooms_for(&reader, 0))
                        .await?;
                    let mut listed = Vec::new();
                    for (case, entries) in read.cases {
                        let view =
                            CaseView::assemble(case.id, disclose_all(entries), &case.state, now);
                        listed.push(disclosure(&reader, AuditAction::CaseListed, &view));
                    }
                    record(store, listed).await
                },
            )
            .await?;
            let which = if list.sittings.is_empty() {
                "court list".to_owned()
            } else {
                format!("court list, first of {} courtrooms", list.sittings.len())
            };
            figures.push(PageFigures {
                reader: name.clone(),
                page: format!("{which}, busiest day ({day})"),
                shown,
                baseline,
                joinery,
            });
            if reader.role == Role::Judge
                && let Some(listed) = list.rooms.first().and_then(|room| room.hearings.first())
            {
                let id = listed.case_id;
                let (joinery, baseline) = time_both(
                    rounds,
                    || async {
                        let brief = app.hearing_summary(&reader, id).await?;
                        anyhow::ensure!(matches!(brief, HearingOutcome::Summary(_)));
                        Ok(())
                    },
                    || async {
                        let now = Timestamp::now();
                        let case = undecided(store, &reader, AuditAction::CaseRead, id, now);
                        if let Some((view, event)) = case.await? {
                            view.hearing_summary(now);
                            record(store, vec![event]).await?;
                        }
                        Ok(())
                    },
                )
                .await?;
                figures.push(PageFigures {
                    reader: name.clone(),
                    page: "hearing summary".into(),
                    shown: 1,
                    baseline,
                    joinery,
                });
            }
        }
        if let Some(id) = first_case {
            let shown = app
                .case(&reader, id, Purpose::Case)
                .await?
                .map_or(0, |view| view.items.len());
            let (joinery, baseline) = time_both(
                rounds,
                || async {
                    app.case(&reader, id, Purpose::Case).await?;
                    Ok(())
                },
                || async {
                    let now = Timestamp::now();
                    let case = undecided(store, &reader, AuditAction::CaseRead, id, now).await?;
                    record(store, case.map(|(_, event)| event).into_iter().collect()).await
                },
            )
            .await?;
            figures.push(PageFigures {
                reader: name.clone(),
                page: "case page".into(),
                shown,
                baseline,
                joinery,
            });
        }
        if reader.role.agency_kind().is_some() && reader.role != Role::Judge {
            figures.push(feed(app, store, &name, &reader, rounds).await?);
        }
    }
    Ok(figures)
}

/// The feed's next page for the reader's agency's system, walking forward from the start.
async fn feed(
    app: &App,
    store: &SqlStore,
    name: &str,
    reader: &Reader,
    rounds: usize,
) -> anyhow::Result<PageFigures> {
    let system = Reader::system(reader.agency.clone(), reader.agency_kind);
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut shown = 0;
    // The same pages twice, timed the second time: like every other page here, each is built
    // once before it is timed, so that both sides meet it warm.
    for timed in [false, true] {
        let (mut cursor, mut raw) = (Sequence::START, Sequence::START);
        for round in 0..rounds {
            // Which side goes first alternates, as in `time_both`.
            let mut baseline = Duration::ZERO;
            if round % 2 == 0 {
                let started = Instant::now();
                raw = undecided_feed_page(store, &system, raw).await?;
                baseline = started.elapsed();
            }
            let started = Instant::now();
            let page = app.feed(&system, cursor, FEED_PAGE).await?;
            let joinery = started.elapsed();
            if round % 2 == 1 {
                let started = Instant::now();
                raw = undecided_feed_page(store, &system, raw).await?;
                baseline = started.elapsed();
            }
            if timed {
                theirs.push(baseline);
                ours.push(joinery);
            }
            shown = shown.max(page.changes.len());
            cursor = Sequence::parse(&page.next).unwrap_or(cursor);
        }
    }
    Ok(PageFigures {
        reader: name.into(),
        page: "feed, next page (the agency's system)".into(),
        shown,
        baseline: Percentiles::of(theirs),
        joinery: Percentiles::of(ours),
    })
}

/// The agency's next feed page with every change shown in full, recorded as the feed records
/// (an entry a case); the cursor after it.
async fn undecided_feed_page(
    store: &SqlStore,
    system: &Reader,
    after: Sequence,
) -> anyhow::Result<Sequence> {
    let changes = store
        .agency_changes_after(system.agency.clone(), after, FEED_PAGE)
        .await?;
    let next = changes
        .last()
        .map_or(after, |(change, _)| change.entry.sequence);
    let mut by_case: BTreeMap<CaseId, Vec<Sequence>> = BTreeMap::new();
    for (change, _) in changes {
        let shown = by_case.entry(change.case_id).or_default();
        shown.extend(disclose_all(vec![change.entry]).iter().map(|i| i.sequence));
    }
    let listed = by_case
        .into_iter()
        .map(|(case_id, items)| AuditEvent {
            actor: actor(system),
            action: AuditAction::FeedRead,
            subject: Some(AuditSubject::Case(case_id)),
            detail: AuditDetail::FeedDisclosure {
                role: system.role,
                items,
            },
        })
        .collect();
    record(store, listed).await?;
    Ok(next)
}
