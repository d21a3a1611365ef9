//! The event store on a real SQLite file: arrival order does not change a case, messages are
//! append-only, and retractions take effect by a new message, not by an edit.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use joinery::model_office::{Dice, case_messages};
use joinery_domain::{CanonicalMessage, CaseState, OrderKey, Submission, Timestamp};
use joinery_ports::{AppendOutcome, CaseLookup, CaseStore};
use joinery_store::SqlStore;

use crate::support::database::{TestDatabase, on_postgres};
use proptest::prelude::*;

fn submission(message: &CanonicalMessage) -> Submission {
    let text = serde_json::to_string(message).expect("serializes");
    joinery_ingest::parse_message(&message.agency, &text).expect("model office messages are valid")
}

fn model_cases(cases: u32, seed: u64) -> Vec<Vec<CanonicalMessage>> {
    let today = Timestamp::now().date();
    let mut dice = Dice::new(seed);
    (1..=cases)
        .filter_map(|n| case_messages(n, today, &mut dice))
        .collect()
}

/// Appends `messages` in the given order and batch sizes; returns each case's state by URN or ASN.
async fn states_after(
    messages: &[CanonicalMessage],
    batch_sizes: &[usize],
) -> BTreeMap<String, CaseState> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = TestDatabase::fresh(dir.path());
    let store = SqlStore::open_at(&db.location()).await.expect("open");
    let mut rest = messages;
    let mut sizes = batch_sizes.iter().cycle();
    while !rest.is_empty() {
        let size = (*sizes.next().unwrap_or(&1)).clamp(1, rest.len());
        let (batch, tail) = rest.split_at(size);
        let outcomes = store
            .append(batch.iter().map(submission).collect())
            .await
            .expect("append");
        assert!(
            outcomes
                .iter()
                .all(|o| matches!(o, AppendOutcome::Accepted { .. })),
            "{outcomes:?}"
        );
        rest = tail;
    }
    let mut states = BTreeMap::new();
    for message in messages {
        let asn = message
            .case
            .asn
            .clone()
            .expect("model office cases carry an ASN");
        let id = store
            .find_case(CaseLookup::Asn(asn.clone()))
            .await
            .expect("find")
            .expect("case exists");
        let record = store.case(id).await.expect("read").expect("case exists");
        states.insert(asn.to_string(), record.state);
    }
    store.close().await;
    states
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever order the agencies' messages arrive in, and however they are batched, each case
    /// ends in the state its events give when folded in the order they happened.
    #[test]
    fn arrival_order_does_not_change_a_case(seed in 1u64..u64::MAX, order in 1u64..u64::MAX, batch_sizes in proptest::collection::vec(1usize..7, 1..5)) {
        let cases = model_cases(6, seed);
        let mut shuffled: Vec<CanonicalMessage> = cases.iter().flatten().cloned().collect();
        let mut dice = Dice::new(order);
        for i in (1..shuffled.len()).rev() {
            let j = usize::try_from(dice.below(i as u64 + 1)).unwrap_or(0);
            shuffled.swap(i, j);
        }
        let states = runtime().block_on(states_after(&shuffled, &batch_sizes));
        for case in &cases {
            let asn = case[0].case.asn.clone().expect("asn").to_string();
            let expected = CaseState::from_events(case);
            prop_assert_eq!(states.get(&asn), Some(&expected));
        }
    }
}

#[test]
fn folding_in_order_equals_replaying() {
    for mut case in model_cases(60, 7) {
        case.sort_by_key(OrderKey::of);
        let mut folded = CaseState::default();
        for message in &case {
            assert!(folded.can_fold_on(message));
            folded.fold(message);
        }
        assert_eq!(folded, CaseState::from_events(&case));
    }
}

#[tokio::test]
async fn stored_messages_cannot_be_altered_or_deleted() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = TestDatabase::fresh(dir.path());
    let store = SqlStore::open_at(&db.location()).await.expect("open");
    let case = model_cases(1, 3).remove(0);
    store
        .append(case.iter().map(submission).collect())
        .await
        .expect("append");
    store.close().await;
    let mut statements = vec!["UPDATE messages SET body = '{}'", "DELETE FROM messages"];
    if on_postgres() {
        statements.push("TRUNCATE messages");
    }
    for statement in statements {
        let message = db.execute_directly(statement).err().unwrap_or_default();
        assert!(message.contains("append-only"), "{statement}: {message}");
    }
}

#[tokio::test]
async fn problems_are_stored_in_the_transaction_that_stores_their_message() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = TestDatabase::fresh(dir.path());
    let store = SqlStore::open_at(&db.location()).await.expect("open");
    let message = |id: &str, kind: &str, payload: serde_json::Value| {
        let text = serde_json::json!({"message_id": id, "agency": "LVCJC", "system": "Libra",
            "occurred_at": "2026-03-20T11:00:00Z", "case": {"urn": "05AA7777726"},
            "type": kind, "payload": payload})
        .to_string();
        joinery_ingest::parse_message(
            &joinery_domain::AgencyCode::parse("LVCJC").expect("code"),
            &text,
        )
        .expect("valid")
    };
    let charge = message(
        "Q-1",
        "charge",
        serde_json::json!({"offences": [{"sequence": 1, "code": "TH68006", "wording": "Stole a bicycle."}]}),
    );
    let noted = joinery_domain::QualityProblem {
        code: "offence-code-unknown".into(),
        field: "payload.offences[0].code".into(),
        value: "TH68006".into(),
        explanation: "noted on the way in".into(),
    };
    let result = message(
        "Q-2",
        "hearing_result",
        serde_json::json!({"hearing_id": "H-Q", "results": [
            {"offence_sequence": 9, "code": "1015", "text": "Fined"}]}),
    );
    let outcomes = store
        .append(vec![charge.with_problems(vec![noted.clone()]), result])
        .await
        .expect("append");
    let problems: Vec<Vec<String>> = outcomes
        .iter()
        .map(|outcome| match outcome {
            AppendOutcome::Accepted { problems, .. } => {
                problems.iter().map(|p| p.code.clone()).collect()
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        problems,
        [
            vec!["offence-code-unknown"],
            vec!["result-for-unknown-offence"]
        ],
        "the store answers with what it recorded"
    );
    let listed = store
        .exceptions(joinery_domain::AgencyCode::parse("LVCJC").expect("code"))
        .await
        .expect("exceptions");
    let mut codes: Vec<&str> = listed.iter().map(|e| e.problem.code.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        ["offence-code-unknown", "result-for-unknown-offence"],
        "no second write was needed"
    );
}

#[tokio::test]
async fn a_retraction_withdraws_an_earlier_message_without_editing_it() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = TestDatabase::fresh(dir.path());
    let store: Arc<dyn CaseStore> =
        Arc::new(SqlStore::open_at(&db.location()).await.expect("open"));
    let example = |name: &str| {
        let text = crate::support::fixtures::example("messages", name);
        let agency = serde_json::from_str::<serde_json::Value>(&text).expect("json")["agency"]
            .as_str()
            .expect("agency")
            .to_owned();
        joinery_ingest::parse_message(
            &joinery_domain::AgencyCode::parse(&agency).expect("code"),
            &text,
        )
        .expect("valid")
    };
    let outcomes = store
        .append(vec![example("arrest.json"), example("bail.json")])
        .await
        .expect("append");
    let AppendOutcome::Accepted { case_id, .. } = outcomes[1].clone() else {
        panic!("{outcomes:?}")
    };
    let before = store.case(case_id).await.expect("read").expect("case");
    assert!(before.state.bail.is_some());
    store
        .append(vec![example("retraction.json")])
        .await
        .expect("append");
    let after = store.case(case_id).await.expect("read").expect("case");
    assert_eq!(after.state.bail, None);
    assert_eq!(
        store.timeline(case_id).await.expect("timeline").len(),
        3,
        "the retracted message is kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_senders_share_commits_and_each_gets_its_own_answers() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = TestDatabase::fresh(dir.path());
    let store: Arc<dyn CaseStore> =
        Arc::new(SqlStore::open_at(&db.location()).await.expect("open"));
    let cases = model_cases(40, 11);
    let mut senders = Vec::new();
    for case in cases.clone() {
        let store = Arc::clone(&store);
        senders.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            for message in &case {
                answers.extend(
                    store
                        .append(vec![submission(message)])
                        .await
                        .expect("append"),
                );
            }
            answers
        }));
    }
    for (case, sender) in cases.iter().zip(senders) {
        let answers = sender.await.expect("sender");
        assert_eq!(answers.len(), case.len());
        let ids: BTreeSet<_> = answers
            .iter()
            .map(|answer| match answer {
                AppendOutcome::Accepted { case_id, .. } => *case_id,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(ids.len(), 1, "one case's messages land on one case");
        let id = ids.into_iter().next().expect("case");
        let record = store.case(id).await.expect("read").expect("case");
        assert_eq!(record.state, CaseState::from_events(case));
    }
}

#[tokio::test]
async fn states_folded_under_older_rules_are_folded_again_on_open() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("store.sqlite");
    let store = SqlStore::open(&path).await.expect("open");
    let cases = model_cases(1, 0xF01D);
    store
        .append(cases[0].iter().map(submission).collect())
        .await
        .expect("append");
    store.close().await;
    // As a store kept under the old rules would have it: an agency that only cited the case
    // on its team, in the state and in the caseload index.
    let connection = rusqlite::Connection::open(&path).expect("open");
    let stale: String = connection
        .query_row("SELECT state FROM cases", [], |row| row.get(0))
        .expect("state");
    let mut stale: CaseState = serde_json::from_str(&stale).expect("state");
    let truth = stale.clone();
    stale
        .agencies
        .insert(joinery_domain::AgencyCode::parse("VOLHSG").expect("code"));
    connection
        .execute(
            "UPDATE cases SET state = ?1",
            [serde_json::to_string(&stale).expect("json")],
        )
        .expect("update");
    connection
        .execute_batch(
            "INSERT INTO case_agencies (agency, case_no) SELECT 'VOLHSG', case_no FROM cases; \
             UPDATE projection SET version = 0;",
        )
        .expect("stale");
    drop(connection);

    let store = SqlStore::open(&path).await.expect("reopen");
    let id = store
        .agency_case_histories(joinery_domain::AgencyCode::parse("MERPOL").expect("code"))
        .await
        .expect("read")[0]
        .0
        .id;
    let record = store.case(id).await.expect("read").expect("case");
    assert_eq!(record.state.agencies, truth.agencies);
    assert_eq!(
        facts_in_feed(&store).await,
        joinery_domain::CaseFacts::of(&truth),
        "what decisions rest on is folded again with the state"
    );
    assert!(
        store
            .agency_case_histories(joinery_domain::AgencyCode::parse("VOLHSG").expect("code"))
            .await
            .expect("read")
            .is_empty(),
        "the caseload index follows"
    );
    store.close().await;
}

/// What sharing decisions rest on about the case of the police force's first feed change.
async fn facts_in_feed(store: &SqlStore) -> joinery_domain::CaseFacts {
    let police = joinery_domain::AgencyCode::parse("MERPOL").expect("code");
    let feed = store
        .agency_changes_after(police, joinery_domain::Sequence::START, 1)
        .await
        .expect("feed");
    feed.into_iter().next().expect("a change").1
}

#[tokio::test]
async fn a_case_kept_before_its_facts_were_has_them_taken_from_its_state() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("store.sqlite");
    let store = SqlStore::open(&path).await.expect("open");
    let cases = model_cases(1, 0xFAC7);
    store
        .append(cases[0].iter().map(submission).collect())
        .await
        .expect("append");
    let id = store
        .agency_case_histories(joinery_domain::AgencyCode::parse("MERPOL").expect("code"))
        .await
        .expect("read")[0]
        .0
        .id;
    let kept = facts_in_feed(&store).await;
    let state = store.case(id).await.expect("read").expect("case").state;
    assert_eq!(kept, joinery_domain::CaseFacts::of(&state));
    store.close().await;
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute("UPDATE cases SET facts = NULL", [])
        .expect("as before the column");
    let store = SqlStore::open(&path).await.expect("reopen");
    assert_eq!(facts_in_feed(&store).await, kept);
    store.close().await;
}

#[tokio::test]
async fn every_query_that_serves_a_page_reads_by_index() {
    // On either engine: SQLite's plans, or PostgreSQL's generic plans with sequential scans
    // priced out (an empty database would otherwise be scanned, rightly, for every query).
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = TestDatabase::fresh(dir.path());
    SqlStore::open_at(&db.location())
        .await
        .expect("open")
        .close()
        .await;
    let plans = joinery_store::query_plans(&db.location()).expect("plans");
    for needed in [
        "caseload: rows by latest item",
        "court list: an agency's day",
        "who has seen a case",
        "feed: the next page",
    ] {
        assert!(plans.iter().any(|plan| plan.serves == needed), "{needed}");
    }
    for plan in &plans {
        assert!(!plan.steps.is_empty(), "{}: no plan", plan.serves);
        assert!(plan.uses_indexes(), "{}: {:?}", plan.serves, plan.steps);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_messages_sent_to_two_servers_at_once_are_each_stored_once() {
    // Two servers on one database (two stores, each with its own writer), every message of
    // twenty cases sent to both at once: each is stored once and answered `duplicate` by the
    // server that came second, and the two read the same cases.
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = TestDatabase::fresh(dir.path());
    let first = Arc::new(SqlStore::open_at(&db.location()).await.expect("open"));
    let second = Arc::new(SqlStore::open_at(&db.location()).await.expect("open"));
    let messages: Vec<CanonicalMessage> = model_cases(20, 5).into_iter().flatten().collect();
    let mut sending = Vec::new();
    for message in &messages {
        for store in [&first, &second] {
            let (store, submission) = (Arc::clone(store), submission(message));
            sending.push(tokio::spawn(async move {
                store.append(vec![submission]).await.expect("append")
            }));
        }
    }
    let mut accepted = 0;
    let mut duplicates = 0;
    for sent in sending {
        match sent.await.expect("sender").as_slice() {
            [AppendOutcome::Accepted { .. }] => accepted += 1,
            [AppendOutcome::Duplicate { .. }] => duplicates += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((accepted, duplicates), (messages.len(), messages.len()));
    assert_eq!(
        db.number("SELECT COUNT(*) FROM messages"),
        i64::try_from(messages.len()).expect("a count")
    );
    let asn = messages[0].case.asn.clone().expect("an ASN");
    let id = first
        .find_case(CaseLookup::Asn(asn))
        .await
        .expect("find")
        .expect("a case");
    assert_eq!(
        first.case_history(id).await.expect("read"),
        second.case_history(id).await.expect("read")
    );
    first.close().await;
    second.close().await;
}
