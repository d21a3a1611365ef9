//! `joinery bench not-found`: whether the time a refusal takes tells that a case exists. A
//! case of 200 items that a housing support worker may see nothing of, and an id no case has,
//! are each asked for through the application's one authorization path; the medians should
//! match (each is answered no sooner than the floor), while deciding the hidden case alone
//! costs what a visible view costs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use joinery_app::{App, Purpose};
use joinery_domain::{AgencyCode, AgencyKind, CaseId, Reader, Role, Username};
use joinery_policy::SharingPolicy;
use joinery_store::SqlStore;

use super::case_view::{median, store_case};

/// The medians, per kind of answer.
#[derive(Debug, Clone)]
pub struct NotFoundFigures {
    /// A case of the reader's: read, decided, recorded, answered.
    pub visible: Duration,
    /// A case the reader may see nothing of.
    pub hidden: Duration,
    /// An id no case has.
    pub missing: Duration,
}

impl NotFoundFigures {
    /// Hidden over missing: 1.0 when the time tells nothing.
    pub fn ratio(&self) -> f64 {
        self.hidden.as_secs_f64() / self.missing.as_secs_f64()
    }
}

pub async fn not_found(
    items: usize,
    asks: usize,
    dir: &std::path::Path,
) -> anyhow::Result<NotFoundFigures> {
    let store = SqlStore::open(&dir.join("not-found.sqlite")).await?;
    let id = store_case(&store, 1, items).await?;
    let app = App::new(
        Arc::new(store.clone()),
        Arc::new(SharingPolicy::builtin()),
        None,
    );
    let police = Reader::user(
        Username::parse("pc.hughes")?,
        AgencyCode::parse("MERPOL")?,
        AgencyKind::Police,
        Role::PoliceOfficer,
    );
    let stranger = Reader::user(
        Username::parse("sw.evans")?,
        AgencyCode::parse("VOLHSG")?,
        AgencyKind::Voluntary,
        Role::SupportWorker,
    );
    let nothing = CaseId::generate();
    let (mut visible, mut hidden, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..asks {
        for (reader, case, times) in [
            (&police, id, &mut visible),
            (&stranger, id, &mut hidden),
            (&stranger, nothing, &mut missing),
        ] {
            let started = Instant::now();
            let answer = app.case(reader, case, Purpose::Case).await?;
            times.push(started.elapsed());
            anyhow::ensure!(
                answer.is_some() == std::ptr::eq(reader, &police),
                "the benchmark's readers do not see what they should"
            );
        }
    }
    store.close().await;
    Ok(NotFoundFigures {
        visible: median(visible),
        hidden: median(hidden),
        missing: median(missing),
    })
}
