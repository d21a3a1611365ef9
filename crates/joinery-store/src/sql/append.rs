//! Appending within one write transaction: each group of messages is checked against what is
//! stored (and what this transaction already took), placed on a case (opening one if need be),
//! folded into the affected cases, and written through cached prepared statements. The cases'
//! states are written once, at commit. The writer feeds a transaction all the groups that
//! arrive while it works, so many senders share one fsync.

use std::collections::{BTreeSet, HashMap};

use crate::db::{Connection, OptionalExtension, Param, TransactionBehavior, params};
use joinery_domain::Sequence;
use joinery_domain::journey::OffenceType;
use joinery_domain::search::PersonKey;
use joinery_domain::{
    AgencyCode, CanonicalMessage, CaseFacts, CaseId, CaseState, ItemFacts, OrderKey, Payload,
    QualityProblem, Submission, Timestamp,
};
use joinery_ports::{AppendOutcome, AuditEvent, CaseloadRows, SourceMessage, TimelineEntry};

use super::arrivals::Received;
use super::placement::{Case, Placement, known_references, stored_messages};
use super::{caseloads, feeds, measures, read, work};
use crate::audit::{AuditRow, GENESIS};
use crate::error::{Error, corrupt};
use sha2::{Digest, Sha256};

/// A case touched by the transaction: its team before, and its state now.
struct Touched {
    /// The agencies on the case before this transaction; `None` for a case it opened.
    team_before: Option<BTreeSet<AgencyCode>>,
    /// What sharing decisions rested on before this transaction; `None` for a case it opened.
    facts_before: Option<CaseFacts>,
    /// What the case counted in management information before this transaction.
    measured_before: Option<Vec<measures::Fact>>,
    /// The keys its defendant was found by before this transaction.
    people_before: Vec<PersonKey>,
    /// Its rows in the day's-list index before this transaction.
    hearings_before: Vec<HearingRow>,
    /// Its open work before this transaction.
    work_before: Vec<work::OpenWork>,
    state: CaseState,
    /// For a case this transaction opened, its whole timeline (every message it has came in
    /// here), so that its caseload rows are decided without reading back what was just
    /// written. Empty for a case that was already stored.
    opened_with: Vec<TimelineEntry>,
    /// The messages this transaction added to the case: their sequence numbers, with what
    /// deciding who may see each needs.
    added: Vec<(i64, ItemFacts)>,
}

/// An open write transaction taking groups of messages.
pub(super) struct Appender<'c> {
    tx: crate::db::Transaction<'c>,
    received_at: String,
    plan: Placement,
    next_seq: i64,
    cases: HashMap<Case, Touched>,
    /// The next audit entry's number, and the hash it chains to.
    next_audit: i64,
    last_audit_hash: [u8; 32],
    /// What each sending agency's messages came to, recorded once at commit.
    received: Received,
    /// Agencies, judges and caseload classes looked up so far.
    lookups: caseloads::Lookups,
    /// What the data-quality problems raised in this transaction count in management
    /// information, moved at commit with the cases' cells.
    raised: Vec<measures::Fact>,
}

impl<'c> Appender<'c> {
    pub(super) fn begin(connection: &'c mut Connection) -> Result<Self, Error> {
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let next = |sql: &str| tx.query_row(sql, [], |row| row.get::<_, i64>(0));
        let next_case_no = next("SELECT COALESCE(MAX(case_no), 0) + 1 FROM cases")?;
        let next_seq = next("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages")?;
        let last_audit: Option<(i64, Vec<u8>)> = tx
            .query_row(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let (next_audit, last_audit_hash) = match last_audit {
            Some((seq, hash)) => (
                seq + 1,
                hash.try_into()
                    .map_err(|_| corrupt("an audit hash is not 32 bytes"))?,
            ),
            None => (1, GENESIS),
        };
        Ok(Self {
            tx,
            received_at: Timestamp::now().sortable(),
            plan: Placement {
                stored: HashMap::new(),
                references: HashMap::new(),
                next_case_no,
                new_references: Vec::new(),
                accepted: Vec::new(),
            },
            next_seq,
            cases: HashMap::new(),
            next_audit,
            last_audit_hash,
            received: Received::default(),
            lookups: caseloads::Lookups::default(),
            raised: Vec::new(),
        })
    }

    /// Takes one sender's group of messages, answering each.
    pub(super) fn add(&mut self, group: &[Submission]) -> Result<Vec<AppendOutcome>, Error> {
        // What this transaction placed already is in the maps and takes precedence: its rows
        // are not all joined up until commit.
        for (key, value) in stored_messages(&self.tx, group)? {
            self.plan.stored.entry(key).or_insert(value);
        }
        for (key, value) in known_references(&self.tx, group, &self.plan.references)? {
            self.plan.references.entry(key).or_insert(value);
        }
        let mut outcomes: Vec<AppendOutcome> = group
            .iter()
            .enumerate()
            .map(|(index, submission)| self.plan.place(index, submission))
            .collect();
        let accepted = std::mem::take(&mut self.plan.accepted);
        self.fold(group, &accepted)?;
        self.insert_rows(group, &accepted)?;
        self.record_problems(group, &accepted, &mut outcomes)?;
        self.received.note(group, &outcomes);
        Ok(outcomes)
    }

    /// Records on each accepted message, in this transaction, the data-quality problems found
    /// on its way in and any its case shows now it is folded in: a result for an offence the
    /// case does not have. Each goes into the message's outcome too.
    fn record_problems(
        &mut self,
        group: &[Submission],
        accepted: &[(usize, Case)],
        outcomes: &mut [AppendOutcome],
    ) -> Result<(), Error> {
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO message_exceptions (agency, message_id, code, field, value, explanation, raised_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (index, case) in accepted {
            let submission = &group[*index];
            let message = submission.message();
            let mut found = submission.problems().to_vec();
            if let (Payload::HearingResult(result), Some(touched)) =
                (&message.payload, self.cases.get(case))
            {
                found.extend(
                    touched
                        .state
                        .results_without_offence(result)
                        .map(|sequence| QualityProblem {
                            code: "result-for-unknown-offence".to_owned(),
                            field: "payload.results".to_owned(),
                            value: sequence.to_string(),
                            explanation: format!(
                                "a result is for offence {sequence}, which the case does not have"
                            ),
                        }),
                );
            }
            for problem in &found {
                insert.run(params![
                    message.agency.as_str(),
                    message.message_id.as_str(),
                    problem.code,
                    problem.field,
                    problem.value,
                    problem.explanation,
                    self.received_at,
                ])?;
                self.raised.extend(measures::exception_facts(
                    &self.tx,
                    &mut self.lookups,
                    &message.agency,
                    &problem.code,
                    &self.received_at,
                    None,
                )?);
            }
            if let Some(AppendOutcome::Accepted { problems, .. }) = outcomes.get_mut(*index) {
                *problems = found;
            }
        }
        Ok(())
    }

    /// Keeps a source message and its data-quality problems; false if the agency sent the
    /// same source before (its events are then duplicates too).
    pub(super) fn add_source(&mut self, source: &SourceMessage) -> Result<bool, Error> {
        let unmodelled = source.unmodelled.to_string();
        let digest: [u8; 32] = Sha256::digest(source.body.as_bytes()).into();
        let inserted: Option<i64> = self.tx.prepare_cached(
            "INSERT INTO sources (agency, source_id, format, received_at, body_sha256, body, unmodelled) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (agency, source_id) DO NOTHING RETURNING source_no",
        )?
        .query_row(params![
            source.agency.as_str(),
            source.source_id,
            source.format.as_str(),
            self.received_at,
            digest.as_slice(),
            source.body,
            unmodelled,
        ], |row| row.get(0))
        .optional()?;
        let Some(source_no) = inserted else {
            return Ok(false);
        };
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO exceptions (source_no, agency, code, field, value, explanation, raised_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for problem in &source.problems {
            insert.run(params![
                source_no,
                source.agency.as_str(),
                problem.code,
                problem.field,
                problem.value,
                problem.explanation,
                self.received_at,
            ])?;
            self.raised.extend(measures::exception_facts(
                &self.tx,
                &mut self.lookups,
                &source.agency,
                &problem.code,
                &self.received_at,
                None,
            )?);
        }
        Ok(true)
    }

    /// The transaction, for other writes that commit with it.
    pub(super) fn connection(&self) -> &Connection {
        &self.tx
    }

    /// Appends audit entries, each chained to the one before.
    pub(super) fn record(&mut self, events: &[AuditEvent]) -> Result<(), Error> {
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for event in events {
            let row = AuditRow::new(self.next_audit, Timestamp::now().sortable(), event)
                .map_err(corrupt)?;
            let hash = row.hash(&self.last_audit_hash);
            insert.run(params![
                row.seq,
                row.at,
                row.actor,
                row.action,
                row.subject,
                row.detail,
                self.last_audit_hash.as_slice(),
                hash.as_slice(),
            ])?;
            self.next_audit += 1;
            self.last_audit_hash = hash;
        }
        Ok(())
    }

    /// Folds the accepted messages into their cases. A case's new events are taken in the order
    /// they happened, so a group that arrived shuffled but happened after everything folded so far
    /// folds on directly; only an earlier event (or a retraction) replays the case from its events.
    fn fold(&mut self, group: &[Submission], accepted: &[(usize, Case)]) -> Result<(), Error> {
        let mut arrivals: HashMap<Case, Vec<&CanonicalMessage>> = HashMap::new();
        for (index, case) in accepted {
            arrivals
                .entry(*case)
                .or_default()
                .push(group[*index].message());
        }
        // The states of the cases this transaction has not touched yet, asked for at once.
        let untouched: Vec<Case> = arrivals
            .keys()
            .filter(|case| !self.cases.contains_key(case))
            .copied()
            .collect();
        let mut states: HashMap<Case, CaseState> = untouched
            .iter()
            .copied()
            .zip(stored_states(&self.tx, &untouched)?)
            .filter_map(|(case, state)| Some((case, state?)))
            .collect();
        // What they counted in management information asks their agencies' kinds: at once.
        self.lookups.prefetch(
            &self.tx,
            states.values().flat_map(|state| {
                state
                    .agencies
                    .iter()
                    .chain(state.actions.iter().map(|action| &action.owner))
            }),
            [],
        )?;
        for (case, mut messages) in arrivals {
            messages.sort_by_cached_key(|message| OrderKey::of(message));
            let touched = match self.cases.remove(&case) {
                Some(touched) => touched,
                None => {
                    let stored = states.remove(&case);
                    let measured_before = match &stored {
                        Some(state) => Some(measures::facts(&self.tx, state, &mut self.lookups)?),
                        None => None,
                    };
                    Touched {
                        measured_before,
                        people_before: people_of(stored.as_ref()),
                        hearings_before: stored.as_ref().map(hearing_rows).unwrap_or_default(),
                        work_before: work::open_work(stored.as_ref()),
                        team_before: stored.as_ref().map(|state| state.agencies.clone()),
                        facts_before: stored.as_ref().map(CaseFacts::of),
                        state: stored.unwrap_or_default(),
                        opened_with: Vec::new(),
                        added: Vec::new(),
                    }
                }
            };
            let Touched {
                measured_before,
                people_before,
                hearings_before,
                work_before,
                team_before,
                facts_before,
                mut state,
                opened_with,
                added,
            } = touched;
            if messages.iter().all(|message| state.can_fold_on(message)) {
                for message in messages {
                    state.fold(message);
                }
            } else {
                let mut events = stored_events(&self.tx, case)?;
                events.extend(messages.into_iter().cloned());
                state = CaseState::from_events(&events);
            }
            self.cases.insert(
                case,
                Touched {
                    measured_before,
                    people_before,
                    hearings_before,
                    work_before,
                    team_before,
                    facts_before,
                    state,
                    opened_with,
                    added,
                },
            );
        }
        Ok(())
    }

    fn insert_rows(
        &mut self,
        group: &[Submission],
        accepted: &[(usize, Case)],
    ) -> Result<(), Error> {
        let mut insert_message = self.tx.prepare_cached(
            "INSERT INTO messages (seq, agency, message_id, system, format, kind, case_no, \
             occurred_at, received_at, body_sha256, body, offence_types) \
             VALUES (?1, ?2, ?3, ?4, ?11, ?5, ?6, ?7, ?8, ?9, ?10, ?12)",
        )?;
        let received_at = Timestamp::parse(&self.received_at).map_err(corrupt)?;
        for (index, case) in accepted {
            let submission = &group[*index];
            let message = submission.message();
            if let Some(touched) = self.cases.get_mut(case) {
                touched.added.push((self.next_seq, ItemFacts::of(message)));
                if touched.team_before.is_none() {
                    touched.opened_with.push(TimelineEntry {
                        sequence: Sequence::new(self.next_seq),
                        received_at,
                        event: message.clone(),
                    });
                }
            }
            insert_message.run(params![
                self.next_seq,
                message.agency.as_str(),
                message.message_id.as_str(),
                message.system.as_str(),
                message.payload.kind().as_str(),
                case.no,
                message.occurred_at.sortable(),
                self.received_at,
                submission.body_sha256().as_slice(),
                submission.body(),
                submission.format().as_str(),
                offence_types(message)?,
            ])?;
            self.next_seq += 1;
        }
        let mut insert_reference = self
            .tx
            .prepare_cached("INSERT INTO case_refs (kind, value, case_no) VALUES (?1, ?2, ?3)")?;
        for (kind, value, case) in self.plan.new_references.drain(..) {
            insert_reference.run(params![kind, value, case.no])?;
        }
        Ok(())
    }

    /// Writes each touched case's state, team, hearings and caseload rows (decided by
    /// `caseloads`; with none to decide, the rows are marked stale) once, and commits: durable
    /// on return.
    pub(super) fn commit(mut self, caseloads: Option<&dyn CaseloadRows>) -> Result<(), Error> {
        let received = std::mem::take(&mut self.received).into_events();
        self.record(&received)?;
        // What deciding the cases' rows and cells asks of agencies and judges, asked at once.
        self.lookups.prefetch(
            &self.tx,
            self.cases.values().flat_map(|touched| {
                let state = &touched.state;
                state
                    .agencies
                    .iter()
                    .chain(state.actions.iter().map(|action| &action.owner))
                    .chain(touched.team_before.iter().flatten())
            }),
            self.cases.values().flat_map(|touched| {
                touched
                    .state
                    .hearings
                    .iter()
                    .filter_map(|h| h.judge.as_ref())
            }),
        )?;
        let pending = {
            let mut upsert_case = self.tx.prepare_cached(
                "INSERT INTO cases (case_no, id, stage, state, updated_at, facts) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (case_no) DO UPDATE SET stage = excluded.stage, state = excluded.state, \
                 updated_at = excluded.updated_at, facts = excluded.facts",
            )?;
            let mut join_team = self.tx.prepare_cached(
                "INSERT INTO case_agencies (agency, case_no) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?;
            let mut leave_team = self
                .tx
                .prepare_cached("DELETE FROM case_agencies WHERE agency = ?1 AND case_no = ?2")?;
            let mut pending = Vec::new();
            // What the cases stored already had, read together before any is written.
            let mut stored: HashMap<i64, caseloads::Before> = match caseloads {
                Some(_) => {
                    let numbered: Vec<(i64, CaseId)> = self
                        .cases
                        .iter()
                        .filter(|(_, touched)| touched.team_before.is_some())
                        .map(|(case, _)| (case.no, case.id))
                        .collect();
                    let before = caseloads::stored(&self.tx, &numbered)?;
                    numbered.iter().map(|(no, _)| *no).zip(before).collect()
                }
                None => HashMap::new(),
            };
            let mut moved = measures::Moved::default();
            moved.case(&[], &std::mem::take(&mut self.raised));
            for (case, touched) in &mut self.cases {
                let state = &touched.state;
                let json = serde_json::to_string(state).map_err(corrupt)?;
                let facts = serde_json::to_string(&CaseFacts::of(state)).map_err(corrupt)?;
                upsert_case.run(params![
                    case.no,
                    case.id.to_string(),
                    state.stage.as_str(),
                    json,
                    self.received_at,
                    facts
                ])?;
                for agency in &state.agencies {
                    if touched
                        .team_before
                        .as_ref()
                        .is_none_or(|before| !before.contains(agency))
                    {
                        join_team.run(params![agency.as_str(), case.no])?;
                    }
                }
                write_hearings(&self.tx, case.no, Some(&touched.hearings_before), state)?;
                write_people(&self.tx, case.no, &touched.people_before, state)?;
                work::write_work(&self.tx, case.no, &touched.work_before, state)?;
                let measured = measures::facts(&self.tx, state, &mut self.lookups)?;
                // A case this transaction opened counted in nothing yet.
                moved.case(touched.measured_before.as_deref().unwrap_or(&[]), &measured);
                if caseloads.is_none() {
                    write_feed(&self.tx, case.no, touched)?;
                }
                // A replay can take an agency off the team (the arrest that brought it on was
                // retracted): its caseload no longer lists the case.
                for agency in touched.team_before.iter().flatten() {
                    if !state.agencies.contains(agency) {
                        leave_team.run(params![agency.as_str(), case.no])?;
                    }
                }
                if let Some(rows) = caseloads {
                    let before = match touched.team_before {
                        None => caseloads::Before::Opened(std::mem::take(&mut touched.opened_with)),
                        Some(_) => stored
                            .remove(&case.no)
                            .ok_or_else(|| corrupt("a stored case was not read"))?,
                    };
                    pending.extend(caseloads::pending(
                        &self.tx,
                        rows,
                        case.no,
                        case.id,
                        state,
                        before,
                        &mut self.lookups,
                    )?);
                }
            }
            moved.write(&self.tx)?;
            if let Some(rows) = caseloads {
                caseloads::decide_and_write(&self.tx, rows, &pending, &mut self.lookups)?;
            }
            pending
        };
        if let Some(rows) = caseloads {
            self.write_feeds(rows, &pending)?;
        }
        if caseloads.is_none() && !self.cases.is_empty() {
            caseloads::mark_stale(&self.tx)?;
        }
        self.tx.commit()?;
        Ok(())
    }
}

impl Appender<'_> {
    /// Keeps each touched case's feed rows to what the agencies on its team may see of it.
    fn write_feeds(
        &mut self,
        rows: &dyn CaseloadRows,
        pending: &[caseloads::Pending],
    ) -> Result<(), Error> {
        let timelines: HashMap<i64, &[TimelineEntry]> = pending
            .iter()
            .map(|case| (case.case_no(), case.entries()))
            .collect();
        for (case, touched) in &self.cases {
            let facts = CaseFacts::of(&touched.state);
            let change = feeds::FeedChange {
                before: touched
                    .team_before
                    .as_ref()
                    .zip(touched.facts_before.as_ref()),
                team: &touched.state.agencies,
                facts: &facts,
                added: &touched.added,
            };
            let tx = &self.tx;
            let mut everything = || -> Result<Vec<(i64, ItemFacts)>, Error> {
                Ok(match timelines.get(&case.no) {
                    Some(entries) => feeds::items_of(entries),
                    None => feeds::items_of(&read::timeline(tx, case.id)?),
                })
            };
            feeds::write(tx, rows, &change, &mut everything, &mut self.lookups)?;
        }
        Ok(())
    }
}

/// Adds a case's changes to the feeds of the agencies on its team, as candidates when no
/// agreement is installed to decide them: this transaction's changes for an agency that was
/// already on it, every change the case has for one it brought on.
fn write_feed(tx: &Connection, case_no: i64, touched: &Touched) -> Result<(), Error> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO agency_feed (agency, seq) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?;
    let mut every: Option<Vec<i64>> = None;
    let added: Vec<i64> = touched.added.iter().map(|(seq, _)| *seq).collect();
    for agency in &touched.state.agencies {
        let already = touched
            .team_before
            .as_ref()
            .is_some_and(|before| before.contains(agency));
        let seqs: &[i64] = if already || touched.team_before.is_none() {
            &added
        } else {
            if every.is_none() {
                every = Some(
                    tx.prepare_cached("SELECT seq FROM messages WHERE case_no = ?1")?
                        .query_map(params![case_no], |row| row.get(0))?
                        .collect::<Result<_, _>>()?,
                );
            }
            every.as_deref().unwrap_or_default()
        };
        for seq in seqs {
            insert.run(params![agency.as_str(), seq])?;
        }
    }
    Ok(())
}

/// A case's row in the day's-list index for one hearing: its id, day, start and judge.
pub(super) type HearingRow = (String, String, String, Option<String>);

/// The rows a case's hearings take in the day's-list index, as its state has them.
pub(super) fn hearing_rows(state: &CaseState) -> Vec<HearingRow> {
    state
        .hearings
        .iter()
        .map(|hearing| {
            (
                hearing.hearing_id.as_str().to_owned(),
                hearing.starts_at.date().to_string(),
                hearing.starts_at.sortable(),
                hearing
                    .judge
                    .as_ref()
                    .map(|judge| judge.as_str().to_owned()),
            )
        })
        .collect()
}

/// Writes a case's hearings, as its state now has them, into the day's-list index, unless
/// they are the rows it had (`before`; `None` when not known, and all are written again).
pub(super) fn write_hearings(
    tx: &Connection,
    case_no: i64,
    before: Option<&[HearingRow]>,
    state: &CaseState,
) -> Result<(), Error> {
    let now = hearing_rows(state);
    match before {
        Some(before) if before == now.as_slice() => return Ok(()),
        // A case with no hearings has no rows to take out.
        Some([]) => {}
        _ => tx
            .prepare_cached("DELETE FROM case_hearings WHERE case_no = ?1")?
            .run(params![case_no])?,
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO case_hearings (case_no, hearing_id, day, starts_at, judge) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (hearing_id, day, starts_at, judge) in &now {
        insert.run(params![case_no, hearing_id, day, starts_at, judge])?;
    }
    Ok(())
}

/// The keys a case's defendant is found by, from its state.
pub(super) fn people_of(state: Option<&CaseState>) -> Vec<PersonKey> {
    state
        .and_then(|state| state.defendant.as_ref())
        .map(PersonKey::of)
        .unwrap_or_default()
}

/// Keeps the keys a case's defendant is found by to what its state now says, writing only what
/// changed (a defendant's name or date of birth rarely does).
pub(super) fn write_people(
    tx: &Connection,
    case_no: i64,
    before: &[PersonKey],
    state: &CaseState,
) -> Result<(), Error> {
    let now = people_of(Some(state));
    for gone in before.iter().filter(|key| !now.contains(key)) {
        tx.prepare_cached("DELETE FROM case_people WHERE key = ?1 AND case_no = ?2")?
            .run(params![gone.stored(), case_no])?;
    }
    for new in now.iter().filter(|key| !before.contains(key)) {
        tx.prepare_cached(
            "INSERT INTO case_people (key, case_no) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?
        .run(params![new.stored(), case_no])?;
    }
    Ok(())
}

/// The stored state of each of `cases`, in order; `None` for one not stored yet.
fn stored_states(tx: &Connection, cases: &[Case]) -> Result<Vec<Option<CaseState>>, Error> {
    let numbers: Vec<i64> = cases.iter().map(|case| case.no).collect();
    let runs: Vec<[&dyn Param; 1]> = numbers.iter().map(|no| [no as &dyn Param]).collect();
    tx.prepare_cached("SELECT state FROM cases WHERE case_no = ?1")?
        .query_each(&runs, |row| {
            serde_json::from_str(row.get_str(0)?).map_err(corrupt)
        })
}

/// A case's stored events, in any order: the fold sorts them.
fn stored_events(tx: &Connection, case: Case) -> Result<Vec<CanonicalMessage>, Error> {
    stored_events_of(tx, case.no)
}

/// The stored events of case number `case_no`, in any order, each with what Joinery read into
/// it as it came in (its offences' types).
pub(super) fn stored_events_of(
    tx: &Connection,
    case_no: i64,
) -> Result<Vec<CanonicalMessage>, Error> {
    let mut query =
        tx.prepare_cached("SELECT body, offence_types FROM messages WHERE case_no = ?1")?;
    let rows = query
        .query_map(params![case_no], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.iter()
        .map(|(text, types)| {
            let mut message: CanonicalMessage = serde_json::from_str(text).map_err(corrupt)?;
            if let (Some(types), Payload::Charge(charge)) = (types, &mut message.payload) {
                let types: Vec<(u16, OffenceType)> =
                    serde_json::from_str(types).map_err(corrupt)?;
                for offence in &mut charge.offences {
                    offence.offence_type = types
                        .iter()
                        .find(|(sequence, _)| *sequence == offence.sequence)
                        .map(|(_, kind)| *kind);
                }
            }
            Ok(message)
        })
        .collect()
}

/// What Joinery read into a charge as it came in, to keep beside it: each offence's type, by
/// its sequence. `None` for any other message, or a charge with no type read.
fn offence_types(message: &CanonicalMessage) -> Result<Option<String>, Error> {
    let Payload::Charge(charge) = &message.payload else {
        return Ok(None);
    };
    let types: Vec<(u16, OffenceType)> = charge
        .offences
        .iter()
        .filter_map(|offence| Some((offence.sequence, offence.offence_type?)))
        .collect();
    if types.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(&types).map(Some).map_err(corrupt)
}
