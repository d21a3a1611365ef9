//! Webhooks as stored: where an agency wants its changes POSTed, how far they have been
//! delivered, and every attempt.

use joinery_domain::{AgencyCode, AgencyKind, Timestamp};
use serde::Serialize;

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
    /// The sequence number up to which changes were delivered.
    pub delivered_to: i64,
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
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    /// The endpoint's HTTP status, if it answered.
    pub status: Option<u16>,
    /// What went wrong, if anything.
    pub error: Option<String>,
}

impl Delivery {
    pub fn succeeded(&self) -> bool {
        self.status
            .is_some_and(|status| (200..300).contains(&status))
    }
}
