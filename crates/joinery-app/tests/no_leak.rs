//! No leak, no loss: for random cases, events and readers, the items a reader is shown are
//! exactly those the policy allows when asked about each item on its own — none more, none
//! fewer — and what is folded into the case state comes from those items alone.

use std::collections::BTreeSet;
use std::path::Path;

use joinery_app::disclose;
use joinery_domain::{
    AgencyCode, AgencyKind, CanonicalMessage, CaseFacts, CaseState, Category, ItemFacts, Role,
    Sequence, Timestamp, Username,
};
use joinery_policy::{Access, Reader, SharingPolicy};
use joinery_ports::TimelineEntry;
use proptest::prelude::*;
use serde_json::{Value, json};

const AGENCIES: [(&str, AgencyKind); 8] = [
    ("MERPOL", AgencyKind::Police),
    ("CHSPOL", AgencyKind::Police),
    ("CPSMER", AgencyKind::Cps),
    ("LVCJC", AgencyKind::Court),
    ("PROBNW", AgencyKind::Probation),
    ("PROBNE", AgencyKind::Probation),
    ("VOLDRG", AgencyKind::Voluntary),
    ("VOLHSG", AgencyKind::Voluntary),
];
const JUDGES: [&str; 3] = ["dj.roberts", "dj.okafor", "dj.mensah"];

/// Every example message except the retraction (retractions are decided by what they retract),
/// and a judge's comment.
fn templates() -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/messages");
    let mut templates: Vec<Value> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| std::fs::read_to_string(entry.path()).unwrap_or_else(|e| panic!("{e}")))
        .map(|text| serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}")))
        .filter(|value: &Value| value["type"] != "retraction")
        .collect();
    templates.sort_by_key(|value| value["type"].as_str().map(str::to_owned));
    templates.push(
        json!({"message_id": "x", "agency": "LVCJC", "system": "Joinery",
        "occurred_at": "2026-01-01T00:00:00Z", "case": {"urn": "05AA1234526"},
        "type": "judicial_comment", "payload": {"author": "dj.roberts", "text": "A note."}}),
    );
    templates
}

/// One generated event: which template, sent by which agency, naming which agency or judge
/// where the template names one.
#[derive(Debug, Clone)]
struct EventChoice {
    template: usize,
    agency: usize,
    other_agency: usize,
    judge: Option<usize>,
}

fn event_choice(templates: usize) -> impl Strategy<Value = EventChoice> {
    (
        0..templates,
        0..AGENCIES.len(),
        0..AGENCIES.len(),
        proptest::option::of(0..JUDGES.len()),
    )
        .prop_map(|(template, agency, other_agency, judge)| EventChoice {
            template,
            agency,
            other_agency,
            judge,
        })
}

#[derive(Debug, Clone)]
struct ReaderChoice {
    role: usize,
    agency: usize,
    judge: usize,
    system: bool,
}

fn reader_choice() -> impl Strategy<Value = ReaderChoice> {
    (
        0..Role::ALL.len(),
        0..AGENCIES.len(),
        0..JUDGES.len(),
        any::<bool>(),
    )
        .prop_map(|(role, agency, judge, system)| ReaderChoice {
            role,
            agency,
            judge,
            system,
        })
}

fn build_event(templates: &[Value], index: usize, choice: &EventChoice) -> CanonicalMessage {
    let mut value = templates[choice.template].clone();
    let (agency, _) = AGENCIES[choice.agency];
    let (other, _) = AGENCIES[choice.other_agency];
    value["message_id"] = json!(format!("M-{index}"));
    value["agency"] = json!(agency);
    value["occurred_at"] = json!(format!(
        "2026-01-01T{:02}:{:02}:00Z",
        index / 60,
        index % 60
    ));
    let kind = value["type"].as_str().unwrap_or_default().to_owned();
    let payload = &mut value["payload"];
    if payload.get("owner").is_some() {
        payload["owner"] = json!(other);
    }
    if payload.get("to").is_some() {
        payload["to"] = json!(other);
    }
    if kind == "hearing_listed" {
        payload["judge"] = choice.judge.map_or(Value::Null, |j| json!(JUDGES[j]));
    }
    if kind == "judicial_comment" {
        payload["author"] = json!(JUDGES[choice.judge.unwrap_or(0)]);
    }
    serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"))
}

fn build_reader(choice: &ReaderChoice) -> Reader {
    let role = Role::ALL[choice.role];
    let candidates: Vec<&(&str, AgencyKind)> = AGENCIES
        .iter()
        .filter(|(_, kind)| role.agency_kind().is_none_or(|k| k == *kind))
        .collect();
    let (code, kind) = candidates[choice.agency % candidates.len()];
    let agency = AgencyCode::parse(code).unwrap_or_else(|e| panic!("{e}"));
    if choice.system {
        Reader::system(agency, *kind)
    } else {
        let name = if role == Role::Judge {
            JUDGES[choice.judge]
        } else {
            "someone"
        };
        Reader::user(
            Username::parse(name).unwrap_or_else(|e| panic!("{e}")),
            agency,
            *kind,
            role,
        )
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn a_reader_sees_exactly_the_items_the_policy_allows(
        events in proptest::collection::vec(event_choice(26), 1..40),
        reader in reader_choice(),
        glass in proptest::collection::btree_set(0..Category::ALL.len(), 0..3),
    ) {
        let templates = templates();
        prop_assume!(events.iter().all(|e| e.template < templates.len()));
        // One policy for every case generated, so that decisions remembered from other cases
        // and readers are in play, as in a running server.
        let policy = shared_policy();
        let messages: Vec<CanonicalMessage> = events
            .iter()
            .enumerate()
            .map(|(index, choice)| build_event(&templates, index, choice))
            .collect();
        let state = CaseState::from_events(&messages);
        let reader = build_reader(&reader);
        let glass: BTreeSet<Category> = glass.into_iter().map(|i| Category::ALL[i]).collect();
        let entries: Vec<TimelineEntry> = messages
            .iter()
            .zip(1..)
            .map(|(event, sequence)| TimelineEntry {
                sequence: Sequence::new(sequence),
                received_at: Timestamp::now(),
                event: event.clone(),
            })
            .collect();

        let (items, disclosure) = disclose(policy, &reader, &state, &glass, entries.clone())
            .unwrap_or_else(|e| panic!("{e}"));

        let facts = CaseFacts::of(&state);
        let mut expected = BTreeSet::new();
        let oracle = SharingPolicy::builtin();
        for entry in &entries {
            // Asked of Cedar afresh for every item: nothing remembered between items.
            oracle.forget_decisions();
            let mut alone = oracle.case_access(&reader, &facts, &glass).unwrap_or_else(|e| panic!("{e}"));
            let access = alone.decide(&ItemFacts::of(&entry.event)).unwrap_or_else(|e| panic!("{e}")).access;
            if access != Access::Withheld {
                expected.insert((entry.sequence, access == Access::Summary));
            }
        }
        let shown: BTreeSet<(Sequence, bool)> = items.iter().map(|i| (i.sequence, i.summary_only)).collect();
        prop_assert_eq!(&shown, &expected);
        prop_assert_eq!(disclosure.items.len() + disclosure.summaries.len(), items.len());
        for item in &items {
            if item.summary_only {
                let summarised = item.event.payload.summarised();
                prop_assert_eq!(&item.event.payload, &summarised);
            }
            if item.category == Category::JudicialComment {
                let author = ItemFacts::of(&item.event).author;
                let reader_name = match &reader.id {
                    joinery_policy::ReaderId::User(name) => Some(name.clone()),
                    joinery_policy::ReaderId::System => None,
                };
                prop_assert_eq!(author, reader_name, "a comment is shown to its author alone");
            }
        }
        let view = joinery_app::CaseView::assemble(state_id(), items, &state, Timestamp::now());
        prop_assert_eq!(view.state.event_count as usize, view.items.len());
        let named_by_items = view.state.agencies.iter().all(|agency| {
            view.items.iter().any(|item| {
                &item.event.agency == agency || item.event.payload.assigned_agencies().contains(agency)
            })
        });
        prop_assert!(named_by_items, "the team shown names only agencies of visible items");
    }
}

fn shared_policy() -> &'static SharingPolicy {
    static POLICY: std::sync::OnceLock<SharingPolicy> = std::sync::OnceLock::new();
    POLICY.get_or_init(SharingPolicy::builtin)
}

fn state_id() -> joinery_domain::CaseId {
    joinery_domain::CaseId::generate()
}
