//! The store's own failures as its SQL code meets them, and how they cross the port: an
//! engine's error keeps its cause inside [`StoreError::Database`].

use joinery_ports::StoreError;

/// A failure inside the store: an engine's own, or one of the port's.
#[derive(Debug)]
pub(crate) enum Error {
    Sqlite(rusqlite::Error),
    Postgres(postgres::Error),
    /// A query that must find a row found none.
    NoRows,
    Store(StoreError),
}

impl From<postgres::Error> for Error {
    fn from(error: postgres::Error) -> Self {
        Self::Postgres(error)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error)
    }
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl From<Error> for StoreError {
    fn from(error: Error) -> Self {
        match error {
            Error::Sqlite(error) => Self::Database(Box::new(error)),
            Error::Postgres(error) if unreachable(&error) => Self::Unavailable(Box::new(error)),
            Error::Postgres(error) => Self::Database(Box::new(error)),
            Error::NoRows => Self::Database("a query that must find a row found none".into()),
            Error::Store(error) => error,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(error) => write!(f, "database error: {error}"),
            Self::Postgres(error) => write!(f, "database error: {error}"),
            Self::NoRows => f.write_str("database error: a query that must find a row found none"),
            Self::Store(error) => error.fmt(f),
        }
    }
}

/// Whether PostgreSQL's `error` says the server cannot be reached, rather than that it refused
/// what was asked: the connection closed or could not be made (an I/O error beneath), or the
/// server is shutting down or not yet accepting (SQLSTATE classes 08 and 57).
pub(crate) fn unreachable(error: &postgres::Error) -> bool {
    if error.is_closed() {
        return true;
    }
    if let Some(code) = error.code() {
        return code.code().starts_with("08") || code.code().starts_with("57");
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause.is::<std::io::Error>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// Stored data that does not read back as what was written.
pub(crate) fn corrupt(error: impl std::fmt::Display) -> Error {
    Error::Store(StoreError::Corrupt(error.to_string()))
}
