//! The event store: every accepted message kept whole with its provenance, the events derived
//! from it, and the case projections folded from those events; the accounts, the audit trail
//! and the webhooks beside them.
//!
//! [`SqlStore`] runs on the embedded default, a SQLite file, or on PostgreSQL ([`Database`]),
//! with one body of SQL for both (`db/`). It implements the application layer's store ports
//! (`joinery_ports::{CaseStore, AccountStore, AuditStore, WebhookStore}`), and nothing outside
//! this crate sees SQL. Appends are group-committed: concurrent senders share one durable
//! transaction, and each is answered only once it is on disk.
//!
//! It is not: validation (callers hand it validated submissions) or authorization (callers
//! decide who may read what it returns).

mod audit;
mod copy;
mod db;
mod error;
mod sql;

pub use copy::{CopyError, TableCopied, copy_to_postgres};
pub use sql::measures::{ExportError, Fact, each_fact};
pub use sql::plans::{QueryPlan, query_plans};
pub use sql::{Database, SqlStore};
