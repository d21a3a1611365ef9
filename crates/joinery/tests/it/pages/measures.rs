//! The management information page, its CSV files and its JSON: a centre's manager sees their
//! centre's numbers, each equal to a count by hand of the stored cases (or `[c]` where it is
//! small, or would give a small one away), and people who work cases see none.

use joinery_domain::journey::OffenceType;
use joinery_domain::measures::{Interval, Measure, Month, Period, Quarter, Week};
use reqwest::StatusCode;

use crate::measures::{Counted, measured};
use crate::support::{Person, TestServer};

/// The trials the model office's court listed in `months`, of cases of one offence type or of
/// every one, counted by hand from every stored case's state: (effective, cracked,
/// ineffective).
fn trials_by_hand(server: &TestServer, period: Period, of: Option<OffenceType>) -> [u64; 3] {
    trials_where(server, period, of, &|m| m.2 == "LVCJC")
}

/// As `trials_by_hand`, of the cases counted where `at` says.
fn trials_where(
    server: &TestServer,
    period: Period,
    of: Option<OffenceType>,
    at: &dyn Fn(&Counted) -> bool,
) -> [u64; 3] {
    let mut counts = [0; 3];
    for m in measured(server) {
        if m.0 == Measure::Trials
            && at(&m)
            && period.holds(m.1, Week::of(m.7))
            && of.is_none_or(|kind| m.8 == kind.as_str())
        {
            let index = ["effective", "cracked", "ineffective"]
                .iter()
                .position(|value| *value == m.4)
                .expect("an outcome");
            counts[index] += 1;
        }
    }
    counts
}

/// Waits until `report` of `quarter` and the one before is shown from figures counted at or
/// after `changed`. Figures counted before may be shown for a little while after a change
/// (a national grid is built again in the background while the last one is shown), and each
/// report says when its figures were counted.
async fn figures_counted_since(
    manager: &Person,
    report: &str,
    quarter: Quarter,
    changed: time::OffsetDateTime,
) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    for quarter in [quarter, quarter.previous()] {
        loop {
            let (status, shown) = manager
                .fetch(&format!("/api/v1/measures/{report}?period={quarter}"))
                .await;
            assert_eq!(status, StatusCode::OK, "{shown}");
            let counted = shown["counted_at"].as_str().expect("counted_at");
            let counted = time::OffsetDateTime::parse(
                counted,
                &time::format_description::well_known::Rfc3339,
            )
            .expect("an RFC 3339 time");
            if counted >= changed {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{quarter}: still shown from figures counted at {counted}, before the change"
            );
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }
}

/// Every trial count the manager is shown, this quarter and the one before, of one offence
/// type or of every one, against a count by hand of the stored cases.
async fn trials_are_counted(
    server: &TestServer,
    manager: &Person,
    quarter: Quarter,
    of: Option<OffenceType>,
) {
    for quarter in [quarter, quarter.previous()] {
        trials_of_period_are_counted(server, manager, Period::Quarter(quarter), of).await;
    }
}

/// Every trial count the manager is shown for `period`, against a count by hand.
async fn trials_of_period_are_counted(
    server: &TestServer,
    manager: &Person,
    period: Period,
    of: Option<OffenceType>,
) -> u64 {
    let (status, report) = manager
        .fetch(&format!(
            "/api/v1/measures/trials?period={period}&offence_type={}",
            of.map_or("", OffenceType::as_str)
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let by_hand = trials_by_hand(server, period, of);
    let rows = report["tables"][0]["rows"].as_array().expect("rows");
    let total: u64 = by_hand.iter().sum();
    assert_eq!(rows[3]["label"], "All trials");
    let counts = by_hand.iter().copied().chain([total]);
    for (row, count) in rows.iter().zip(counts) {
        let shown = &row["cells"][0];
        if count > 0 && count < 10 {
            assert_eq!(shown, "[c]", "{period}: a small count shown: {row}");
        } else if shown != "[c]" {
            assert_eq!(shown, &serde_json::Value::from(count), "{period}: {row}");
        }
    }
    // Hidden counts in a line (the outcomes and their total) are never one alone: that
    // one would be the total less the others.
    let hidden = rows.iter().filter(|row| row["cells"][0] == "[c]").count();
    assert_ne!(
        hidden, 1,
        "{period}: one count hidden in its line: {rows:?}"
    );
    total
}

#[tokio::test]
async fn a_centre_manager_sees_where_cases_wait_and_each_number_is_a_count_of_the_cases() {
    let server = TestServer::start().await;
    server.load_model_office(400).await;
    let manager = server.person("mgr.lewis").await;
    let today = joinery_domain::Timestamp::now().date();
    let quarter = Month::of(today).quarter();

    // The page: charts and tables, for the manager's own centre by default.
    let (status, page) = manager.page("/measures").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Timeliness: court LVCJC"), "{page}");
    assert!(page.contains("<svg"), "a chart");
    assert!(page.contains("Median days"), "a table beside it");
    assert!(page.contains("Download this table as CSV"));
    assert!(
        page.contains("These figures were counted less than a minute ago."),
        "{page}"
    );

    // Every trial count, against a count by hand; and again once more cases have come and
    // the report says its figures were counted since.
    trials_are_counted(&server, &manager, quarter, None).await;
    server.load_model_office(520).await;
    let changed = time::OffsetDateTime::now_utc();
    figures_counted_since(&manager, "trials", quarter, changed).await;
    trials_are_counted(&server, &manager, quarter, None).await;
    // And of each week in the last quarter: a week's pieces are kept within its months, and a
    // week spanning two months (or two quarters) adds up its pieces when both are shown.
    let mut day = quarter.previous().months()[0];
    let mut weeks = Vec::new();
    while day <= Month::of(today) {
        weeks.extend(joinery_domain::measures::weeks_of(day));
        day = day.next();
    }
    weeks.dedup();
    let mut trials = 0;
    for week in weeks {
        trials += trials_of_period_are_counted(&server, &manager, Period::Week(week), None).await;
    }
    assert!(trials > 0, "the weeks held trials to count");
    // And of each offence type: the same grid, split by the type of each case's principal
    // offence.
    for kind in OffenceType::ALL {
        trials_are_counted(&server, &manager, quarter, Some(kind)).await;
    }
    let (status, page) = manager
        .page(&format!(
            "/measures?report=trials&period={quarter}&offence_type=either_way"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("triable either way offences"),
        "the heading names the offence type: {page}"
    );
    assert!(
        page.contains(r#"<option value="either_way" selected>"#),
        "{page}"
    );
    let (status, page) = manager.page("/measures?offence_type=murder").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Choose an offence type from the list"),
        "{page}"
    );

    // Something is shown: the model office's quarter completes cases enough.
    figures_counted_since(&manager, "timeliness", quarter, changed).await;
    let (_, report) = manager
        .fetch(&format!("/api/v1/measures/timeliness?period={quarter}"))
        .await;
    let shown = report["tables"][0]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|row| row["cells"][0].is_u64())
        .count();
    assert!(shown > 0, "{report}");
    // Each median shown is the nearest-rank median of the days, counted by hand.
    let measured = measured(&server);
    let rows = report["tables"][0]["rows"].as_array().expect("rows");
    let mut medians = 0;
    for (interval, row) in Interval::ALL.into_iter().zip(rows) {
        let Some(median) = row["cells"][1].as_i64() else {
            continue;
        };
        let mut days: Vec<i64> = measured
            .iter()
            .filter(|m| {
                m.0 == Measure::Timeliness(interval)
                    && m.2 == "LVCJC"
                    && Period::Quarter(quarter).holds(m.1, Week::of(m.7))
            })
            .map(|m| m.6.expect("a stretch has days"))
            .collect();
        days.sort_unstable();
        assert_eq!(
            median,
            days[days.len().div_ceil(2) - 1],
            "{interval:?}: {row}"
        );
        medians += 1;
    }
    assert!(medians > 0, "a median to check: {report}");

    // The CSV file of a table.
    let response = manager
        .get(&format!(
            "/measures.csv?report=trials&period={quarter}&table=trials"
        ))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv"))
    );
    let csv = response.text().await.expect("body");
    assert!(csv.starts_with("Outcome,Number,Share,"), "{csv}");
    assert!(csv.contains("All trials,"), "{csv}");

    // Another court's numbers, or the country's, are not the centre manager's to see.
    let (status, _) = manager
        .fetch(&format!(
            "/api/v1/measures/trials?period={quarter}&court=B01EF01"
        ))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = manager.page("/measures?court=*&force=MERPOL").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A bad period is named.
    let (status, page) = manager.page("/measures?period=2026-13").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Enter a week as YYYY-Www"), "{page}");
    let (status, problem) = manager.fetch("/api/v1/measures/trials?period=soon").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem.to_string().contains("period"), "{problem}");

    // People who work cases see no management information.
    let officer = server.person("pc.hughes").await;
    let (status, _) = officer.page("/measures").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Every look, shown or refused, is in the audit trail.
    let shown = server.db.number(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'measures_viewed' \
         AND detail LIKE '%\"shown\":true%'",
    );
    let refused = server.db.number(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'measures_viewed' \
         AND detail LIKE '%\"shown\":false%'",
    );
    assert!(shown >= 5, "{shown}");
    assert_eq!(refused, 3);
}

/// The counts of `measure` at the model office's court by band of days back from `today`, by
/// hand from every stored case's state, for the rows whose value or detail is `member` (every
/// row when `None`): each band's, then all.
fn open_by_hand(
    server: &TestServer,
    measure: Measure,
    today: time::Date,
    member: Option<&str>,
) -> Vec<u64> {
    let mut counts = vec![0; joinery_domain::measures::bands(measure).len()];
    for m in measured(server) {
        if m.0 == measure && m.2 == "LVCJC" && member.is_none_or(|name| m.4 == name || m.5 == name)
        {
            counts[joinery_domain::measures::band_of(measure, m.7, today)] += 1;
        }
    }
    let all = counts.iter().sum();
    counts.push(all);
    counts
}

/// Each shown count equals its count by hand; a small one is `[c]`.
fn agrees(shown: &serde_json::Value, by_hand: u64, what: &str) {
    if by_hand > 0 && by_hand < 10 {
        assert_eq!(shown, "[c]", "{what}: a small count shown");
    } else if shown != "[c]" {
        assert_eq!(shown, &serde_json::Value::from(by_hand), "{what}");
    }
}

#[tokio::test]
async fn where_work_waits_and_how_long_cases_have_been_idle_are_counts_of_the_cases_today() {
    let server = TestServer::start().await;
    server.load_model_office(400).await;
    let manager = server.person("mgr.lewis").await;
    let today = joinery_domain::Timestamp::now().date();

    let (status, report) = manager.fetch("/api/v1/measures/blockages").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let tables = report["tables"].as_array().expect("tables");
    // Work waiting by how overdue: each band's count and all, as a column.
    let by_hand = open_by_hand(&server, Measure::OpenWork, today, None);
    assert!(
        by_hand[1..by_hand.len() - 1].iter().sum::<u64>() > 0,
        "some work is overdue"
    );
    let rows = tables[0]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), by_hand.len(), "{rows:?}");
    for (row, count) in rows.iter().zip(&by_hand) {
        agrees(&row["cells"][0], *count, &format!("work waiting: {row}"));
    }
    // By the agency asked: each row a band per column, then all.
    let by_agency = &tables[1];
    assert_eq!(by_agency["name"], "work-waiting-by-agency");
    let mut shown = 0;
    for row in by_agency["rows"].as_array().expect("rows") {
        let member = (row["key"] != "all").then(|| row["key"].as_str().expect("a key"));
        let by_hand = open_by_hand(&server, Measure::OpenWork, today, member);
        for (cell, count) in row["cells"].as_array().expect("cells").iter().zip(&by_hand) {
            agrees(cell, *count, &format!("by agency: {row}"));
            shown += usize::from(cell.is_u64() && *count > 0);
        }
    }
    assert!(shown > 0, "some count is shown: {by_agency}");
    // Each agency asked is named, with its kind, by its code; more than one kind is asked.
    let mut kinds = std::collections::BTreeSet::new();
    for row in by_agency["rows"].as_array().expect("rows") {
        let (key, label) = (row["key"].as_str().expect("a key"), &row["label"]);
        let label = label.as_str().expect("a label");
        if key != "all" {
            assert!(label.ends_with(&format!("({key})")), "{label}");
            kinds.insert(label.split(':').next().expect("a kind").to_owned());
        }
    }
    assert!(kinds.len() > 1, "{kinds:?}");
    // Requested work done: the model office's reports come back, on time or late.
    assert_eq!(tables[3]["name"], "turnaround");
    assert!(
        !tables[3]["rows"].as_array().expect("rows").is_empty(),
        "{}",
        tables[3]
    );

    // The open caseload: by stage and age, and by how long idle.
    let (status, report) = manager.fetch("/api/v1/measures/caseload").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    for (table, measure) in [(0, Measure::OpenCases), (1, Measure::Idle)] {
        let rows = report["tables"][table]["rows"].as_array().expect("rows");
        for row in rows {
            let member = (row["key"] != "all").then(|| row["key"].as_str().expect("a key"));
            let by_hand = open_by_hand(&server, measure, today, member);
            for (cell, count) in row["cells"].as_array().expect("cells").iter().zip(&by_hand) {
                agrees(cell, *count, &format!("{measure:?}: {row}"));
            }
        }
        let total = rows.last().expect("a total");
        assert_eq!(total["key"], "all");
        // Something is shown. (A small centre's totals may be hidden: with a CPS area's and a
        // probation service's counts shown to their managers, a centre's total less theirs
        // would give away their few cases not yet at a court, or not yet with probation.)
        assert!(
            rows.iter()
                .flat_map(|row| row["cells"].as_array().expect("cells"))
                .any(|cell| cell.as_u64().is_some_and(|count| count > 0)),
            "{rows:?}"
        );
    }

    // Data quality: the problems in what the court sent, raised this quarter and open today.
    let (status, report) = manager.fetch("/api/v1/measures/data_quality").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let names: Vec<&str> = report["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .map(|table| table["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(
        names,
        [
            "problems-by-code",
            "problems-by-sender",
            "problems-resolved",
            "problems-open"
        ]
    );
    // By the sending agency: each named by its code (the court's own problems here).
    for row in report["tables"][1]["rows"].as_array().expect("rows") {
        let (key, label) = (row["key"].as_str().expect("a key"), &row["label"]);
        let label = label.as_str().expect("a label");
        assert!(
            key == "all" || label.ends_with(&format!("({key})")),
            "{label}"
        );
    }
    let open = report["tables"][3]["rows"].as_array().expect("rows");
    let by_hand = open_by_hand(&server, Measure::OpenExceptions, today, None);
    for (cell, count) in open.last().expect("a total")["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .zip(&by_hand)
    {
        agrees(cell, *count, "open problems");
    }

    // A manager opens no cases: no row links to any. The court's listing officer sees the same
    // counts, each stage and overdue work linked to her own list of those cases.
    let (_, page) = manager.page("/measures?report=caseload").await;
    assert!(!page.contains("/?stage="), "{page}");
    let listing = server.person("la.byrne").await;
    let (status, page) = listing.page("/measures?report=caseload").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Open cases: court LVCJC"), "{page}");
    assert!(page.contains("href=\"/?stage=awaiting_trial\""), "{page}");
    let (status, list) = listing.page("/?stage=awaiting_trial").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Awaiting trial"), "{list}");
    let (_, page) = listing.page("/measures?report=blockages").await;
    assert!(
        page.contains("href=\"/?overdue=yes&#38;sort=overdue\""),
        "{page}"
    );
    // Not another court's, and no links over a scope that is not her own.
    let (status, _) = listing.page("/measures?court=B01EF01").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, report) = listing
        .fetch("/api/v1/measures/caseload?court=LVCJC&force=MERPOL")
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(!report.to_string().contains("\"cases\""), "{report}");

    // The page shows them, and the command line's report names them.
    let (status, page) = manager.page("/measures?report=caseload").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Open cases: court LVCJC"), "{page}");
    assert!(page.contains("by who holds the next step"), "{page}");
    let (status, page) = manager.page("/measures?report=blockages").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Work waiting on"), "{page}");
}

/// The trial counts a report shows (effective, cracked, ineffective, all), as JSON.
async fn trials_shown(reader: &Person, query: &str) -> Vec<serde_json::Value> {
    let (status, report) = reader
        .fetch(&format!("/api/v1/measures/trials?{query}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{query}: {report}");
    report["tables"][0]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["cells"][0].clone())
        .collect()
}

#[tokio::test]
async fn a_cps_area_and_a_probation_service_see_where_their_own_cases_wait() {
    let server = TestServer::start().await;
    server.load_model_office(400).await;
    let today = joinery_domain::Timestamp::now().date();
    let quarter = Period::Quarter(Month::of(today).quarter());
    let prosecutor = server.person("mgr.greene").await;
    let probation = server.person("mgr.patel").await;

    // Each sees their own by default, named in the heading, with a filter for each place.
    let (status, page) = prosecutor.page("/measures").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Timeliness: CPS area CPSMER"), "{page}");
    assert!(
        page.contains(r#"<label class="govuk-label" for="prosecutor">CPS area</label>"#)
            && page.contains(r#"name="probation""#),
        "{page}"
    );
    let (status, page) = probation.page("/measures?report=caseload").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Open cases: probation service PROBNW"),
        "{page}"
    );

    // Each number is a count by hand of the cases their agency is on.
    for (person, at) in [
        (
            &prosecutor,
            &(|m: &Counted| m.9 == "CPSMER") as &dyn Fn(&Counted) -> bool,
        ),
        (&probation, &|m: &Counted| m.10 == "PROBNW"),
    ] {
        let by_hand = trials_where(&server, quarter, None, at);
        let all: u64 = by_hand.iter().sum();
        let shown = trials_shown(person, &format!("period={quarter}")).await;
        for (cell, count) in shown.iter().zip(by_hand.iter().chain([&all])) {
            agrees(cell, *count, "trials");
        }
        // Where their work waits, by how overdue.
        let (status, report) = person.fetch("/api/v1/measures/blockages").await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let mut bands = vec![0; joinery_domain::measures::bands(Measure::OpenWork).len()];
        for m in measured(&server) {
            if m.0 == Measure::OpenWork && at(&m) {
                bands[joinery_domain::measures::band_of(Measure::OpenWork, m.7, today)] += 1;
            }
        }
        let all = bands.iter().sum();
        bands.push(all);
        assert!(all > 0, "work waits on their cases");
        let rows = report["tables"][0]["rows"].as_array().expect("rows");
        for (row, count) in rows.iter().zip(&bands) {
            agrees(&row["cells"][0], *count, &format!("work waiting: {row}"));
        }
        assert!(
            rows.iter()
                .any(|row| row["cells"][0].as_u64().is_some_and(|count| count > 0)),
            "a count of their work is shown: {rows:?}"
        );
    }

    // Any part of their own, nothing outside it.
    for (person, query, expected) in [
        (
            &prosecutor,
            "prosecutor=CPSMER&offence_type=either_way",
            StatusCode::OK,
        ),
        (&prosecutor, "court=LVCJC", StatusCode::FORBIDDEN),
        (&prosecutor, "probation=PROBNW", StatusCode::FORBIDDEN),
        (&prosecutor, "prosecutor=CPSNW", StatusCode::FORBIDDEN),
        (
            &probation,
            "probation=PROBNW&prosecutor=CPSMER",
            StatusCode::OK,
        ),
        (&probation, "prosecutor=CPSMER", StatusCode::FORBIDDEN),
        // Counts are kept by court and force, or by CPS area and probation service.
        (
            &prosecutor,
            "court=LVCJC&prosecutor=CPSMER",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, answer) = person
            .fetch(&format!("/api/v1/measures/trials?{query}"))
            .await;
        assert_eq!(status, expected, "{query}: {answer}");
    }
    let (status, page) = prosecutor
        .page("/measures?probation=PROBNW&force=MERPOL")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("<a href=\"#probation\">Narrow by a court or police force, or by a CPS area"),
        "{page}"
    );
    let (status, page) = prosecutor.page("/measures?prosecutor=CPS%20MER").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Enter the CPS area&#39;s code, for example CPSMER"),
        "{page}"
    );

    // No count hidden at one place can be worked out from the country's less the place's:
    // where the cases at no CPS area (or no probation service) are too few to show, the
    // country's or the place's count is hidden too.
    let national = server.person("mi.national").await;
    let country = trials_shown(&national, &format!("period={quarter}")).await;
    for (query, at) in [
        (
            "prosecutor=CPSMER",
            &(|m: &Counted| m.9 == "CPSMER") as &dyn Fn(&Counted) -> bool,
        ),
        ("probation=PROBNW", &|m: &Counted| m.10 == "PROBNW"),
    ] {
        let place = trials_shown(&national, &format!("period={quarter}&{query}")).await;
        let elsewhere = trials_where(&server, quarter, None, &|m| !at(m));
        let elsewhere_all: u64 = elsewhere.iter().sum();
        for (row, rest) in elsewhere.iter().chain([&elsewhere_all]).enumerate() {
            if *rest > 0 && *rest < 10 {
                assert!(
                    country[row] == "[c]" || place[row] == "[c]",
                    "{query}, row {row}: {rest} elsewhere would be the country's {} less {}",
                    country[row],
                    place[row]
                );
            }
        }
    }
}
