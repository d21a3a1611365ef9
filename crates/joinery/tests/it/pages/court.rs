//! The court list and the judge's hearing summary, with private comments.

use reqwest::StatusCode;

use crate::support::TestServer;
use crate::support::html::form_token;

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
    let refused = adviser.page(&link).await.0;
    assert_eq!(
        refused,
        StatusCode::FORBIDDEN,
        "the hearing summary is for judges"
    );
    let forged = okafor
        .forged(
            &format!("/cases/{id}/comments"),
            "guess",
            &[("text", "Forged."), ("date", "2030-07-29")],
        )
        .await;
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, no comment"
    );
}

/// A court's staff work a courtroom's list: the day's rooms are links, the first room is shown
/// unless another is asked for, and a room's list holds its hearings only.
#[tokio::test]
async fn a_legal_adviser_works_the_list_a_courtroom_at_a_time() {
    let server = TestServer::start().await;
    let listed = |number: u32, urn: &str, room: &str| {
        serde_json::json!({"message_id": format!("L-{number}"), "agency": "LVCJC",
            "system": "Libra", "occurred_at": "2026-04-27T16:00:00Z", "case": {"urn": urn},
            "type": "hearing_listed",
            "payload": {"hearing_id": format!("H-{number}"), "court": "B05PK00",
                "starts_at": "2030-07-29T10:00:00Z", "purpose": "first_appearance",
                "courtroom": room}})
    };
    for message in [
        listed(1, "05AA1111126", "Court 2"),
        listed(2, "05AA2222226", "Court 1"),
        listed(3, "05AA3333326", "Court 2"),
    ] {
        server.send_all(&[message]).await;
    }
    let byrne = server.person("la.byrne").await;

    let (status, first) = byrne.page("/court-list?date=2030-07-29").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        first.contains("room=1\" aria-current=\"page\">Court 1")
            && first.contains("room=2\">Court 2")
            && first.contains("05AA2222226")
            && !first.contains("05AA1111126")
            && !first.contains("05AA3333326"),
        "{first}"
    );
    let (status, second) = byrne.page("/court-list?date=2030-07-29&room=2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        second.contains("05AA1111126")
            && second.contains("05AA3333326")
            && !second.contains("05AA2222226"),
        "{second}"
    );
    let (status, beyond) = byrne.page("/court-list?date=2030-07-29&room=3").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        beyond.contains("No hearings you may see are listed in this courtroom that day"),
        "{beyond}"
    );
    let (status, _) = byrne.page("/court-list?date=2030-07-29&room=none").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A day typed the British way is not silently taken for today: the form says so, in the
    // GOV.UK pattern, keeping what was typed, and shows no day's list.
    let (status, typed) = byrne.page("/court-list?date=3%2F12%2F2026").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
    assert!(
        typed.contains("<title>Error: Court list")
            && typed.contains("govuk-error-summary")
            && typed.contains("href=\"#date\"")
            && typed.contains("Enter the day as year, month and day, for example 2026-12-03")
            && typed.contains("value=\"3/12/2026\"")
            && !typed.contains("Court list for")
            && !typed.contains("No hearings you may see"),
        "{typed}"
    );
}

/// A judge reaches the days they sit from any other, and reads the list in UK time and words:
/// each case with its offence and custody, linked to its summary and to the whole case.
#[tokio::test]
async fn a_judge_goes_from_day_to_day_and_reads_the_list_in_uk_time() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let roberts = server.person("dj.roberts").await;
    // Nothing before her on the Sunday; the next day she sits is the Monday of the first hearing.
    let (_, sunday) = roberts.page("/court-list?date=2026-03-29").await;
    assert!(sunday.contains("Court list for 29 March 2026"), "{sunday}");
    assert!(
        sunday.contains("href=\"/court-list?date=2026-03-30\" rel=\"next\""),
        "{sunday}"
    );
    assert!(!sunday.contains("rel=\"prev\""), "no earlier day: {sunday}");
    let (_, monday) = roberts.page("/court-list?date=2026-03-30").await;
    // 10:00 UTC on 30 March 2026 is 11:00 British Summer Time.
    assert!(monday.contains(">11:00<"), "{monday}");
    assert!(
        monday.contains(&format!("href=\"/cases/{id}/hearing?date=2026-03-30\""))
            && monday.contains(&format!("href=\"/cases/{id}\""))
            && (monday.contains("Theft from a shop")
                || monday.contains("Stole goods from a shop.")),
        "the offence, by its title or as charged: {monday}"
    );
    let (_, summary) = roberts
        .page(&format!("/cases/{id}/hearing?date=2026-03-30"))
        .await;
    assert!(
        summary.contains("href=\"/court-list?date=2026-03-30\"")
            && summary.contains(&format!("href=\"/cases/{id}\"")),
        "the summary leads back to the list and on to the case: {summary}"
    );
    // The court's staff move a working day at a time: Friday before the Monday.
    let (_, staff) = server
        .person("la.byrne")
        .await
        .page("/court-list?date=2026-03-30")
        .await;
    assert!(
        staff.contains("href=\"/court-list?date=2026-03-27\" rel=\"prev\"")
            && staff.contains("href=\"/court-list?date=2026-03-31\" rel=\"next\""),
        "{staff}"
    );
}

/// After a hearing, one of the court's legal advisers results it: the list says it is to
/// result, who is resulting it (no colleague takes it too), and that it is resulted once the
/// court's result arrives.
#[tokio::test]
async fn the_courts_staff_result_the_days_hearings_one_adviser_a_hearing() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    server
        .add_user("la.second", "LVCJC", joinery_domain::Role::LegalAdviser)
        .await;
    let byrne = server.person("la.byrne").await;
    let list = "/court-list?date=2026-03-30";
    let (_, page) = byrne.page(list).await;
    assert!(page.contains("To result"), "{page}");
    let change = |person: &'static str, what: &'static str| {
        let (server, id) = (&server, id.clone());
        async move {
            let person = server.signed_in(person).await;
            let csrf = form_token(&person.page(list).await.1);
            person
                .submit(
                    "/court-list/resulting",
                    &csrf,
                    &[
                        ("case", id.as_str()),
                        ("hearing", "H-1"),
                        ("change", what),
                        ("date", "2026-03-30"),
                        ("room", "1"),
                    ],
                )
                .await
        }
    };
    let started = change("la.byrne", "start").await;
    assert_eq!(
        started
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok()),
        Some("/court-list?date=2026-03-30&room=1")
    );
    let (_, mine) = byrne.page(list).await;
    assert!(mine.contains("Being resulted</strong> by you"), "{mine}");
    // Her colleague sees who has it, and cannot take it too.
    assert_eq!(
        change("la.second", "start").await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, theirs) = server.signed_in("la.second").await.page(list).await;
    assert!(
        theirs.contains("Being resulted</strong> by la.byrne"),
        "{theirs}"
    );
    assert!(!theirs.contains("Result it"), "{theirs}");
    // A judge does not result hearings.
    let judge = server.person("dj.roberts").await;
    let refused = judge
        .submit(
            "/court-list/resulting",
            &form_token(&judge.page(list).await.1),
            &[
                ("case", id.as_str()),
                ("hearing", "H-1"),
                ("change", "start"),
                ("date", "2026-03-30"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // The court's result arrives: resulted.
    server
        .send_all(&[crate::need_to_know::message(
            "L-30",
            "LVCJC",
            "2026-03-30T15:00:00Z",
            "hearing_result",
            serde_json::json!({"hearing_id": "H-1", "results": [{"code": "4506", "text": "Adjourned"}]}),
        )])
        .await;
    let (_, resulted) = byrne.page(list).await;
    assert!(resulted.contains(">Resulted<"), "{resulted}");
}

/// A judge covers another courtroom: the court's listing officer puts them on its bench for the
/// day, and the room's hearings not yet resulted are listed before them.
#[tokio::test]
async fn a_listing_officer_puts_a_covering_judge_on_a_rooms_bench() {
    let server = TestServer::start().await;
    let id = server.send_all(&crate::need_to_know::whole_case()).await;
    let roberts = server.person("dj.roberts").await;
    let okafor = server.person("dj.okafor").await;
    let list = "/court-list?date=2026-03-30";
    let summary = format!("/cases/{id}/hearing?date=2026-03-30");
    assert!(!okafor.page(list).await.1.contains(&summary));
    let byrne = server.person("la.byrne").await;
    let (_, page) = byrne.page(list).await;
    assert!(
        page.contains("Judge sitting in this courtroom today")
            && page.contains("<option value=\"dj.okafor\">")
            && page.contains("Before dj.roberts"),
        "{page}"
    );
    let bench = |person: &'static str, judge: &'static str| {
        let server = &server;
        async move {
            let person = server.signed_in(person).await;
            let csrf = form_token(&person.page(list).await.1);
            person
                .submit(
                    "/court-list/bench",
                    &csrf,
                    &[("judge", judge), ("date", "2026-03-30"), ("room", "1")],
                )
                .await
        }
    };
    assert_eq!(
        bench("dj.roberts", "dj.roberts").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        bench("la.byrne", "la.byrne").await.status(),
        StatusCode::NOT_FOUND
    );
    let moved = bench("la.byrne", "dj.okafor").await;
    assert_eq!(
        moved
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok()),
        Some("/court-list?date=2026-03-30&room=1")
    );
    assert!(
        okafor.page(list).await.1.contains(&summary),
        "the covering judge's list"
    );
    assert_eq!(okafor.page(&summary).await.0, StatusCode::OK);
    assert!(
        !roberts.page(list).await.1.contains(&summary),
        "no longer before her"
    );
    assert!(byrne.page(list).await.1.contains("Before dj.okafor"));
}
