//! A national year, small: every court, custody unit and offence the generator names is in the
//! MoJ standing data; a generated year goes through the real intake with nothing refused and no
//! data-quality problem raised; its people can sign in; the caseload read model answers for
//! each of them what deciding every case on the fly answers; and each agency's feed, read by
//! its index, is what its system sees on the cases' own pages.
//!
//! The year holds `JOINERY_NATIONAL_CASES` cases (default 20,000: the "small generate").

use std::path::Path;
use std::sync::Arc;

use joinery::national::geography::{CUSTODY_UNITS, courts};
use joinery::national::{self, Year, calibration::OFFENCES};
use joinery_app::{App, CaseloadQuery, CaseloadSort, HearingWindow, OutboundPolicy};
use joinery_domain::{AgencyCode, OffenceCode, OuCode, Reader, Role, Stage, Username};
use joinery_policy::SharingPolicy;

fn cases() -> u32 {
    std::env::var("JOINERY_NATIONAL_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(20_000)
}

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_code_the_generator_names_is_in_the_standing_data() {
    let Some(data) = crate::support::standing_data() else {
        return;
    };
    for court in courts() {
        let unit = data.unit(&OuCode::parse(court.ou).expect("ou"));
        let unit = unit.unwrap_or_else(|| panic!("court {} is not in the standing data", court.ou));
        let expected = if court.crown {
            "Crown Courts"
        } else {
            "Magistrates' Courts"
        };
        assert_eq!(unit.kind, expected, "{}", court.ou);
    }
    for (force, unit) in CUSTODY_UNITS {
        assert!(
            data.unit(&OuCode::parse(unit).expect("ou")).is_some(),
            "custody unit {unit} of force {force} is not in the standing data"
        );
    }
    for offence in OFFENCES {
        assert!(
            data.offence(&OffenceCode::parse(offence.code).expect("code"))
                .is_some(),
            "offence {} is not in the standing data",
            offence.code
        );
    }
}

fn queries() -> Vec<CaseloadQuery> {
    vec![
        CaseloadQuery::default(),
        CaseloadQuery {
            hearing: HearingWindow::NextTwentyEightDays,
            sort: CaseloadSort::NextHearing,
            ..CaseloadQuery::default()
        },
        CaseloadQuery {
            overdue_only: true,
            sort: CaseloadSort::LongestOverdue,
            offset: 10,
            ..CaseloadQuery::default()
        },
        CaseloadQuery {
            stage: Some(Stage::AwaitingTrial),
            ..CaseloadQuery::default()
        },
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_year_is_stored_whole_and_its_caseloads_are_what_deciding_answers() {
    let Some(_) = crate::support::standing_data() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let year = Year {
        cases: cases(),
        seed: 11,
        today: joinery_domain::Timestamp::now().date(),
    };
    let reference = joinery::reference::default_dir(&root());
    let database = crate::support::database::TestDatabase::fresh(dir.path());
    let server = match database.location() {
        joinery_store::Database::Server(url) => Some(url),
        joinery_store::Database::File(_) => None,
    };
    let made = national::make(dir.path(), server.as_deref(), year, Some(&reference), false)
        .await
        .expect("a year is made");
    assert!(
        made.accepted > year.cases as usize * 8,
        "{} messages",
        made.accepted
    );

    // Nothing the agencies' systems sent raised a data-quality problem.
    let problems = database.rows("SELECT code, value FROM message_exceptions LIMIT 5");
    assert!(problems.is_empty(), "data-quality problems: {problems:?}");

    let (store, state) = joinery::server::open_with(
        database.location(),
        SharingPolicy::builtin(),
        crate::support::standing_data(),
        OutboundPolicy::default(),
    )
    .await
    .expect("open");
    let kept = &state.app;
    let decided = App::new(
        Arc::new(store.clone()),
        Arc::new(SharingPolicy::builtin()),
        None,
    );
    let credentials: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("demo-credentials.json")).expect("credentials"),
    )
    .expect("json");
    let agencies = national::agencies();
    let mut seen_something = 0;
    for (person, user) in credentials["users"]
        .as_array()
        .expect("users")
        .iter()
        .enumerate()
    {
        let name = user["username"].as_str().expect("name");
        let agency = user["agency"].as_str().expect("agency");
        let role: Role = serde_json::from_value(user["role"].clone()).expect("role");
        let password = user["password"].as_str().expect("password");
        // Each from its own address, so that no per-client limit stands in the way.
        let last = u8::try_from(person + 1).expect("a few people");
        let client = joinery_app::ClientAddress::new(std::net::IpAddr::from([10, 0, 0, last]));
        let outcome = kept
            .sign_in(
                Username::parse(name).expect("name"),
                password.into(),
                client,
            )
            .await
            .expect("sign in");
        assert!(
            matches!(outcome, joinery_app::SignInOutcome::SignedIn { .. }),
            "{name} cannot sign in"
        );
        let kind = agencies
            .iter()
            .find(|a| a.code.as_str() == agency)
            .expect("a national agency")
            .kind;
        let reader = Reader::user(
            Username::parse(name).expect("name"),
            AgencyCode::parse(agency).expect("code"),
            kind,
            role,
        );
        for query in queries() {
            let query = CaseloadQuery { limit: 10, ..query };
            let from_rows = kept.caseload(&reader, &query).await.expect("caseload");
            let on_the_fly = decided.caseload(&reader, &query).await.expect("caseload");
            assert_eq!(from_rows.total, on_the_fly.total, "{name} {query:?}");
            assert_eq!(from_rows.cases, on_the_fly.cases, "{name} {query:?}");
            seen_something += usize::from(from_rows.total > 0);
        }
    }
    assert!(
        seen_something > 10,
        "the people of the year see almost nothing"
    );
    let agencies: Vec<(AgencyCode, joinery_domain::AgencyKind)> = national::agencies()
        .into_iter()
        .filter(|a| {
            ["METPOL", "CPSWM", "B13HD00", "C10NE00", "PROBLDN", "VDRLDN"]
                .contains(&a.code.as_str())
        })
        .map(|a| (a.code, a.kind))
        .collect();
    crate::support::feeds::feeds_are_what_the_case_views_show(kept, &store, &agencies, 3_000).await;
    store.close().await;
}
