//! Writes to the registry of agencies and their API keys, on the writer's connection.

use crate::db::{Connection, OptionalExtension, params};
use joinery_domain::{AgencyCode, Timestamp};

use joinery_ports::{Agency, KeyHash, StoreError};

use crate::error::Error;

pub(super) fn add_agency(connection: &Connection, agency: &Agency) -> Result<(), Error> {
    connection.execute(
        "INSERT INTO agencies (code, kind, name, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![
            agency.code.as_str(),
            agency.kind.as_str(),
            agency.name.as_str(),
            Timestamp::now().to_string()
        ],
    )?;
    Ok(())
}

pub(super) fn add_api_key(
    connection: &Connection,
    agency: &AgencyCode,
    key: KeyHash,
) -> Result<(), Error> {
    let known: Option<i64> = connection
        .query_row(
            "SELECT 1 FROM agencies WHERE code = ?1",
            params![agency.as_str()],
            |row| row.get(0),
        )
        .optional()?;
    if known.is_none() {
        return Err(StoreError::UnknownAgency(agency.clone()).into());
    }
    connection.execute(
        "INSERT INTO api_keys (key_hash, agency, created_at) VALUES (?1, ?2, ?3)",
        params![
            key.as_bytes().as_slice(),
            agency.as_str(),
            Timestamp::now().to_string()
        ],
    )?;
    Ok(())
}
