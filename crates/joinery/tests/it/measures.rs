//! Management information, kept by the projection: the cells a report adds up are what counting
//! every stored case's own state gives (its stretches with their days, its trials, its
//! adjournments, its requested work done, and what it holds open now by band of days), for
//! every court and force and for one, after every message of a case sent one at a time and
//! after a whole model office.

use std::collections::BTreeMap;

use joinery_domain::journey::OffenceType;
use joinery_domain::measures::{DayCounts, Measure, Month, Scope, Week, band_of, tallies};
use joinery_domain::{AgencyCode, AgencyKind, CaseState};
use joinery_ports::CaseStore;

use crate::support::TestServer;

/// One thing a stored case counts: (measure, month, court, force, value, detail, days, day,
/// offence type, CPS area, probation service).
pub(crate) type Counted = (
    Measure,
    Month,
    String,
    String,
    String,
    String,
    Option<i64>,
    time::Date,
    String,
    String,
    String,
);

/// The type of a case's principal offence, worked out here: the first of the types, most
/// serious first, that one of its offences has.
fn principal(state: &CaseState) -> String {
    OffenceType::ALL
        .into_iter()
        .find(|kind| {
            state
                .offences
                .iter()
                .any(|offence| offence.charged.offence_type == Some(*kind))
        })
        .unwrap_or(OffenceType::Unclassified)
        .as_str()
        .to_owned()
}

/// Everything every stored case counts, from its state.
pub(crate) fn measured(server: &TestServer) -> Vec<Counted> {
    let states: Vec<String> = server
        .db
        .rows("SELECT state FROM cases")
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    let kinds: BTreeMap<AgencyCode, AgencyKind> = server
        .db
        .rows("SELECT code, kind FROM agencies")
        .into_iter()
        .map(|row| {
            let text = |column: usize| row[column].as_deref().expect("a value");
            (
                AgencyCode::parse(text(0)).expect("a code"),
                AgencyKind::parse(text(1)).expect("a kind"),
            )
        })
        .collect();
    let mut all = Vec::new();
    for state in states {
        let state: CaseState = serde_json::from_str(&state).expect("state");
        let on_team = |kind: AgencyKind| {
            state
                .agencies
                .iter()
                .find(|agency| kinds.get(*agency) == Some(&kind))
                .map_or_else(|| "-".to_owned(), ToString::to_string)
        };
        let force = on_team(AgencyKind::Police);
        let (prosecutor, probation) = (on_team(AgencyKind::Cps), on_team(AgencyKind::Probation));
        let offence_type = principal(&state);
        for tally in tallies(&state, &kinds) {
            let court = tally
                .court
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string);
            all.push((
                tally.measure,
                Month::of(tally.on),
                court,
                force.clone(),
                tally.value.to_owned(),
                tally.detail,
                tally.days,
                tally.on,
                offence_type.clone(),
                prosecutor.clone(),
                probation.clone(),
            ));
        }
    }
    // Each data-quality problem, at its sender's place (a court's at the court, a force's at
    // the force), by its sender.
    for table in ["exceptions", "message_exceptions"] {
        let problems: Vec<(String, String, String, Option<String>)> = server
            .db
            .rows(&format!(
                "SELECT agency, code, raised_at, resolved_at FROM {table}"
            ))
            .into_iter()
            .map(|row| {
                let text = |column: usize| row[column].clone().expect("a value");
                (text(0), text(1), text(2), row[3].clone())
            })
            .collect();
        for (sender, code, raised, resolved) in problems {
            let kind = kinds
                .get(&AgencyCode::parse(&sender).expect("a code"))
                .copied();
            let at = |place: AgencyKind| {
                if kind == Some(place) {
                    sender.clone()
                } else {
                    "-".to_owned()
                }
            };
            let day = |at: &str| joinery_domain::Timestamp::parse(at).expect("a time").date();
            let fact = |measure: Measure, on: time::Date, days: Option<i64>| {
                (
                    measure,
                    Month::of(on),
                    at(AgencyKind::Court),
                    at(AgencyKind::Police),
                    // By the sending agency's code, when Joinery knows the agency.
                    if kind.is_some() {
                        sender.clone()
                    } else {
                        String::new()
                    },
                    code.clone(),
                    days,
                    on,
                    "-".to_owned(),
                    at(AgencyKind::Cps),
                    at(AgencyKind::Probation),
                )
            };
            all.push(fact(Measure::Exceptions, day(&raised), None));
            all.push(match resolved {
                None => fact(Measure::OpenExceptions, day(&raised), None),
                Some(resolved) => fact(
                    Measure::ExceptionsResolved,
                    day(&resolved),
                    Some((day(&resolved) - day(&raised)).whole_days()),
                ),
            });
        }
    }
    all
}

fn code(text: &str) -> Option<AgencyCode> {
    (text != "-").then(|| AgencyCode::parse(text).expect("a code"))
}

async fn kept_equals_measured(server: &TestServer) {
    let measured = measured(server);
    let (from, to) = (
        Month::parse("2000-01").expect("month"),
        Month::parse("2100-12").expect("month"),
    );
    for measure in Measure::FLOWS {
        let mut expected: BTreeMap<_, u64> = BTreeMap::new();
        for m in measured.iter().filter(|m| m.0 == measure) {
            *expected
                .entry((
                    m.1,
                    Week::of(m.7),
                    [code(&m.2), code(&m.3), code(&m.9), code(&m.10)],
                    m.8.clone(),
                    m.4.clone(),
                    m.5.clone(),
                ))
                .or_default() += 1;
        }
        let kept: BTreeMap<_, u64> = server
            .store
            .tallies(measure, from, to)
            .await
            .expect("cells")
            .into_iter()
            .map(|row| {
                (
                    (
                        row.month,
                        row.week,
                        row.places.all().map(Clone::clone),
                        row.offence_type,
                        row.value,
                        row.detail,
                    ),
                    row.cases,
                )
            })
            .collect();
        assert_eq!(kept, expected, "{measure:?}");
    }
    // What is open, banded back from a day on which some of it is overdue and some not yet due.
    let today = time::macros::date!(2026 - 06 - 01);
    for measure in Measure::OPEN {
        let mut expected: BTreeMap<_, u64> = BTreeMap::new();
        for m in measured.iter().filter(|m| m.0 == measure) {
            *expected
                .entry((
                    band_of(measure, m.7, today),
                    [code(&m.2), code(&m.3), code(&m.9), code(&m.10)],
                    m.8.clone(),
                    m.4.clone(),
                    m.5.clone(),
                ))
                .or_default() += 1;
        }
        let kept: BTreeMap<_, u64> = server
            .store
            .open_tallies(measure, today)
            .await
            .expect("cells")
            .into_iter()
            .map(|row| {
                (
                    (
                        row.band,
                        row.places.all().map(Clone::clone),
                        row.offence_type,
                        row.value,
                        row.detail,
                    ),
                    row.cases,
                )
            })
            .collect();
        assert_eq!(kept, expected, "{measure:?}");
    }
    for interval in Measure::FLOWS.into_iter().filter(|m| m.has_days()) {
        // Narrowed to a court, a force, a CPS area, a probation service and an offence type
        // (each `None` for every one), counted by hand.
        let days_of = |only: [Option<&String>; 5]| {
            let mut months: BTreeMap<(Month, Week), DayCounts> = BTreeMap::new();
            for m in measured.iter().filter(|m| {
                let of = [&m.2, &m.3, &m.9, &m.10, &m.8];
                m.0 == interval
                    && only
                        .iter()
                        .zip(of)
                        .all(|(only, of)| only.is_none_or(|only| only == of))
            }) {
                months
                    .entry((m.1, Week::of(m.7)))
                    .or_default()
                    .add(m.6.expect("a stretch has days"), 1);
            }
            months
        };
        let kept = server
            .store
            .timeliness(interval, from, to, Scope::default())
            .await
            .expect("report");
        assert_eq!(kept, days_of([None; 5]), "{interval:?}, everywhere");
        // Each place and the offence type, alone and in pairs, where a case has them all.
        let Some(m) = measured.iter().find(|m| {
            m.0 == interval && [&m.2, &m.3, &m.9, &m.10].iter().all(|place| *place != "-")
        }) else {
            continue;
        };
        let named = [&m.2, &m.3, &m.9, &m.10, &m.8];
        let mut narrowings: Vec<[bool; 5]> = (0..5)
            .map(|at| std::array::from_fn(|axis| axis == at))
            .collect();
        narrowings.extend([
            [true, true, false, false, false],
            [true, false, true, false, false],
            [false, true, false, true, false],
            [false, false, true, false, true],
            [false, false, false, true, true],
            [true, true, true, true, true],
        ]);
        for narrowed in narrowings {
            let only: [Option<&String>; 5] =
                std::array::from_fn(|axis| narrowed[axis].then_some(named[axis]));
            let scope = Scope {
                court: only[0].and_then(|c| code(c)),
                force: only[1].and_then(|c| code(c)),
                prosecutor: only[2].and_then(|c| code(c)),
                probation: only[3].and_then(|c| code(c)),
                offence_type: only[4].and_then(|kind| OffenceType::parse(kind)),
            };
            let kept = server
                .store
                .timeliness(interval, from, to, scope)
                .await
                .expect("report");
            assert_eq!(kept, days_of(only), "{interval:?} narrowed to {only:?}");
        }
    }
}

/// Every cell of a table of management information, in key order, as text.
fn cells(connection: &rusqlite::Connection, table: &str) -> Vec<String> {
    let mut query = connection
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2, 3, 4, 5, 6"))
        .expect("query");
    let columns = query.column_count();
    query
        .query_map([], |row| {
            (0..columns)
                .map(|i| {
                    row.get::<_, rusqlite::types::Value>(i)
                        .map(|v| format!("{v:?}"))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|values| values.join("|"))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read")
}

#[tokio::test]
async fn the_kept_cells_are_what_counting_every_case_gives() {
    let server = TestServer::start().await;
    for message in crate::need_to_know::whole_case() {
        server.send_all(&[message]).await;
        kept_equals_measured(&server).await;
    }
    // A hearing listed before the first one, told late: the first listing moves, and with it
    // the stretches that end or start there (their old counts are taken away).
    let earlier = crate::need_to_know::message(
        "L-0",
        "LVCJC",
        "2026-03-20T10:00:00Z",
        "hearing_listed",
        serde_json::json!({"hearing_id": "H-0", "court": "B05PK00",
            "starts_at": "2026-03-23T10:00:00Z", "purpose": "first_appearance"}),
    );
    let before = measured(&server);
    server.send_all(&[earlier]).await;
    assert_ne!(measured(&server), before, "the stretches moved");
    kept_equals_measured(&server).await;
    // A further charge, of wounding with intent (indictable only), where the case was of a
    // theft from a shop (either way): the case's principal offence is now the more serious,
    // and every cell it counts in moves to that type. The type is Joinery's reading of the
    // standing data, whatever the sender says.
    let types = |server: &TestServer| -> std::collections::BTreeSet<String> {
        measured(server)
            .into_iter()
            .filter(|m| m.8 != "-")
            .map(|m| m.8)
            .collect()
    };
    let reference = server.has_reference();
    if reference {
        assert_eq!(types(&server), ["either_way".to_owned()].into());
    }
    server
        .send_all(&[crate::need_to_know::message(
            "P-6b",
            "MERPOL",
            "2026-03-10T10:00:00Z",
            "charge",
            serde_json::json!({"offences": [
                {"sequence": 1, "code": "TH68010", "wording": "Stole goods from a shop."},
                {"sequence": 2, "code": "OF61016", "wording": "Wounded with intent.",
                 "offence_type": "summary_motoring"}]}),
        )])
        .await;
    if reference {
        assert_eq!(types(&server), ["indictable_only".to_owned()].into());
    } else {
        assert_eq!(types(&server), ["unclassified".to_owned()].into());
    }
    kept_equals_measured(&server).await;
    server.load_model_office(120).await;
    kept_equals_measured(&server).await;
    if reference {
        assert!(
            types(&server).len() >= 3,
            "a model office's cases are of several offence types: {:?}",
            types(&server)
        );
    }
    // A data-quality problem resolved moves from open to resolved, with its days.
    let (sender, problem) = {
        let mut found = None;
        for agency in joinery::model_office::agencies() {
            let open = server
                .store
                .exceptions(agency.code.clone())
                .await
                .expect("problems");
            if let Some(problem) = open.into_iter().next() {
                found = Some((agency.code, problem));
                break;
            }
        }
        found.expect("the model office sends messages with data-quality problems")
    };
    let resolved = server
        .store
        .resolve_exception(
            sender.clone(),
            problem.id,
            joinery_ports::Resolution {
                by: format!("{sender}'s system"),
                note: None,
            },
            joinery_ports::AuditEvent {
                actor: joinery_ports::Actor::AgencySystem(sender),
                action: joinery_ports::AuditAction::ExceptionResolved,
                subject: None,
                detail: joinery_ports::AuditDetail::Resolved {
                    exception: problem.id,
                },
            },
        )
        .await
        .expect("resolve");
    assert!(resolved);
    kept_equals_measured(&server).await;
    // Folded again under new rules, the store counts everything again to the same cells, the
    // data-quality problems (no case's) included. What follows copies the SQLite file; on
    // PostgreSQL the same refold is the store tests' (`store::states_folded_…`).
    if server.db.file().is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let copy = dir.path().join("copy.sqlite");
    let connection = rusqlite::Connection::open(server.database()).expect("open");
    connection
        .execute("VACUUM INTO ?1", [copy.to_str().expect("a path")])
        .expect("copy");
    let copied = rusqlite::Connection::open(&copy).expect("open");
    copied
        .execute("UPDATE projection SET version = 0", [])
        .expect("stale");
    drop(copied);
    let store = joinery_store::SqlStore::open(&copy).await.expect("refold");
    store.close().await;
    let copied = rusqlite::Connection::open(&copy).expect("open");
    for table in ["mi_tallies", "mi_open"] {
        assert_eq!(cells(&copied, table), cells(&connection, table), "{table}");
    }
    // A store behind only by how cases are counted (versions 6 to 11) counts its cells again
    // from the cases' states, without folding them again: emptied and mangled, the cells come
    // back the same, and the states are not written.
    copied
        .execute_batch(
            "DELETE FROM mi_open; UPDATE mi_tallies SET cases = cases + 1; \
             UPDATE projection SET version = 5;",
        )
        .expect("stale cells");
    let states = cells(&copied, "cases");
    drop(copied);
    let store = joinery_store::SqlStore::open(&copy).await.expect("recount");
    store.close().await;
    let copied = rusqlite::Connection::open(&copy).expect("open");
    for table in ["mi_tallies", "mi_open"] {
        assert_eq!(cells(&copied, table), cells(&connection, table), "{table}");
    }
    assert_eq!(cells(&copied, "cases"), states, "the states stand");
    // A store behind only by who its cases are found by (version 12) indexes each defendant
    // again from its case's state, the index emptied first.
    let people = |connection: &rusqlite::Connection| -> Vec<(String, i64)> {
        let mut query = connection
            .prepare("SELECT key, case_no FROM case_people ORDER BY 1, 2")
            .expect("query");
        query
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("people")
    };
    let indexed = people(&connection);
    assert!(
        indexed.len() > 10,
        "the model office's defendants are indexed"
    );
    let work = |connection: &rusqlite::Connection| -> Vec<String> {
        let mut query = connection
            .prepare(
                "SELECT owner || due_on || case_no || action_id || kind FROM agency_work ORDER BY 1",
            )
            .expect("query");
        query
            .query_map([], |row| row.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("work")
    };
    let open_work = work(&connection);
    assert!(open_work.len() > 10, "the model office's open work is kept");
    copied
        .execute_batch(
            "DELETE FROM case_people; DELETE FROM agency_work; UPDATE projection SET version = 11;",
        )
        .expect("stale index");
    drop(copied);
    let store = joinery_store::SqlStore::open(&copy).await.expect("reindex");
    store.close().await;
    let copied = rusqlite::Connection::open(&copy).expect("open");
    assert_eq!(people(&copied), indexed);
    assert_eq!(work(&copied), open_work);
    assert_eq!(cells(&copied, "cases"), states, "the states stand");
    // A store behind by how some cases fold (version 14: a suspect awaits the charging decision
    // the police ask for) folds just those cases again from their events: a case so asked, set
    // back to how it stood, comes back; a case not asked, set wrong, is not read again.
    let case_at = |connection: &rusqlite::Connection, condition: &str| -> i64 {
        connection
            .query_row(
                &format!("SELECT case_no FROM cases WHERE {condition} ORDER BY case_no LIMIT 1"),
                [],
                |row| row.get(0),
            )
            .expect("a case")
    };
    let asked = case_at(
        &copied,
        "stage = 'awaiting_charging_decision' AND state LIKE '%\"action\":\"charging_decision\"%'",
    );
    let not_asked = case_at(&copied, "stage = 'arrested'");
    let set_stage = "UPDATE cases SET stage = ?2, state = json_set(state, '$.stage', ?2) \
                     WHERE case_no = ?1";
    copied
        .execute(set_stage, rusqlite::params![asked, "arrested"])
        .expect("set back");
    copied
        .execute(set_stage, rusqlite::params![not_asked, "charged"])
        .expect("set wrong");
    copied
        .execute("UPDATE projection SET version = 13", [])
        .expect("stale");
    drop(copied);
    let store = joinery_store::SqlStore::open(&copy)
        .await
        .expect("fold some");
    store.close().await;
    let copied = rusqlite::Connection::open(&copy).expect("open");
    let stage_of = |case_no: i64| -> (String, String) {
        copied
            .query_row(
                "SELECT stage, json_extract(state, '$.stage') FROM cases WHERE case_no = ?1",
                [case_no],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("a stage")
    };
    let awaiting = "awaiting_charging_decision".to_owned();
    assert_eq!(stage_of(asked), (awaiting.clone(), awaiting));
    assert_eq!(
        stage_of(not_asked),
        ("charged".to_owned(), "charged".to_owned())
    );
    let counted = measured(&server);
    let completed = counted
        .iter()
        .filter(|m| {
            m.0 == Measure::Timeliness(joinery_domain::measures::Interval::OffenceToCompletion)
        })
        .count();
    assert!(completed > 10, "the model office completes cases");
    for measure in [
        Measure::Trials,
        Measure::Adjournments,
        Measure::Turnaround(joinery_domain::journey::ActionKind::PreSentenceReport),
        Measure::OpenWork,
        Measure::OpenCases,
        Measure::Idle,
        Measure::Exceptions,
        Measure::ExceptionsResolved,
        Measure::OpenExceptions,
    ] {
        assert!(
            counted.iter().any(|m| m.0 == measure),
            "the model office counts {measure:?}"
        );
    }
}
