//! Each agency's feed, kept to what its system may see: the changes on the cases it works on
//! that the agreement shows it as each case stands, written in the append's transaction.
//!
//! A feed page reads its agency's next rows by index and decides each again as it reads. Kept
//! to what the agency may see, the rows a page reads are the rows it shows: a support service
//! that may see one change in five of its clients' cases does not read the other four. A row is
//! still never a disclosure; a change missing from the rows would be, so the rows only ever
//! follow the decisions exactly:
//!
//! - a change is decided for every agency on its case's team when it arrives;
//! - when the facts a decision rests on change (the team, the judges, a conviction, consent),
//!   or an agency joins the team, every change on the case is decided under the facts before
//!   and after, and only the rows whose answer changed are added or taken away;
//! - an agency not registered (whose kind is not known) gets every change as a candidate,
//!   as a store with no agreement installed does; the agreement's next install (or the
//!   agency's registration) decides its rows again.

use std::collections::BTreeSet;

use crate::db::{Connection, params};
use joinery_domain::{AgencyCode, CaseFacts, ItemFacts};
use joinery_ports::{CaseloadRows, StoreError, TimelineEntry};

use super::caseloads::Lookups;
use crate::error::Error;

/// What the transaction did to one case, as its feeds need it.
pub(super) struct FeedChange<'a> {
    /// The team and the decisions' facts before the transaction; `None` for a case it opened.
    pub before: Option<(&'a BTreeSet<AgencyCode>, &'a CaseFacts)>,
    pub team: &'a BTreeSet<AgencyCode>,
    pub facts: &'a CaseFacts,
    /// The changes the transaction added, with what deciding them needs.
    pub added: &'a [(i64, ItemFacts)],
}

/// Every change on a case, with what deciding it needs, read only when needed.
pub(super) type Everything<'e> = dyn FnMut() -> Result<Vec<(i64, ItemFacts)>, Error> + 'e;

/// Writes one case's feed rows for what the transaction changed.
pub(super) fn write(
    tx: &Connection,
    rows: &dyn CaseloadRows,
    change: &FeedChange<'_>,
    everything: &mut Everything<'_>,
    lookups: &mut Lookups,
) -> Result<(), Error> {
    let mut all: Option<Vec<(i64, ItemFacts)>> = None;
    let was_on = |agency: &AgencyCode| change.before.is_some_and(|(team, _)| team.contains(agency));
    let facts_changed = change.before.is_none_or(|(_, facts)| facts != change.facts);
    let agencies: BTreeSet<&AgencyCode> = change
        .team
        .iter()
        .chain(change.before.into_iter().flat_map(|(team, _)| team))
        .collect();
    for agency in agencies {
        let now_on = change.team.contains(agency);
        let Some(kind) = lookups.kind(tx, agency)? else {
            // Not registered: every change is a candidate, decided when read.
            if now_on {
                let seqs: Vec<i64> = if was_on(agency) || change.before.is_none() {
                    change.added.iter().map(|(seq, _)| *seq).collect()
                } else {
                    every(&mut all, everything)?
                        .iter()
                        .map(|(seq, _)| *seq)
                        .collect()
                };
                add(tx, agency, &seqs)?;
            }
            continue;
        };
        let decide = |facts: &CaseFacts, items: &[(i64, ItemFacts)]| -> Result<Vec<i64>, Error> {
            let facts_of: Vec<ItemFacts> = items.iter().map(|(_, item)| item.clone()).collect();
            let shown = rows
                .feed(agency, kind, facts, &facts_of)
                .map_err(|error| Error::Store(StoreError::Database(Box::new(error))))?;
            Ok(items
                .iter()
                .zip(shown)
                .filter(|(_, shown)| *shown)
                .map(|((seq, _), _)| *seq)
                .collect())
        };
        if was_on(agency) && now_on && !facts_changed {
            // Nothing a decision rests on changed: only the new changes are decided.
            let shown = decide(change.facts, change.added)?;
            add(tx, agency, &shown)?;
            continue;
        }
        if change.before.is_none() {
            // A case this transaction opened has no rows yet, and nothing but what it added.
            let shown = decide(change.facts, change.added)?;
            add(tx, agency, &shown)?;
            continue;
        }
        let all = every(&mut all, everything)?;
        let added: BTreeSet<i64> = change.added.iter().map(|(seq, _)| *seq).collect();
        let held: BTreeSet<i64> = match change.before {
            Some((_, facts)) if was_on(agency) => {
                let old: Vec<(i64, ItemFacts)> = all
                    .iter()
                    .filter(|(seq, _)| !added.contains(seq))
                    .cloned()
                    .collect();
                decide(facts, &old)?.into_iter().collect()
            }
            _ => BTreeSet::new(),
        };
        let shown: BTreeSet<i64> = if now_on {
            decide(change.facts, all)?.into_iter().collect()
        } else {
            BTreeSet::new()
        };
        let gained: Vec<i64> = shown.difference(&held).copied().collect();
        let lost: Vec<i64> = held.difference(&shown).copied().collect();
        add(tx, agency, &gained)?;
        remove(tx, agency, &lost)?;
    }
    Ok(())
}

/// Decides every change on a case again for each agency on `team`: what the rows come to when
/// the agreement, or an agency's registration, changes what they were decided under.
pub(super) fn rebuild(
    tx: &Connection,
    rows: &dyn CaseloadRows,
    team: &BTreeSet<AgencyCode>,
    facts: &CaseFacts,
    entries: &[TimelineEntry],
    lookups: &mut Lookups,
) -> Result<(), Error> {
    let items: Vec<ItemFacts> = entries.iter().map(|e| ItemFacts::of(&e.event)).collect();
    for agency in team {
        let Some(kind) = lookups.kind(tx, agency)? else {
            continue;
        };
        let shown = rows
            .feed(agency, kind, facts, &items)
            .map_err(|error| Error::Store(StoreError::Database(Box::new(error))))?;
        let (gained, lost): (Vec<_>, Vec<_>) =
            entries.iter().zip(shown).partition(|(_, shown)| *shown);
        let seqs = |part: Vec<(&TimelineEntry, bool)>| -> Vec<i64> {
            part.into_iter().map(|(e, _)| e.sequence.get()).collect()
        };
        add(tx, agency, &seqs(gained))?;
        remove(tx, agency, &seqs(lost))?;
    }
    Ok(())
}

fn every<'a>(
    all: &'a mut Option<Vec<(i64, ItemFacts)>>,
    everything: &mut Everything<'_>,
) -> Result<&'a [(i64, ItemFacts)], Error> {
    if all.is_none() {
        *all = Some(everything()?);
    }
    Ok(all.as_deref().unwrap_or_default())
}

fn add(tx: &Connection, agency: &AgencyCode, seqs: &[i64]) -> Result<(), Error> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO agency_feed (agency, seq) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?;
    for seq in seqs {
        insert.run(params![agency.as_str(), seq])?;
    }
    Ok(())
}

fn remove(tx: &Connection, agency: &AgencyCode, seqs: &[i64]) -> Result<(), Error> {
    let mut delete = tx.prepare_cached("DELETE FROM agency_feed WHERE agency = ?1 AND seq = ?2")?;
    for seq in seqs {
        delete.run(params![agency.as_str(), seq])?;
    }
    Ok(())
}

/// The sequence numbers of a case's timeline, with what deciding each needs.
pub(super) fn items_of(entries: &[TimelineEntry]) -> Vec<(i64, ItemFacts)> {
    entries
        .iter()
        .map(|entry| (entry.sequence.get(), ItemFacts::of(&entry.event)))
        .collect()
}
