//! Browser tests in real headless Chromium (Debian's `chromium` and `chromium-driver`, which
//! `.ci/run` installs), driven over WebDriver: people sign in and walk their main journeys, and
//! axe-core finds no serious or critical accessibility violation on the pages they see. Without
//! Chromium these tests say so and stop, except under CI, where they must run.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::{PASSWORD, TestServer};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A headless Chromium session, with its driver process.
struct Browser {
    client: Client,
    driver: Child,
}

impl Browser {
    async fn start() -> Option<Self> {
        if !(Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists()) {
            assert!(
                std::env::var_os("CI").is_none(),
                "under CI the browser tests must run: install chromium and chromium-driver"
            );
            eprintln!("skipped: no {CHROMIUM} and {CHROMEDRIVER}");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|addr| addr.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("chromedriver: {e}"));
        let capabilities = json!({"goog:chromeOptions": {"binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,1000"]}});
        let mut last_error = String::new();
        for _ in 0..50 {
            let mut builder =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            if let Value::Object(map) = capabilities.clone() {
                builder.capabilities(map);
            }
            match builder.connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(client) => return Some(Self { client, driver }),
                Err(error) => last_error = error.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start: {last_error}");
    }

    async fn sign_in(&self, base: &str, username: &str) {
        self.go(&format!("{base}/sign-in")).await;
        self.fill("username", username).await;
        self.fill("password", PASSWORD).await;
        self.click("form[action='/sign-in'] button").await;
        self.wait_for_heading(|heading| heading == "Cases").await;
    }

    async fn sign_out(&self) {
        self.click("form[action='/sign-out'] button").await;
    }

    async fn go(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("`{url}`: {e}"));
    }

    /// Clicks the first element matching `css`.
    async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("`{css}`: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("`{css}`: {e}"));
    }

    /// Types `text` into the field with the id `field`.
    async fn fill(&self, field: &str, text: &str) {
        self.client
            .find(Locator::Id(field))
            .await
            .unwrap_or_else(|e| panic!("`{field}`: {e}"))
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("`{field}`: {e}"));
    }

    /// Chooses the option with `value` in the select with the id `field`.
    async fn choose(&self, field: &str, value: &str) {
        self.client
            .find(Locator::Id(field))
            .await
            .unwrap_or_else(|e| panic!("`{field}`: {e}"))
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("`{field}`: {e}"));
    }

    /// Asserts that axe-core finds no serious or critical violation on the page.
    async fn assert_accessible(&self, page: &str) {
        let violations = self.accessibility_violations().await;
        assert!(violations.is_empty(), "{page}: {violations:?}");
    }

    /// Asserts that the page reflows at 320 CSS pixels wide (WCAG 1.4.10): nothing makes the
    /// page itself scroll sideways (a wide table may scroll within its own region).
    async fn assert_reflows(&self, page: &str) {
        self.client
            .set_window_size(320, 800)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let overflow = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        self.client
            .set_window_size(1200, 1000)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let widths: Vec<i64> = overflow
            .as_array()
            .map(|pair| pair.iter().filter_map(Value::as_i64).collect())
            .unwrap_or_default();
        assert!(
            matches!(widths[..], [scroll, client] if client <= 320 && scroll <= client),
            "{page} scrolls sideways at 320 px wide: {widths:?}"
        );
    }

    /// Waits (up to ten seconds) for a page whose main heading passes `expected`: a click
    /// navigates while the test runs on.
    async fn wait_for_heading(&self, expected: impl Fn(&str) -> bool) -> String {
        let mut heading = String::new();
        for _ in 0..100 {
            heading = self.heading().await;
            if expected(&heading) {
                return heading;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page's heading stayed `{heading}`");
    }

    /// Waits (up to ten seconds) for the page's main content to hold `needle`.
    async fn wait_for_text(&self, needle: &str) {
        for _ in 0..100 {
            if self.text().await.contains(needle) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed `{needle}`");
    }

    /// The page's main heading; empty while a page is loading.
    async fn heading(&self) -> String {
        match self.client.find(Locator::Css("h1")).await {
            Ok(heading) => heading.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    async fn text(&self) -> String {
        match self.client.find(Locator::Css("main")).await {
            Ok(main) => main.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Runs axe-core (from `node_modules`, installed by `npm ci`) on the page; the serious and
    /// critical violations, by rule id.
    async fn accessibility_violations(&self) -> Vec<String> {
        let axe =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules/axe-core/axe.min.js");
        let Ok(source) = std::fs::read_to_string(&axe) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "axe-core is installed by npm ci"
            );
            return Vec::new();
        };
        self.client
            .execute(&source, vec![])
            .await
            .unwrap_or_else(|e| panic!("axe: {e}"));
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}})\
                   .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)))\
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        result
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill();
    }
}

/// A server holding the whole example case of `need_to_know`, `people` added, and a browser;
/// `None` where there is no browser (said once by `Browser::start`).
async fn whole_case_with(people: &[&str]) -> Option<(TestServer, Browser, String)> {
    let server = TestServer::start().await;
    let browser = Browser::start().await?;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    for person in people {
        server.add_person(person).await;
    }
    Some((server, browser, id))
}

#[tokio::test]
async fn a_judge_walks_the_list_comments_moves_on_and_another_judge_never_sees_it() {
    let Some((server, browser, id)) = whole_case_with(&["dj.okafor", "dj.roberts"]).await else {
        return;
    };
    let base = server.base.clone();
    browser.sign_in(&base, "dj.okafor").await;
    browser.assert_accessible("caseload").await;
    browser
        .go(&format!("{base}/court-list?date=2030-07-29"))
        .await;
    browser.assert_accessible("court list").await;
    browser
        .click(&format!("a[href='/cases/{id}/hearing?date=2030-07-29']"))
        .await;
    browser
        .wait_for_heading(|h| h.contains("Kit Corlett"))
        .await;
    browser.assert_accessible("hearing summary").await;
    browser.assert_reflows("hearing summary").await;
    browser
        .fill("comment", "Ask about housing at review.")
        .await;
    browser.click("form[action$='/comments'] button").await;
    browser.wait_for_text("Ask about housing at review.").await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;

    browser.sign_in(&base, "dj.roberts").await;
    browser.go(&format!("{base}/cases/{id}/hearing")).await;
    browser
        .wait_for_heading(|h| h.contains("Kit Corlett"))
        .await;
    assert!(
        !browser.text().await.contains("Ask about housing"),
        "never another judge's comment"
    );
    browser.close().await;
}

#[tokio::test]
async fn the_court_asks_for_a_report_and_the_probation_officer_completes_it() {
    let Some((server, browser, id)) = whole_case_with(&["la.byrne", "po.walsh"]).await else {
        return;
    };
    let base = server.base.clone();
    let case = format!("a[href='/cases/{id}']");
    browser.sign_in(&base, "la.byrne").await;
    // Her court list of a day whose hearing has taken place: to result, a bench to assign.
    browser
        .go(&format!("{base}/court-list?date=2026-03-30"))
        .await;
    browser.wait_for_text("To result").await;
    browser.assert_accessible("a court's list to result").await;
    browser.assert_reflows("a court's list to result").await;
    // Her centre's open caseload, its rows linking to her own lists of those cases.
    browser
        .go(&format!("{base}/measures?report=caseload"))
        .await;
    browser
        .wait_for_heading(|h| h.starts_with("Open cases: court LVCJC"))
        .await;
    browser
        .assert_accessible("management information, open cases")
        .await;
    browser.go(&format!("{base}/")).await;
    browser.wait_for_heading(|h| h == "Cases").await;
    browser.click(&case).await;
    browser.wait_for_heading(|h| h == "05AA4242426").await;
    browser.click("#ask-for-work summary").await;
    browser.choose("action", "pre_sentence_report").await;
    browser.choose("owner", "PROBNW").await;
    browser.fill("due_on", "by Friday").await;
    browser.click("form[action$='/actions'] button").await;
    browser.wait_for_text("There is a problem").await;
    browser.assert_accessible("the request sent back").await;
    browser.assert_reflows("the request sent back").await;
    browser.click("a[href='#due_on']").await;
    let focused = browser
        .client
        .active_element()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .attr("id")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        focused.as_deref(),
        Some("due_on"),
        "the summary leads to the field"
    );
    let due_day = time::OffsetDateTime::now_utc().date() + time::Duration::days(14);
    let due_on = due_day.to_string();
    browser
        .client
        .find(Locator::Id("due_on"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .clear()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    browser.fill("due_on", &due_on).await;
    browser.click("form[action$='/actions'] button").await;
    browser
        .wait_for_text(&crate::support::in_words(due_day))
        .await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;

    browser.sign_in(&base, "po.walsh").await;
    browser.click(&case).await;
    browser.wait_for_heading(|h| h == "05AA4242426").await;
    let page = browser.text().await;
    assert!(
        page.contains("Kit Corlett")
            && page.contains(&crate::support::in_words(due_day))
            && !page.contains("full code test"),
        "{page}"
    );
    browser.assert_accessible("case page").await;
    browser.click("#break-glass summary").await;
    browser.choose("category", "police_file").await;
    browser.click("form[action$='/break-glass'] button").await;
    browser.wait_for_text("Enter why you need to see it").await;
    browser.assert_accessible("break glass sent back").await;
    browser
        .fill("reason", "Risk assessment needs the custody record")
        .await;
    browser.click("form[action$='/break-glass'] button").await;
    browser.wait_for_text("You may see police file").await;
    browser.click("#record-consent summary").await;
    browser.choose("consent_category", "health").await;
    browser.click("form[action$='/consent'] button").await;
    browser
        .wait_for_text("Select whether consent is given or withdrawn")
        .await;
    browser.assert_accessible("consent sent back").await;
    browser.click("form[action$='/complete'] button").await;
    let mut open = usize::MAX;
    for _ in 0..100 {
        open = browser
            .client
            .find_all(Locator::Css("form[action$='/complete']"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .len();
        if open == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(open, 0, "the request is done: {}", browser.text().await);
    browser.close().await;
}

#[tokio::test]
async fn a_support_worker_sees_only_their_referrals() {
    let Some((server, browser, id)) = whole_case_with(&["sw.kaur", "sw.evans"]).await else {
        return;
    };
    let base = server.base.clone();
    browser.sign_in(&base, "sw.kaur").await;
    browser.click(&format!("a[href='/cases/{id}']")).await;
    browser.wait_for_heading(|h| h == "05AA4242426").await;
    let page = browser.text().await;
    assert!(
        page.contains("Kit Corlett") && page.contains("Referral"),
        "their client's referral: {page}"
    );
    for withheld in ["full code test", "Proposal: community order", "Ince"] {
        assert!(!page.contains(withheld), "`{withheld}` shown: {page}");
    }
    browser
        .assert_accessible("support worker's case page")
        .await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;
    browser.sign_in(&base, "sw.evans").await;
    assert!(
        browser.text().await.contains("There are no cases to show"),
        "not their client"
    );
    browser.go(&format!("{base}/cases/{id}")).await;
    browser.wait_for_heading(|h| h == "Page not found").await;
    browser.assert_accessible("page not found").await;
    browser.go(&format!("{base}/sign-in")).await;
    browser.assert_accessible("sign-in page").await;
    browser.close().await;
}

#[tokio::test]
async fn police_prosecution_and_a_manager_each_see_their_own_part() {
    let Some((server, browser, id)) =
        whole_case_with(&["pc.hughes", "cps.shah", "mgr.lewis"]).await
    else {
        return;
    };
    let base = server.base.clone();
    let case = format!("a[href='/cases/{id}']");
    for (person, sees, never) in [
        ("pc.hughes", "class B drugs", "full code test"),
        ("cps.shah", "full code test", "class B drugs"),
    ] {
        browser.sign_in(&base, person).await;
        browser.click(&case).await;
        browser.wait_for_heading(|h| h == "05AA4242426").await;
        let page = browser.text().await;
        assert!(
            page.contains(sees) && !page.contains(never),
            "{person}: {page}"
        );
        browser.assert_accessible(person).await;
        browser.sign_out().await;
        browser.wait_for_heading(|h| h == "Sign in").await;
    }
    browser.sign_in(&base, "mgr.lewis").await;
    assert!(
        browser.text().await.contains("There are no cases to show"),
        "a manager reads aggregates, not cases"
    );
    browser.close().await;
}

/// Takes the README's screenshots of the main pages from model-office data, when
/// `JOINERY_SCREENSHOTS` is set (`JOINERY_SCREENSHOTS=1 cargo test -p joinery --test it
/// screenshots`); otherwise walks the same pages and checks them.
#[tokio::test]
async fn a_probation_officer_finds_a_case_by_the_defendants_name_and_date_of_birth() {
    let Some((server, browser, id)) = whole_case_with(&["po.walsh"]).await else {
        return;
    };
    let base = server.base.clone();
    browser.sign_in(&base, "po.walsh").await;
    browser.click("a[href='/search']").await;
    browser.wait_for_heading(|h| h == "Find a case").await;
    browser.assert_accessible("search").await;
    browser.assert_reflows("search").await;
    // A date that is not a day is named, and the form kept.
    browser.fill("family_name", "corlett").await;
    browser.fill("dob-day", "31").await;
    browser.fill("dob-month", "2").await;
    browser.fill("dob-year", "1991").await;
    browser.click("form[action='/search'] button").await;
    browser.wait_for_text("There is a problem").await;
    browser.assert_accessible("search sent back").await;
    let day = browser
        .client
        .find(Locator::Id("dob-day"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    day.clear().await.unwrap_or_else(|e| panic!("{e}"));
    browser.fill("dob-day", "3").await;
    browser.click("form[action='/search'] button").await;
    browser
        .wait_for_text("Cases found by name and date of birth")
        .await;
    browser.assert_accessible("search results").await;
    browser.assert_reflows("search results").await;
    assert!(
        !browser
            .client
            .current_url()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .as_str()
            .contains("orlett"),
        "nothing searched for is in the address"
    );
    browser.click(&format!("a[href='/cases/{id}']")).await;
    browser.wait_for_heading(|h| h.starts_with("05AA")).await;
    // Her agency's worklist, from the menu.
    browser.click("a[href='/work']").await;
    browser
        .wait_for_heading(|h| h.starts_with("Work asked of"))
        .await;
    browser.assert_accessible("worklist").await;
    browser.assert_reflows("worklist").await;
    // Every page she uses reflows at 320 pixels: tables scroll within their own region.
    for (page, path) in [
        ("caseload", "/".to_owned()),
        ("case", format!("/cases/{id}")),
        ("court list", "/court-list?date=2030-07-29".to_owned()),
    ] {
        browser.go(&format!("{base}{path}")).await;
        browser.assert_reflows(page).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn the_cps_decides_on_charge_and_a_support_worker_records_attendance_in_the_browser() {
    let Some((server, browser, id)) = whole_case_with(&["cps.shah", "sw.kaur"]).await else {
        return;
    };
    // A second case, pre-charge, whose file the police send the CPS for a decision.
    let mut arrest = crate::need_to_know::message(
        "P-41",
        "MERPOL",
        "2026-11-02T02:00:00Z",
        "arrest",
        json!({"person": {"given_name": "Ros", "family_name": "Tate"}}),
    );
    arrest["case"] = json!({"urn": "05AA4343426"});
    let mut asked = crate::need_to_know::message(
        "P-42",
        "MERPOL",
        "2026-11-02T03:00:00Z",
        "action_requested",
        json!({"action_id": "CHG-9", "action": "charging_decision", "owner": "CPSMER",
               "due_on": "2026-11-09"}),
    );
    asked["case"] = json!({"urn": "05AA4343426"});
    let pre_charge = server.send_all(&[arrest, asked]).await;
    let base = server.base.clone();
    browser.sign_in(&base, "cps.shah").await;
    browser.go(&format!("{base}/cases/{pre_charge}")).await;
    browser.wait_for_text("Decision on charge").await;
    browser.assert_accessible("the decision on charge").await;
    browser.click("#decision").await;
    browser
        .click("form[action$='/charging-decision'] button")
        .await;
    browser.wait_for_text("There is a problem").await;
    browser.assert_accessible("the decision sent back").await;
    browser.fill("offences", "TH68010").await;
    browser
        .click("form[action$='/charging-decision'] button")
        .await;
    browser
        .wait_for_text("The decision on charge is recorded.")
        .await;
    browser.assert_accessible("the decision recorded").await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;

    browser.sign_in(&base, "sw.kaur").await;
    browser.go(&format!("{base}/cases/{id}")).await;
    browser.wait_for_text("Attendance and engagement").await;
    browser.choose("attendance", "attended").await;
    browser.choose("engagement", "partial").await;
    browser.click("form[action$='/progress'] button").await;
    browser
        .wait_for_text("The attendance and engagement are recorded.")
        .await;
    browser.assert_accessible("attendance recorded").await;
    browser.close().await;
}

#[tokio::test]
async fn the_main_pages_from_model_office_data() {
    let server = TestServer::start().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let today = joinery_domain::Timestamp::now().date();
    let messages = server.load_model_office(60).await;
    for person in [
        "po.walsh",
        "dj.roberts",
        "ig.price",
        "admin.moss",
        "mgr.lewis",
    ] {
        server.add_person(person).await;
    }
    let shoot = std::env::var_os("JOINERY_SCREENSHOTS").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    let snap = |name: &'static str| {
        let dir = dir.clone();
        let client = browser.client.clone();
        async move {
            if shoot {
                let png = client.screenshot().await.unwrap_or_else(|e| panic!("{e}"));
                std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
                std::fs::write(dir.join(format!("{name}.png")), png)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
    };
    let base = server.base.clone();
    browser.go(&format!("{base}/sign-in")).await;
    snap("sign-in").await;
    browser.sign_in(&base, "po.walsh").await;
    snap("caseload").await;
    let first = browser
        .client
        .find(Locator::Css("table a.govuk-link"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    first.click().await.unwrap_or_else(|e| panic!("{e}"));
    browser.wait_for_heading(|h| h.starts_with("05AA")).await;
    snap("case").await;
    browser.click("#ask-for-work summary").await;
    browser.choose("action", "full_file").await;
    browser.choose("owner", "MERPOL").await;
    browser.fill("note", "For the trial review.").await;
    browser.click("form[action$='/actions'] button").await;
    browser.wait_for_text("There is a problem").await;
    browser.assert_accessible("the request sent back").await;
    browser.assert_reflows("the request sent back").await;
    browser
        .client
        .execute(
            "document.querySelector('#ask-for-work').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    snap("case-request").await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;

    browser.sign_in(&base, "dj.roberts").await;
    let heard = messages.iter().find_map(|m| match &m.payload {
        joinery_domain::Payload::HearingListed(listed)
            if listed
                .judge
                .as_ref()
                .is_some_and(|j| j.as_str() == "dj.roberts")
                && listed.starts_at.date() >= today =>
        {
            Some(listed.starts_at.date())
        }
        _ => None,
    });
    let day = heard.unwrap_or(today);
    browser.go(&format!("{base}/court-list?date={day}")).await;
    browser
        .wait_for_heading(|h| h.starts_with("Court list"))
        .await;
    snap("court-list").await;
    if let Ok(link) = browser
        .client
        .find(Locator::Css("table a.govuk-link"))
        .await
    {
        link.click().await.unwrap_or_else(|e| panic!("{e}"));
        browser
            .wait_for_heading(|h| !h.starts_with("Court list"))
            .await;
        snap("hearing-summary").await;
    }
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;

    browser.sign_in(&base, "ig.price").await;
    browser.go(&format!("{base}/governance")).await;
    browser
        .wait_for_heading(|h| h == "Information governance")
        .await;
    browser.assert_accessible("governance").await;
    browser.assert_reflows("governance").await;
    snap("governance").await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;

    browser.sign_in(&base, "admin.moss").await;
    browser.go(&format!("{base}/messages")).await;
    browser
        .wait_for_heading(|h| h.starts_with("Messages"))
        .await;
    browser.assert_accessible("messages").await;
    browser.assert_reflows("messages").await;
    browser.go(&format!("{base}/people")).await;
    browser
        .wait_for_heading(|h| h.starts_with("People of"))
        .await;
    browser.assert_accessible("people").await;
    browser.assert_reflows("people").await;
    snap("messages").await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;

    browser.sign_in(&base, "mgr.lewis").await;
    browser
        .go(&format!("{base}/measures?report=adjournments"))
        .await;
    browser
        .wait_for_heading(|h| h.starts_with("Adjournments: court LVCJC"))
        .await;
    // Checked here; its screenshot is of a national year (`bench/screenshot_measures.py`).
    browser.assert_accessible("management information").await;
    browser.assert_reflows("management information").await;
    browser.close().await;
}

#[tokio::test]
async fn a_support_worker_takes_on_work_governance_reviews_a_grant_and_an_administrator_unlocks() {
    let Some((server, browser, id)) =
        whole_case_with(&["sw.kaur", "po.walsh", "ig.price", "admin.moss", "dj.okafor"]).await
    else {
        return;
    };
    let base = server.base.clone();
    // Probation asks her service for more work; it is on the service's worklist and she takes
    // it on.
    server
        .send_all(&[crate::need_to_know::message(
            "N-9",
            "PROBNW",
            "2026-05-20T10:00:00Z",
            "action_requested",
            json!({"action_id": "SUP-9", "action": "other", "owner": "VOLDRG",
                   "due_on": "2026-06-03"}),
        )])
        .await;
    browser.sign_in(&base, "sw.kaur").await;
    browser.click("a[href='/work']").await;
    browser
        .wait_for_heading(|h| h.starts_with("Work asked of"))
        .await;
    browser.click("form[action='/work/claim'] button").await;
    browser.wait_for_text("Let go").await;
    browser.assert_accessible("worklist, work taken on").await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;

    // Probation breaks glass; governance reviews the grant and finds it to download.
    browser.sign_in(&base, "po.walsh").await;
    browser.go(&format!("{base}/cases/{id}")).await;
    browser.wait_for_heading(|h| h == "05AA4242426").await;
    browser.click("#break-glass summary").await;
    browser.choose("category", "police_file").await;
    browser
        .fill("reason", "Risk to staff at tomorrow's home visit")
        .await;
    browser.click("form[action$='/break-glass'] button").await;
    browser.wait_for_text("You may see police file").await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;
    browser.sign_in(&base, "ig.price").await;
    browser.go(&format!("{base}/governance")).await;
    browser.wait_for_text("Risk to staff at tomorrow").await;
    browser
        .client
        .find(Locator::Css("select[name='outcome']"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .select_by_value("justified")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    browser
        .client
        .find(Locator::Css("textarea[name='review_note']"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .send_keys("Visit risk confirmed with the office manager.")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    browser
        .click("form[action='/governance/review'] button")
        .await;
    browser.wait_for_text("The review is recorded").await;
    browser
        .assert_accessible("governance, a review recorded")
        .await;
    browser.go(&format!("{base}/governance?grants=all")).await;
    browser.wait_for_text("Download every grant as CSV").await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;

    // A judge locked out by wrong passwords is unlocked by the court's administrator, and
    // signs in again.
    for _ in 0..joinery_app::LOCK_AFTER_FAILURES {
        server.sign_in("dj.okafor", "not the password").await;
    }
    assert_eq!(
        server
            .sign_in("dj.okafor", PASSWORD)
            .await
            .status()
            .as_u16(),
        401,
        "locked: the right password is refused too"
    );
    browser.sign_in(&base, "admin.moss").await;
    browser.go(&format!("{base}/people")).await;
    browser
        .wait_for_heading(|h| h.starts_with("People of"))
        .await;
    browser
        .click("form[action='/people/access'] input[value='unlock'] ~ button")
        .await;
    browser
        .wait_for_text("The account is unlocked: they may sign in again.")
        .await;
    browser
        .assert_accessible("people, an account unlocked")
        .await;
    browser.sign_out().await;
    browser.wait_for_heading(|h| h == "Sign in").await;
    browser.sign_in(&base, "dj.okafor").await;
    browser.close().await;
}
