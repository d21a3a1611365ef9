//! Management information's timeliness, kept by the projection: the day counts a report adds
//! up are what measuring every stored case's own milestones gives, for every court and force
//! and for one, after every message of a case sent one at a time and after a whole model office.

use joinery_domain::measures::{DayCounts, Interval, Milestones};
use joinery_domain::{AgencyCode, CaseState, OuCode};
use joinery_ports::CaseStore;

use crate::support::TestServer;

/// Every stretch of every stored case, measured from its state: (stretch, court, force, days).
fn measured(server: &TestServer) -> Vec<(Interval, String, String, i64)> {
    let connection = rusqlite::Connection::open(server.database()).expect("open");
    let states: Vec<String> = connection
        .prepare("SELECT state FROM cases")
        .expect("query")
        .query_map([], |row| row.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read");
    let mut all = Vec::new();
    for state in states {
        let state: CaseState = serde_json::from_str(&state).expect("state");
        let court = state
            .hearings
            .iter()
            .min_by_key(|hearing| hearing.starts_at)
            .map_or_else(|| "-".to_owned(), |hearing| hearing.court.to_string());
        // The model office's police forces are the agencies whose codes end in POL.
        let force = state
            .agencies
            .iter()
            .find(|agency| agency.as_str().ends_with("POL"))
            .map_or_else(|| "-".to_owned(), ToString::to_string);
        for (interval, _, days) in Milestones::of(&state).stretches() {
            all.push((interval, court.clone(), force.clone(), days));
        }
    }
    all
}

async fn kept_equals_measured(server: &TestServer) {
    let measured = measured(server);
    let (from, to) = (
        time::macros::date!(2000 - 01 - 01),
        time::macros::date!(2100 - 12 - 31),
    );
    for interval in Interval::ALL {
        let mut every = DayCounts::default();
        for (_, _, _, days) in measured.iter().filter(|m| m.0 == interval) {
            every.add(*days, 1);
        }
        let kept = server
            .store
            .timeliness(interval, from, to, None, None)
            .await
            .expect("report");
        assert_eq!(kept, every, "{interval:?}, every court and force");
        // One court and one force, each alone and together, where a case has both.
        if let Some((_, court, force, _)) = measured
            .iter()
            .find(|m| m.0 == interval && m.1 != "-" && m.2 != "-")
        {
            for (at_court, of_force) in [(true, false), (false, true), (true, true)] {
                let mut theirs = DayCounts::default();
                for (_, _, _, days) in measured.iter().filter(|m| {
                    m.0 == interval && (!at_court || &m.1 == court) && (!of_force || &m.2 == force)
                }) {
                    theirs.add(*days, 1);
                }
                let kept = server
                    .store
                    .timeliness(
                        interval,
                        from,
                        to,
                        at_court.then(|| OuCode::parse(court).expect("court")),
                        of_force.then(|| AgencyCode::parse(force).expect("force")),
                    )
                    .await
                    .expect("report");
                assert_eq!(
                    kept, theirs,
                    "{interval:?} at {court} ({at_court}), {force} ({of_force})"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_kept_day_counts_are_what_measuring_every_case_gives() {
    let server = TestServer::start().await;
    for message in crate::need_to_know::whole_case() {
        server.send_all(&[message]).await;
        kept_equals_measured(&server).await;
    }
    // A hearing listed before the first one, told late: the first listing moves, and with it
    // the stretches that end or start there (their old counts are taken away).
    let earlier = crate::need_to_know::message(
        "L-0",
        "LVCJC",
        "2026-03-20T10:00:00Z",
        "hearing_listed",
        serde_json::json!({"hearing_id": "H-0", "court": "B05PK00",
            "starts_at": "2026-03-23T10:00:00Z", "purpose": "first_appearance"}),
    );
    let before = measured(&server);
    server.send_all(&[earlier]).await;
    assert_ne!(measured(&server), before, "the stretches moved");
    kept_equals_measured(&server).await;
    server.load_model_office(120).await;
    kept_equals_measured(&server).await;
    let completed = server
        .store
        .timeliness(
            Interval::OffenceToCompletion,
            time::macros::date!(2000 - 01 - 01),
            time::macros::date!(2100 - 12 - 31),
            None,
            None,
        )
        .await
        .expect("report");
    assert!(completed.cases() > 10, "the model office completes cases");
}
