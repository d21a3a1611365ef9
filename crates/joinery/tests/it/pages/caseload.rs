//! The caseload page: filters by hearing and overdue work, sorts and pages, all decided on what
//! the reader may see.

use reqwest::StatusCode;

use crate::support::html::{caseload_rows, caseload_total};
use crate::support::{TestServer, from_words};

#[tokio::test]
async fn the_caseload_filters_by_hearing_and_overdue_work_sorts_and_pages() {
    let server = TestServer::start().await;
    server.load_model_office(80).await;
    let today = time::OffsetDateTime::now_utc().date();
    let court = server.person("la.byrne").await;
    let (status, all) = court.page("/").await;
    assert_eq!(status, StatusCode::OK);
    let everything = caseload_total(&all);
    assert!(everything > 25, "more than a page: {everything}");
    assert!(all.contains("rel=\"next\""), "paginated: {all}");
    let judge = caseload_total(&server.person("dj.roberts").await.page("/").await.1);
    assert!(
        judge < everything,
        "a judge counts only the cases listed before them, not the court's {everything}"
    );
    let manager = server.person("mgr.lewis").await.page("/").await.1;
    assert_eq!(
        caseload_total(&manager),
        0,
        "a manager reads no case: {manager}"
    );

    let overdue = court.page("/?overdue=yes").await.1;
    let rows = caseload_rows(&overdue);
    assert!(
        !rows.is_empty() && caseload_total(&overdue) < everything,
        "{overdue}"
    );
    assert!(
        rows.iter().all(|row| row[4].contains(" overdue since ")),
        "{rows:?}"
    );
    // Longest overdue first: the days the work fell due, earliest first.
    let longest = caseload_rows(&court.page("/?overdue=yes&sort=overdue").await.1);
    let since: Vec<time::Date> = longest
        .iter()
        .filter_map(|row| row[4].rsplit(" since ").next().and_then(from_words))
        .collect();
    assert!(
        since.len() == longest.len() && since.windows(2).all(|w| w[0] <= w[1]),
        "{longest:?}"
    );

    let soon = court.page("/?hearing=7").await.1;
    let rows = caseload_rows(&soon);
    assert!(!rows.is_empty(), "{soon}");
    for row in &rows {
        let date = from_words(&row[3]).unwrap_or_else(|| panic!("{row:?}"));
        assert!(
            date >= today && date < today + time::Duration::days(7),
            "{row:?}"
        );
    }
    let none = court.page("/?hearing=none").await.1;
    assert!(
        caseload_rows(&none)
            .iter()
            .all(|row| row[3] == "None listed"),
        "{none}"
    );

    let sorted = court.page("/?sort=hearing").await.1;
    let dates: Vec<String> = caseload_rows(&sorted)
        .into_iter()
        .map(|row| row[3].clone())
        .collect();
    let listed: Vec<time::Date> = dates.iter().filter_map(|d| from_words(d)).collect();
    assert!(!listed.is_empty(), "{dates:?}");
    assert!(
        listed.windows(2).all(|w| w[0] <= w[1]),
        "soonest first: {dates:?}"
    );
    assert!(
        dates
            .iter()
            .skip_while(|d| *d != "None listed")
            .all(|d| d == "None listed"),
        "cases with no hearing last: {dates:?}"
    );
    assert!(
        sorted
            .replace("&#38;", "&")
            .replace("&amp;", "&")
            .contains("href=\"/?page=2&sort=hearing\""),
        "the next page keeps the sort: {sorted}"
    );
    let second = court.page("/?page=2&sort=hearing").await.1;
    let later = caseload_rows(&second);
    assert!(
        later
            .first()
            .is_some_and(|row| dates.last().is_some_and(|last| {
                row[3] == "None listed"
                    || (last != "None listed" && from_words(&row[3]) >= from_words(last))
            })),
        "page 2 carries on where page 1 stopped: {later:?}"
    );
}

#[tokio::test]
async fn sorting_by_hearing_reveals_nothing_to_a_reader_who_may_not_see_hearings() {
    let server = TestServer::start().await;
    server.load_model_office(80).await;
    let drugs = server.person("sw.kaur").await;
    let recent = caseload_rows(&drugs.page("/").await.1);
    assert!(recent.len() > 1, "the drug service has clients: {recent:?}");
    assert!(
        recent
            .iter()
            .all(|row| row[3] == "None listed" || row[3] == "Not shared with you"),
        "support workers see no hearings: {recent:?}"
    );
    let by_hearing = caseload_rows(&drugs.page("/?sort=hearing").await.1);
    assert_eq!(
        by_hearing, recent,
        "hearings the reader may not see do not order their list"
    );
}
