//! Finding a case: by reference or by the defendant's name and date of birth, posted (never in
//! an address), answered only with cases the person may open, and recorded without what was
//! searched for.

use reqwest::StatusCode;
use serde_json::json;

use crate::need_to_know::{URN, message, whole_case};
use crate::support::TestServer;
use crate::support::html::form_token;

/// The fields of the search form, each empty unless given.
fn fields<'a>(given: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    [
        "reference",
        "family_name",
        "given_name",
        "dob_day",
        "dob_month",
        "dob_year",
    ]
    .into_iter()
    .map(|name| {
        let value = given
            .iter()
            .find(|(field, _)| *field == name)
            .map_or("", |(_, value)| *value);
        (name, value)
    })
    .collect()
}

#[tokio::test]
async fn a_case_is_found_by_reference_or_by_name_and_date_of_birth_by_those_who_may_open_it() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    // Another case of the same person, with their PNC ID, and a namesake born another day.
    let pnc = "1988/0015313H";
    let person = json!({"given_name": "Kit", "family_name": "Corlett", "date_of_birth": "1991-02-03",
        "pnc_id": pnc});
    let mut again = message(
        "P-20",
        "MERPOL",
        "2026-06-01T02:00:00Z",
        "arrest",
        json!({"person": person, "suspected_offence": "TH68010"}),
    );
    again["case"] = json!({"urn": "05AA4242527"});
    let second = server.send_all(&[again]).await;
    let mut namesake = message(
        "P-21",
        "MERPOL",
        "2026-06-02T02:00:00Z",
        "arrest",
        json!({"person": {"given_name": "Kim", "family_name": "Corlett", "date_of_birth": "1985-07-09"}}),
    );
    namesake["case"] = json!({"urn": "05AA4242628"});
    server.send_all(&[namesake]).await;

    let police = server.person("pc.hughes").await;
    let (status, form) = police.page("/search").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains(r#"<form method="post" action="/search""#),
        "{form}"
    );
    let csrf = form_token(&form);
    let search = |given: Vec<(&'static str, &'static str)>| {
        let (police, csrf) = (&police, &csrf);
        async move {
            let answer = police.submit("/search", csrf, &fields(&given)).await;
            (answer.status(), answer.text().await.unwrap_or_default())
        }
    };
    // By name and date of birth, however the name is typed: both of Kit Corlett's cases, not
    // the namesake's.
    let (status, found) = search(vec![
        ("family_name", "CORLETT "),
        ("dob_day", "3"),
        ("dob_month", "2"),
        ("dob_year", "1991"),
    ])
    .await;
    assert_eq!(status, StatusCode::OK);
    for case in [&id, &second] {
        assert!(
            found.contains(&format!("href=\"/cases/{case}\"")),
            "{found}"
        );
    }
    assert!(!found.contains("Kim Corlett"), "{found}");
    assert!(
        found.contains("Cases found by name and date of birth"),
        "{found}"
    );
    // By URN and by PNC ID.
    let (_, by_urn) = search(vec![("reference", URN)]).await;
    assert!(
        by_urn.contains(&format!("href=\"/cases/{id}\"")),
        "{by_urn}"
    );
    assert!(
        !by_urn.contains(&format!("href=\"/cases/{second}\"")),
        "{by_urn}"
    );
    let (_, by_pnc) = search(vec![("reference", pnc)]).await;
    assert!(
        by_pnc.contains(&format!("href=\"/cases/{second}\"")),
        "{by_pnc}"
    );
    assert!(
        !by_pnc.contains(&format!("href=\"/cases/{id}\"")),
        "{by_pnc}"
    );

    // A support worker whose service has never worked with the person finds nothing, in the
    // same words as when there is nothing to find.
    let stranger = server.person("sw.evans").await;
    let csrf = form_token(&stranger.page("/search").await.1);
    for reference in [URN, "05AA9999924"] {
        let answer = stranger
            .submit("/search", &csrf, &fields(&[("reference", reference)]))
            .await;
        let text = answer.text().await.unwrap_or_default();
        assert!(text.contains("No case you may open matches"), "{text}");
        assert!(!text.contains(&id), "{text}");
    }

    // Bad input is named in the GOV.UK pattern, with what was typed kept.
    let (status, sent_back) = search(vec![]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        sent_back.contains(
            "<a href=\"#reference\">Enter a reference, or a family name and date of birth"
        ),
        "{sent_back}"
    );
    let (status, sent_back) = search(vec![
        ("family_name", "Corlett"),
        ("dob_day", "31"),
        ("dob_month", "2"),
        ("dob_year", "1991"),
    ])
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        sent_back.contains("<a href=\"#dob-day\">The date of birth must be a real date")
            && sent_back.contains("value=\"Corlett\""),
        "{sent_back}"
    );
    let (status, sent_back) = search(vec![("reference", "12 High Street")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        sent_back.contains("Enter a URN, ASN or PNC ID"),
        "{sent_back}"
    );

    // Each search is recorded by how it was made and which cases it showed; never by what was
    // typed, which is personal data.
    let trail = crate::audit::entries(&server.db);
    let searches: Vec<&String> = trail
        .iter()
        .filter(|(_, action, _, _)| action == "case_searched")
        .map(|(_, _, _, detail)| detail)
        .collect();
    assert_eq!(searches.len(), 5, "{searches:?}");
    assert!(searches[0].contains("name_and_date_of_birth") && searches[0].contains(&second));
    for detail in &searches {
        assert!(
            !detail.contains("orlett") && !detail.contains("1991"),
            "{detail}"
        );
    }
}

#[tokio::test]
async fn an_agency_system_searches_over_the_api_with_what_it_searches_for_in_the_body() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    let search = |agency: &'static str, body: serde_json::Value| {
        let server = &server;
        async move {
            let response = server
                .client
                .post(format!("{}/api/v1/search", server.base))
                .bearer_auth(server.key(agency))
                .json(&body)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let status = response.status();
            (
                status,
                response
                    .json::<serde_json::Value>()
                    .await
                    .unwrap_or_default(),
            )
        }
    };
    let by_name = json!({"family_name": "Corlett", "date_of_birth": "1991-02-03"});
    let (status, found) = search("PROBNW", by_name.clone()).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["by"], "name_and_date_of_birth");
    assert_eq!(found["cases"][0]["id"], json!(id), "{found}");
    let (_, nothing) = search("VOLHSG", by_name).await;
    assert_eq!(nothing["cases"], json!([]), "{nothing}");
    let (status, problem) = search(
        "PROBNW",
        json!({"family_name": "Corlett", "date_of_birth": "3/2/1991"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "date_of_birth", "{problem}");
    let (status, _) = search("PROBNW", json!({"urn": URN, "pnc_id": "1988/0015313H"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
