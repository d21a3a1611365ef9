//! Webhooks and their deliveries, in SQL.

use crate::db::{Connection, params};
use joinery_domain::{AgencyCode, AgencyKind, Sequence, Timestamp};

use joinery_ports::{Delivery, Webhook};

use super::rows;
use crate::error::{Error, corrupt};

pub(super) fn add(
    connection: &Connection,
    agency: &AgencyCode,
    url: &str,
    secret: &str,
) -> Result<i64, Error> {
    connection.query_row(
        "INSERT INTO webhooks (agency, url, secret, created_at) VALUES (?1, ?2, ?3, ?4) \
         RETURNING id",
        params![agency.as_str(), url, secret, Timestamp::now().to_string()],
        |row| row.get(0),
    )
}

/// A webhook's row: id, agency, its kind, url, secret, cursor, failures, next attempt.
type WebhookRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
);

/// A delivery's row: webhook, when, changes, first and last sequence, status, error.
type DeliveryRow = (
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// Removes an agency's live webhook; whether there was one.
pub(super) fn remove(connection: &Connection, agency: &AgencyCode, id: i64) -> Result<bool, Error> {
    let removed = connection.execute(
        "UPDATE webhooks SET removed_at = ?3 WHERE id = ?1 AND agency = ?2 AND removed_at IS NULL",
        params![id, agency.as_str(), Timestamp::now().to_string()],
    )?;
    Ok(removed == 1)
}

pub(super) fn all(connection: &Connection) -> Result<Vec<Webhook>, Error> {
    let rows: Vec<WebhookRow> = rows(
        connection,
        "SELECT w.id, w.agency, a.kind, w.url, w.secret, w.delivered_to, w.failures, w.next_attempt_at \
         FROM webhooks w JOIN agencies a ON a.code = w.agency \
         WHERE w.removed_at IS NULL ORDER BY w.id",
        [],
    )?;
    rows.into_iter()
        .map(
            |(id, agency, kind, url, secret, delivered_to, failures, next)| {
                Ok(Webhook {
                    id,
                    agency: AgencyCode::parse(&agency).map_err(corrupt)?,
                    agency_kind: AgencyKind::parse(&kind).map_err(corrupt)?,
                    url,
                    secret,
                    delivered_to: Sequence::new(delivered_to),
                    failures: u32::try_from(failures).map_err(corrupt)?,
                    next_attempt_at: next
                        .as_deref()
                        .map(Timestamp::parse)
                        .transpose()
                        .map_err(corrupt)?,
                })
            },
        )
        .collect()
}

/// Records an attempt; on success the cursor moves to `delivered_to` and failures reset, else
/// the failure count grows and the next attempt waits until `retry_at`.
pub(super) fn record(
    connection: &Connection,
    delivery: &Delivery,
    delivered_to: Option<Sequence>,
    retry_at: Option<Timestamp>,
) -> Result<(), Error> {
    connection.execute(
        "INSERT INTO webhook_deliveries (webhook_id, attempted_at, changes, first_seq, last_seq, status, error) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            delivery.webhook_id,
            delivery.attempted_at.to_string(),
            i64::try_from(delivery.changes).unwrap_or(i64::MAX),
            delivery.first_seq.map(Sequence::get),
            delivery.last_seq.map(Sequence::get),
            delivery.status.map(i64::from),
            delivery.error,
        ],
    )?;
    match delivered_to {
        Some(cursor) => connection.execute(
            "UPDATE webhooks SET delivered_to = CASE WHEN delivered_to > ?2 THEN delivered_to ELSE ?2 END, \
             failures = 0, next_attempt_at = NULL, leased_until = NULL WHERE id = ?1",
            params![delivery.webhook_id, cursor.get()],
        )?,
        None => connection.execute(
            "UPDATE webhooks SET failures = failures + 1, next_attempt_at = ?2, \
             leased_until = NULL WHERE id = ?1",
            params![delivery.webhook_id, retry_at.map(|at| at.to_string())],
        )?,
    };
    Ok(())
}

/// Leases every live webhook due at `now` that no deliverer holds, until `until`; answers them.
/// One statement whose condition is checked again on each row it changes (PostgreSQL checks a
/// row another transaction changed meanwhile again; SQLite has one writer): two servers
/// leasing at once never both take a webhook.
pub(super) fn lease_due(
    connection: &Connection,
    now: Timestamp,
    until: Timestamp,
) -> Result<Vec<Webhook>, Error> {
    let leased: Vec<(i64,)> = rows(
        connection,
        "UPDATE webhooks SET leased_until = ?2 \
         WHERE removed_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?1) \
         AND (leased_until IS NULL OR leased_until <= ?1) RETURNING id",
        params![now.sortable(), until.sortable()],
    )?;
    let leased: Vec<i64> = leased.into_iter().map(|(id,)| id).collect();
    Ok(all(connection)?
        .into_iter()
        .filter(|webhook| leased.contains(&webhook.id))
        .collect())
}

/// Ends a lease with nothing delivered: another pass, on any server, may take the webhook.
pub(super) fn release(connection: &Connection, id: i64) -> Result<(), Error> {
    connection.execute(
        "UPDATE webhooks SET leased_until = NULL WHERE id = ?1",
        params![id],
    )?;
    Ok(())
}

pub(super) fn deliveries(
    connection: &Connection,
    agency: &AgencyCode,
) -> Result<Vec<Delivery>, Error> {
    let rows: Vec<DeliveryRow> = rows(
        connection,
        "SELECT d.webhook_id, d.attempted_at, d.changes, d.first_seq, d.last_seq, d.status, d.error \
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
         WHERE w.agency = ?1 ORDER BY d.id DESC LIMIT 200",
        params![agency.as_str()],
    )?;
    rows.into_iter()
        .map(
            |(webhook_id, at, changes, first_seq, last_seq, status, error)| {
                Ok(Delivery {
                    webhook_id,
                    attempted_at: Timestamp::parse(&at).map_err(corrupt)?,
                    changes: usize::try_from(changes).unwrap_or_default(),
                    first_seq: first_seq.map(Sequence::new),
                    last_seq: last_seq.map(Sequence::new),
                    status: status.map(u16::try_from).transpose().map_err(corrupt)?,
                    error,
                })
            },
        )
        .collect()
}
