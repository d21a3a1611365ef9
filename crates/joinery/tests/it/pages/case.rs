//! The case page: only what the person may see, and its forms — asking another agency for
//! work and reporting it done, breaking glass, recording consent.

use reqwest::StatusCode;

use crate::support::TestServer;
use crate::support::html::form_token;

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

    let due_on = (time::OffsetDateTime::now_utc().date() + time::Duration::days(14)).to_string();
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
