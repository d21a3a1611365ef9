//! Delivering changes to agencies' webhooks. The messages table is the outbox: each webhook
//! keeps the sequence number up to which it has been delivered, and a worker sends it the
//! changes after that, read through the change feed (so the sharing policy decides, at the time
//! of sending, what goes), as one signed POST per page. Only a 2xx moves the cursor, after the
//! attempt is recorded: a crash between commit and delivery, or a failed endpoint, means the
//! changes are sent again later (at least once, in order), never lost. Failures back off
//! exponentially up to an hour.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use joinery_app::{App, Delivery, Webhook};
use joinery_domain::{Sequence, Timestamp};
use sha2::Sha256;

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

/// Delivers one page to every webhook that is due; answers how many changes were delivered.
pub async fn deliver_due(app: &App, client: &reqwest::Client) -> anyhow::Result<usize> {
    let mut delivered = 0;
    for webhook in app.webhooks_due(Timestamp::now()).await? {
        delivered += deliver(app, client, &webhook).await?;
    }
    Ok(delivered)
}

async fn deliver(app: &App, client: &reqwest::Client, webhook: &Webhook) -> anyhow::Result<usize> {
    let page = app.webhook_page(webhook, PAGE).await?;
    let next = Sequence::parse(&page.next)?;
    if page.changes.is_empty() {
        if next > webhook.delivered_to {
            // Nothing this agency may see in what was looked through: move past it.
            let skipped = Delivery {
                webhook_id: webhook.id,
                attempted_at: Timestamp::now(),
                changes: 0,
                first_seq: None,
                last_seq: None,
                status: None,
                error: None,
            };
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
        .timeout(Duration::from_secs(10))
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
        Err(error) => delivery.error = Some(error.without_url().to_string()),
    }
    if delivery.succeeded() {
        let count = delivery.changes;
        app.record_delivery(delivery, Some(next), None).await?;
        Ok(count)
    } else {
        if delivery.error.is_none() {
            delivery.error = Some("the endpoint did not answer 2xx".to_owned());
        }
        let retry_at = Timestamp::now().after(backoff(webhook.failures + 1));
        app.record_delivery(delivery, None, Some(retry_at)).await?;
        Ok(0)
    }
}

/// Runs the delivery worker until the runtime stops.
pub fn spawn(app: Arc<App>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        loop {
            match deliver_due(&app, &client).await {
                Ok(delivered) if delivered > 0 => {
                    tracing::info!(delivered, "webhook changes delivered")
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(error = %format!("{error:#}"), "webhook delivery pass failed")
                }
            }
            tokio::time::sleep(POLL).await;
        }
    })
}
