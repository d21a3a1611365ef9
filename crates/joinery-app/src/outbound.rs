//! Where Joinery may call out to: agencies' webhooks. An agency's system names a URL, and
//! Joinery POSTs signed case data to it, so a URL must never reach inside Joinery's own network
//! (the metadata service, a database port, a loopback admin page). The rules:
//!
//! - `https` only; `http` only to a host the operator vouches for (`--webhook-host`), which may
//!   then also be inside (an agency's endpoint on the same private network, a test's receiver);
//! - no user name or password in the URL;
//! - every address the host resolves to must be public: not loopback, private, link-local,
//!   shared (CGNAT), multicast, documentation, benchmarking or otherwise reserved, nor an IPv6
//!   form of one. Checked at registration and again at every delivery, with the connection
//!   made to the addresses checked (so a name re-pointed inside after registering, DNS
//!   rebinding, gains nothing); the delivery worker follows no redirects.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Why a URL may not be called.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundRefusal {
    #[error("is not a URL")]
    NotAUrl,
    #[error("must be an absolute `https://` URL")]
    NotHttps,
    #[error("must not carry a user name or password")]
    Credentials,
    #[error("resolves to an address inside a private or special network")]
    Internal,
    #[error("its host cannot be resolved")]
    Unresolvable,
}

/// The hosts the operator vouches for; everything else is held to the rules above.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboundPolicy {
    trusted_hosts: BTreeSet<String>,
}

/// A URL that passed the checks that need no lookup: its host and port, and whether the
/// operator vouches for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUrl {
    pub url: url::Url,
    pub host: String,
    pub port: u16,
    pub trusted: bool,
}

impl OutboundPolicy {
    /// No host vouched for: https to public addresses only.
    pub fn strict() -> Self {
        Self::default()
    }

    /// Vouching for `hosts` (names or address literals, compared without case).
    pub fn trusting<I: IntoIterator<Item = S>, S: AsRef<str>>(hosts: I) -> Self {
        Self {
            trusted_hosts: hosts
                .into_iter()
                .map(|host| host.as_ref().trim().to_ascii_lowercase())
                .filter(|host| !host.is_empty())
                .collect(),
        }
    }

    /// The checks a URL's text allows without a lookup: scheme, credentials, and an address
    /// literal's kind (`http://0x7f000001/` is read as 127.0.0.1 and refused).
    pub fn check(&self, text: &str) -> Result<CheckedUrl, OutboundRefusal> {
        let url = url::Url::parse(text.trim()).map_err(|error| match error {
            url::ParseError::RelativeUrlWithoutBase => OutboundRefusal::NotHttps,
            _ => OutboundRefusal::NotAUrl,
        })?;
        let host = match url.host() {
            Some(url::Host::Domain(name)) => name.to_ascii_lowercase(),
            Some(url::Host::Ipv4(v4)) => v4.to_string(),
            Some(url::Host::Ipv6(v6)) => v6.to_string(),
            None => return Err(OutboundRefusal::NotHttps),
        };
        let trusted = self.trusted_hosts.contains(&host);
        match url.scheme() {
            "https" => {}
            "http" if trusted => {}
            _ => return Err(OutboundRefusal::NotHttps),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(OutboundRefusal::Credentials);
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
            Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
            _ => None,
        };
        if !trusted && literal.is_some_and(is_internal) {
            return Err(OutboundRefusal::Internal);
        }
        let port = url
            .port_or_known_default()
            .ok_or(OutboundRefusal::NotHttps)?;
        Ok(CheckedUrl {
            url,
            host,
            port,
            trusted,
        })
    }

    /// The addresses to connect to for `checked`: resolved now, every one public unless the
    /// operator vouches for the host. Connect to these and no others.
    pub async fn addresses(
        &self,
        checked: &CheckedUrl,
    ) -> Result<Vec<SocketAddr>, OutboundRefusal> {
        let found = self.host_addresses(&checked.host).await?;
        Ok(found
            .into_iter()
            .map(|ip| SocketAddr::new(ip, checked.port))
            .collect())
    }

    /// The addresses `host` resolves to now, every one public unless the operator vouches for
    /// the host: what a delivery's connection may be made to.
    pub async fn host_addresses(&self, host: &str) -> Result<Vec<IpAddr>, OutboundRefusal> {
        let host = host.trim_matches(['[', ']']).to_ascii_lowercase();
        let found: Vec<IpAddr> = tokio::net::lookup_host((host.as_str(), 0))
            .await
            .map_err(|_| OutboundRefusal::Unresolvable)?
            .map(|address| address.ip())
            .collect();
        if found.is_empty() {
            return Err(OutboundRefusal::Unresolvable);
        }
        if !self.trusted_hosts.contains(&host) && found.iter().any(|ip| is_internal(*ip)) {
            return Err(OutboundRefusal::Internal);
        }
        Ok(found)
    }

    /// Both: the URL checked, and the addresses to connect to.
    pub async fn resolve(
        &self,
        text: &str,
    ) -> Result<(CheckedUrl, Vec<SocketAddr>), OutboundRefusal> {
        let checked = self.check(text)?;
        let addresses = self.addresses(&checked).await?;
        Ok((checked, addresses))
    }
}

/// Whether `address` is anything but a public unicast address: the special-purpose blocks of
/// the IANA registries (RFC 6890 and its updates), and IPv6 forms that carry an IPv4 address
/// (mapped, NAT64, 6to4) judged by the address they carry.
pub fn is_internal(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => internal_v6(v6),
    }
}

fn in_v4(address: Ipv4Addr, network: [u8; 4], bits: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
    u32::from(address) & mask == u32::from(Ipv4Addr::from(network)) & mask
}

fn internal_v4(address: Ipv4Addr) -> bool {
    const SPECIAL: [([u8; 4], u32); 16] = [
        ([0, 0, 0, 0], 8),       // "this network"
        ([10, 0, 0, 0], 8),      // private
        ([100, 64, 0, 0], 10),   // shared address space (CGNAT)
        ([127, 0, 0, 0], 8),     // loopback
        ([169, 254, 0, 0], 16),  // link-local, cloud metadata services
        ([172, 16, 0, 0], 12),   // private
        ([192, 0, 0, 0], 24),    // IETF protocol assignments
        ([192, 0, 2, 0], 24),    // documentation
        ([192, 31, 196, 0], 24), // AS112
        ([192, 52, 193, 0], 24), // AMT
        ([192, 88, 99, 0], 24),  // 6to4 relay anycast
        ([192, 168, 0, 0], 16),  // private
        ([198, 18, 0, 0], 15),   // benchmarking
        ([198, 51, 100, 0], 24), // documentation
        ([203, 0, 113, 0], 24),  // documentation
        ([224, 0, 0, 0], 3),     // multicast, reserved and broadcast (224/4, 240/4)
    ];
    SPECIAL
        .iter()
        .any(|(network, bits)| in_v4(address, *network, *bits))
}

fn in_v6(address: Ipv6Addr, network: Ipv6Addr, bits: u32) -> bool {
    let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
    u128::from(address) & mask == u128::from(network) & mask
}

fn internal_v6(address: Ipv6Addr) -> bool {
    if let Some(v4) = address.to_ipv4_mapped() {
        return internal_v4(v4);
    }
    let bits = u128::from(address);
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits; 6to4 (2002::/16) in
    // the 32 after its prefix.
    if in_v6(address, Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96) {
        return internal_v4(Ipv4Addr::from((bits & 0xffff_ffff) as u32));
    }
    if in_v6(address, Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16) {
        return internal_v4(Ipv4Addr::from(((bits >> 80) & 0xffff_ffff) as u32));
    }
    const SPECIAL: [(Ipv6Addr, u32); 9] = [
        (Ipv6Addr::UNSPECIFIED, 96), // ::/128, ::1 and IPv4-compatible
        (Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0), 48), // local-use NAT64
        (Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0), 64), // discard
        (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 23), // IETF protocol assignments, Teredo
        (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32), // documentation
        (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20), // documentation
        (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7), // unique local
        (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 9), // link-local and site-local
        (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8), // multicast
    ];
    SPECIAL
        .iter()
        .any(|(network, bits)| in_v6(address, *network, *bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn special_addresses_are_internal_and_public_ones_are_not() {
        for inside in [
            "127.0.0.1",
            "127.255.0.9",
            "10.0.0.1",
            "172.16.5.4",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "192.0.2.10",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "64:ff9b::a00:1",
            "2002:a00:1::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "::127.0.0.1",
        ] {
            assert!(is_internal(ip(inside)), "{inside} passed as public");
        }
        for outside in [
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "192.0.3.1",
            "2a00:1450:4009:81f::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::",
        ] {
            assert!(!is_internal(ip(outside)), "{outside} refused as internal");
        }
    }

    #[test]
    fn the_campaigns_urls_are_refused_and_a_public_https_url_is_not() {
        let strict = OutboundPolicy::strict();
        for (text, refusal) in [
            ("http://127.0.0.1:8080/hook", OutboundRefusal::NotHttps),
            ("https://127.0.0.1:8080/hook", OutboundRefusal::Internal),
            (
                "https://169.254.169.254/latest/meta-data",
                OutboundRefusal::Internal,
            ),
            ("https://[::1]/hook", OutboundRefusal::Internal),
            ("https://10.0.0.1/hook", OutboundRefusal::Internal),
            ("https://0x7f000001/hook", OutboundRefusal::Internal),
            ("https://2130706433/hook", OutboundRefusal::Internal),
            ("https://[::ffff:7f00:1]/hook", OutboundRefusal::Internal),
            ("redis://localhost:6379", OutboundRefusal::NotHttps),
            (
                "https://user:pass@example.org/hook",
                OutboundRefusal::Credentials,
            ),
            ("/hook", OutboundRefusal::NotHttps),
            ("https://exa mple.org/", OutboundRefusal::NotAUrl),
        ] {
            assert_eq!(strict.check(text).err(), Some(refusal), "{text}");
        }
        let checked = strict
            .check("https://hooks.example.org/joinery")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (checked.host.as_str(), checked.port),
            ("hooks.example.org", 443)
        );
        assert!(!checked.trusted);
    }

    #[test]
    fn a_host_the_operator_vouches_for_may_take_http_and_be_inside() {
        let trusting = OutboundPolicy::trusting(["127.0.0.1", "Hooks.Internal"]);
        assert!(
            trusting
                .check("http://127.0.0.1:9000/hook")
                .is_ok_and(|c| c.trusted)
        );
        assert!(trusting.check("http://hooks.internal/x").is_ok());
        assert_eq!(
            trusting.check("http://127.0.0.2/hook").err(),
            Some(OutboundRefusal::NotHttps)
        );
    }

    #[tokio::test]
    async fn localhost_is_refused_once_resolved() {
        let strict = OutboundPolicy::strict();
        assert_eq!(
            strict.resolve("https://localhost:6379/").await.err(),
            Some(OutboundRefusal::Internal)
        );
    }
}
