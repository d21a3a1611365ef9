//! The store on either engine: by default one SQLite file in WAL mode, durable on commit
//! (`synchronous=FULL`); or a PostgreSQL database, which several servers may share.
//!
//! One thread owns the connection that writes and takes its work from a queue. It is the group
//! commit: an append opens a transaction and, until the queue is empty, every append waiting is
//! taken into the same transaction; one commit then acknowledges them all. Reads run beside it
//! on a small pool of read-only connections, as WAL allows, on Tokio's blocking threads. On
//! PostgreSQL each server has such a writer, and each write transaction first takes the
//! store's advisory lock: one writer at a time across every server, as on one file.

mod append;
mod arrivals;
mod break_glass;
mod caseload_page;
mod caseloads;
mod checkpoint;
mod feeds;
pub mod measures;
mod people;
mod placement;
pub mod plans;
mod ports;
mod read;
mod refold;
mod registry;
mod sources;
mod unplaced;
mod webhooks;
mod work;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use joinery_domain::Submission;
use joinery_ports::{AppendOutcome, AuditEvent, CaseloadRows, DayList, SourceMessage, StoreError};
use rusqlite::OpenFlags;
use tokio::sync::oneshot;

use crate::db::{Connection, Engine, FromRow, PgConnection, TransactionBehavior, params};
use crate::error::Error;

/// The schema, one migration per step, applied in order and recorded in `PRAGMA user_version`.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_event_store.sql"),
    include_str!("../../migrations/sqlite/0002_audit.sql"),
    include_str!("../../migrations/sqlite/0003_people.sql"),
    include_str!("../../migrations/sqlite/0004_sources.sql"),
    include_str!("../../migrations/sqlite/0005_webhooks.sql"),
    include_str!("../../migrations/sqlite/0006_rejections.sql"),
    include_str!("../../migrations/sqlite/0007_message_exceptions.sql"),
    include_str!("../../migrations/sqlite/0008_webhook_removal.sql"),
    include_str!("../../migrations/sqlite/0009_projection_version.sql"),
    include_str!("../../migrations/sqlite/0010_exceptions_by_message.sql"),
    include_str!("../../migrations/sqlite/0011_case_hearings.sql"),
    include_str!("../../migrations/sqlite/0012_caseloads.sql"),
    include_str!("../../migrations/sqlite/0013_agency_feed.sql"),
    include_str!("../../migrations/sqlite/0014_caseload_by_due.sql"),
    include_str!("../../migrations/sqlite/0015_case_facts.sql"),
    include_str!("../../migrations/sqlite/0016_mi_timeliness.sql"),
    include_str!("../../migrations/sqlite/0017_mi_tallies.sql"),
    include_str!("../../migrations/sqlite/0018_mi_version.sql"),
    include_str!("../../migrations/sqlite/0019_mi_timeliness_by_court.sql"),
    include_str!("../../migrations/sqlite/0020_mi_open.sql"),
    include_str!("../../migrations/sqlite/0021_mi_offence_type.sql"),
    include_str!("../../migrations/sqlite/0022_mi_weeks.sql"),
    include_str!("../../migrations/sqlite/0023_mi_timeliness_courts_only.sql"),
    include_str!("../../migrations/sqlite/0024_mi_days_in_tallies.sql"),
    include_str!("../../migrations/sqlite/0025_case_people.sql"),
    include_str!("../../migrations/sqlite/0026_agency_work.sql"),
    include_str!("../../migrations/sqlite/0027_break_glass_reviews.sql"),
    include_str!("../../migrations/sqlite/0028_deactivated_people.sql"),
    include_str!("../../migrations/sqlite/0029_exception_resolutions.sql"),
    include_str!("../../migrations/sqlite/0030_hearing_resulting.sql"),
    include_str!("../../migrations/sqlite/0031_mi_prosecutor_probation.sql"),
    include_str!("../../migrations/sqlite/0032_unplaced_messages.sql"),
    include_str!("../../migrations/sqlite/0033_webhook_leases.sql"),
    include_str!("../../migrations/sqlite/0034_caseload_counts.sql"),
];

/// PostgreSQL's schema, one migration per step, recorded in `schema_version`.
const POSTGRES_MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_schema.sql"),
    include_str!("../../migrations/postgres/0002_webhook_leases.sql"),
    include_str!("../../migrations/postgres/0003_caseload_counts.sql"),
];

/// Read-only connections kept open between reads.
const IDLE_READERS: usize = 8;

/// The most messages one transaction takes: a bound on a sender's wait and on memory. Under a
/// steady load each commit rewrites the last page of every index a class of reader or an
/// agency appends to, whatever the group's size; at 48,000 rather than 16,000 a national load
/// writes 40% fewer bytes.
const MAX_GROUP: usize = 48_000;

/// The writer's page cache, in KiB (1 GiB): see [`SqlStore::open`].
const WRITER_CACHE_KIB: i64 = 1_048_576;

/// How long an open transaction under load waits for the next sender before committing.
const COMMIT_DELAY: Duration = Duration::from_micros(200);

/// The event store, on a SQLite file or a PostgreSQL server. Cloning shares the same
/// connections.
#[derive(Clone)]
pub struct SqlStore {
    inner: Arc<Inner>,
}

struct Inner {
    database: Database,
    /// Whether this server may replace the agreement other servers on the database decide by.
    replace_agreement: std::sync::atomic::AtomicBool,
    /// The writer thread's queue.
    writer: Sender<Command>,
    /// Idle read-only connections; a read takes one or opens another.
    readers: Mutex<Vec<Connection>>,
}

/// The answer to a write in the group commit: the outcomes of its messages, if any.
type WriteReply = oneshot::Sender<Result<Vec<AppendOutcome>, Arc<StoreError>>>;

/// Work for the writer thread.
enum Command {
    /// Appends and audit records share the group commit; an audit record answers with no
    /// outcomes.
    Append(Vec<Submission>, WriteReply),
    /// A source message and the events translated from it; answers with the events' outcomes
    /// (all duplicates when the agency sent the same source before).
    Source(Box<SourceMessage>, Vec<Submission>, WriteReply),
    Audit(Vec<AuditEvent>, WriteReply),
    /// What decides the caseload rows from now on; every case is decided again first if the
    /// rows held are stale.
    /// With `true`, rows decided under another agreement are decided again even on a database
    /// other servers share.
    Caseloads(
        Arc<dyn CaseloadRows>,
        bool,
        oneshot::Sender<Result<(), Error>>,
    ),
    /// Decide again the caseload rows of the cases an agency works on, or listed before a
    /// judge (one registered after their cases came in).
    Refresh(DayList, oneshot::Sender<Result<(), Error>>),
    /// Any other write, run in a transaction of its own; it answers through its own channel.
    Other(Box<dyn FnOnce(&mut Connection) + Send>),
    Close(oneshot::Sender<Result<(), Error>>),
}

/// Every row `sql` gives for `params`, each read as the tuple of its columns.
fn rows<T>(
    connection: &Connection,
    sql: &str,
    params: impl crate::db::Params,
) -> Result<Vec<T>, Error>
where
    T: FromRow,
{
    let mut statement = connection.prepare_cached(sql)?;
    let rows = statement
        .query_map(params, T::from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Where the store keeps its data: the embedded default, a SQLite file, or a PostgreSQL server
/// that several servers may share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    File(PathBuf),
    /// A `postgres://` (or `postgresql://`) connection URL.
    Server(String),
}

impl Database {
    /// A PostgreSQL URL names a server; anything else is a file's path.
    pub fn parse(text: &str) -> Self {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Self::Server(text.to_owned())
        } else {
            Self::File(PathBuf::from(text))
        }
    }

    /// The database called `name` on the same PostgreSQL server, its URL's options kept (a
    /// scratch database for a test or a benchmark); `None` for a file.
    pub fn named(&self, name: &str) -> Option<Self> {
        let Self::Server(url) = self else {
            return None;
        };
        let (address, options) = url.split_once('?').unwrap_or((url, ""));
        let host = address
            .rsplit_once('/')
            .filter(|(host, _)| host.contains("//"))
            .map_or(address, |(host, _)| host);
        Some(Self::Server(match options {
            "" => format!("{host}/{name}"),
            options => format!("{host}/{name}?{options}"),
        }))
    }

    /// The database as a person may be told of it: a server's URL without its password.
    pub fn described(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Server(url) => match url::Url::parse(url) {
                Ok(mut url) => {
                    if url.password().is_some() {
                        let _ = url.set_password(Some("…"));
                    }
                    url.to_string()
                }
                Err(_) => "a PostgreSQL server (its URL does not parse)".to_owned(),
            },
        }
    }
}

impl From<&Path> for Database {
    fn from(path: &Path) -> Self {
        Self::File(path.to_owned())
    }
}

impl From<&PathBuf> for Database {
    fn from(path: &PathBuf) -> Self {
        Self::File(path.clone())
    }
}

impl From<PathBuf> for Database {
    fn from(path: PathBuf) -> Self {
        Self::File(path)
    }
}

impl From<&Database> for Database {
    fn from(database: &Database) -> Self {
        database.clone()
    }
}

/// Opens a connection to `database` with the settings every connection shares.
fn connect(database: &Database, read_only: bool) -> Result<Connection, Error> {
    match database {
        Database::File(path) => Ok(Connection::Sqlite(connect_sqlite(path, read_only)?)),
        Database::Server(url) => Ok(Connection::Postgres(Box::new(PgConnection::connect(url)?))),
    }
}

/// Opens a SQLite connection with the settings every connection shares.
fn connect_sqlite(path: &Path, read_only: bool) -> rusqlite::Result<rusqlite::Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let connection = rusqlite::Connection::open_with_flags(path, flags)?;
    connection.busy_timeout(Duration::from_secs(10))?;
    connection.pragma_update(None, "foreign_keys", true)?;
    // 64 MiB of page cache, not SQLite's 2 MiB default: the indexes a writer touches stay in
    // memory instead of being read back through system calls.
    connection.pragma_update(None, "cache_size", -65_536)?;
    // Statement journals and temporary b-trees in memory rather than in temporary files.
    connection.pragma_update(None, "temp_store", "MEMORY")?;
    connection.set_prepared_statement_cache_capacity(64);
    if !read_only {
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(connection)
}

impl SqlStore {
    /// Opens (creating if need be) the SQLite file at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_at(&Database::File(path.to_owned())).await
    }

    /// Opens `database` (creating a SQLite file if need be) and brings its schema up to date.
    pub async fn open_at(database: &Database) -> Result<Self, StoreError> {
        let (connection, checkpointer) = match database {
            Database::File(path) => Self::open_file(path).await?,
            Database::Server(url) => {
                let url = url.clone();
                let connection = blocking(move || {
                    let mut connection =
                        Connection::Postgres(Box::new(PgConnection::connect(&url)?));
                    migrate(&mut connection)?;
                    refold::refold_if_stale(&mut connection)?;
                    Ok(connection)
                })
                .await?;
                (connection, None)
            }
        };
        let (writer, commands) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("joinery-writer".into())
            .spawn({
                let database = database.clone();
                move || write_loop(connection, checkpointer, commands, &database)
            })
            .map_err(|error| StoreError::Worker(error.to_string()))?;
        Ok(Self {
            inner: Arc::new(Inner {
                database: database.clone(),
                replace_agreement: std::sync::atomic::AtomicBool::new(false),
                writer,
                readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// The SQLite file's writer connection, its schema brought up to date, and the thread that
    /// checkpoints its write-ahead log.
    async fn open_file(
        path: &Path,
    ) -> Result<(Connection, Option<checkpoint::Checkpointer>), StoreError> {
        let writer_path = path.to_owned();
        let opened = blocking(move || {
            let connection = connect_sqlite(&writer_path, false)?;
            // The writer keeps far more: every append walks the indexes of the messages, the
            // events, the cases and the read models, and at a national year they are gigabytes.
            // What it keeps in memory it need not read back or write out twice in a transaction.
            connection.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
            let mut connection = Connection::Sqlite(connection);
            migrate(&mut connection)?;
            refold::refold_if_stale(&mut connection)?;
            // The checkpointer copies the WAL into the database; commits no longer do.
            connection.execute_batch("PRAGMA wal_autocheckpoint = 0")?;
            Ok((
                connection,
                Some(checkpoint::Checkpointer::start(&writer_path)?),
            ))
        })
        .await?;
        Ok(opened)
    }

    /// Lets this server install its agreement on a PostgreSQL database whose rows were decided
    /// under another (its operator changing the agreement for every server): without it, such a
    /// server refuses to start.
    pub fn replacing_agreement(&self) {
        self.inner
            .replace_agreement
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Closes every connection, checkpointing the WAL. Writes after this fail.
    pub async fn close(&self) {
        self.inner.drop_readers();
        let (reply, answer) = oneshot::channel();
        if self.inner.writer.send(Command::Close(reply)).is_ok()
            && let Ok(Err(error)) = answer.await
        {
            tracing::warn!(%error, "closing the store");
        }
    }

    /// Sends the writer a command that answers on its own channel, and waits for the answer.
    async fn command(
        &self,
        command: impl FnOnce(oneshot::Sender<Result<(), Error>>) -> Command,
    ) -> Result<(), StoreError> {
        self.ask(command, StoreError::from).await
    }

    /// Queues a write that joins the group commit, and waits until it is durable.
    async fn group_commit(
        &self,
        command: impl FnOnce(WriteReply) -> Command,
    ) -> Result<Vec<AppendOutcome>, StoreError> {
        self.ask(command, StoreError::Shared).await
    }

    /// Sends the writer `command` with a channel for its answer, and waits for it; a failure
    /// it answers becomes a store error by `failed`.
    async fn ask<T, E>(
        &self,
        command: impl FnOnce(oneshot::Sender<Result<T, E>>) -> Command,
        failed: impl FnOnce(E) -> StoreError,
    ) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.inner
            .writer
            .send(command(reply))
            .map_err(|_| StoreError::Closed)?;
        answer
            .await
            .map_err(|_| StoreError::Closed)?
            .map_err(failed)
    }

    /// Runs `work` on the writer connection, in the writer's queue.
    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        let command = Command::Other(Box::new(move |connection| {
            // The caller may have stopped waiting; the work is done either way.
            let _ = reply.send(work(connection).map_err(StoreError::from));
        }));
        self.inner
            .writer
            .send(command)
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `work` on the writer connection in a transaction that also records `audit`: the
    /// change and its audit entries are committed together or not at all.
    async fn write_audited<T: Send + 'static>(
        &self,
        audit: AuditEvent,
        work: impl FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.write(move |connection| {
            let mut appender = append::Appender::begin(connection)?;
            let value = work(appender.connection())?;
            appender.record(&[audit])?;
            appender.commit(None)?;
            Ok(value)
        })
        .await
    }

    /// Runs `work` on a read-only connection, on a blocking thread.
    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        blocking(move || {
            let idle = inner
                .readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            // A PostgreSQL connection kept idle may have been closed by the server meanwhile.
            let connection = match idle.filter(|connection| !connection.is_closed()) {
                Some(connection) => connection,
                None => connect(&inner.database, true)?,
            };
            let result = work(&connection);
            let mut readers = inner.readers.lock().unwrap_or_else(PoisonError::into_inner);
            if readers.len() < IDLE_READERS {
                readers.push(connection);
            }
            result
        })
        .await
        .map_err(StoreError::from)
    }
}

impl Inner {
    /// Closes the idle read connections, on a thread of their own: a PostgreSQL client closes
    /// by blocking on its own runtime, which a Tokio worker may not do.
    fn drop_readers(&self) {
        let readers =
            std::mem::take(&mut *self.readers.lock().unwrap_or_else(PoisonError::into_inner));
        if !readers.is_empty() {
            let closing = std::thread::Builder::new()
                .name("joinery-close".into())
                .spawn(move || drop(readers));
            if let Err(error) = closing {
                tracing::warn!(%error, "closing the idle read connections");
            }
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.drop_readers();
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| StoreError::Worker(error.to_string()))?
}

/// The writer thread: takes commands until the store closes or every handle is gone.
fn write_loop(
    mut connection: Connection,
    checkpointer: Option<checkpoint::Checkpointer>,
    commands: Receiver<Command>,
    database: &Database,
) {
    let mut next = None;
    let mut busy = false;
    let mut deciding: Option<Arc<dyn CaseloadRows>> = None;
    while let Some(command) = next.take().or_else(|| commands.recv().ok()) {
        // A PostgreSQL server that stopped or restarted closed the connection: each command
        // tries a new one, so writing resumes as soon as the server answers again (until then
        // each fails as unavailable, with nothing written).
        if connection.is_closed() {
            match connect(database, false) {
                Ok(fresh) => {
                    tracing::info!("the writer reconnected to the database");
                    connection = fresh;
                }
                Err(error) => tracing::warn!(%error, "the database cannot be reached"),
            }
        }
        match command {
            first @ (Command::Append(..) | Command::Source(..) | Command::Audit(..)) => {
                let mut waiters = Vec::new();
                let result = write_arriving(
                    &mut connection,
                    &commands,
                    first,
                    &mut waiters,
                    (busy, deciding.as_deref()),
                    &mut next,
                );
                busy = waiters.len() > 1;
                answer(waiters, result);
            }
            Command::Caseloads(rows, replace, reply) => {
                let installed = caseloads::install(&mut connection, rows.as_ref(), replace);
                if installed.is_ok() {
                    deciding = Some(rows);
                }
                let _ = reply.send(installed);
            }
            Command::Refresh(list, reply) => {
                // With no one deciding here (an operator's command beside a server), the rows are
                // marked stale, to be decided again when a server next starts.
                let refreshed = match &deciding {
                    Some(rows) => caseloads::refresh(&mut connection, rows.as_ref(), &list),
                    None => caseloads::mark_stale(&connection),
                };
                let _ = reply.send(refreshed);
            }
            Command::Other(work) => work(&mut connection),
            Command::Close(reply) => {
                // The last connection to close checkpoints the WAL fully and removes it.
                drop(checkpointer);
                let closed = match connection {
                    Connection::Sqlite(connection) => {
                        connection.close().map_err(|(_, error)| Error::from(error))
                    }
                    Connection::Postgres(_) => Ok(()),
                };
                let _ = reply.send(closed);
                return;
            }
        }
    }
}

/// Writes `first` and every append or audit record that arrives while the transaction is open,
/// then commits. Under load (`busy`: the last transaction served several senders) a quiet moment
/// of up to [`COMMIT_DELAY`] is waited out before committing, as PostgreSQL's `commit_delay`
/// does, since the senders just answered are about to send again. Any other command ends the
/// transaction and is left in `next`. Each waiter is listed with how many outcomes are its own.
fn write_arriving(
    connection: &mut Connection,
    commands: &Receiver<Command>,
    first: Command,
    waiters: &mut Vec<(WriteReply, usize)>,
    (busy, deciding): (bool, Option<&dyn CaseloadRows>),
    next: &mut Option<Command>,
) -> Result<Vec<AppendOutcome>, Error> {
    // Every write taken is a waiter before anything can fail, so that a failure (the database
    // gone, say) answers each of them with it rather than dropping one unanswered.
    let mut appender = match append::Appender::begin(connection) {
        Ok(appender) => appender,
        Err(error) => {
            waiters.extend(waiter_of(first, next));
            return Err(error);
        }
    };
    let mut outcomes = Vec::new();
    let mut arrived = vec![first];
    while !arrived.is_empty() {
        // Everything that arrived is taken at once: the messages of all its appends go to the
        // appender as one group, which costs less than group by group.
        let mut messages = Vec::new();
        let mut taking = std::mem::take(&mut arrived).into_iter();
        while let Some(command) = taking.next() {
            let taken = match command {
                Command::Append(group, reply) => {
                    waiters.push((reply, group.len()));
                    messages.extend(group);
                    Ok(())
                }
                Command::Source(source, group, reply) => {
                    waiters.push((reply, group.len()));
                    // Outcomes answer waiters in order: the messages gathered so far go first.
                    appender
                        .add(&std::mem::take(&mut messages))
                        .and_then(|taken| {
                            outcomes.extend(taken);
                            appender.add_source(&source)
                        })
                        .and_then(|_| appender.add(&group))
                        .map(|taken| outcomes.extend(taken))
                }
                Command::Audit(events, reply) => {
                    waiters.push((reply, 0));
                    appender.record(&events)
                }
                other => {
                    *next = Some(other);
                    Ok(())
                }
            };
            if let Err(error) = taken {
                for command in taking {
                    waiters.extend(waiter_of(command, next));
                }
                return Err(error);
            }
        }
        outcomes.extend(appender.add(&messages)?);
        while next.is_none() && outcomes.len() < MAX_GROUP {
            match commands.try_recv() {
                Ok(command) => arrived.push(command),
                Err(_) if busy && arrived.is_empty() => match commands.recv_timeout(COMMIT_DELAY) {
                    Ok(command) => arrived.push(command),
                    Err(_) => break,
                },
                Err(_) => break,
            }
            if matches!(
                arrived.last(),
                Some(
                    Command::Other(_)
                        | Command::Close(_)
                        | Command::Caseloads(..)
                        | Command::Refresh(..)
                )
            ) {
                break;
            }
        }
    }
    appender.commit(deciding)?;
    Ok(outcomes)
}

/// A write's waiter, for a write that will not be taken (its transaction failed first); any
/// other command is kept in `next`, to run after.
fn waiter_of(command: Command, next: &mut Option<Command>) -> Option<(WriteReply, usize)> {
    match command {
        Command::Append(_, reply) | Command::Source(_, _, reply) | Command::Audit(_, reply) => {
            Some((reply, 0))
        }
        other => {
            *next = Some(other);
            None
        }
    }
}

/// Answers every waiter in the transaction: their outcomes, or the error that rolled it back.
fn answer(waiters: Vec<(WriteReply, usize)>, result: Result<Vec<AppendOutcome>, Error>) {
    match result {
        Ok(outcomes) => {
            let mut outcomes = outcomes.into_iter();
            for (reply, size) in waiters {
                // A sender that stopped waiting has gone; its messages are stored regardless.
                let _ = reply.send(Ok(outcomes.by_ref().take(size).collect()));
            }
        }
        Err(error) => {
            tracing::error!(%error, "write failed; the transaction was rolled back");
            let error = Arc::new(StoreError::from(error));
            for (reply, _) in waiters {
                let _ = reply.send(Err(Arc::clone(&error)));
            }
        }
    }
}

/// Brings the schema up to date: SQLite's migrations recorded in `PRAGMA user_version`,
/// PostgreSQL's in `schema_version`, applied under an advisory lock so that servers starting
/// together apply each once.
fn migrate(connection: &mut Connection) -> Result<(), Error> {
    let (migrations, read) = match connection.engine() {
        Engine::Sqlite => (MIGRATIONS, "PRAGMA user_version"),
        Engine::Postgres => (POSTGRES_MIGRATIONS, "SELECT version FROM schema_version"),
    };
    let known = i64::try_from(migrations.len()).unwrap_or(i64::MAX);
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if tx.engine() == Engine::Postgres {
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL); \
             INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)",
        )?;
    }
    let found: i64 = tx.query_row(read, [], |row| row.get(0))?;
    if found > known {
        return Err(StoreError::SchemaTooNew { found, known }.into());
    }
    for (version, migration) in (1i64..)
        .zip(migrations)
        .skip(usize::try_from(found).unwrap_or(0))
    {
        tx.execute_batch(migration)?;
        match tx.engine() {
            Engine::Sqlite => tx.execute_batch(&format!("PRAGMA user_version = {version}"))?,
            Engine::Postgres => {
                tx.execute("UPDATE schema_version SET version = ?1", params![version])?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Database;

    #[test]
    fn another_database_on_the_same_server_keeps_the_urls_options() {
        let server =
            Database::parse("postgres://joinery@db.internal:5432/postgres?sslmode=disable");
        assert_eq!(
            server.named("scratch"),
            Some(Database::Server(
                "postgres://joinery@db.internal:5432/scratch?sslmode=disable".to_owned()
            ))
        );
        assert_eq!(
            Database::parse("postgres://127.0.0.1").named("scratch"),
            Some(Database::Server("postgres://127.0.0.1/scratch".to_owned()))
        );
        assert_eq!(Database::parse("joinery.sqlite").named("scratch"), None);
    }
}
