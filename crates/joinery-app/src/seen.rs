//! "Who has seen this case?" as governance reads it: the case's audit entries grouped by who did
//! what on which day (a judge's list read forty times a morning is one row), each naming the
//! person and their agency and the categories of information they were shown, refused attempts
//! among them; filtered by person; and the same as CSV. Looked up by URN or ASN, for governance
//! officers alone, and each look recorded.

use std::collections::{BTreeMap, BTreeSet};

use joinery_domain::{Category, Reader, Sequence, Username};
use joinery_ports::{AuditAction, AuditEntry, CaseLookup};
use serde::Serialize;

use crate::csv_file::csv_text;
use crate::{App, AppError, WhoHasSeen};

/// One row of who has seen a case: one person (or system) doing one thing on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeenRow {
    /// The person's user name, or the agency's system (`MERPOL's system`).
    pub who: String,
    pub agency: String,
    pub action: AuditAction,
    /// The day, as `YYYY-MM-DD`.
    pub day: String,
    pub first_at: String,
    pub last_at: String,
    pub times: usize,
    /// The categories of information shown, over all of the row's entries.
    pub categories: BTreeSet<Category>,
}

/// What to narrow who has seen a case to: one person, one kind of look, days from and to
/// (inclusive, UTC); each when given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeenFilter {
    pub who: Option<Username>,
    pub what: Option<AuditAction>,
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
}

/// What a governance officer learns of a case, grouped.
#[derive(Debug, Clone, PartialEq)]
pub enum SeenReport {
    Seen(Vec<SeenRow>),
    NoSuchCase,
    Refused,
}

impl App {
    /// Who has seen the case `lookup` names, grouped by person, action and day, with the
    /// categories shown, narrowed as `filter` says. Recorded as a review.
    pub async fn who_has_seen_grouped(
        &self,
        reader: &Reader,
        lookup: CaseLookup,
        filter: &SeenFilter,
    ) -> Result<SeenReport, AppError> {
        let entries = match self.who_has_seen_case(reader, lookup.clone()).await? {
            WhoHasSeen::Seen(entries) => entries,
            WhoHasSeen::NoSuchCase => return Ok(SeenReport::NoSuchCase),
            WhoHasSeen::Refused => return Ok(SeenReport::Refused),
        };
        // The categories of the case's items, to name what each disclosure showed (read for
        // governance; nothing of the items is shown).
        let categories: BTreeMap<Sequence, Category> = match self.store.find_case(lookup).await? {
            Some(id) => self
                .store
                .case_history(id)
                .await?
                .map(|(_, entries)| {
                    entries
                        .into_iter()
                        .map(|entry| (entry.sequence, entry.event.payload.category()))
                        .collect()
                })
                .unwrap_or_default(),
            None => BTreeMap::new(),
        };
        let day = |row: &SeenRow| {
            time::Date::parse(
                &row.day,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .ok()
        };
        let rows = grouped(&entries, &categories, filter.who.as_ref())
            .into_iter()
            .filter(|row| filter.what.is_none_or(|what| row.action == what))
            .filter(|row| {
                filter
                    .from
                    .is_none_or(|from| day(row).is_some_and(|d| d >= from))
            })
            .filter(|row| filter.to.is_none_or(|to| day(row).is_some_and(|d| d <= to)))
            .collect();
        Ok(SeenReport::Seen(rows))
    }
}

/// The entries grouped by who, what and day, in the order each group first happened.
pub fn grouped(
    entries: &[AuditEntry],
    categories: &BTreeMap<Sequence, Category>,
    only: Option<&Username>,
) -> Vec<SeenRow> {
    let mut rows: Vec<SeenRow> = Vec::new();
    for entry in entries {
        let (who, agency) = actor_words(&entry.actor);
        if only.is_some_and(|only| only.as_str() != who) {
            continue;
        }
        let day = entry.at.get(..10).unwrap_or_default().to_owned();
        let shown: BTreeSet<Category> = ["items", "summaries"]
            .iter()
            .flat_map(|key| entry.detail[key].as_array().cloned().unwrap_or_default())
            .filter_map(|seq| seq.as_i64())
            .filter_map(|seq| categories.get(&Sequence::new(seq)).copied())
            .collect();
        match rows.iter_mut().find(|row| {
            row.who == who && row.agency == agency && row.action == entry.action && row.day == day
        }) {
            Some(row) => {
                row.times += 1;
                row.last_at.clone_from(&entry.at);
                row.categories.extend(shown);
            }
            None => rows.push(SeenRow {
                who,
                agency,
                action: entry.action,
                day,
                first_at: entry.at.clone(),
                last_at: entry.at.clone(),
                times: 1,
                categories: shown,
            }),
        }
    }
    rows
}

/// `user:dj.roberts@LVCJC` as (`dj.roberts`, `LVCJC`); `system:MERPOL` as (`MERPOL's system`,
/// `MERPOL`); anything else as itself.
fn actor_words(actor: &str) -> (String, String) {
    if let Some((name, agency)) = actor
        .strip_prefix("user:")
        .and_then(|rest| rest.split_once('@'))
    {
        return (name.to_owned(), agency.to_owned());
    }
    if let Some(agency) = actor.strip_prefix("system:") {
        return (format!("{agency}'s system"), agency.to_owned());
    }
    (actor.to_owned(), String::new())
}

/// The rows as CSV, for governance's own records: a heading, then one line a row.
pub fn seen_csv(rows: &[SeenRow]) -> Result<String, AppError> {
    let heading = [
        "day",
        "who",
        "agency",
        "what",
        "times",
        "first",
        "last",
        "categories",
    ];
    csv_text(
        &heading,
        rows.iter().map(|row| {
            let categories: Vec<&str> = row.categories.iter().map(|c| c.as_str()).collect();
            [
                row.day.clone(),
                row.who.clone(),
                row.agency.clone(),
                row.action.as_str().to_owned(),
                row.times.to_string(),
                row.first_at.clone(),
                row.last_at.clone(),
                categories.join(" "),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, at: &str, actor: &str, action: AuditAction, items: &[i64]) -> AuditEntry {
        AuditEntry {
            seq,
            at: at.to_owned(),
            actor: actor.to_owned(),
            action,
            subject: None,
            detail: serde_json::json!({ "items": items }),
        }
    }

    #[test]
    fn a_morning_of_reads_is_one_row_naming_the_categories_shown() {
        let categories = BTreeMap::from([
            (Sequence::new(1), Category::CaseCore),
            (Sequence::new(2), Category::PoliceFile),
        ]);
        let entries = [
            entry(
                1,
                "2026-12-01T09:00:00Z",
                "user:dj.roberts@LVCJC",
                AuditAction::CaseListed,
                &[1],
            ),
            entry(
                2,
                "2026-12-01T09:30:00Z",
                "user:dj.roberts@LVCJC",
                AuditAction::CaseListed,
                &[1, 2],
            ),
            entry(
                3,
                "2026-12-01T10:00:00Z",
                "system:MERPOL",
                AuditAction::FeedRead,
                &[1],
            ),
            entry(
                4,
                "2026-12-02T09:00:00Z",
                "user:dj.roberts@LVCJC",
                AuditAction::CaseListed,
                &[1],
            ),
        ];
        let rows = grouped(&entries, &categories, None);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (rows[0].who.as_str(), rows[0].agency.as_str(), rows[0].times),
            ("dj.roberts", "LVCJC", 2)
        );
        assert_eq!(rows[0].last_at, "2026-12-01T09:30:00Z");
        assert_eq!(
            rows[0].categories,
            BTreeSet::from([Category::CaseCore, Category::PoliceFile])
        );
        assert_eq!(rows[1].who, "MERPOL's system");
        let roberts = Username::parse("dj.roberts").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(grouped(&entries, &categories, Some(&roberts)).len(), 2);
    }
}
