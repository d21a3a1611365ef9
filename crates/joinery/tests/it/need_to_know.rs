//! Need to know, as each kind of user meets it over HTTP: every item of a case with every
//! category, read by the police, CPS, court staff, judges, probation and support workers.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Person, TestServer};

pub(crate) const URN: &str = "05AA4242426";
const ASN: &str = "2605AA0100000004242A";

pub(crate) fn message(id: &str, agency: &str, at: &str, kind: &str, payload: Value) -> Value {
    let system = match agency {
        "MERPOL" => "Niche RMS",
        "CPSMER" => "CPS Case Management",
        "LVCJC" => "Libra",
        "PROBNW" => "nDelius",
        _ => "Case Notes",
    };
    json!({"message_id": id, "agency": agency, "system": system, "occurred_at": at,
        "case": {"urn": URN, "asn": ASN}, "type": kind, "payload": payload})
}

/// A case with an item of every category, listed first before `dj.roberts` and next before
/// `dj.okafor`, sentenced to an order with a referral to the drug service.
pub(crate) fn whole_case() -> Vec<Value> {
    let person =
        json!({"given_name": "Kit", "family_name": "Corlett", "date_of_birth": "1991-02-03"});
    vec![
        message(
            "P-1",
            "MERPOL",
            "2026-03-01T02:00:00Z",
            "arrest",
            json!({"person": person, "suspected_offence": "TH68010"}),
        ),
        message(
            "P-2",
            "MERPOL",
            "2026-03-01T04:00:00Z",
            "police_file",
            json!({"section": "evidence_summary", "summary": "CCTV places the suspect at the shop.",
                   "detail": "Exhibit JS/1, camera 3, 14:02 to 14:09."}),
        ),
        message(
            "P-3",
            "MERPOL",
            "2026-03-01T05:00:00Z",
            "intelligence",
            json!({"text": "Associates with a group supplying class B drugs."}),
        ),
        message(
            "P-4",
            "MERPOL",
            "2026-03-01T06:00:00Z",
            "victim_witness",
            json!({"role": "victim", "person": {"given_name": "Ali", "family_name": "Ince"},
                   "contact": "Through the witness care unit"}),
        ),
        message(
            "P-5",
            "MERPOL",
            "2026-03-01T07:00:00Z",
            "antecedents",
            json!({"previous_convictions": [{"convicted_on": "2024-05-01", "offence": "TH68010",
                   "disposal": "Fine"}]}),
        ),
        message(
            "P-7",
            "MERPOL",
            "2026-03-01T08:00:00Z",
            "action_requested",
            json!({"action_id": "CHG-1", "action": "charging_decision", "owner": "CPSMER",
                   "due_on": "2026-03-08"}),
        ),
        message(
            "C-1",
            "CPSMER",
            "2026-03-08T13:00:00Z",
            "legal_advice",
            json!({"advice": "The full code test is met; charge theft."}),
        ),
        message(
            "C-2",
            "CPSMER",
            "2026-03-08T14:00:00Z",
            "charging_decision",
            json!({"decision": "charge", "offences": ["TH68010"]}),
        ),
        message(
            "P-6",
            "MERPOL",
            "2026-03-09T10:00:00Z",
            "charge",
            json!({"offences": [{"sequence": 1, "code": "TH68010", "wording": "Stole goods from a shop."}]}),
        ),
        message(
            "L-1",
            "LVCJC",
            "2026-03-09T16:00:00Z",
            "hearing_listed",
            json!({"hearing_id": "H-1", "court": "B05PK00", "starts_at": "2026-03-30T10:00:00Z",
                   "purpose": "first_appearance", "judge": "dj.roberts"}),
        ),
        message(
            "L-2",
            "LVCJC",
            "2026-03-30T11:00:00Z",
            "plea",
            json!({"offence_sequence": 1, "plea": "guilty"}),
        ),
        message(
            "L-3",
            "LVCJC",
            "2026-03-30T12:00:00Z",
            "action_requested",
            json!({"action_id": "PSR-1", "action": "pre_sentence_report", "owner": "PROBNW",
                   "due_on": "2026-04-20"}),
        ),
        message(
            "N-1",
            "PROBNW",
            "2026-04-18T15:00:00Z",
            "report_submitted",
            json!({"report": "pre_sentence_report", "action_id": "PSR-1",
                   "summary": "Proposal: community order with drug rehabilitation."}),
        ),
        message(
            "L-4",
            "LVCJC",
            "2026-04-27T12:00:00Z",
            "sentence",
            json!({"disposals": [{"code": "1116", "text": "Community order, 12 months"}],
                   "supervised_by_probation": true, "supervisor": "PROBNW"}),
        ),
        message(
            "N-2",
            "PROBNW",
            "2026-04-29T10:00:00Z",
            "referral",
            json!({"referral_id": "REF-1", "to": "VOLDRG", "service": "drugs", "due_on": "2026-05-13",
                   "person": person}),
        ),
        message(
            "N-3",
            "PROBNW",
            "2026-04-29T11:00:00Z",
            "health",
            json!({"kind": "drug_test", "result": "Positive for opiates at induction"}),
        ),
        message(
            "D-1",
            "VOLDRG",
            "2026-05-10T11:00:00Z",
            "support_progress",
            json!({"referral_id": "REF-1", "attendance": "attended", "engagement": "good"}),
        ),
        message(
            "L-5",
            "LVCJC",
            "2026-04-27T16:00:00Z",
            "hearing_listed",
            json!({"hearing_id": "H-2", "court": "B05PK00", "starts_at": "2030-07-29T10:00:00Z",
                   "purpose": "review", "judge": "dj.okafor"}),
        ),
    ]
}

pub(crate) fn types(case: &Value) -> Vec<String> {
    let mut types: Vec<String> = case["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["type"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    types.sort();
    types.dedup();
    types
}

/// The first item of `kind` a case shows.
fn item<'a>(case: &'a Value, kind: &str) -> Option<&'a Value> {
    case["items"]
        .as_array()?
        .iter()
        .find(|item| item["type"] == kind)
}

pub(crate) fn has(case: &Value, kind: &str) -> bool {
    types(case).iter().any(|t| t == kind)
}

#[tokio::test]
async fn a_probation_officer_never_sees_legal_advice_victim_details_or_intelligence() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    let probation = server.person("po.walsh").await;
    let (status, case) = probation.fetch(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    for withheld in [
        "legal_advice",
        "victim_witness",
        "intelligence",
        "police_file",
    ] {
        assert!(
            !has(&case, withheld),
            "{withheld} leaked: {:?}",
            types(&case)
        );
    }
    for seen in [
        "charge",
        "report_submitted",
        "health",
        "support_progress",
        "antecedents",
    ] {
        assert!(has(&case, seen), "{seen} missing: {:?}", types(&case));
    }
    let (_, timeline) = probation
        .fetch(&format!("/api/v1/cases/{id}/timeline"))
        .await;
    let text = timeline.to_string();
    assert!(
        !text.contains("Ince") && !text.contains("full code test"),
        "{text}"
    );
    assert_eq!(
        case["items"].as_array().map(Vec::len),
        timeline["entries"].as_array().map(Vec::len)
    );
}

#[tokio::test]
async fn a_support_worker_sees_their_referral_and_the_order_and_health_only_with_consent() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    let worker = server.person("sw.kaur").await;
    let path = format!("/api/v1/cases/{id}");
    let (status, case) = worker.fetch(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(types(&case), ["referral", "sentence", "support_progress"]);
    assert_eq!(
        case["defendant"]["family_name"], "Corlett",
        "the referral names the client"
    );
    assert_eq!(case["offences"], json!([]), "charges are not theirs to see");
    assert_eq!(case["event_count"], 3, "totals count only what they see");

    let consent = message(
        "N-4",
        "PROBNW",
        "2026-05-01T09:00:00Z",
        "consent_given",
        json!({"category": "health", "source": "Signed form at induction"}),
    );
    server.send_all(&[consent]).await;
    let (_, case) = worker.fetch(&path).await;
    assert!(
        has(&case, "health"),
        "consent shares health at once: {:?}",
        types(&case)
    );

    let withdrawn = message(
        "N-5",
        "PROBNW",
        "2026-05-20T09:00:00Z",
        "consent_withdrawn",
        json!({"category": "health", "source": "Told the probation officer"}),
    );
    server.send_all(&[withdrawn]).await;
    let (_, case) = worker.fetch(&path).await;
    assert!(!has(&case, "health"), "withdrawal stops it at once");

    let housing = server.person("sw.evans").await;
    let (status, _) = housing.fetch(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not their client");
}

#[tokio::test]
async fn judges_see_their_own_comments_and_never_another_judges() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    let roberts = server.person("dj.roberts").await;
    let okafor = server.person("dj.okafor").await;
    let comments = format!("/api/v1/cases/{id}/comments");
    for (judge, text) in [
        (&roberts, "Impressed by engagement so far."),
        (&okafor, "Ask about housing at review."),
    ] {
        let answer = judge
            .post(&comments, &json!({"text": text, "hearing_id": "H-2"}))
            .send()
            .await
            .expect("comment");
        assert_eq!(answer.status(), StatusCode::CREATED);
    }
    let (status, summary) = roberts
        .fetch(&format!("/api/v1/cases/{id}/hearing-summary"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let own: Vec<&str> = summary["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .filter_map(|c| c["payload"]["text"].as_str())
        .collect();
    assert_eq!(own, ["Impressed by engagement so far."]);
    assert!(
        summary["since_last_hearing"]["PROBNW"].is_array(),
        "{summary}"
    );
    assert!(!summary.to_string().contains("Ask about housing"));
    let (_, theirs) = okafor.fetch(&format!("/api/v1/cases/{id}")).await;
    let text = theirs.to_string();
    assert!(text.contains("Ask about housing") && !text.contains("Impressed by engagement"));
    assert!(!has(&theirs, "legal_advice") && !has(&theirs, "victim_witness"));
    assert!(
        has(&theirs, "police_file") && has(&theirs, "health"),
        "{:?}",
        types(&theirs)
    );

    let adviser = server.person("la.byrne").await;
    let (_, court) = adviser.fetch(&format!("/api/v1/cases/{id}")).await;
    assert!(!has(&court, "judicial_comment"));
    let (_, forbidden) = adviser
        .fetch(&format!("/api/v1/cases/{id}/hearing-summary"))
        .await;
    assert_eq!(forbidden["status"], 403);
    let system = server
        .get("LVCJC", &format!("/api/v1/cases/{id}"))
        .send()
        .await
        .expect("case");
    let system: Value = system.json().await.expect("json");
    assert!(
        !has(&system, "judicial_comment"),
        "no system sees a judge's comment"
    );
    let refused = adviser
        .post(&comments, &json!({"text": "A note"}))
        .send()
        .await
        .expect("post");
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "only judges comment"
    );
    let governance = server.person("ig.price").await;
    let (_, entries) = governance.fetch(&format!("/api/v1/cases/{id}/audit")).await;
    let authors: Vec<&Value> = entries
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "comment_written")
        .map(|e| &e["actor"])
        .collect();
    assert_eq!(
        authors,
        [
            &json!("user:dj.roberts@LVCJC"),
            &json!("user:dj.okafor@LVCJC")
        ]
    );
    assert!(
        !entries.to_string().contains("Impressed"),
        "the audit holds references only"
    );
}

#[tokio::test]
async fn a_judge_the_case_was_never_listed_before_cannot_find_it() {
    let server = TestServer::start().await;
    let mut messages = whole_case();
    messages.retain(|m| m["message_id"] != "L-5");
    let id = server.send_all(&messages).await;
    let okafor = server.person("dj.okafor").await;
    let (status, _) = okafor.fetch(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let comment = okafor
        .post(
            &format!("/api/v1/cases/{id}/comments"),
            &json!({"text": "Noted."}),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(comment.status(), StatusCode::NOT_FOUND);
}

/// The finding: the bench trying a case read the defendant's previous convictions and the
/// whole police file from the first listing. A listed judge sees the police file in summary,
/// and previous convictions only once the defendant is convicted on the case.
/// The whole case up to its plea, sent; the judge it is listed before, the case's address, the
/// whole case and where its plea is.
async fn tried_before_a_judge(server: &TestServer) -> (Person, String, Vec<Value>, usize) {
    let case = whole_case();
    let plea = case
        .iter()
        .position(|message| message["type"] == "plea")
        .expect("a plea");
    let id = server.send_all(&case[..plea]).await;
    let judge = server.person("dj.roberts").await;
    (judge, format!("/api/v1/cases/{id}"), case, plea)
}

#[tokio::test]
async fn the_bench_sees_previous_convictions_only_after_conviction() {
    let server = TestServer::start().await;
    let (judge, path, case, plea) = tried_before_a_judge(&server).await;
    let (status, before) = judge.fetch(&path).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert!(has(&before, "charge"), "{:?}", types(&before));
    assert!(!has(&before, "antecedents"), "{:?}", types(&before));
    let file = item(&before, "police_file").expect("the police file, in summary");
    assert_eq!(file["summary_only"], true);
    assert!(file["payload"]["detail"].is_null(), "{file}");
    assert!(!before.to_string().contains("Exhibit JS/1"), "{before}");
    // The guilty plea convicts: the bench now sees the record, the police file still in summary.
    server.send_all(&case[plea..=plea]).await;
    let (_, after) = judge.fetch(&path).await;
    assert!(has(&after, "antecedents"), "{:?}", types(&after));
    assert!(!after.to_string().contains("Exhibit JS/1"), "{after}");
}

#[tokio::test]
async fn the_bench_sees_previous_convictions_once_the_court_admits_bad_character() {
    let server = TestServer::start().await;
    let (judge, path, _, _) = tried_before_a_judge(&server).await;
    let ruling = |id: &str, agency: &str, admitted: bool| {
        let at = if id == "L-BC2" {
            "2026-03-30T10:45:00Z"
        } else {
            "2026-03-30T10:30:00Z"
        };
        message(
            id,
            agency,
            at,
            "bad_character_ruling",
            json!({ "admitted": admitted }),
        )
    };
    // Only a court may rule: the police asserting it are refused, and nothing opens.
    let refused = server
        .post("MERPOL", ruling("P-BC", "MERPOL", true).to_string())
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let (_, before) = judge.fetch(&path).await;
    assert!(!has(&before, "antecedents"), "{:?}", types(&before));
    // The court admits the evidence: the bench trying the case may read the record.
    server.send_all(&[ruling("L-BC1", "LVCJC", true)]).await;
    let (_, admitted) = judge.fetch(&path).await;
    assert!(has(&admitted, "antecedents"), "{:?}", types(&admitted));
    let html = judge.page(path.trim_start_matches("/api/v1")).await.1;
    assert!(
        html.contains("Evidence of bad character admitted"),
        "{html}"
    );
    // A later ruling refusing it (on reconsideration) closes the record again.
    server.send_all(&[ruling("L-BC2", "LVCJC", false)]).await;
    let (_, refused) = judge.fetch(&path).await;
    assert!(!has(&refused, "antecedents"), "{:?}", types(&refused));
}

#[tokio::test]
async fn court_staff_see_the_police_file_in_summary_only() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    let adviser = server.person("la.byrne").await;
    let (_, case) = adviser.fetch(&format!("/api/v1/cases/{id}")).await;
    let file = item(&case, "police_file").expect("the police file, in summary");
    assert_eq!(file["summary_only"], true);
    assert_eq!(
        file["payload"]["summary"],
        "CCTV places the suspect at the shop."
    );
    assert!(file["payload"]["detail"].is_null());
    let prosecutor = server.person("cps.shah").await;
    let (_, case) = prosecutor.fetch(&format!("/api/v1/cases/{id}")).await;
    let file = item(&case, "police_file").expect("the police file");
    assert_eq!(
        file["payload"]["detail"],
        "Exhibit JS/1, camera 3, 14:02 to 14:09."
    );
    assert!(has(&case, "legal_advice") && has(&case, "victim_witness"));
    assert!(
        has(&case, "report_submitted"),
        "after conviction the CPS sees the report"
    );
}

#[tokio::test]
async fn an_agency_not_on_the_case_gets_not_found_exactly_as_for_no_case() {
    let server = TestServer::start().await;
    let police_only: Vec<Value> = whole_case().into_iter().take(5).collect();
    let id = server.send_all(&police_only).await;
    let prosecutor = server.person("cps.shah").await;
    let (status, refused) = prosecutor.fetch(&format!("/api/v1/cases/{id}")).await;
    let (_, missing) = prosecutor
        .fetch("/api/v1/cases/01900000-0000-7000-8000-000000000000")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(refused, missing);
    let (_, by_urn) = prosecutor
        .fetch(&format!("/api/v1/cases/by-urn/{URN}"))
        .await;
    let (_, no_urn) = prosecutor.fetch("/api/v1/cases/by-urn/05AA9999926").await;
    assert_eq!(by_urn, no_urn);
    assert_eq!(by_urn["status"], 404);
    for nobody in ["mgr.lewis", "ig.price", "admin.moss"] {
        let person = server.person(nobody).await;
        let (status, _) = person.fetch(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{nobody} sees no case data");
    }
}

#[tokio::test]
async fn breaking_glass_opens_a_category_for_a_time_and_is_listed_for_governance() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    let probation = server.person("po.walsh").await;
    let glass = format!("/api/v1/cases/{id}/break-glass");
    let granted = probation
        .post(&glass, &json!({"category": "police_file", "reason": "Risk assessment needs the custody record"}))
        .send()
        .await
        .expect("break glass");
    assert_eq!(granted.status(), StatusCode::CREATED);
    let (_, case) = probation.fetch(&format!("/api/v1/cases/{id}")).await;
    assert!(has(&case, "police_file"));
    for never in ["legal_advice", "judicial_comment"] {
        let refused = probation
            .post(&glass, &json!({"category": never, "reason": "Curious"}))
            .send()
            .await
            .expect("break glass");
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::CONFLICT].contains(&refused.status()),
            "{never}: {}",
            refused.status()
        );
    }
    let (_, case) = probation.fetch(&format!("/api/v1/cases/{id}")).await;
    assert!(!has(&case, "legal_advice"));
    let no_reason = probation
        .post(&glass, &json!({"category": "intelligence", "reason": ""}))
        .send()
        .await
        .expect("post");
    let problem: Value = no_reason.json().await.expect("json");
    assert_eq!(problem["errors"][0]["field"], "reason");

    let governance = server.person("ig.price").await;
    let (status, grants) = governance.fetch("/api/v1/governance/break-glass").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(grants[0]["username"], "po.walsh");
    assert_eq!(grants[0]["category"], "police_file");
    let (status, _) = probation.fetch("/api/v1/governance/break-glass").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn only_governance_officers_may_ask_who_has_seen_a_case() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    let probation = server.person("po.walsh").await;
    probation.fetch(&format!("/api/v1/cases/{id}")).await;
    let governance = server.person("ig.price").await;
    let (status, entries) = governance.fetch(&format!("/api/v1/cases/{id}/audit")).await;
    assert_eq!(status, StatusCode::OK);
    let read = entries
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["actor"] == "user:po.walsh@PROBNW" && e["action"] == "case_read")
        .expect("the probation officer's read");
    assert!(
        read["detail"]["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty())
    );
    assert!(
        read["detail"]["policies"]
            .as_array()
            .is_some_and(|p| p.iter().any(|id| id == "case-core-team"))
    );
    assert!(
        !entries.to_string().contains("Corlett"),
        "references, not personal data"
    );
    for other in ["po.walsh", "mgr.lewis", "dj.roberts"] {
        let person = server.person(other).await;
        let (status, _) = person.fetch(&format!("/api/v1/cases/{id}/audit")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{other}");
    }
    let (_, matrix) = governance.fetch("/api/v1/governance/policy-matrix").await;
    assert!(
        matrix["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("| legal_advice | no | own |"))
    );
}

/// The CPS asks the police for the full file with a note, and the police report it done with
/// one: free text between those two agencies.
fn notes_between_the_cps_and_the_police() -> Vec<Value> {
    vec![
        message(
            "C-9",
            "CPSMER",
            "2026-03-10T09:00:00Z",
            "action_requested",
            json!({"action_id": "FF-1", "action": "full_file", "owner": "MERPOL",
                   "due_on": "2026-03-24", "note": "Guilty plea anticipated; statements only."}),
        ),
        message(
            "P-9",
            "MERPOL",
            "2026-03-20T09:00:00Z",
            "action_completed",
            json!({"action_id": "FF-1", "note": "Store manager's statement is unsigned."}),
        ),
    ]
}

/// The request and its completion as `case` shows them: (note, note withheld) of each.
fn notes_seen(case: &Value) -> Vec<(Value, Value)> {
    case["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|item| item["payload"]["action_id"] == "FF-1")
        .map(|item| {
            (
                item["payload"]["note"].clone(),
                item["note_withheld"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_note_on_a_request_for_work_is_read_by_the_two_agencies_party_to_it_alone() {
    let server = TestServer::start().await;
    let mut case = whole_case();
    let plea = case
        .iter()
        .position(|message| message["type"] == "plea")
        .expect("a plea");
    case.splice(plea..plea, notes_between_the_cps_and_the_police());
    let id = server.send_all(&case).await;
    let asked = json!("Guilty plea anticipated; statements only.");
    let answered = json!("Store manager's statement is unsigned.");
    let path = format!("/api/v1/cases/{id}");
    for party in ["cps.shah", "pc.hughes"] {
        let (_, seen) = server.person(party).await.fetch(&path).await;
        assert_eq!(
            notes_seen(&seen),
            vec![
                (asked.clone(), Value::Null),
                (answered.clone(), Value::Null)
            ],
            "{party}"
        );
    }
    // Everyone else on the case sees that the file was asked for and delivered, and that there
    // is a note not shared with them; never its words.
    for outsider in ["la.byrne", "po.walsh", "dj.roberts"] {
        let (status, seen) = server.person(outsider).await.fetch(&path).await;
        assert_eq!(status, StatusCode::OK, "{outsider}");
        assert_eq!(
            notes_seen(&seen),
            vec![(Value::Null, json!(true)), (Value::Null, json!(true))],
            "{outsider}"
        );
        assert!(!seen.to_string().contains("plea anticipated"), "{outsider}");
        assert!(!seen.to_string().contains("unsigned"), "{outsider}");
    }
    // The judge's one-screen summary and case page say so in words.
    let judge = server.person("dj.roberts").await;
    for page in [format!("/cases/{id}/hearing"), format!("/cases/{id}")] {
        let (status, html) = judge.page(&page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(!html.contains("plea anticipated"), "{page}");
        assert!(!html.contains("unsigned"), "{page}");
    }
    let (_, html) = judge.page(&format!("/cases/{id}")).await;
    assert!(html.contains("its note is not shared with you"), "{html}");
    // The agencies' systems, through the change feed: the CPS reads the police's answer to its
    // request (a case looked up to find who asked), probation reads neither.
    for (agency, expected) in [
        ("CPSMER", vec![Some(asked.clone()), Some(answered.clone())]),
        ("MERPOL", vec![Some(asked.clone()), Some(answered.clone())]),
        ("PROBNW", vec![None, None]),
    ] {
        let (status, page) = server.fetch(agency, "/api/v1/feed?limit=500").await;
        assert_eq!(status, StatusCode::OK, "{agency}: {page}");
        let notes: Vec<Option<Value>> = page["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|change| change["payload"]["action_id"] == "FF-1")
            .map(|change| {
                let note = &change["payload"]["note"];
                assert_eq!(
                    change["note_withheld"].as_bool().unwrap_or(false),
                    note.is_null(),
                    "{agency}: {change}"
                );
                (!note.is_null()).then(|| note.clone())
            })
            .collect();
        assert_eq!(notes, expected, "{agency}");
    }
}

/// The finding: a pre-sentence report showed "Overdue" to the police and "Completed" to the
/// CPS, and what a reader may not see showed as if it did not exist.
#[tokio::test]
async fn an_action_has_one_state_for_all_and_withheld_is_said_not_shown_as_absent() {
    let server = TestServer::start().await;
    let id = server.send_all(&whole_case()).await;
    // The report that completed the court's request is in a category the police may not see;
    // the request they see is completed, for them as for everyone.
    for reader in ["pc.hughes", "cps.shah", "la.byrne", "po.walsh"] {
        let (_, case) = server
            .person(reader)
            .await
            .fetch(&format!("/api/v1/cases/{id}"))
            .await;
        let psr = case["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|action| action["action_id"] == "PSR-1")
            .unwrap_or_else(|| panic!("{reader} sees the request: {case}"));
        assert_eq!(psr["state"], "completed", "{reader}: {psr}");
    }
    let police = server.person("pc.hughes").await;
    let (_, page) = police.page(&format!("/cases/{id}")).await;
    assert!(
        !page.contains("Proposal: community order"),
        "the report stays in its category"
    );
    // The drug service's worker is not shown the review hearing: she is told it is not shared
    // with her, not that none is listed.
    let worker = server.person("sw.kaur").await;
    for path in ["/".to_owned(), format!("/cases/{id}")] {
        let (status, page) = worker.page(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(page.contains("Not shared with you"), "{path}: {page}");
        assert!(
            !page.contains("None listed</td>") && !page.contains("None listed</dd>"),
            "{path}: {page}"
        );
    }
    // Probation's list of the review day: the police file is not shared with probation, and
    // says so; the court's staff see it in.
    let probation = server.person("po.walsh").await;
    let (_, list) = probation.page("/court-list?date=2030-07-29").await;
    assert!(list.contains("Police file: not shared with you"), "{list}");
    assert!(!list.contains("No police file"), "{list}");
    let (_, list) = server
        .person("la.byrne")
        .await
        .page("/court-list?date=2030-07-29")
        .await;
    assert!(list.contains("Police file in"), "{list}");
}
