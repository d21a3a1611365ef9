//! The information-governance page: who has seen a case, the grants to review, the matrix with
//! who may break glass, and beside it who may assert what.

use reqwest::StatusCode;

use crate::support::TestServer;
use crate::support::html::form_token;

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
    let row = |name: &str| {
        page.split(&format!(">{name}</th>"))
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        row("Intelligence").contains("never"),
        "no glass for intelligence"
    );
    assert!(page.contains("Who may assert what"), "{page}");
    assert!(
        row("Hearing result").contains("Courts"),
        "{}",
        row("Hearing result")
    );
    assert!(
        row("Consent given").contains("Probation services and voluntary services"),
        "{}",
        row("Consent given")
    );
    let (_, answer) = governance.fetch("/api/v1/governance/policy-matrix").await;
    let sentence = answer["who_may_assert"]
        .as_array()
        .and_then(|all| all.iter().find(|a| a["type"] == "sentence"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(sentence["sent_by"], serde_json::json!(["court"]));
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
        ("05AA42", "Enter a URN or an ASN, for example"),
        ("05AA9999926", "There is no case with that reference"),
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
    // A support worker whose service is not on the case asks for it: refused, and recorded.
    let stranger = server.person("sw.evans").await;
    assert_eq!(
        stranger.page(&format!("/cases/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    let mut text = String::new();
    for _ in 0..50 {
        let looked_up = look_up("05AA4242426").await;
        assert_eq!(looked_up.status(), StatusCode::OK);
        text = looked_up.text().await.unwrap_or_default();
        if text.contains("Case refused") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let row = |who: &str, what: &str| {
        text.split("<tr class=\"govuk-table__row\">")
            .find(|row| row.contains(&format!(">{who}<")) && row.contains(&format!(">{what}<")))
            .unwrap_or_default()
            .to_owned()
    };
    let read = row("po.walsh", "Case read");
    assert!(
        read.contains(">PROBNW<") && read.contains("once, ") && read.contains("Case core"),
        "who, their agency, when and the categories they were shown: {text}"
    );
    assert!(!read.contains("Legal advice"), "{read}");
    assert!(
        !row("sw.evans", "Case refused").is_empty(),
        "the refused attempt: {text}"
    );
    assert!(
        !text.contains("user:"),
        "people by name, not as audit actors: {text}"
    );
    assert!(
        !text.contains("Corlett"),
        "the audit holds references, not names"
    );
    // Narrowed to one person; and kept as CSV.
    let narrowed = governance
        .submit(
            "/governance",
            &csrf,
            &[("urn", "05AA4242426"), ("who", "sw.evans")],
        )
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        narrowed.contains(">sw.evans<") && !narrowed.contains(">po.walsh<"),
        "{narrowed}"
    );
    let refusals = governance
        .submit(
            "/governance",
            &csrf,
            &[
                ("urn", "05AA4242426"),
                ("who", ""),
                ("what", "case_refused"),
            ],
        )
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        refusals.contains("cell\">Case refused</td>")
            && !refusals.contains("cell\">Case read</td>"),
        "{refusals}"
    );
    // Narrowed to days: none of it happened in 2099; a day that is not one is named.
    let later = governance
        .submit(
            "/governance",
            &csrf,
            &[("urn", "05AA4242426"), ("from", "2099-01-01")],
        )
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(!later.contains("cell\">Case read</td>"), "{later}");
    let wrong = governance
        .submit(
            "/governance",
            &csrf,
            &[("urn", "05AA4242426"), ("to", "yesterday")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap_or_default()
            .contains("<a href=\"#to\">Enter the day as year, month and day")
    );
    let csv = governance
        .submit(
            "/governance",
            &csrf,
            &[("urn", "05AA4242426"), ("who", ""), ("download", "csv")],
        )
        .await;
    assert_eq!(
        csv.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    let csv = csv.text().await.unwrap_or_default();
    assert!(
        csv.starts_with("day,who,agency,what,times,first,last,categories\n")
            && csv.contains(",po.walsh,PROBNW,case_read,1,")
            && csv.contains(",sw.evans,VOLHSG,case_refused,"),
        "{csv}"
    );
    // By its ASN too.
    let by_asn = look_up("2605AA0100000004242A").await;
    assert_eq!(by_asn.status(), StatusCode::OK);
    assert!(
        by_asn
            .text()
            .await
            .unwrap_or_default()
            .contains(">po.walsh<")
    );
}

#[tokio::test]
async fn governance_reviews_each_break_glass_grant_once_with_what_it_found() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let probation = server.person("po.walsh").await;
    let case_page = probation.page(&format!("/cases/{id}")).await.1;
    let broke = probation
        .submit(
            &format!("/cases/{id}/break-glass"),
            &form_token(&case_page),
            &[
                ("category", "police_file"),
                ("reason", "Risk to staff at tomorrow's home visit."),
            ],
        )
        .await;
    assert_eq!(broke.status(), StatusCode::SEE_OTHER);
    let governance = server.person("ig.price").await;
    let page = governance.page("/governance").await.1;
    assert!(
        page.contains("Police file, case 05AA4242426")
            && page.contains("Risk to staff at tomorrow")
            && page.contains("Expires")
            && page.contains("Waiting for review"),
        "{page}"
    );
    let grant = page
        .split("name=\"grant\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("a grant to review: {page}"))
        .to_owned();
    let csrf = form_token(&page);
    let review = |outcome: &'static str, note: &'static str| {
        let (governance, csrf, grant) = (&governance, &csrf, &grant);
        async move {
            governance
                .submit(
                    "/governance/review",
                    csrf,
                    &[
                        ("grant", grant.as_str()),
                        ("outcome", outcome),
                        ("review_note", note),
                    ],
                )
                .await
        }
    };
    let unfinished = review("", "").await;
    assert_eq!(unfinished.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unfinished = unfinished.text().await.unwrap_or_default();
    assert!(
        unfinished.contains("<a href=\"#outcome\">Select what the review found")
            && unfinished.contains("<a href=\"#review_note\">Enter why"),
        "{unfinished}"
    );
    let recorded = review("justified", "Visit risk confirmed with the office manager.").await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    let (_, after) = governance.page("/governance?reviewed=yes").await;
    assert!(
        after.contains("The review is recorded") && after.contains("No grant waits for review"),
        "{after}"
    );
    let (_, all) = governance.page("/governance?grants=all").await;
    assert!(
        all.contains("Justified: Visit risk confirmed with the office manager. (ig.price"),
        "{all}"
    );
    // Once only.
    assert_eq!(
        review("not_justified", "Second thoughts.").await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, log) = governance.fetch("/api/v1/governance/break-glass").await;
    assert_eq!(log[0]["review"]["outcome"], "justified", "{log}");
    assert_eq!(log[0]["reference"], "05AA4242426", "{log}");
    // Downloaded for the records (governance alone), each grant with its case, why, expiry
    // and what its review found.
    let (status, csv) = governance.page("/governance/grants.csv?grants=all").await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(
            "grant,granted_at,who,agency,case_reference,category,reason,expires_at,\
             review_outcome,reviewed_by,reviewed_at,review_note"
        )
    );
    assert!(
        lines.len() == 2
            && lines[1].contains(",po.walsh,PROBNW,05AA4242426,police_file,")
            && lines[1].contains(",Risk to staff at tomorrow's home visit.,")
            && lines[1].contains(",justified,ig.price,")
            && lines[1].ends_with(",Visit risk confirmed with the office manager."),
        "{csv}"
    );
    let (status, to_review) = governance.page("/governance/grants.csv").await;
    assert_eq!((status, to_review.lines().count()), (StatusCode::OK, 1));
    assert_eq!(
        probation.page("/governance/grants.csv?grants=all").await.0,
        StatusCode::FORBIDDEN
    );
    let trail = crate::audit::entries(&server.db);
    assert_eq!(
        trail
            .iter()
            .filter(|(_, action, _, _)| action == "grants_exported")
            .count(),
        2,
        "each download is audited"
    );
    assert!(
        trail
            .iter()
            .any(|(_, action, _, detail)| action == "break_glass_reviewed"
                && detail.contains("justified")
                && !detail.contains("office manager")),
        "the review is audited by its outcome, its words kept with it"
    );
}
