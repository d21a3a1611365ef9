//! Joining a case by citing it: an agency that sends a message on a case it was never brought
//! onto (by an arrest or listing of its own, or work given by an agency already on it) reads
//! nothing of it but what it sent, and what it sent changes nothing and is shown to no one else.

use joinery_domain::AgencyKind;
use reqwest::StatusCode;
use serde_json::json;

use crate::need_to_know::{URN, has, message, types, whole_case};
use crate::support::TestServer;

#[tokio::test]
async fn a_service_never_referred_cannot_join_a_case_by_citing_its_urn() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    // The campaign's attack: the housing service's key, one `support_progress` citing the URN
    // of a case never referred to it (while consent to share health is in force).
    let consent = message(
        "N-9",
        "PROBNW",
        "2026-05-01T09:00:00Z",
        "consent_given",
        json!({"category": "health", "source": "Signed form at induction"}),
    );
    let forged = message(
        "H-1",
        "VOLHSG",
        "2026-05-02T10:00:00Z",
        "support_progress",
        json!({"referral_id": "HSG-1", "attendance": "attended", "engagement": "good"}),
    );
    assert_eq!(server.send_all(&[consent, forged]).await, id);

    let worker = server.person("sw.evans").await;
    let (_, case) = worker.fetch(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(
        types(&case),
        ["support_progress"],
        "only what they sent themselves"
    );
    assert!(case["defendant"].is_null(), "{case}");
    let (status, caseload) = worker.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        caseload.contains(">Cases</h1>"),
        "the caseload page: {caseload}"
    );
    assert!(!caseload.contains(URN), "the case is not in their caseload");

    // What they sent is theirs alone: the judge and probation do not see it as a service's word.
    let probation = server.person("po.walsh").await;
    let (_, case) = probation.fetch(&format!("/api/v1/cases/{id}")).await;
    let from_housing = case["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|item| item["agency"] == "VOLHSG")
        .count();
    assert_eq!(from_housing, 0, "{case}");
}

#[tokio::test]
async fn a_second_cps_area_or_police_force_cannot_reach_victim_details() {
    let mut server = TestServer::start().await;
    server.add_agency("CPSNW", AgencyKind::Cps).await;
    server.add_agency("CHSPOL", AgencyKind::Police).await;
    let id = server.send_all(&whole_case()).await;
    let advice = json!({"message_id": "X-1", "agency": "CPSNW", "system": "CMS",
        "occurred_at": "2026-03-02T09:00:00Z", "case": {"urn": URN}, "type": "legal_advice",
        "payload": {"advice": "Charge theft."}});
    let asked = json!({"message_id": "X-2", "agency": "CPSNW", "system": "CMS",
        "occurred_at": "2026-03-02T10:00:00Z", "case": {"urn": URN}, "type": "action_requested",
        "payload": {"action_id": "X-ASK", "action": "full_file", "owner": "CPSNW",
        "due_on": "2026-03-09"}});
    let arrest = json!({"message_id": "Y-1", "agency": "CHSPOL", "system": "Athena",
        "occurred_at": "2026-03-02T11:00:00Z", "case": {"urn": URN}, "type": "arrest",
        "payload": {"person": {"given_name": "Kit", "family_name": "Corlett"}}});
    assert_eq!(server.send_all(&[advice, asked, arrest]).await, id);

    for agency in ["CPSNW", "CHSPOL"] {
        let (_, case) = server.fetch(agency, &format!("/api/v1/cases/{id}")).await;
        for withheld in ["victim_witness", "police_file", "charge", "sentence"] {
            assert!(!has(&case, withheld), "{agency} read {withheld}: {case}");
        }
        let (_, by_urn) = server
            .fetch(agency, &format!("/api/v1/cases/by-urn/{URN}"))
            .await;
        assert!(!has(&by_urn, "victim_witness"), "{by_urn}");
    }
    // The force that arrested first keeps the case; the second force's arrest is its own.
    let (_, case) = server.fetch("MERPOL", &format!("/api/v1/cases/{id}")).await;
    assert!(
        case["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|item| item["agency"] != "CHSPOL"),
        "{case}"
    );
    assert_eq!(case["defendant"]["family_name"], "Corlett");
}

#[tokio::test]
async fn consent_taken_by_a_service_off_the_case_opens_nothing() {
    let mut server = TestServer::start().await;
    server.add_agency("PROBNE", AgencyKind::Probation).await;
    let id = server.send_all(&whole_case()).await;
    let police = server.person("pc.hughes").await;
    let path = format!("/api/v1/cases/{id}");
    assert!(!has(&police.fetch(&path).await.1, "health"));

    let consent = |id: &str, agency: &str| {
        json!({"message_id": id, "agency": agency, "system": "nDelius",
            "occurred_at": "2026-05-01T09:00:00Z", "case": {"urn": URN}, "type": "consent_given",
            "payload": {"category": "health", "source": "Signed form"}})
    };
    server.send_all(&[consent("K-1", "PROBNE")]).await;
    let (_, case) = police.fetch(&path).await;
    assert!(
        !has(&case, "health"),
        "another service's consent opened health: {case:?}"
    );

    // The same consent from the probation service supervising the order does.
    server.send_all(&[consent("K-2", "PROBNW")]).await;
    assert!(has(&police.fetch(&path).await.1, "health"));
}

#[tokio::test]
async fn work_is_reported_done_only_by_the_agency_asked_or_the_one_asking() {
    let mut server = TestServer::start().await;
    server.add_agency("CHSPOL", AgencyKind::Police).await;
    let arrest = json!({"message_id": "A-1", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-01T02:00:00Z", "case": {"urn": "05AA5151526"}, "type": "arrest",
        "payload": {"person": {"given_name": "Sam", "family_name": "Quayle"}}});
    let asked = json!({"message_id": "A-2", "agency": "MERPOL", "system": "Niche RMS",
        "occurred_at": "2026-03-01T08:00:00Z", "case": {"urn": "05AA5151526"},
        "type": "action_requested", "payload": {"action_id": "CHG-9",
        "action": "charging_decision", "owner": "CPSMER", "due_on": "2026-03-08"}});
    let done_by_stranger = json!({"message_id": "Z-1", "agency": "CHSPOL", "system": "Athena",
        "occurred_at": "2026-03-02T08:00:00Z", "case": {"urn": "05AA5151526"},
        "type": "action_completed", "payload": {"action_id": "CHG-9"}});
    let id = server.send_all(&[arrest, asked, done_by_stranger]).await;
    let (status, case) = server.fetch("CPSMER", &format!("/api/v1/cases/{id}")).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "asking brings the CPS area onto the case"
    );
    assert_eq!(case["overdue_actions"][0]["action_id"], "CHG-9", "{case}");
}
