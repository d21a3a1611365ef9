//! What an outsider's sign-in attempts may cost. Anyone can post a user name and password, and
//! each check is an Argon2id hash, slow and 19 MiB large on purpose; so three bounds hold:
//!
//! - per client: each network address (an IPv6 address by its /64) may try [`CLIENT_BURST`]
//!   sign-ins at once and then one every [`CLIENT_EVERY`], and is told when to come back;
//! - at once: at most as many hashes run as the machine has cores (two at least), with at
//!   most [`WAITING`] more waiting up to [`WAIT`] for a turn, each in memory kept for it and
//!   reused, so a flood of sign-ins neither queues without bound nor grows the process; the
//!   excess is told to come back, not kept waiting;
//! - per account: the store's back-off (`accounts.rs`), counted before each check.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use argon2::Block;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use joinery_ports::PasswordDigest;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::AppError;
use crate::secrets::{argon2_memory, hash_password, verify_password};

/// Sign-ins one client may make at once (an office behind one address signs in together).
pub const CLIENT_BURST: u32 = 30;

/// Then one sign-in per this long.
pub const CLIENT_EVERY: Duration = Duration::from_secs(2);

/// Sign-ins that may wait for a hash to come free, beyond those hashing.
pub const WAITING: usize = 32;

/// How long one may wait before it is told to come back.
pub const WAIT: Duration = Duration::from_secs(2);

/// The most clients remembered; past it, clients not seen lately are forgotten, and when all
/// are recent a new one is asked to come back (memory stays bounded whatever the addresses).
const MAX_CLIENTS: usize = 100_000;

/// Where a sign-in comes from: a network address, IPv6 taken by its /64 (one site's prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddress(IpAddr);

impl ClientAddress {
    pub fn new(address: IpAddr) -> Self {
        Self(match address {
            IpAddr::V4(_) => address,
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let mut segments = v6.segments();
                    segments[4..].fill(0);
                    IpAddr::V6(segments.into())
                }
            },
        })
    }
}

/// Password hashes under a bound: permits for so many hashes at once, and the memory each works
/// in, allocated once and reused.
pub(crate) struct PasswordWork {
    permits: Arc<Semaphore>,
    /// Turns to wait for a permit: [`WAITING`] of them.
    queue: Arc<Semaphore>,
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
}

/// Leave to hash passwords now, one at a time. The permit goes with each hash to its thread,
/// so that it is held until the hash ends even if the caller stops waiting.
pub(crate) struct Hashing {
    permit: Arc<OwnedSemaphorePermit>,
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
}

impl PasswordWork {
    pub(crate) fn new(at_once: usize) -> Self {
        let at_once = at_once.max(1);
        Self {
            permits: Arc::new(Semaphore::new(at_once)),
            queue: Arc::new(Semaphore::new(WAITING)),
            memory: Arc::new(Mutex::new(Vec::with_capacity(at_once))),
        }
    }

    /// As many as the machine has cores, at least two.
    pub(crate) fn for_this_machine() -> Self {
        Self::new(
            std::thread::available_parallelism()
                .map(NonZeroU32::try_from)
                .ok()
                .and_then(Result::ok)
                .map_or(2, |cores| cores.get().max(2) as usize),
        )
    }

    /// Leave to hash now, or `None` when as many as allowed are running.
    pub(crate) fn try_start(&self) -> Option<Hashing> {
        let permit = Arc::clone(&self.permits).try_acquire_owned().ok()?;
        Some(self.hashing(permit))
    }

    /// Leave to hash, waiting up to [`WAIT`] among at most [`WAITING`] others; `None` when
    /// that many wait already, or the wait runs out.
    pub(crate) async fn start_soon(&self) -> Option<Hashing> {
        if let Some(hashing) = self.try_start() {
            return Some(hashing);
        }
        let _waiting = Arc::clone(&self.queue).try_acquire_owned().ok()?;
        let permit = tokio::time::timeout(WAIT, Arc::clone(&self.permits).acquire_owned())
            .await
            .ok()?
            .ok()?;
        Some(self.hashing(permit))
    }

    fn hashing(&self, permit: OwnedSemaphorePermit) -> Hashing {
        Hashing {
            permit: Arc::new(permit),
            memory: Arc::clone(&self.memory),
        }
    }

    /// Leave to hash, waiting for a turn (for the operator's commands, never for outsiders).
    pub(crate) async fn start(&self) -> Result<Hashing, AppError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| AppError::Internal("password hashing has stopped".into()))?;
        Ok(self.hashing(permit))
    }
}

impl Hashing {
    /// Runs `work` on a blocking thread with a block of memory from the pool, returned after.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (permit, pool) = (Arc::clone(&self.permit), Arc::clone(&self.memory));
        tokio::task::spawn_blocking(move || {
            let _held = permit;
            let taken = pool.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let mut memory = taken.unwrap_or_else(argon2_memory);
            let answer = work(&mut memory);
            pool.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(memory);
            answer
        })
        .await
        .map_err(|error| AppError::Internal(format!("a password hash failed: {error}")))
    }

    /// Whether `password` matches `digest`; with no digest (an unknown name, a held account),
    /// a decoy is checked instead, so that the answer takes as long and says the same.
    pub(crate) async fn verify(
        &self,
        digest: Option<PasswordDigest>,
        password: String,
    ) -> Result<bool, AppError> {
        self.run(move |memory| match digest {
            Some(digest) => verify_password(&digest, &password, memory),
            None => {
                if let Some(decoy) = decoy(memory) {
                    verify_password(decoy, &password, memory);
                }
                false
            }
        })
        .await
    }

    pub(crate) async fn hash(&self, password: String) -> Result<PasswordDigest, AppError> {
        self.run(move |memory| hash_password(&password, memory))
            .await?
    }
}

/// A hash to check passwords against when there is no account to check, made once.
fn decoy(memory: &mut Vec<Block>) -> Option<&'static PasswordDigest> {
    static DECOY: std::sync::OnceLock<Option<PasswordDigest>> = std::sync::OnceLock::new();
    DECOY
        .get_or_init(|| hash_password("decoy password for unknown names", memory).ok())
        .as_ref()
}

/// The rate each client may sign in at, remembering at most [`MAX_CLIENTS`].
pub(crate) struct ClientLimits {
    limiter: DefaultKeyedRateLimiter<ClientAddress>,
    clock: DefaultClock,
}

impl ClientLimits {
    pub(crate) fn new() -> Self {
        let burst = NonZeroU32::new(CLIENT_BURST).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(CLIENT_EVERY)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Self {
            limiter: DefaultKeyedRateLimiter::hashmap(quota),
            clock: DefaultClock::default(),
        }
    }

    /// `Ok` if `client` may try now; otherwise how long until it may.
    pub(crate) fn check(&self, client: ClientAddress) -> Result<(), Duration> {
        if self.limiter.len() >= MAX_CLIENTS {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
            if self.limiter.len() >= MAX_CLIENTS {
                return Err(CLIENT_EVERY);
            }
        }
        self.limiter
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_its_slash_64_and_a_mapped_ipv4_its_ipv4() {
        let parse = |text: &str| text.parse::<IpAddr>().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            ClientAddress::new(parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            ClientAddress::new(parse("2001:db8:1:2::1"))
        );
        assert_ne!(
            ClientAddress::new(parse("2001:db8:1:2::1")),
            ClientAddress::new(parse("2001:db8:1:3::1"))
        );
        assert_eq!(
            ClientAddress::new(parse("::ffff:192.0.2.7")),
            ClientAddress::new(parse("192.0.2.7"))
        );
    }

    #[test]
    fn a_client_gets_its_burst_then_is_told_when_to_come_back() {
        let limits = ClientLimits::new();
        let client = ClientAddress::new(IpAddr::from([192, 0, 2, 7]));
        for _ in 0..CLIENT_BURST {
            assert!(limits.check(client).is_ok());
        }
        let wait = limits.check(client).err();
        assert!(wait.is_some_and(|wait| wait > Duration::ZERO && wait <= CLIENT_EVERY));
        assert!(
            limits
                .check(ClientAddress::new(IpAddr::from([192, 0, 2, 8])))
                .is_ok(),
            "another client is not held up"
        );
    }

    #[tokio::test]
    async fn no_more_hashes_run_than_allowed_and_each_reuses_its_memory() {
        let work = PasswordWork::new(2);
        let first = work.try_start();
        let second = work.try_start();
        assert!(first.is_some() && second.is_some());
        assert!(work.try_start().is_none(), "a third is refused, not queued");
        // Those waiting fill the queue...
        let waiting: Vec<_> = (0..WAITING)
            .filter_map(|_| Arc::clone(&work.queue).try_acquire_owned().ok())
            .collect();
        assert_eq!(waiting.len(), WAITING);
        assert!(
            work.start_soon().await.is_none(),
            "...and one more is told to come back at once"
        );
        drop(waiting);
        drop(first);
        let third = work
            .try_start()
            .unwrap_or_else(|| panic!("a turn came free"));
        let digest = third
            .hash("a password of some length".into())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        drop(second);
        for _ in 0..3 {
            let turn = work.try_start().unwrap_or_else(|| panic!("free"));
            assert!(
                turn.verify(Some(digest.clone()), "a password of some length".into())
                    .await
                    .unwrap_or_else(|e| panic!("{e}"))
            );
        }
        let kept = work
            .memory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        assert!(kept <= 2, "{kept} blocks of memory kept for 2 at once");
    }
}
