//! The plans of the queries that serve pages, as the database would run them: so that a test
//! (and an operator, with `joinery plans`) can see that each reads by index what its page shows,
//! and none scans a table whose size is the store's. On SQLite, `EXPLAIN QUERY PLAN`; on
//! PostgreSQL, the generic plan (for any values) with sequential scans priced out, so that a
//! table scan shown is one no index can serve, however few rows the tables hold now.

use std::cell::Cell;
use std::path::Path;

use joinery_ports::StoreError;
use rusqlite::{Connection, OpenFlags};

use super::{Database, caseload_page, measures, people, read};
use crate::error::Error;

/// Each query that serves a page, by what it serves.
const PAGE_QUERIES: [(&str, &str); 26] = [
    ("caseload: rows by latest item", caseload_page::BY_LATEST),
    ("caseload: how many rows", caseload_page::COUNT_ROWS),
    (
        "caseload: cases with overdue work, longest overdue first",
        caseload_page::BY_DUE,
    ),
    (
        "caseload: how many cases have overdue work",
        caseload_page::COUNT_DUE,
    ),
    (
        "caseload: how many cases have a hearing in the window",
        caseload_page::COUNT_HEARD_BEFORE,
    ),
    (
        "caseload: hearings to come in time order",
        caseload_page::BY_NEXT_HEARING,
    ),
    (
        "caseload: cases heard before a day",
        caseload_page::HEARD_BEFORE,
    ),
    ("caseload: cases heard at all", caseload_page::HEARD_AT_ALL),
    ("caseload: a case's next hearing", caseload_page::NEXT_AT),
    ("caseload: a case's overdue work", caseload_page::OVERDUE),
    ("caseload: a case's row", caseload_page::ROW),
    ("court list: an agency's day", read::DAY_OF_AGENCY),
    ("court list: a judge's day", read::DAY_OF_JUDGE),
    ("case page: its events", read::TIMELINE),
    ("who has seen a case", people::CASE_AUDIT),
    ("feed: the next page", read::CHANGES_AFTER),
    ("feed: an agency's next page", read::AGENCY_CHANGES_AFTER),
    ("case page: by URN or ASN", read::FIND_CASE),
    ("case page: the case", read::CASE_STATE),
    (
        "management information: a cell's day counts",
        measures::TIMELINESS,
    ),
    (
        "management information: a court's day counts",
        measures::TIMELINESS_OF_COURT,
    ),
    (
        "management information: a force's day counts",
        measures::TIMELINESS_OF_FORCE,
    ),
    (
        "management information: the country's day counts",
        measures::TIMELINESS_EVERYWHERE,
    ),
    (
        "management information: a measure's cells",
        measures::TALLIES,
    ),
    (
        "management information: what is open, in key order",
        measures::OPEN,
    ),
    (
        "management information: the version of a quarter's cells",
        measures::VERSION,
    ),
];

/// One page query and its plan, a line a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPlan {
    pub serves: &'static str,
    pub steps: Vec<String>,
}

impl QueryPlan {
    /// Whether every table the query reads is read by index: no step scans a table whole
    /// (SQLite's `SCAN t` without an index, PostgreSQL's `Seq Scan on t`).
    pub fn uses_indexes(&self) -> bool {
        self.steps.iter().all(|step| {
            let step = step.trim();
            // A subquery's rows are scanned as they come from it; how it reads its table is a
            // step of its own.
            let sqlite_scan = step.starts_with("SCAN")
                && !step.contains(" USING ")
                && !step.starts_with("SCAN (subquery-");
            !sqlite_scan && !step.contains("Seq Scan on ")
        })
    }
}

/// The plans of the page queries in `database`, its schema brought up to date first (by
/// opening the store). A PostgreSQL server is asked from a thread of its own, which may be a
/// thread of an async runtime.
pub fn query_plans(database: &Database) -> Result<Vec<QueryPlan>, StoreError> {
    match database {
        Database::File(path) => sqlite_plans(path),
        Database::Server(url) => {
            let url = url.clone();
            std::thread::spawn(move || postgres_plans(&url))
                .join()
                .unwrap_or_else(|_| Err(StoreError::Database("asking the plans panicked".into())))
        }
    }
}

/// Each page query's generic plan on the PostgreSQL server at `url`.
fn postgres_plans(url: &str) -> Result<Vec<QueryPlan>, StoreError> {
    let database = |error: postgres::Error| StoreError::Database(Box::new(error));
    let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(database)?;
    client
        .batch_execute(
            "SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off; \
             SET client_min_messages = warning",
        )
        .map_err(database)?;
    PAGE_QUERIES
        .iter()
        .map(|(serves, sql)| {
            let sql = crate::db::placeholders(sql);
            let parameters = Cell::new(0);
            crate::db::renumbered(&sql, |number| {
                parameters.set(parameters.get().max(number));
                String::new()
            });
            let nulls = vec!["NULL"; parameters.get() as usize].join(", ");
            let arguments = if nulls.is_empty() {
                String::new()
            } else {
                format!("({nulls})")
            };
            client
                .batch_execute(&format!("PREPARE joinery_plan AS {sql}"))
                .map_err(database)?;
            let steps = client
                .simple_query(&format!(
                    "EXPLAIN (COSTS OFF) EXECUTE joinery_plan{arguments}"
                ))
                .map_err(database)?
                .into_iter()
                .filter_map(|message| match message {
                    postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_owned),
                    _ => None,
                })
                .collect();
            client
                .batch_execute("DEALLOCATE joinery_plan")
                .map_err(database)?;
            Ok(QueryPlan { serves, steps })
        })
        .collect()
}

/// Each page query's plan in the SQLite file at `path`.
fn sqlite_plans(path: &Path) -> Result<Vec<QueryPlan>, StoreError> {
    let connection =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(Error::from)?;
    PAGE_QUERIES
        .iter()
        .map(|(serves, sql)| {
            let mut statement = connection
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .map_err(Error::from)?;
            // The plan does not depend on the values bound: each parameter is bound to null.
            let nulls = std::iter::repeat_n(rusqlite::types::Null, statement.parameter_count());
            let steps = statement
                .query_map(rusqlite::params_from_iter(nulls), |row| {
                    row.get::<_, String>(3)
                })
                .map_err(Error::from)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(Error::from)?;
            Ok(QueryPlan { serves, steps })
        })
        .collect::<Result<_, Error>>()
        .map_err(StoreError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_that_scans_a_table_whole_is_not_by_index() {
        let plan = |steps: &[&str]| QueryPlan {
            serves: "a page",
            steps: steps.iter().map(|step| (*step).to_owned()).collect(),
        };
        assert!(!plan(&["SCAN audit_log"]).uses_indexes());
        assert!(!plan(&["SEARCH cases USING INDEX x (id=?)", "SCAN messages"]).uses_indexes());
        assert!(plan(&["SCAN caseload USING INDEX caseload_by_latest"]).uses_indexes());
        assert!(!plan(&["Sort", "  ->  Seq Scan on caseload"]).uses_indexes());
        assert!(plan(&["Index Only Scan using caseload_by_latest on caseload"]).uses_indexes());
        assert!(
            plan(&[
                "Bitmap Heap Scan on case_hearings h",
                "  ->  Bitmap Index Scan on x"
            ])
            .uses_indexes()
        );
        assert!(plan(&["SEARCH cases USING INTEGER PRIMARY KEY (rowid=?)"]).uses_indexes());
        assert!(
            plan(&[
                "CO-ROUTINE (subquery-1)",
                "SEARCH caseload_actions USING COVERING INDEX x (class_no=?)",
                "SCAN (subquery-1)",
            ])
            .uses_indexes()
        );
        assert!(
            !plan(&[
                "CO-ROUTINE (subquery-1)",
                "SCAN caseload_actions",
                "SCAN (subquery-1)"
            ])
            .uses_indexes()
        );
    }
}
