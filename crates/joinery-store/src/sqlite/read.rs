//! Reads: cases, timelines, and the agencies and keys that authenticate senders.

use joinery_domain::{AgencyCode, AgencyKind, CaseId, CaseState, SystemName, Timestamp};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};

use crate::{Agency, CaseLookup, CaseRecord, KeyHash, StoreError, TimelineEntry};

fn corrupt(error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

pub(super) async fn find_case(
    pool: &SqlitePool,
    lookup: CaseLookup,
) -> Result<Option<CaseId>, StoreError> {
    let (kind, value) = match &lookup {
        CaseLookup::Urn(urn) => ("urn", urn.as_str()),
        CaseLookup::Asn(asn) => ("asn", asn.as_str()),
    };
    let row = sqlx::query("SELECT case_id FROM case_refs WHERE kind = ? AND value = ?")
        .bind(kind)
        .bind(value)
        .fetch_optional(pool)
        .await?;
    row.map(|row| CaseId::parse(row.try_get(0)?).map_err(corrupt))
        .transpose()
}

pub(super) async fn case(pool: &SqlitePool, id: CaseId) -> Result<Option<CaseRecord>, StoreError> {
    let row = sqlx::query("SELECT state FROM cases WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?;
    row.map(|row| {
        let state: CaseState = serde_json::from_str(row.try_get(0)?).map_err(corrupt)?;
        Ok(CaseRecord { id, state })
    })
    .transpose()
}

pub(super) async fn timeline(
    pool: &SqlitePool,
    id: CaseId,
) -> Result<Vec<TimelineEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT e.seq, m.received_at, COALESCE(e.event, m.body) FROM events e JOIN messages m ON m.seq = e.message_seq \
         WHERE e.case_id = ? ORDER BY e.order_key",
    )
    .bind(id.to_string())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TimelineEntry {
                sequence: row.try_get(0)?,
                received_at: Timestamp::parse(row.try_get(1)?).map_err(corrupt)?,
                event: serde_json::from_str(row.try_get(2)?).map_err(corrupt)?,
            })
        })
        .collect()
}

fn agency_from(row: &SqliteRow) -> Result<Agency, StoreError> {
    Ok(Agency {
        code: AgencyCode::parse(row.try_get(0)?).map_err(corrupt)?,
        kind: AgencyKind::parse(row.try_get(1)?).map_err(corrupt)?,
        name: SystemName::parse(row.try_get(2)?).map_err(corrupt)?,
    })
}

pub(super) async fn agencies(pool: &SqlitePool) -> Result<Vec<Agency>, StoreError> {
    let rows = sqlx::query("SELECT code, kind, name FROM agencies ORDER BY code")
        .fetch_all(pool)
        .await?;
    rows.iter().map(agency_from).collect()
}

pub(super) async fn agency_for_key(
    pool: &SqlitePool,
    key: KeyHash,
) -> Result<Option<Agency>, StoreError> {
    let row = sqlx::query(
        "SELECT a.code, a.kind, a.name FROM api_keys k JOIN agencies a ON a.code = k.agency \
         WHERE k.key_hash = ? AND k.revoked_at IS NULL",
    )
    .bind(key.as_bytes().as_slice())
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(agency_from).transpose()
}
