//! The caseload read model answers what deciding every case on the fly answers: for the model
//! office, every person, every filter and order, pages, and a reader holding a break-glass
//! grant; and each agency's feed holds what its system sees on the cases' own pages. The oracle is the same application over the same store with no read model, which
//! decides every case of the agency for each request.

use std::sync::Arc;

use joinery::model_office::PEOPLE;
use joinery_app::{App, BreakGlassOutcome, CaseloadQuery, CaseloadSort, HearingWindow};
use joinery_domain::{AgencyCode, Category, Reader, Stage, Text, Username};
use joinery_policy::SharingPolicy;

use crate::support::TestServer;

fn reader(name: &str, agency: &str, role: joinery_domain::Role) -> Reader {
    let kind = joinery::model_office::agencies()
        .into_iter()
        .find(|a| a.code.as_str() == agency)
        .map(|a| a.kind)
        .expect("a model-office agency");
    Reader::user(
        Username::parse(name).expect("name"),
        AgencyCode::parse(agency).expect("code"),
        kind,
        role,
    )
}

/// Every order with every hearing window, each with one of the other filters and pages in turn.
fn queries() -> Vec<CaseloadQuery> {
    let variants = [
        (None, false, 0),
        (None, true, 0),
        (Some(Stage::AwaitingSentence), false, 0),
        (None, false, 7),
    ];
    let mut all = Vec::new();
    for sort in [
        CaseloadSort::RecentlyChanged,
        CaseloadSort::NextHearing,
        CaseloadSort::LongestOverdue,
    ] {
        for hearing in [
            HearingWindow::Any,
            HearingWindow::Today,
            HearingWindow::NextSevenDays,
            HearingWindow::NextTwentyEightDays,
            HearingWindow::NoneListed,
        ] {
            let (stage, overdue_only, offset) = variants[all.len() % variants.len()];
            all.push(CaseloadQuery {
                stage,
                hearing,
                overdue_only,
                sort,
                limit: 10,
                offset,
            });
        }
        // Overdue work alone, in each order, a page in.
        for offset in [0, 7] {
            all.push(CaseloadQuery {
                overdue_only: true,
                sort,
                limit: 10,
                offset,
                ..CaseloadQuery::default()
            });
        }
    }
    all
}

async fn compare(kept: &App, decided: &App, reader: &Reader) {
    for query in queries() {
        let from_rows = kept.caseload(reader, &query).await.expect("caseload");
        let on_the_fly = decided.caseload(reader, &query).await.expect("caseload");
        let ids = |page: &joinery_app::Caseload| -> Vec<_> {
            page.cases.iter().map(|case| case.id).collect()
        };
        assert_eq!(
            (from_rows.total, ids(&from_rows)),
            (on_the_fly.total, ids(&on_the_fly)),
            "{:?} {:?}",
            reader.role,
            query
        );
        assert_eq!(from_rows.cases, on_the_fly.cases, "the views themselves");
    }
}

#[tokio::test]
async fn the_read_model_answers_every_caseload_as_deciding_every_case_would() {
    let server = TestServer::start().await;
    for (name, _, _) in PEOPLE {
        server.add_person(name).await;
    }
    server.load_model_office(120).await;
    let kept = server.app();
    let decided = App::new(
        Arc::new(server.store.clone()),
        Arc::new(SharingPolicy::builtin()),
        None,
    );
    for (name, agency, role) in PEOPLE {
        compare(kept, &decided, &reader(name, agency, role)).await;
    }
    // Each agency's feed, kept to what its system may see, against the cases' own pages.
    let agencies: Vec<_> = joinery::model_office::agencies()
        .into_iter()
        .map(|a| (a.code, a.kind))
        .collect();
    crate::support::feeds::feeds_are_what_the_case_views_show(
        kept,
        &server.store,
        &agencies,
        usize::MAX,
    )
    .await;

    // A probation officer breaks glass on a case: that case is decided under the grant, in
    // place among the rest.
    let probation = reader("po.walsh", "PROBNW", joinery_domain::Role::ProbationOfficer);
    let page = kept
        .caseload(
            &probation,
            &CaseloadQuery {
                limit: 50,
                ..CaseloadQuery::default()
            },
        )
        .await
        .expect("caseload");
    let mut granted = false;
    for case in &page.cases {
        let reason = Text::parse("Risk to staff at today's appointment").expect("text");
        if let BreakGlassOutcome::Granted(_) = kept
            .break_glass(&probation, case.id, Category::PoliceFile, reason)
            .await
            .expect("break glass")
        {
            granted = true;
            break;
        }
    }
    assert!(granted, "no case to break glass on");
    compare(kept, &decided, &probation).await;
}
