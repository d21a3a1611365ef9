//! The feed oracle: each agency's feed, read by its index, against the case pages its system
//! reads.

use std::collections::BTreeSet;

use joinery_app::App;
use joinery_domain::{AgencyCode, AgencyKind, CaseId, Reader, Sequence};
use joinery_ports::CaseStore;

/// Each agency's feed, read by its index, holds exactly the changes of the stream's first
/// `stretch` that the agency's system sees on the case's own page: nothing is missed because
/// the index did not list it, nothing shown that the page withholds.
pub async fn feeds_are_what_the_case_views_show(
    app: &App,
    store: &joinery_store::SqlStore,
    agencies: &[(AgencyCode, AgencyKind)],
    stretch: usize,
) {
    let stream = store
        .changes_after(Sequence::START, stretch)
        .await
        .expect("stream");
    let last = stream.last().expect("changes").entry.sequence;
    let mut cases: Vec<CaseId> = stream.iter().map(|c| c.case_id).collect();
    cases.sort_unstable();
    cases.dedup();
    for (code, kind) in agencies {
        let system = Reader::system(code.clone(), *kind);
        let mut expected = BTreeSet::new();
        for case in &cases {
            let view = app
                .case(&system, *case, joinery_app::Purpose::Case)
                .await
                .expect("case");
            for item in view.into_iter().flat_map(|view| view.items) {
                if item.sequence <= last {
                    expected.insert(item.sequence);
                }
            }
        }
        let mut fed = BTreeSet::new();
        let mut cursor = Sequence::START;
        loop {
            let page = app.feed(&system, cursor, 100).await.expect("feed");
            fed.extend(
                page.changes
                    .iter()
                    .map(|change| change.item.sequence)
                    .filter(|sequence| *sequence <= last),
            );
            let next = Sequence::parse(&page.next).expect("cursor");
            if next == cursor || next > last {
                break;
            }
            cursor = next;
        }
        assert_eq!(fed, expected, "the feed of {code}");
    }
}
