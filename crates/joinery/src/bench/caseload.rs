//! `joinery bench caseload`: what a caseload page costs, and what authorization adds to it.
//!
//! The model office's first `cases` cases are stored in a fresh SQLite file. For each reader,
//! one caseload page (25 rows, sorted by next hearing) is built two ways, alternating:
//! - baseline: the agency's cases read from the store, every item of each kept and folded,
//!   sorted and cut to a page, with nothing decided and nothing recorded;
//! - Joinery: `App::caseload`, which decides every item of every case for the reader,
//!   folds what they may see, sorts and cuts on that alone, and records the page's rows in the
//!   audit trail (one durable write).
//!
//! Medians are reported.

use std::time::{Duration, Instant};

use joinery_app::{CaseView, CaseloadQuery, CaseloadSort, disclose_all};
use joinery_domain::{Reader, Timestamp};
use joinery_policy::SharingPolicy;
use joinery_ports::CaseStore;
use joinery_store::SqlStore;

use super::case_view::{median, readers};
use crate::model_office;

/// Rows on a page, as the caseload page shows.
const PAGE: usize = 25;

/// The figures for one reader.
#[derive(Debug, Clone)]
pub struct CaseloadFigures {
    pub reader: String,
    /// Cases of the reader's agency, and how many of them the reader may see anything of.
    pub cases: usize,
    pub visible: usize,
    pub baseline: Duration,
    pub authorized: Duration,
}

impl CaseloadFigures {
    /// Joinery's time as a multiple of the baseline's.
    pub fn ratio(&self) -> f64 {
        self.authorized.as_secs_f64() / self.baseline.as_secs_f64()
    }
}

/// A page of the agency's cases with nothing decided: every item of every case folded.
async fn baseline_page(store: &SqlStore, reader: &Reader) -> anyhow::Result<usize> {
    let now = Timestamp::now();
    let mut views: Vec<CaseView> = store
        .agency_case_histories(reader.agency.clone())
        .await?
        .into_iter()
        .map(|(record, entries)| {
            CaseView::assemble(record.id, disclose_all(entries), &record.state, now)
        })
        .collect();
    views.sort_by_key(|view| {
        view.next_hearing
            .as_ref()
            .map_or((true, None), |h| (false, Some(h.starts_at)))
    });
    views.truncate(PAGE);
    Ok(views.len())
}

/// Stores `cases` model-office cases, then times `rounds` pages per side for each reader.
pub async fn caseload(
    cases: u32,
    rounds: usize,
    dir: &std::path::Path,
) -> anyhow::Result<Vec<CaseloadFigures>> {
    let (store, state) =
        crate::server::open(&dir.join("caseload.sqlite"), SharingPolicy::builtin(), None).await?;
    let app = state.app;
    for agency in model_office::agencies() {
        app.add_agency(agency).await?;
    }
    // The people, as in the demo: a judge's caseload is kept for a judge with an account.
    for (name, agency, role) in model_office::PEOPLE {
        app.add_user(
            joinery_domain::Username::parse(name)?,
            joinery_domain::AgencyCode::parse(agency)?,
            role,
            "a password for the benchmark".into(),
            false,
        )
        .await?;
    }
    let today = Timestamp::now().date();
    let mut dice = model_office::Dice::new(0xCA5E);
    let messages = (1..=cases)
        .filter_map(move |number| model_office::case_messages(number, today, &mut dice))
        .flatten();
    crate::load::load_messages(&app, messages, 0, false).await?;
    let query = CaseloadQuery {
        sort: CaseloadSort::NextHearing,
        limit: PAGE,
        ..CaseloadQuery::default()
    };
    let mut figures = Vec::new();
    for (name, reader) in readers()? {
        let agency_cases = store
            .agency_case_histories(reader.agency.clone())
            .await?
            .len();
        let visible = app.caseload(&reader, &query).await?.total;
        let mut baseline = Vec::with_capacity(rounds);
        let mut authorized = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let started = Instant::now();
            baseline_page(&store, &reader).await?;
            baseline.push(started.elapsed());
            let started = Instant::now();
            app.caseload(&reader, &query).await?;
            authorized.push(started.elapsed());
        }
        figures.push(CaseloadFigures {
            reader: name,
            cases: agency_cases,
            visible,
            baseline: median(baseline),
            authorized: median(authorized),
        });
    }
    Ok(figures)
}
