//! Webhooks: where an agency wants its changes POSTed, how far they have been delivered, and
//! every attempt.

use joinery_domain::{AgencyCode, AgencyKind, Sequence, Timestamp};
use serde::Serialize;

use crate::{AuditEvent, StoreFuture};

/// A webhook, with its delivery state.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Webhook {
    pub id: i64,
    pub agency: AgencyCode,
    #[serde(skip)]
    pub agency_kind: AgencyKind,
    pub url: String,
    /// The shared secret that signs deliveries; never serialized.
    #[serde(skip)]
    pub secret: String,
    /// The change up to which changes were delivered.
    pub delivered_to: Sequence,
    /// Failed attempts in a row.
    pub failures: u32,
    /// When the next attempt is due after a failure.
    pub next_attempt_at: Option<Timestamp>,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("id", &self.id)
            .field("agency", &self.agency)
            .field("url", &self.url)
            .field("delivered_to", &self.delivered_to)
            .finish_non_exhaustive()
    }
}

/// One attempt to deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub webhook_id: i64,
    pub attempted_at: Timestamp,
    pub changes: usize,
    pub first_seq: Option<Sequence>,
    pub last_seq: Option<Sequence>,
    /// The endpoint's HTTP status, if it answered.
    pub status: Option<u16>,
    /// What went wrong, if anything.
    pub error: Option<String>,
}

impl Delivery {
    /// An attempt that sent nothing, now: nothing to send (no `error`), or refused before
    /// sending (with the reason).
    pub fn sent_nothing(webhook_id: i64, error: Option<String>) -> Self {
        Self {
            webhook_id,
            attempted_at: Timestamp::now(),
            changes: 0,
            first_seq: None,
            last_seq: None,
            status: None,
            error,
        }
    }

    pub fn succeeded(&self) -> bool {
        self.status
            .is_some_and(|status| (200..300).contains(&status))
    }
}

/// Agencies' webhooks and their deliveries.
pub trait WebhookStore: Send + Sync + 'static {
    /// Registers an agency's webhook; answers its id.
    fn add_webhook(
        &self,
        agency: AgencyCode,
        url: String,
        secret: String,
        audit: AuditEvent,
    ) -> StoreFuture<'_, i64>;

    /// Every live webhook (not removed) with its delivery state.
    fn webhooks(&self) -> StoreFuture<'_, Vec<Webhook>>;

    /// Removes `agency`'s webhook `id`: no more deliveries; its attempts are kept. Whether
    /// there was such a live webhook.
    fn remove_webhook(
        &self,
        agency: AgencyCode,
        id: i64,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool>;

    /// Records a delivery attempt: on success the webhook's cursor moves to `delivered_to`;
    /// on failure the next attempt waits until `retry_at`.
    fn record_delivery(
        &self,
        delivery: Delivery,
        delivered_to: Option<Sequence>,
        retry_at: Option<Timestamp>,
    ) -> StoreFuture<'_, ()>;

    /// Leases every live webhook due at `now` (its next attempt not later) that no deliverer
    /// holds, until `until`, and answers them: while a lease lasts no other deliverer, on this
    /// server or another on the same database, takes the webhook. Recording a delivery ends it.
    fn lease_due_webhooks(&self, now: Timestamp, until: Timestamp)
    -> StoreFuture<'_, Vec<Webhook>>;

    /// Ends a lease with nothing delivered.
    fn release_webhook(&self, id: i64) -> StoreFuture<'_, ()>;

    /// The latest delivery attempts of an agency's webhooks, newest first.
    fn deliveries(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<Delivery>>;
}
