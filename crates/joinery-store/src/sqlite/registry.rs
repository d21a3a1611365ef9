//! Writes to the registry of agencies and their API keys, on the writer's connection.

use joinery_domain::{AgencyCode, Timestamp};
use sqlx::SqliteConnection;

use crate::{Agency, KeyHash, StoreError};

pub(super) async fn add_agency(
    connection: &mut SqliteConnection,
    agency: Agency,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO agencies (code, kind, name, created_at) VALUES (?, ?, ?, ?)")
        .bind(agency.code.as_str())
        .bind(agency.kind.as_str())
        .bind(agency.name.as_str())
        .bind(Timestamp::now().to_string())
        .execute(&mut *connection)
        .await?;
    Ok(())
}

pub(super) async fn add_api_key(
    connection: &mut SqliteConnection,
    agency: AgencyCode,
    key: KeyHash,
) -> Result<(), StoreError> {
    let known = sqlx::query("SELECT 1 FROM agencies WHERE code = ?")
        .bind(agency.as_str())
        .fetch_optional(&mut *connection)
        .await?;
    if known.is_none() {
        return Err(StoreError::UnknownAgency(agency));
    }
    sqlx::query("INSERT INTO api_keys (key_hash, agency, created_at) VALUES (?, ?, ?)")
        .bind(key.as_bytes().as_slice())
        .bind(agency.as_str())
        .bind(Timestamp::now().to_string())
        .execute(&mut *connection)
        .await?;
    Ok(())
}
