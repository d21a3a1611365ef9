//! Delivering changes to agencies' webhooks. The messages table is the outbox: each webhook
//! keeps the sequence number up to which it has been delivered, and a worker sends it the
//! changes after that, read through the change feed (so the sharing policy decides, at the time
//! of sending, what goes), as one signed POST per page. Only a 2xx moves the cursor, after the
//! attempt is recorded: a crash between commit and delivery, or a failed endpoint, means the
//! changes are sent again later (at least once, in order), never lost. Failures back off
//! exponentially up to an hour.
//!
//! Deliveries run side by side, one at a time per webhook, at most [`PER_AGENCY`] at once for
//! one agency and [`AT_ONCE`] in all, so that one agency's silent endpoints hold up no one
//! else's. Where they may go is `outbound.rs`'s to enforce.

pub mod outbound;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hmac::{Hmac, Mac};
use joinery_app::{App, Delivery, Webhook};
use joinery_domain::{AgencyCode, Sequence, Timestamp};
use sha2::Sha256;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

/// Deliveries to one agency's webhooks at once.
pub const PER_AGENCY: usize = 2;

/// Deliveries at once in all.
pub const AT_ONCE: usize = 32;

/// The header that carries a delivery's signature.
pub const SIGNATURE_HEADER: &str = "Joinery-Signature";

/// Changes per delivery.
const PAGE: usize = 100;

/// How often the worker looks for changes to deliver.
const POLL: Duration = Duration::from_millis(250);

/// The longest wait between attempts after failures.
const MAX_BACKOFF: Duration = Duration::from_secs(60 * 60);

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as the endpoint can check it.
pub fn signature(
    secret: &str,
    unix_seconds: i64,
    body: &[u8],
) -> Result<String, hmac::digest::InvalidLength> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())?;
    mac.update(unix_seconds.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(format!(
        "t={unix_seconds},v1={}",
        hex::encode(mac.finalize().into_bytes())
    ))
}

fn backoff(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.min(12)).min(MAX_BACKOFF)
}

/// The delivery worker's state: the application, the client held to its outbound rules, and
/// which webhooks are being delivered to, with the turns each agency and all have left.
pub struct Deliveries {
    app: Arc<App>,
    client: reqwest::Client,
    in_flight: Mutex<HashSet<i64>>,
    per_agency: Mutex<HashMap<AgencyCode, Arc<Semaphore>>>,
    all: Arc<Semaphore>,
}

/// A webhook's turn: held while its delivery runs.
struct Turn {
    deliveries: Arc<Deliveries>,
    webhook: i64,
    _agency: OwnedSemaphorePermit,
    _all: OwnedSemaphorePermit,
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.deliveries
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.webhook);
    }
}

impl Deliveries {
    pub fn new(app: Arc<App>) -> anyhow::Result<Arc<Self>> {
        let client = outbound::client(app.outbound())?;
        Ok(Arc::new(Self {
            app,
            client,
            in_flight: Mutex::default(),
            per_agency: Mutex::default(),
            all: Arc::new(Semaphore::new(AT_ONCE)),
        }))
    }

    /// A turn for `webhook` if it is not being delivered to and its agency and the worker have
    /// turns left; otherwise it waits for a later pass.
    fn turn(self: &Arc<Self>, webhook: &Webhook) -> Option<Turn> {
        let agency = Arc::clone(
            self.per_agency
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(webhook.agency.clone())
                .or_insert_with(|| Arc::new(Semaphore::new(PER_AGENCY))),
        );
        let mut in_flight = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if in_flight.contains(&webhook.id) {
            return None;
        }
        let agency = agency.try_acquire_owned().ok()?;
        let all = Arc::clone(&self.all).try_acquire_owned().ok()?;
        in_flight.insert(webhook.id);
        Some(Turn {
            deliveries: Arc::clone(self),
            webhook: webhook.id,
            _agency: agency,
            _all: all,
        })
    }

    /// Starts, in `running`, a delivery to every webhook due now that has a turn.
    pub async fn start_due(
        self: &Arc<Self>,
        running: &mut JoinSet<anyhow::Result<usize>>,
    ) -> anyhow::Result<()> {
        for webhook in self.app.webhooks_due(Timestamp::now()).await? {
            let Some(turn) = self.turn(&webhook) else {
                // No turn here this pass: given back for the next pass, on any server.
                self.app.release_webhook(webhook.id).await?;
                continue;
            };
            let deliveries = Arc::clone(self);
            running.spawn(async move {
                let delivered = deliver(&deliveries.app, &deliveries.client, &webhook).await;
                drop(turn);
                delivered
            });
        }
        Ok(())
    }

    /// Delivers one page to every webhook that is due and waits for them all; answers how many
    /// changes were delivered.
    pub async fn deliver_due(self: &Arc<Self>) -> anyhow::Result<usize> {
        let mut running = JoinSet::new();
        self.start_due(&mut running).await?;
        let mut delivered = 0;
        for outcome in running.join_all().await {
            delivered += outcome?;
        }
        Ok(delivered)
    }
}

async fn deliver(app: &App, client: &reqwest::Client, webhook: &Webhook) -> anyhow::Result<usize> {
    // Where it points is checked again now, before anything is read for it.
    if let Err(refusal) = app.outbound().check(&webhook.url) {
        let refused = Delivery::sent_nothing(
            webhook.id,
            Some(format!("the webhook's URL {refusal}; nothing was sent")),
        );
        let retry_at = Timestamp::now().after(backoff(webhook.failures + 1));
        app.record_delivery(refused, None, Some(retry_at)).await?;
        return Ok(0);
    }
    let page = app.webhook_page(webhook, PAGE).await?;
    let next = Sequence::parse(&page.next)?;
    if page.changes.is_empty() {
        if next > webhook.delivered_to {
            // Nothing this agency may see in what was looked through: move past it.
            let skipped = Delivery::sent_nothing(webhook.id, None);
            app.record_delivery(skipped, Some(next), None).await?;
        }
        return Ok(0);
    }
    let body = serde_json::to_vec(&page)?;
    let sent_at = time::OffsetDateTime::now_utc().unix_timestamp();
    let answer = client
        .post(&webhook.url)
        .header("content-type", "application/json")
        .header(
            SIGNATURE_HEADER,
            signature(&webhook.secret, sent_at, &body).map_err(|e| anyhow::anyhow!("{e}"))?,
        )
        .body(body)
        .send()
        .await;
    let mut delivery = Delivery {
        webhook_id: webhook.id,
        attempted_at: Timestamp::now(),
        changes: page.changes.len(),
        first_seq: page.changes.first().map(|change| change.item.sequence),
        last_seq: page.changes.last().map(|change| change.item.sequence),
        status: None,
        error: None,
    };
    match answer {
        Ok(response) => delivery.status = Some(response.status().as_u16()),
        Err(error) => delivery.error = Some(outbound::failure(error)),
    }
    if delivery.succeeded() {
        let count = delivery.changes;
        app.record_delivery(delivery, Some(next), None).await?;
        Ok(count)
    } else {
        if delivery.error.is_none() {
            delivery.error = Some(match delivery.status {
                Some(status @ 300..=399) => {
                    format!("the endpoint answered {status}; redirects are not followed")
                }
                _ => "the endpoint did not answer 2xx".to_owned(),
            });
        }
        let retry_at = Timestamp::now().after(backoff(webhook.failures + 1));
        app.record_delivery(delivery, None, Some(retry_at)).await?;
        Ok(0)
    }
}

/// Runs the delivery worker until the runtime stops: every [`POLL`], a delivery starts for
/// each due webhook with a turn, and those finished are reaped.
pub fn spawn(app: Arc<App>) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let deliveries = Deliveries::new(app)?;
    Ok(tokio::spawn(async move {
        let mut running = JoinSet::new();
        loop {
            if let Err(error) = deliveries.start_due(&mut running).await {
                tracing::warn!(error = %format!("{error:#}"), "webhook delivery pass failed");
            }
            while let Some(finished) = running.try_join_next() {
                match finished {
                    Ok(Ok(delivered)) if delivered > 0 => {
                        tracing::info!(delivered, "webhook changes delivered");
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => {
                        tracing::warn!(error = %format!("{error:#}"), "a webhook delivery failed");
                    }
                    Err(error) => tracing::warn!(%error, "a webhook delivery stopped"),
                }
            }
            tokio::time::sleep(POLL).await;
        }
    }))
}
