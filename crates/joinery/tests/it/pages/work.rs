//! The worklist: the work asked of an agency and still open, the earliest due first, each piece
//! handled by one person at a time, gone from the list once done.

use reqwest::StatusCode;
use serde_json::json;

use crate::need_to_know::{message, whole_case};
use crate::support::TestServer;
use crate::support::html::form_token;

/// The cells of each row of the worklist's table, as text.
fn rows(page: &str) -> Vec<String> {
    page.split("<tbody class=\"govuk-table__body\">")
        .nth(1)
        .and_then(|body| body.split("</tbody>").next())
        .map(|body| {
            body.split("<tr class=\"govuk-table__row\">")
                .skip(1)
                .map(|row| {
                    row.split('<')
                        .filter_map(|part| part.split('>').nth(1))
                        .map(str::trim)
                        .filter(|text| !text.is_empty())
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn probation_works_through_what_is_asked_of_it_one_officer_a_piece() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    let later = (time::OffsetDateTime::now_utc().date() + time::Duration::days(10)).to_string();
    server
        .send_all(&[
            message(
                "L-20",
                "LVCJC",
                "2026-05-01T10:00:00Z",
                "action_requested",
                json!({"action_id": "RA-1", "action": "risk_assessment", "owner": "PROBNW",
                       "due_on": "2026-05-15"}),
            ),
            message(
                "L-21",
                "LVCJC",
                "2026-05-01T10:05:00Z",
                "action_requested",
                json!({"action_id": "OT-1", "action": "other", "owner": "PROBNW",
                       "due_on": later, "note": "Confirm the supervising officer."}),
            ),
        ])
        .await;
    server
        .add_user(
            "po.second",
            "PROBNW",
            joinery_domain::Role::ProbationOfficer,
        )
        .await;
    let walsh = server.person("po.walsh").await;
    let (status, page) = walsh.page("/work").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let listed = rows(&page);
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(
        listed[0].starts_with("15 May 2026 | Overdue | Risk assessment | 05AA4242426")
            && listed[0].contains("No one"),
        "the overdue work first: {listed:?}"
    );
    assert!(listed[1].contains("Other work"), "{listed:?}");
    let (_, overdue) = walsh.page("/work?overdue=yes").await;
    assert_eq!(rows(&overdue).len(), 1);
    // The same over the API, for a person and for the agency's own system.
    let (status, listed) = walsh.fetch("/api/v1/work?overdue=true").await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["total"], 1, "{listed}");
    assert_eq!(
        listed["items"][0]["action"]["action_id"], "RA-1",
        "{listed}"
    );
    let (status, system) = server.fetch("PROBNW", "/api/v1/work").await;
    assert_eq!(status, StatusCode::OK, "{system}");
    assert_eq!(system["total"], 2, "{system}");
    let (status, problem) = server.fetch("PROBNW", "/api/v1/work?kind=tea").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    // Po Walsh takes the risk assessment on; her colleague cannot take it too.
    let take = |who: &'static str| {
        let server = &server;
        let id = id.clone();
        async move {
            let person = server.signed_in(who).await;
            let csrf = form_token(&person.page("/work").await.1);
            person
                .submit(
                    "/work/claim",
                    &csrf,
                    &[("case", id.as_str()), ("action", "RA-1"), ("handler", "me")],
                )
                .await
        }
    };
    let taken = take("po.walsh").await;
    assert_eq!(taken.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        taken
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok()),
        Some("/work?handler=me&done=claimed")
    );
    let (_, mine) = walsh.page("/work?handler=me&done=claimed").await;
    assert!(mine.contains("You are handling it"), "{mine}");
    let mine = rows(&mine);
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert!(
        mine[0].contains("| You |") && mine[0].contains("Let go"),
        "{mine:?}"
    );
    let second = server.signed_in("po.second").await;
    let refused = take("po.second").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap_or_default();
    assert!(
        refused.contains("po.walsh is already handling it"),
        "{refused}"
    );
    let (_, theirs) = second.page("/work").await;
    assert!(rows(&theirs)[0].ends_with("| po.walsh"), "{theirs}");
    // A police officer's list is the police force's work: none here.
    let (_, police) = server.person("pc.hughes").await.page("/work").await;
    assert!(police.contains("There is no work to show"), "{police}");
    // A manager has no worklist.
    assert_eq!(
        server.person("mgr.lewis").await.page("/work").await.0,
        StatusCode::FORBIDDEN
    );

    // Let go, the colleague takes it; done, it leaves the list and no one holds it.
    let csrf = form_token(&walsh.page("/work").await.1);
    let released = walsh
        .submit(
            "/work/release",
            &csrf,
            &[("case", id.as_str()), ("action", "RA-1")],
        )
        .await;
    assert_eq!(released.status(), StatusCode::SEE_OTHER);
    assert_eq!(take("po.second").await.status(), StatusCode::SEE_OTHER);
    let case_page = second.page(&format!("/cases/{id}")).await.1;
    let complete = format!("/cases/{id}/actions/RA-1/complete");
    assert!(case_page.contains(&complete), "{case_page}");
    let done = second.submit(&complete, &form_token(&case_page), &[]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let left = rows(&second.page("/work").await.1);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].contains("Other work"), "{left:?}");
    // The court, which asked for the other work, withdraws it: it leaves probation's list, and
    // only the court may withdraw it.
    let withdraw = format!("/cases/{id}/actions/OT-1/withdraw");
    let probation_page = second.page(&format!("/cases/{id}")).await.1;
    assert!(!probation_page.contains(&withdraw), "{probation_page}");
    assert_eq!(
        second
            .submit(&withdraw, &form_token(&probation_page), &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let court = server.person("la.byrne").await;
    let court_page = court.page(&format!("/cases/{id}")).await.1;
    assert!(court_page.contains(&withdraw), "{court_page}");
    let withdrawn = court.submit(&withdraw, &form_token(&court_page), &[]).await;
    assert_eq!(
        withdrawn
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok()),
        Some(format!("/cases/{id}?done=withdrawn").as_str())
    );
    assert!(rows(&second.page("/work").await.1).is_empty());
    let (_, case) = court.fetch(&format!("/api/v1/cases/{id}")).await;
    let other = case["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|action| action["action_id"] == "OT-1")
        .cloned()
        .unwrap_or_default();
    assert_eq!(other["state"], "withdrawn", "{case}");
    let claims = server.db.number("SELECT COUNT(*) FROM work_claims");
    assert_eq!(claims, 0, "a claim goes with its work");
    let trail = crate::audit::entries(&server.db);
    let taken: Vec<_> = trail
        .iter()
        .filter(|(_, action, _, _)| action == "work_claimed" || action == "work_released")
        .map(|(actor, action, _, _)| (actor.as_str(), action.as_str()))
        .collect();
    assert_eq!(taken.len(), 3, "{taken:?}");
}
