//! The web pages, over real HTTP: signing in with the GOV.UK form (CSRF-protected), the page
//! after, an expired session, signing out, the design systems' files, the security headers.

use reqwest::StatusCode;
use reqwest::redirect::Policy;

use crate::support::{PASSWORD, TestServer};

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The value of the cookie `name` set by `response`.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

/// The CSRF token a page's forms carry.
fn form_token(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

async fn sign_in_form(server: &TestServer) -> (String, String) {
    let page = browser()
        .get(format!("{}/sign-in", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = set_cookie(&page, "__Host-joinery_csrf").unwrap_or_default();
    let body = page.text().await.unwrap_or_default();
    assert!(
        body.contains(&format!("name=\"csrf\" value=\"{csrf}\"")),
        "the form carries the token"
    );
    (csrf, body)
}

#[tokio::test]
async fn a_person_signs_in_and_out_through_the_pages() {
    let server = TestServer::start().await;
    server.add_person("po.walsh").await;
    let (csrf, body) = sign_in_form(&server).await;
    assert!(body.contains("<label class=\"govuk-label\" for=\"username\">User name</label>"));
    let client = browser();
    let post = |username: &str, password: &str, token: &str, cookie: &str| {
        client
            .post(format!("{}/sign-in", server.base))
            .header("cookie", format!("__Host-joinery_csrf={cookie}"))
            .form(&[
                ("username", username),
                ("password", password),
                ("csrf", token),
            ])
            .send()
    };
    let forged = post("po.walsh", PASSWORD, "", &csrf)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        forged.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no token, no sign-in"
    );
    let wrong = post("po.walsh", "wrong", &csrf, &csrf)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = wrong.text().await.unwrap_or_default();
    assert!(
        page.contains("govuk-error-summary") && page.contains("<title>Error: Sign in"),
        "{page}"
    );
    assert!(
        page.contains("value=\"po.walsh\""),
        "the name typed is kept"
    );
    let signed_in = post("po.walsh", PASSWORD, &csrf, &csrf)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers()["location"], "/");
    let session = set_cookie(&signed_in, "__Host-joinery_session").unwrap_or_default();
    let cookies = format!("__Host-joinery_session={session}; __Host-joinery_csrf={csrf}");
    let home = client
        .get(format!("{}/", server.base))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(home.status(), StatusCode::OK);
    let text = home.text().await.unwrap_or_default();
    assert!(
        text.contains("po.walsh") && text.contains("Probation officer"),
        "{text}"
    );

    let out = client
        .post(format!("{}/sign-out", server.base))
        .header("cookie", &cookies)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(out.headers()["location"], "/sign-in?signed_out=1");
    let after = client
        .get(format!("{}/", server.base))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        after.headers()["location"],
        "/sign-in",
        "the session has ended"
    );
}

#[tokio::test]
async fn an_expired_session_says_so_and_unknown_pages_are_helpful() {
    let server = TestServer::start().await;
    let person = server.person("la.byrne").await;
    rusqlite::Connection::open(server.database())
        .and_then(|c| {
            c.execute(
                "UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00Z'",
                [],
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let home = browser()
        .get(format!("{}/", server.base))
        .header("cookie", &person.cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(home.headers()["location"], "/sign-in?expired=1");
    let page = browser()
        .get(format!("{}/sign-in?expired=1", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        page.text()
            .await
            .unwrap_or_default()
            .contains("Your session ended after 30 minutes without use")
    );
    let missing = browser()
        .get(format!("{}/no/such/page", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let text = missing.text().await.unwrap_or_default();
    assert!(
        text.contains("Page not found") && !text.contains("panicked"),
        "{text}"
    );
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_the_design_systems_are_served() {
    let server = TestServer::start().await;
    let page = browser()
        .get(format!("{}/sign-in", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let headers = page.headers();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap_or_default();
    assert!(
        csp.contains("default-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let cookie = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Secure"),
        "{cookie}"
    );
    let own = browser()
        .get(format!("{}/assets/joinery.css", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(own.status(), StatusCode::OK);
    assert!(
        own.text().await.unwrap_or_default().contains("arial"),
        "no GDS Transport"
    );
    if server.state.node_modules.is_some() {
        let govuk = browser()
            .get(format!("{}/assets/govuk-frontend.min.css", server.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(govuk.status(), StatusCode::OK);
        assert_eq!(govuk.headers()["content-type"], "text/css; charset=utf-8");
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs the design systems with npm ci"
        );
    }
    let elsewhere = browser()
        .get(format!("{}/assets/../../Cargo.toml", server.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        elsewhere.status(),
        StatusCode::NOT_FOUND,
        "only the listed files are served"
    );
}

#[tokio::test]
async fn the_caseload_and_case_pages_show_only_what_the_person_may_see() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let probation = server.person("po.walsh").await;
    let (status, text) = probation.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text.contains(&format!("href=\"/cases/{id}\"")) && text.contains("05AA4242426"),
        "{text}"
    );
    assert!(
        text.contains("Kit Corlett") && text.contains("Under order"),
        "{text}"
    );

    let (status, page) = probation.page(&format!("/cases/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("moj-timeline__item") && page.contains("by Probation Service North West"),
        "{page}"
    );
    assert!(
        page.contains("Proposal: community order"),
        "their own report"
    );
    for withheld in ["full code test", "Ince", "class B drugs", "Exhibit JS/1"] {
        assert!(
            !page.contains(withheld),
            "`{withheld}` leaked into the page"
        );
    }
    if server.has_reference() {
        assert!(
            page.contains("Theft from a shop") || page.contains("TH68010"),
            "offence title shown"
        );
    }

    let housing = server.person("sw.evans").await;
    let theirs = housing.page("/").await.1;
    assert!(theirs.contains("There are no cases to show"), "{theirs}");
    let (status, refused) = housing.page(&format!("/cases/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(refused.contains("Page not found"), "{refused}");
    let filtered = probation
        .get("/?stage=awaiting_trial")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        filtered
            .text()
            .await
            .unwrap_or_default()
            .contains("There are no cases to show")
    );
}

/// The caseload table's rows on `page`: each row's cells as text.
fn caseload_rows(page: &str) -> Vec<Vec<String>> {
    let Some(body) = page
        .split("<tbody class=\"govuk-table__body\">")
        .nth(1)
        .and_then(|rest| rest.split("</tbody>").next())
    else {
        return Vec::new();
    };
    body.split("<tr class=\"govuk-table__row\">")
        .skip(1)
        .map(|row| {
            row.split("<td class=\"govuk-table__cell\">")
                .skip(1)
                .map(|cell| {
                    let cell = cell.split("</td>").next().unwrap_or_default();
                    let mut text = String::new();
                    let mut in_tag = false;
                    for c in cell.chars() {
                        match c {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.trim().to_owned()
                })
                .collect()
        })
        .collect()
}

/// How many cases the caseload says pass its filters.
fn caseload_total(page: &str) -> usize {
    page.split("<p class=\"govuk-body\">")
        .find_map(|p| p.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no total: {page}"))
}

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
        rows.iter().all(|row| row[4].ends_with("overdue")),
        "{rows:?}"
    );

    let soon = court.page("/?hearing=7").await.1;
    let rows = caseload_rows(&soon);
    assert!(!rows.is_empty(), "{soon}");
    for row in &rows {
        let date = time::Date::parse(
            &row[3],
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap_or_else(|e| panic!("{row:?}: {e}"));
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
    let listed: Vec<&String> = dates.iter().filter(|d| *d != "None listed").collect();
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
                row[3] == "None listed" || (last != "None listed" && row[3] >= *last)
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
        recent.iter().all(|row| row[3] == "None listed"),
        "support workers see no hearings: {recent:?}"
    );
    let by_hearing = caseload_rows(&drugs.page("/?sort=hearing").await.1);
    assert_eq!(
        by_hearing, recent,
        "hearings the reader may not see do not order their list"
    );
}

#[tokio::test]
async fn a_judge_opens_the_list_reads_the_summary_and_comments_privately() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let okafor = server.person("dj.okafor").await;
    let (status, text) = okafor.page("/court-list?date=2030-07-29").await;
    assert_eq!(status, StatusCode::OK);
    let link = format!("/cases/{id}/hearing?date=2030-07-29");
    assert!(
        text.contains(&link)
            && text.contains("Kit Corlett")
            && text.contains("Report submitted")
            && text.contains("Police file in"),
        "{text}"
    );

    let (status, page) = okafor.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Since the last hearing")
            && page.contains("report submitted: Proposal: community order")
            && page.contains("You have not commented"),
        "{page}"
    );
    let csrf = form_token(&page);
    let comments = format!("/cases/{id}/comments");
    let comment = |text: &'static str| {
        let (okafor, comments, csrf) = (&okafor, &comments, &csrf);
        async move {
            okafor
                .submit(comments, csrf, &[("text", text), ("date", "2030-07-29")])
                .await
        }
    };
    let posted = comment("Ask about housing at review.").await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let empty = comment("  ").await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let empty = empty.text().await.unwrap_or_default();
    assert!(
        empty.contains("<a href=\"#comment\">Enter your comment</a>")
            && empty.contains("id=\"comment-error\""),
        "{empty}"
    );
    let again = okafor.page(&link).await.1;
    assert!(
        again.contains("Ask about housing at review."),
        "the comment is there at the next look"
    );
    let roberts = server.person("dj.roberts").await;
    let theirs = roberts.page(&format!("/cases/{id}/hearing")).await.1;
    assert!(
        !theirs.contains("Ask about housing"),
        "never another judge's comment"
    );
    let adviser = server.person("la.byrne").await;
    let refused = adviser
        .get(&link)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "the hearing summary is for judges"
    );
    let forged = browser()
        .post(format!("{}/cases/{id}/comments", server.base))
        .header("cookie", &okafor.cookie)
        .form(&[
            ("text", "Forged."),
            ("csrf", "guess"),
            ("date", "2030-07-29"),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, no comment"
    );
}

#[tokio::test]
async fn one_agency_asks_another_for_work_and_the_other_reports_it_done() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let adviser = server.person("la.byrne").await;
    let page = adviser.page(&format!("/cases/{id}")).await.1;
    assert!(page.contains("Ask another agency for work"), "{page}");
    let csrf = form_token(&page);
    let path = format!("/cases/{id}/actions");
    let ask = |due_on: String| {
        let (adviser, path, csrf) = (&adviser, &path, &csrf);
        async move {
            let fields = [
                ("action", "risk_assessment"),
                ("owner", "PROBNW"),
                ("due_on", due_on.as_str()),
                ("note", "Before the <review> hearing."),
            ];
            adviser.submit(path, csrf, &fields).await
        }
    };

    let sent_back = ask("next Friday".to_owned()).await;
    assert_eq!(sent_back.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let sent_back = sent_back.text().await.unwrap_or_default();
    assert!(
        sent_back.contains("<title>Error: ")
            && sent_back.contains("govuk-error-summary")
            && sent_back.contains("<a href=\"#due_on\">Enter the date it is due by")
            && sent_back.contains("id=\"due_on-error\"")
            && sent_back.contains("value=\"next Friday\"")
            && sent_back.contains("Before the &#60;review&#62; hearing."),
        "the form comes back with what was typed, escaped: {sent_back}"
    );

    let due_on = (time::OffsetDateTime::now_utc().date() + time::Duration::days(14)).to_string();
    let forged = browser()
        .post(format!("{}{path}", server.base))
        .header("cookie", &adviser.cookie)
        .form(&[
            ("action", "risk_assessment"),
            ("owner", "PROBNW"),
            ("due_on", due_on.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "a token without its cookie asks for nothing"
    );
    assert_eq!(ask(due_on.clone()).await.status(), StatusCode::SEE_OTHER);

    let probation = server.person("po.walsh").await;
    let theirs = probation.page(&format!("/cases/{id}")).await.1;
    let complete = theirs
        .split(&format!("action=\"/cases/{id}/actions/"))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|path| format!("/cases/{id}/actions/{path}"))
        .unwrap_or_else(|| panic!("probation may mark the request done: {theirs}"));
    assert!(
        theirs.contains("Risk assessment") && theirs.contains(&due_on),
        "{theirs}"
    );
    assert_eq!(
        adviser.submit(&complete, &csrf, &[]).await.status(),
        StatusCode::FORBIDDEN,
        "only the agency asked reports the work done"
    );
    let reported = probation.submit(&complete, &form_token(&theirs), &[]).await;
    assert_eq!(reported.status(), StatusCode::SEE_OTHER);
    let after = adviser.page(&format!("/cases/{id}")).await.1;
    assert!(
        after.contains("Risk assessment") && after.contains("Completed"),
        "the court sees the work done: {after}"
    );
    assert!(!after.contains("Mark done"), "{after}");

    let judge = server.person("dj.okafor").await;
    let bench = judge.page(&format!("/cases/{id}")).await.1;
    assert!(
        !bench.contains("Ask another agency for work"),
        "judges write only comments"
    );
}

#[tokio::test]
async fn breaking_glass_from_the_case_page_opens_a_category_for_an_hour() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let probation = server.person("po.walsh").await;
    let path = format!("/cases/{id}");
    let page = probation.page(&path).await.1;
    assert!(
        page.contains("See information withheld from you") && !page.contains("Exhibit JS/1"),
        "{page}"
    );
    let csrf = form_token(&page);
    let glass = format!("/cases/{id}/break-glass");
    for (category, reason, field, problem) in [
        ("police_file", " ", "reason", "Enter why you need to see it"),
        (
            "legal_advice",
            "Curious",
            "category",
            "The information-sharing agreement does not let you break glass for legal advice",
        ),
        (
            "judicial_comment",
            "Curious",
            "category",
            "The information-sharing agreement does not let you break glass for judicial comment",
        ),
        (
            "support_progress",
            "Curious",
            "category",
            "Nothing of the kind (support progress) is withheld from you on this case",
        ),
    ] {
        let sent_back = probation
            .submit(&glass, &csrf, &[("category", category), ("reason", reason)])
            .await;
        assert_eq!(sent_back.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let sent_back = sent_back.text().await.unwrap_or_default();
        assert!(
            sent_back.contains(&format!("<a href=\"#{field}\">{problem}")),
            "{category}: {sent_back}"
        );
    }
    let okafor = server.person("dj.okafor").await;
    let commented = okafor
        .post(
            &format!("/api/v1/cases/{id}/comments"),
            &serde_json::json!({"text": "Ask about housing at review.", "hearing_id": "H-2"}),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(commented.status(), StatusCode::CREATED);
    let after_comment = probation
        .submit(
            &glass,
            &csrf,
            &[("category", "judicial_comment"), ("reason", "Curious")],
        )
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        after_comment.contains(
            "The information-sharing agreement does not let you break glass for judicial comment"
        ),
        "the same answer whether or not a judge has commented: {after_comment}"
    );
    let granted = probation
        .submit(
            &glass,
            &csrf,
            &[
                ("category", "police_file"),
                ("reason", "Risk assessment needs the custody record"),
            ],
        )
        .await;
    assert_eq!(granted.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        granted.headers()["location"],
        format!("/cases/{id}?glass=police_file").as_str()
    );
    let opened = probation
        .page(&format!("/cases/{id}?glass=police_file"))
        .await
        .1;
    assert!(
        opened.contains("You may see police file on this case for the next hour")
            && opened.contains("Exhibit JS/1"),
        "the police file in full, for now: {opened}"
    );
    let governance = server.person("ig.price").await;
    let review = governance.page("/governance").await.1;
    assert!(
        review.contains("po.walsh") && review.contains("Risk assessment needs the custody record"),
        "{review}"
    );
}

#[tokio::test]
async fn consent_recorded_on_the_case_page_changes_what_others_see_at_once() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let path = format!("/cases/{id}");
    let consent = format!("/cases/{id}/consent");
    let drugs = server.person("sw.kaur").await;
    let before = drugs.page(&path).await.1;
    assert!(!before.contains("Positive for opiates"), "{before}");

    let probation = server.person("po.walsh").await;
    let page = probation.page(&path).await.1;
    assert!(
        page.contains("Record consent the person gave or withdrew"),
        "{page}"
    );
    let csrf = form_token(&page);
    let sent_back = probation
        .submit(
            &consent,
            &csrf,
            &[("consent_category", "health"), ("source", "Signed form")],
        )
        .await;
    assert_eq!(sent_back.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let sent_back = sent_back.text().await.unwrap_or_default();
    assert!(
        sent_back.contains("<a href=\"#consent\">Select whether consent is given or withdrawn")
            && sent_back.contains("value=\"Signed form\""),
        "{sent_back}"
    );
    let given = probation
        .submit(
            &consent,
            &csrf,
            &[
                ("consent_category", "health"),
                ("consent", "given"),
                ("source", "Signed form at induction"),
            ],
        )
        .await;
    assert_eq!(given.status(), StatusCode::SEE_OTHER);
    let shared = drugs.page(&path).await.1;
    assert!(
        shared.contains("Positive for opiates"),
        "consent shares health at once: {shared}"
    );
    let recorded = probation.page(&path).await.1;
    assert!(
        recorded.contains(
            "Health: given (Signed form at induction, recorded by Probation Service North West)"
        ),
        "{recorded}"
    );

    let withdrawn = drugs
        .submit(
            &consent,
            &form_token(&shared),
            &[
                ("consent_category", "health"),
                ("consent", "withdrawn"),
                ("source", "Told their support worker"),
            ],
        )
        .await;
    assert_eq!(withdrawn.status(), StatusCode::SEE_OTHER);
    assert!(
        !drugs.page(&path).await.1.contains("Positive for opiates"),
        "withdrawal stops it at once"
    );

    let police = server.person("pc.hughes").await;
    let theirs = police.page(&path).await.1;
    assert!(!theirs.contains("Record consent"), "{theirs}");
    let refused = police
        .submit(
            &consent,
            &form_token(&theirs),
            &[
                ("consent_category", "health"),
                ("consent", "given"),
                ("source", "Said so in interview"),
            ],
        )
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "a person gives consent to those who support them, not to the police"
    );
}

#[tokio::test]
async fn governance_sees_who_has_seen_a_case_the_grants_and_the_matrix() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let probation = server.person("po.walsh").await;
    assert_eq!(
        probation.page(&format!("/cases/{id}")).await.0,
        StatusCode::OK
    );
    assert_eq!(probation.page("/governance").await.0, StatusCode::FORBIDDEN);

    let governance = server.person("ig.price").await;
    let page = governance.page("/governance").await.1;
    assert!(
        page.contains("Who may see what") && page.contains("Legal advice"),
        "{page}"
    );
    let csrf = form_token(&page);
    let look_up = |urn: &'static str| {
        let (governance, csrf) = (&governance, &csrf);
        async move {
            governance
                .submit("/governance", csrf, &[("urn", urn)])
                .await
        }
    };
    for (urn, problem) in [
        ("05AA42", "Enter a URN, for example"),
        ("05AA9999926", "There is no case with that URN"),
    ] {
        let sent_back = look_up(urn).await;
        assert_eq!(sent_back.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let sent_back = sent_back.text().await.unwrap_or_default();
        assert!(
            sent_back.contains(&format!("<a href=\"#urn\">{problem}"))
                && sent_back.contains(&format!("value=\"{urn}\"")),
            "{sent_back}"
        );
    }
    let looked_up = look_up("05AA4242426").await;
    assert_eq!(looked_up.status(), StatusCode::OK);
    let text = looked_up.text().await.unwrap_or_default();
    assert!(
        text.contains("user:po.walsh@PROBNW") && text.contains("Case read"),
        "{text}"
    );
    assert!(
        !text.contains("Corlett"),
        "the audit holds references, not names"
    );
}

#[tokio::test]
async fn an_administrator_sees_refused_messages_and_resolves_problems() {
    let server = TestServer::start().await;
    let charge = serde_json::json!({"message_id": "M-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-01T10:00:00Z", "case": {"urn": "05AA6666626"}, "type": "charge",
        "payload": {"offences": [{"sequence": 1, "code": "ZZ99999", "wording": "Unknown."}]}});
    server.post("MERPOL", charge.to_string()).await;
    server.post("MERPOL", "{\"not\": \"a message\"}").await;
    server
        .app()
        .add_user(
            joinery_domain::Username::parse("admin.merpol").unwrap_or_else(|e| panic!("{e}")),
            joinery_domain::AgencyCode::parse("MERPOL").unwrap_or_else(|e| panic!("{e}")),
            joinery_domain::Role::Administrator,
            PASSWORD.to_owned(),
            false,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let signed_in = server.sign_in("admin.merpol", PASSWORD).await;
    let cookie = set_cookie(&signed_in, "__Host-joinery_session").unwrap_or_default();
    let page = browser()
        .get(format!("{}/messages", server.base))
        .header("cookie", format!("__Host-joinery_session={cookie}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let csrf = set_cookie(&page, "__Host-joinery_csrf").unwrap_or_default();
    let text = page.text().await.unwrap_or_default();
    assert!(
        text.contains("Refused messages") && text.contains("message_id"),
        "{text}"
    );
    if !server.has_reference() {
        return;
    }
    assert!(text.contains("ZZ99999"), "{text}");
    let id = text
        .split("name=\"id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let cookies = format!("__Host-joinery_session={cookie}; __Host-joinery_csrf={csrf}");
    let resolved = browser()
        .post(format!("{}/messages/resolve", server.base))
        .header("cookie", &cookies)
        .form(&[("id", id.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resolved.status(), StatusCode::SEE_OTHER);
    let after = browser()
        .get(format!("{}/messages", server.base))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !after.text().await.unwrap_or_default().contains("ZZ99999"),
        "resolved"
    );
    let officer = server.person("pc.hughes").await;
    assert_eq!(officer.page("/messages").await.0, StatusCode::FORBIDDEN);
}
