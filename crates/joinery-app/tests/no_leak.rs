//! No leak, no loss: for random cases, events and readers, the items a reader is shown are
//! exactly those the policy allows when asked about each item on its own — none more, none
//! fewer — and what is folded into the case state comes from those items alone. And the
//! caseload read model holds, for a reader's class, exactly what that reader's own view shows,
//! under more than one policy set.

use std::collections::BTreeSet;
use std::path::Path;

use joinery_app::disclose;
use joinery_domain::{
    AgencyCode, AgencyKind, CanonicalMessage, CaseFacts, CaseState, Category, ItemFacts, NoteFacts,
    Role, Sequence, Timestamp, Username,
};
use joinery_policy::{Access, PolicyFile, PolicySources, Reader, SharingPolicy};
use joinery_ports::{CaseRecord, ReaderClass, TimelineEntry};
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
        events in proptest::collection::vec(event_choice(27), 1..40),
        reader in reader_choice(),
        glass in proptest::collection::btree_set(0..Category::ALL.len(), 0..3),
    ) {
        let templates = templates();
        prop_assume!(events.iter().all(|e| e.template < templates.len()));
        // One policy for every case generated, so that decisions remembered from other cases
        // and readers are in play, as in a running server.
        let policy = shared_policy();
        let (state, entries) = case_of(&templates, &events);
        let reader = build_reader(&reader);
        let glass: BTreeSet<Category> = glass.into_iter().map(|i| Category::ALL[i]).collect();

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
            // A note on a request for work is shown exactly when the agreement, asked about that
            // note alone, lets the reader read it, and only ever to an agency party to the
            // request; otherwise it is said to be withheld.
            let original = entries.iter().find(|entry| entry.sequence == item.sequence).map(|entry| &entry.event);
            if let Some(note) = original.and_then(|event| NoteFacts::in_case(event, &state)) {
                oracle.forget_decisions();
                let allowed = oracle
                    .case_access(&reader, &facts, &BTreeSet::new())
                    .and_then(|mut alone| alone.decide_notes(std::slice::from_ref(&note)))
                    .unwrap_or_else(|e| panic!("{e}"))[0]
                    .is_disclosed();
                let shown = item.event.payload.has_request_note();
                prop_assert_eq!(shown, allowed, "the note of item {}", item.sequence);
                prop_assert_eq!(item.note_withheld, !shown);
                prop_assert!(!shown || note.parties.contains(&reader.agency), "a note shown to a stranger to its request");
            } else {
                prop_assert!(!item.note_withheld);
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
        // One state per action: every reader who sees an action sees the state it has in the
        // whole case, whatever item completed it.
        one_state_per_action(&view, &state, &reader)?;
        let named_by_items = view.state.agencies.iter().all(|agency| {
            view.items.iter().any(|item| {
                &item.event.agency == agency || item.event.payload.assigned_agencies().contains(agency)
            })
        });
        prop_assert!(named_by_items, "the team shown names only agencies of visible items");
    }
}

/// The policy sets the read model is held to: the built-in agreement, and it with a local
/// policy that opens police files to probation officers on the team.
fn policy_sets() -> &'static [std::sync::Arc<SharingPolicy>; 2] {
    static SETS: std::sync::OnceLock<[std::sync::Arc<SharingPolicy>; 2]> =
        std::sync::OnceLock::new();
    SETS.get_or_init(|| {
        let mut local = PolicySources::builtin();
        local.policies.push(PolicyFile {
            name: "zz_local.cedar".to_owned(),
            text: "@id(\"local-police-file-probation\")\n@category(\"police_file\")\n\
                   permit (principal, action == Joinery::Action::\"read\", resource)\n\
                   when { principal.role == \"probation_officer\" && \
                   resource.category == \"police_file\" && \
                   resource.case.team.contains(principal.agency) };"
                .to_owned(),
        });
        let local = SharingPolicy::load(&local).unwrap_or_else(|e| panic!("{e}"));
        [
            std::sync::Arc::new(SharingPolicy::builtin()),
            std::sync::Arc::new(local),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    /// The caseload row the store keeps for a reader's class holds exactly what the reader's
    /// own view, decided item by item, shows: no row when nothing is visible; else its stage,
    /// latest item, hearings to come and open work.
    #[test]
    fn a_caseload_row_is_what_the_reader_sees_of_the_case(
        events in proptest::collection::vec(event_choice(27), 1..40),
        reader in reader_choice(),
        set in 0..2usize,
    ) {
        let templates = templates();
        prop_assume!(events.iter().all(|e| e.template < templates.len()));
        let reader = build_reader(&ReaderChoice { system: false, ..reader });
        let policy = std::sync::Arc::clone(&policy_sets()[set]);
        let rows = joinery_app::caseload_rows(policy.clone()).unwrap_or_else(|e| panic!("{e}"));
        let (state, entries) = case_of(&templates, &events);
        let class = ReaderClass {
            agency: reader.agency.clone(),
            kind: reader.agency_kind,
            role: reader.role,
            judge: (reader.role == Role::Judge).then(|| reader.username().cloned()).flatten(),
        };
        let record = CaseRecord { id: state_id(), state: state.clone() };
        let kept = rows.rows(&record, &entries, std::slice::from_ref(&class)).unwrap_or_else(|e| panic!("{e}"));
        let (items, _) = disclose(policy.as_ref(), &reader, &state, &BTreeSet::new(), entries)
            .unwrap_or_else(|e| panic!("{e}"));
        if items.is_empty() {
            prop_assert!(kept.is_empty(), "a row for a reader who sees nothing");
            return Ok(());
        }
        prop_assert!(rows.sees_cases(reader.role), "a reader who sees something has no class");
        prop_assert_eq!(kept.len(), 1);
        let row = &kept[0];
        let latest = items.iter().map(|item| item.sequence).max();
        let view = joinery_app::CaseView::assemble(record.id, items, &state, Timestamp::now());
        prop_assert_eq!(Some(row.latest), latest);
        prop_assert_eq!(row.stage, view.state.stage);
        let hearings: Vec<Timestamp> = view.state.hearings.iter().filter(|h| !h.resulted).map(|h| h.starts_at).collect();
        prop_assert_eq!(&row.hearings, &hearings);
        let open: Vec<time::Date> = view.state.actions.iter()
            .filter(|a| a.state == joinery_domain::journey::ActionState::Open)
            .map(|a| a.due_on).collect();
        prop_assert_eq!(&row.open_actions, &open);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// One state per action: an agency that opened a case asks another for work, random events
    /// follow, and the agency asked settles it with a report (in the report's own category) or
    /// a completion. Every reader who sees the request sees the state the action has in the
    /// whole case, whether or not they may see what settled it.
    #[test]
    fn an_action_has_one_state_for_everyone_who_sees_it(
        asker in 0..AGENCIES.len(),
        asked in 0..AGENCIES.len(),
        by_report in any::<bool>(),
        between in proptest::collection::vec(event_choice(27), 0..12),
        readers in proptest::collection::vec(reader_choice(), 1..8),
    ) {
        let templates = templates();
        prop_assume!(between.iter().all(|e| e.template < templates.len()));
        let find = |kind: &str| {
            templates.iter().position(|t| t["type"] == kind).unwrap_or_else(|| panic!("{kind}"))
        };
        let by = |template: usize, agency: usize| EventChoice {
            template,
            agency,
            other_agency: asked,
            judge: None,
        };
        let settled_by = if by_report { "report_submitted" } else { "action_completed" };
        let choices: Vec<EventChoice> = [by(find("arrest"), asker), by(find("action_requested"), asker)]
            .into_iter()
            .chain(between)
            .chain([by(find(settled_by), asked)])
            .collect();
        let (state, entries) = case_of(&templates, &choices);
        for reader in &readers {
            let reader = build_reader(reader);
            let (items, _) = disclose(shared_policy(), &reader, &state, &BTreeSet::new(), entries.clone())
                .unwrap_or_else(|e| panic!("{e}"));
            let view = joinery_app::CaseView::assemble(state_id(), items, &state, Timestamp::now());
            one_state_per_action(&view, &state, &reader)?;
        }
    }
}

/// The case the choices make: its whole state, and its events as the store lists them.
fn case_of(templates: &[Value], choices: &[EventChoice]) -> (CaseState, Vec<TimelineEntry>) {
    let messages: Vec<CanonicalMessage> = choices
        .iter()
        .enumerate()
        .map(|(index, choice)| build_event(templates, index, choice))
        .collect();
    (CaseState::from_events(&messages), entries_of(&messages))
}

/// Each action `view` shows has the state and completion it has in the whole case.
fn one_state_per_action(
    view: &joinery_app::CaseView,
    whole: &CaseState,
    reader: &Reader,
) -> Result<(), TestCaseError> {
    for action in &view.state.actions {
        let settled = whole
            .actions
            .iter()
            .find(|settled| settled.action_id == action.action_id)
            .map(|settled| (settled.state, settled.completed_at));
        prop_assert_eq!(
            settled,
            Some((action.state, action.completed_at)),
            "{:?} of {} sees action {} otherwise",
            reader.role,
            reader.agency,
            action.action_id
        );
    }
    Ok(())
}

/// The case's events as the store would list them, in order.
fn entries_of(messages: &[CanonicalMessage]) -> Vec<TimelineEntry> {
    messages
        .iter()
        .zip(1..)
        .map(|(event, sequence)| TimelineEntry {
            sequence: Sequence::new(sequence),
            received_at: Timestamp::now(),
            event: event.clone(),
        })
        .collect()
}

fn shared_policy() -> &'static SharingPolicy {
    static POLICY: std::sync::OnceLock<SharingPolicy> = std::sync::OnceLock::new();
    POLICY.get_or_init(SharingPolicy::builtin)
}

fn state_id() -> joinery_domain::CaseId {
    joinery_domain::CaseId::generate()
}
