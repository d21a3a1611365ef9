//! A flood of failed sign-ins and what it does to the process's memory: Joinery's sign-in
//! (hashes bounded, each in memory kept for it; the excess answered "come back") against the
//! same number of Argon2id checks started at once with nothing bounding them, as sign-in was
//! before. Joinery's rounds run first, since memory the unbounded side takes is not given back.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::Arc;

use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, PasswordHash};
use joinery_app::{App, ClientAddress, SignInOutcome};
use joinery_domain::{AgencyCode, AgencyKind, Role, SystemName, Username};
use joinery_policy::SharingPolicy;
use joinery_store::SqlStore;

/// What a flood did.
#[derive(Debug, Clone)]
pub struct SignInFigures {
    /// Resident memory before anything, in MiB.
    pub resident_before: f64,
    /// After each of Joinery's rounds, in MiB.
    pub joinery_rounds: Vec<f64>,
    /// Of each of Joinery's rounds: answered refused (checked), and "come back" (not checked).
    pub checked_and_busy: Vec<(usize, usize)>,
    /// After the same checks started at once with nothing bounding them, in MiB.
    pub unbounded: f64,
}

/// The process's resident memory in MiB, from `/proc/self/statm`.
fn resident_mib() -> anyhow::Result<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm")?;
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("/proc/self/statm has no resident field"))?
        .parse()?;
    Ok(pages * 4096.0 / (1024.0 * 1024.0))
}

/// `attempts` failed sign-ins at once, each from its own address (so no per-client limit
/// applies), `rounds` times; then as many unbounded checks at once.
pub async fn sign_in_flood(
    attempts: usize,
    rounds: usize,
    dir: &Path,
) -> anyhow::Result<SignInFigures> {
    let store = SqlStore::open(&dir.join("sign-in.sqlite")).await?;
    let app = Arc::new(App::new(
        Arc::new(store.clone()),
        Arc::new(SharingPolicy::builtin()),
        None,
    ));
    let agency = AgencyCode::parse("LVCJC")?;
    app.add_agency(joinery_app::Agency {
        code: agency.clone(),
        kind: AgencyKind::Court,
        name: SystemName::parse("Liverpool Community Justice Centre")?,
    })
    .await?;
    app.add_user(
        Username::parse("dj.roberts")?,
        agency,
        Role::Judge,
        "the right password for this".into(),
        false,
    )
    .await?;
    let resident_before = resident_mib()?;
    let mut joinery_rounds = Vec::new();
    let mut checked_and_busy = Vec::new();
    for round in 0..rounds {
        let mut set = tokio::task::JoinSet::new();
        for attempt in 0..attempts {
            let app = Arc::clone(&app);
            let octets = u32::try_from(round * attempts + attempt)?.to_be_bytes();
            let client = ClientAddress::new(IpAddr::V4(Ipv4Addr::new(
                10, octets[1], octets[2], octets[3],
            )));
            let name = if attempt % 2 == 0 {
                "dj.roberts".to_owned()
            } else {
                format!("no.one{attempt}")
            };
            set.spawn(async move {
                app.sign_in(Username::parse(&name)?, "a wrong guess".into(), client)
                    .await
                    .map_err(anyhow::Error::from)
            });
        }
        let (mut checked, mut busy) = (0, 0);
        for outcome in set.join_all().await {
            match outcome? {
                SignInOutcome::Refused => checked += 1,
                SignInOutcome::Busy { .. } => busy += 1,
                SignInOutcome::SignedIn { .. } => anyhow::bail!("a wrong guess signed in"),
            }
        }
        checked_and_busy.push((checked, busy));
        joinery_rounds.push(resident_mib()?);
    }
    store.close().await;

    // Before: every check at once on the blocking pool, each allocating its own memory.
    let salt = SaltString::encode_b64(b"sixteen byte slt").map_err(anyhow::Error::msg)?;
    let digest = Argon2::default()
        .hash_password(b"the right password for this", &salt)
        .map_err(anyhow::Error::msg)?
        .to_string();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..attempts {
        let digest = digest.clone();
        set.spawn_blocking(move || {
            PasswordHash::new(&digest).is_ok_and(|parsed| {
                Argon2::default()
                    .verify_password(b"a wrong guess", &parsed)
                    .is_ok()
            })
        });
    }
    set.join_all().await;
    Ok(SignInFigures {
        resident_before,
        joinery_rounds,
        checked_and_busy,
        unbounded: resident_mib()?,
    })
}
