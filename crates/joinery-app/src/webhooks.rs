//! An agency's webhooks: registering an endpoint (only where `outbound.rs` allows calling, at
//! most [`MAX_WEBHOOKS`] an agency), removing one, listing them with their delivery state, the
//! latest attempts; and, for the delivery worker, which are due, the next page of changes each
//! may be sent (through the change feed, so the agreement decides at the time of sending), and
//! the record of each attempt. The worker's HTTP is the binary's; what goes, where it may go and
//! where the cursor stands is decided here.

use joinery_domain::{Reader, Sequence, Timestamp};
use joinery_ports::{AuditAction, AuditDetail, AuditEvent, AuditSubject, Delivery, Webhook};

use crate::outbound::OutboundRefusal;
use crate::{App, AppError, FeedPage, actor, random_secret};

/// How long a deliverer holds a webhook: well past a delivery's own time limit, so a lease runs
/// out only when the server holding it has gone.
pub const WEBHOOK_LEASE: std::time::Duration = std::time::Duration::from_secs(120);

/// The most webhooks one agency may have: each is a stream of deliveries Joinery makes.
pub const MAX_WEBHOOKS: usize = 10;

/// What became of registering a webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registration {
    /// The secret that signs deliveries is shown this once.
    Registered {
        id: i64,
        url: String,
        secret: String,
    },
    Refused(WebhookRefusal),
}

/// Why a webhook was not registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookRefusal {
    /// Webhooks are for an agency's administrators and its own systems.
    NotAdministrator,
    /// Not a URL Joinery may call (`outbound.rs`).
    Url(OutboundRefusal),
    /// The agency has [`MAX_WEBHOOKS`] already.
    TooMany,
}

/// What became of removing a webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// No live webhook of the reader's agency has that id.
    NotFound,
    NotAdministrator,
}

impl App {
    /// Registers an endpoint that Joinery POSTs each change the reader's agency may see to.
    pub async fn register_webhook(
        &self,
        reader: &Reader,
        url: &str,
    ) -> Result<Registration, AppError> {
        if !self.administers_agency(reader)? {
            return Ok(Registration::Refused(WebhookRefusal::NotAdministrator));
        }
        if let Err(refusal) = self.outbound.resolve(url).await {
            return Ok(Registration::Refused(WebhookRefusal::Url(refusal)));
        }
        let live = self
            .store
            .webhooks()
            .await?
            .iter()
            .filter(|webhook| webhook.agency == reader.agency)
            .count();
        if live >= MAX_WEBHOOKS {
            return Ok(Registration::Refused(WebhookRefusal::TooMany));
        }
        let secret = random_secret()?;
        let audit = AuditEvent {
            actor: actor(reader),
            action: AuditAction::WebhookAdded,
            subject: Some(AuditSubject::Agency(reader.agency.clone())),
            detail: AuditDetail::WebhookAdded {
                url: url.to_owned(),
            },
        };
        let id = self
            .store
            .add_webhook(reader.agency.clone(), url.to_owned(), secret.clone(), audit)
            .await?;
        Ok(Registration::Registered {
            id,
            url: url.to_owned(),
            secret,
        })
    }

    /// Stops deliveries to one of the reader's agency's webhooks; its past attempts are kept.
    pub async fn remove_webhook(&self, reader: &Reader, id: i64) -> Result<Removal, AppError> {
        if !self.administers_agency(reader)? {
            return Ok(Removal::NotAdministrator);
        }
        let audit = AuditEvent {
            actor: actor(reader),
            action: AuditAction::WebhookRemoved,
            subject: Some(AuditSubject::Agency(reader.agency.clone())),
            detail: AuditDetail::WebhookRemoved { id },
        };
        let removed = self
            .store
            .remove_webhook(reader.agency.clone(), id, audit)
            .await?;
        Ok(if removed {
            Removal::Removed
        } else {
            Removal::NotFound
        })
    }

    /// The reader's agency's webhooks, with how far each has been delivered; `None` when the
    /// reader does not administer the agency.
    pub async fn webhooks(&self, reader: &Reader) -> Result<Option<Vec<Webhook>>, AppError> {
        let all = self.administered(reader, self.store.webhooks()).await?;
        Ok(all.map(|all| {
            all.into_iter()
                .filter(|webhook| webhook.agency == reader.agency)
                .collect()
        }))
    }

    /// The latest delivery attempts of the reader's agency's webhooks, newest first; `None`
    /// when the reader does not administer the agency.
    pub async fn deliveries(&self, reader: &Reader) -> Result<Option<Vec<Delivery>>, AppError> {
        let read = self.store.deliveries(reader.agency.clone());
        self.administered(reader, read).await
    }

    /// The webhooks whose next attempt is due at `now`, each leased to the caller: no other
    /// deliverer (on this server or another on the same database) takes one until its delivery
    /// is recorded, it is given back, or [`WEBHOOK_LEASE`] passes (its deliverer died).
    pub async fn webhooks_due(&self, now: Timestamp) -> Result<Vec<Webhook>, AppError> {
        Ok(self
            .store
            .lease_due_webhooks(now, now.after(WEBHOOK_LEASE))
            .await?)
    }

    /// Gives back a webhook leased by [`App::webhooks_due`] and not delivered to this time.
    pub async fn release_webhook(&self, id: i64) -> Result<(), AppError> {
        Ok(self.store.release_webhook(id).await?)
    }

    /// The next page of changes for a webhook: what its agency's system may see after its
    /// cursor, decided now and recorded as disclosed.
    pub async fn webhook_page(
        &self,
        webhook: &Webhook,
        limit: usize,
    ) -> Result<FeedPage, AppError> {
        let reader = Reader::system(webhook.agency.clone(), webhook.agency_kind);
        self.feed(&reader, webhook.delivered_to, limit).await
    }

    /// Records an attempt: on success (or when there was nothing for the agency) the cursor
    /// moves to `delivered_to`; on failure the next attempt waits until `retry_at`.
    pub async fn record_delivery(
        &self,
        delivery: Delivery,
        delivered_to: Option<Sequence>,
        retry_at: Option<Timestamp>,
    ) -> Result<(), AppError> {
        Ok(self
            .store
            .record_delivery(delivery, delivered_to, retry_at)
            .await?)
    }
}
