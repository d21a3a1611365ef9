//! The case page: only what the person may see, and its forms — asking another agency for
//! work and reporting it done, breaking glass, recording consent.

use reqwest::StatusCode;

use crate::support::html::form_token;
use crate::support::{TestServer, in_words};

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

    let due_day = time::OffsetDateTime::now_utc().date() + time::Duration::days(14);
    let due_on = due_day.to_string();
    let forged = adviser
        .forged(
            &path,
            &csrf,
            &[
                ("action", "risk_assessment"),
                ("owner", "PROBNW"),
                ("due_on", due_on.as_str()),
            ],
        )
        .await;
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
        theirs.contains("Risk assessment") && theirs.contains(&in_words(due_day)),
        "{theirs}"
    );
    assert_eq!(
        adviser.submit(&complete, &csrf, &[]).await.status(),
        StatusCode::FORBIDDEN,
        "only the agency asked reports the work done"
    );
    let tabbed = probation
        .submit(
            &complete,
            &form_token(&theirs),
            &[("note", "Sent\tto court")],
        )
        .await;
    assert_eq!(tabbed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let tabbed = tabbed.text().await.unwrap_or_default();
    assert!(
        tabbed.contains("<a href=\"#done-note\">The note must be plain text"),
        "{tabbed}"
    );
    let reported = probation
        .submit(
            &complete,
            &form_token(&theirs),
            &[(
                "note",
                "Low risk of serious harm; full assessment attached.",
            )],
        )
        .await;
    assert_eq!(reported.status(), StatusCode::SEE_OTHER);
    let after = adviser.page(&format!("/cases/{id}")).await.1;
    assert!(
        after.contains("Risk assessment") && after.contains("Completed"),
        "the court sees the work done: {after}"
    );
    assert!(!after.contains("Mark done"), "{after}");
    // Work that is a report is recorded as the report submitted, of its kind, so that the court
    // list and the hearing summary show it.
    let (_, case) = adviser.fetch(&format!("/api/v1/cases/{id}")).await;
    let submitted = case["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|item| {
            item["type"] == "report_submitted" && item["payload"]["report"] == "risk_assessment"
        })
        .unwrap_or_else(|| panic!("the risk assessment is submitted: {case}"));
    assert!(
        submitted["payload"]["action_id"]
            .as_str()
            .is_some_and(|action| complete.contains(action)),
        "{submitted}"
    );
    assert_eq!(
        submitted["payload"]["summary"], "Low risk of serious harm; full assessment attached.",
        "what was done is the report's conclusions: {submitted}"
    );

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

/// A case the police have just opened: an arrest and police bail, nothing asked of anyone.
fn pre_charge() -> Vec<serde_json::Value> {
    use crate::need_to_know::message;
    let person = serde_json::json!({"given_name": "Ros", "family_name": "Tate", "date_of_birth": "1990-05-06"});
    vec![
        message(
            "P-31",
            "MERPOL",
            "2026-11-02T02:00:00Z",
            "arrest",
            serde_json::json!({"person": person, "suspected_offence": "TH68010"}),
        ),
        message(
            "P-32",
            "MERPOL",
            "2026-11-02T06:00:00Z",
            "bail",
            serde_json::json!({"status": "police_bail", "until": "2026-12-30"}),
        ),
    ]
}

#[tokio::test]
async fn the_police_ask_the_cps_for_a_charging_decision_and_the_cps_records_it_from_the_page() {
    let server = TestServer::start().await;
    let id = server.send_all(&pre_charge()).await;
    let prosecutor = server.person("cps.shah").await;
    assert_eq!(
        prosecutor.page(&format!("/cases/{id}")).await.0,
        StatusCode::NOT_FOUND,
        "the CPS sees a pre-charge case only once asked"
    );
    let police = server.person("pc.hughes").await;
    let page = police.page(&format!("/cases/{id}")).await.1;
    let csrf = form_token(&page);
    let path = format!("/cases/{id}/actions");
    let due_on = (time::OffsetDateTime::now_utc().date() + time::Duration::days(7)).to_string();
    let ask = |action: &'static str, owner: &'static str| {
        let (police, path, csrf, due_on) = (&police, &path, &csrf, &due_on);
        async move {
            let fields = [
                ("action", action),
                ("owner", owner),
                ("due_on", due_on.as_str()),
                ("note", ""),
            ];
            police.submit(path, csrf, &fields).await
        }
    };
    // Work is asked only of the kind of agency that does it.
    let wrong = ask("pre_sentence_report", "CPSMER").await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong = wrong.text().await.unwrap_or_default();
    assert!(
        wrong.contains("<a href=\"#owner\">Pre-sentence report is work for a probation service"),
        "{wrong}"
    );
    let asked = ask("charging_decision", "CPSMER").await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let confirmed = asked
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(confirmed, format!("/cases/{id}?done=asked"));
    let (_, confirmation) = police.page(&confirmed).await;
    assert!(
        confirmation.contains("The work is asked for"),
        "{confirmation}"
    );
    assert!(
        confirmation.contains("Charging decision asked of CPS Mersey-Cheshire by "),
        "agencies by name, not code: {confirmation}"
    );
    // Asked again while the first is open: refused, naming the request already made.
    let twice = ask("charging_decision", "CPSMER").await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let twice = twice.text().await.unwrap_or_default();
    assert!(
        twice.contains("already asked of that agency and not yet done (request JA-"),
        "{twice}"
    );

    // The CPS now finds it among the cases awaiting its decision, and decides.
    let (_, awaiting) = prosecutor.page("/?stage=awaiting_charging_decision").await;
    assert!(
        awaiting.contains(&format!("href=\"/cases/{id}\"")),
        "{awaiting}"
    );
    let page = prosecutor.page(&format!("/cases/{id}")).await.1;
    assert!(page.contains("Decision on charge"), "{page}");
    let csrf = form_token(&page);
    let decide = format!("/cases/{id}/charging-decision");
    let unnamed = prosecutor
        .submit(&decide, &csrf, &[("decision", "charge"), ("offences", "")])
        .await;
    assert_eq!(unnamed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unnamed
            .text()
            .await
            .unwrap_or_default()
            .contains("<a href=\"#offences\">Enter the offences to charge")
    );
    let decided = prosecutor
        .submit(
            &decide,
            &csrf,
            &[("decision", "charge"), ("offences", "TH68010")],
        )
        .await;
    assert_eq!(decided.status(), StatusCode::SEE_OTHER);
    let (_, case) = police.fetch(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(case["stage"], "charged", "{case}");
    assert_eq!(case["charging_decision"], "charge", "{case}");
    let action = &case["actions"][0];
    assert_eq!(
        (action["action"].as_str(), action["state"].as_str()),
        (Some("charging_decision"), Some("completed")),
        "{case}"
    );
    // Decided, the form is gone; the police may not decide on charge.
    assert!(
        !prosecutor
            .page(&format!("/cases/{id}"))
            .await
            .1
            .contains("Record the decision")
    );
    let forbidden = police
        .submit(
            &decide,
            &form_token(&page),
            &[("decision", "no_further_action")],
        )
        .await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_support_worker_records_attendance_and_engagement_from_the_page() {
    let server = TestServer::start().await;
    let case = crate::need_to_know::whole_case();
    // Up to the referral to the drug service (before its progress report).
    let progress = case
        .iter()
        .position(|message| message["type"] == "support_progress")
        .expect("progress");
    let id = server.send_all(&case[..progress]).await;
    let worker = server.person("sw.kaur").await;
    let page = worker.page(&format!("/cases/{id}")).await.1;
    assert!(page.contains("Attendance and engagement"), "{page}");
    let csrf = form_token(&page);
    let path = format!("/cases/{id}/progress");
    let unfinished = worker
        .submit(
            &path,
            &csrf,
            &[
                ("referral", "REF-1"),
                ("attendance", ""),
                ("engagement", "good"),
            ],
        )
        .await;
    assert_eq!(unfinished.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let recorded = worker
        .submit(
            &path,
            &csrf,
            &[
                ("referral", "REF-1"),
                ("attendance", "attended"),
                ("engagement", "good"),
                ("progress_note", "First group session."),
            ],
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    let probation = server.person("po.walsh").await;
    let (_, seen) = probation.fetch(&format!("/api/v1/cases/{id}")).await;
    let referral = seen["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|action| action["action_id"] == "REF-1")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        referral["state"], "completed",
        "a first attendance answers it: {seen}"
    );
    assert_eq!(seen["support"][0]["attendance"], "attended", "{seen}");
    // Another service's worker may not record attendance on this referral.
    let other = server.person("sw.evans").await;
    let refused = other
        .submit(
            &path,
            &form_token(&other.page("/search").await.1),
            &[
                ("referral", "REF-1"),
                ("attendance", "missed"),
                ("engagement", "poor"),
            ],
        )
        .await;
    assert!(
        [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&refused.status()),
        "{}",
        refused.status()
    );
}

#[tokio::test]
async fn an_agency_registered_while_serving_can_be_asked_for_work_at_once() {
    // The registry is kept a while between pages (`App::agencies`); one the operator registers
    // through the application is offered on the next page, not after the registry's time.
    let mut server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let police = server.person("pc.hughes").await;
    let offered = |page: &str| page.contains(r#"<option value="PROBNE""#);
    let (_, before) = police.page(&format!("/cases/{id}")).await;
    assert!(before.contains(r#"<option value="PROBNW""#), "{before}");
    assert!(!offered(&before));
    server
        .add_agency("PROBNE", joinery_domain::AgencyKind::Probation)
        .await;
    let (_, after) = police.page(&format!("/cases/{id}")).await;
    assert!(offered(&after), "{after}");
}
