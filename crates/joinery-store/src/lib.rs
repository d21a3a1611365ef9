//! The event store: every accepted message kept whole with its provenance, the events derived
//! from it, and the case projections folded from those events; the accounts, the audit trail
//! and the webhooks beside them.
//!
//! [`SqliteStore`] is the embedded default. It implements the application layer's store ports
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
mod sqlite;

pub use copy::{CopyError, TableCopied, copy_to_postgres};
pub use sqlite::measures::{ExportError, Fact, each_fact};
pub use sqlite::plans::{QueryPlan, query_plans};
pub use sqlite::{Database, SqliteStore};
