//! The HTTP client deliveries go out through, held to the application's outbound rules
//! (`joinery_app::OutboundPolicy`): every host name is resolved by the client itself through
//! the rules, so the connection is made only to addresses just checked (a name re-pointed
//! inside after registration, DNS rebinding, gains nothing); address literals are checked
//! before each request; no redirect is followed (a 307 would re-POST the signed body
//! elsewhere); and each request is bounded in time.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use joinery_app::{OutboundPolicy, OutboundRefusal};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// How long a delivery may take to connect, and in all.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Resolves names for the client through the outbound rules.
struct Checked(OutboundPolicy);

impl Resolve for Checked {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0.clone();
        Box::pin(async move {
            let addresses = policy.host_addresses(name.as_str()).await?;
            let addrs: Addrs = Box::new(
                addresses
                    .into_iter()
                    .map(|ip| SocketAddr::new(ip, 0))
                    .collect::<Vec<_>>()
                    .into_iter(),
            );
            Ok(addrs)
        })
    }
}

/// The client for deliveries under `policy`.
pub fn client(policy: &OutboundPolicy) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(Checked(policy.clone())))
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(TIMEOUT)
        .build()
}

/// Why a delivery's request failed, in words for the agency's administrator: the outbound
/// rule it broke, or the transport's error without the URL.
pub fn failure(error: reqwest::Error) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(cause) = source {
        if let Some(refusal) = cause.downcast_ref::<OutboundRefusal>() {
            return format!("the webhook's host {refusal}; nothing was sent");
        }
        source = cause.source();
    }
    if error.is_timeout() {
        return format!("no answer within {} seconds", TIMEOUT.as_secs());
    }
    if error.is_connect() {
        return "the endpoint could not be reached".to_owned();
    }
    error.without_url().to_string()
}
