//! Who is calling, and the accounts behind them: an agency system's API key, a person's sign-in
//! and session, changing a password, and the operator's registration of agencies, keys and
//! people. Every attempt to sign in, and every key refused, is audited.
//!
//! Sessions expire after [`SESSION_IDLE`] without use; a session's last use is written at most
//! once a minute, so reading does not turn every request into a write. Each sign-in is counted
//! as failed before its password is checked (a success clears the count), and each failure after
//! the first holds the account off for a second, then two, then four; the fifth locks it for
//! [`LOCKED_FOR`]. A wrong password, a held account and an unknown name take as long and answer
//! alike: each is one hash, the last two against a decoy. What a flood of sign-ins may cost is
//! bounded in `throttle.rs`. A changed password ends every other session of the person's.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use joinery_domain::assertions::Sender;
use joinery_domain::{AgencyCode, Reader, Role, Timestamp, Username};
use joinery_ports::{
    Actor, Admission, Agency, AuditAction, AuditDetail, AuditEvent, AuditSubject, Backoff, DayList,
    KeyHash, NewUser, UserRecord,
};

use crate::throttle::ClientAddress;
use crate::{ApiKey, App, AppError, REGISTRY_FRESH_FOR, SessionToken};

/// The failure that locks an account.
pub const LOCK_AFTER_FAILURES: u32 = 5;

/// How long each failure before the lockout holds an account off: the first (a slip of the
/// finger costs nothing), the second...
const HELD_FOR: [Duration; 4] = [
    Duration::ZERO,
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
];

/// How long a locked account stays locked.
pub const LOCKED_FOR: Duration = Duration::from_secs(15 * 60);

/// How long a session lasts without use.
pub const SESSION_IDLE: Duration = Duration::from_secs(30 * 60);

/// How stale a session's last use may be before it is written again.
const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// The shortest password accepted when one is changed.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A person signed in, with their session; their password may still need changing.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: UserRecord,
    pub session: KeyHash,
}

impl SignedIn {
    pub fn reader(&self) -> Reader {
        Reader::user(
            self.user.username.clone(),
            self.user.agency.code.clone(),
            self.user.agency.kind,
            self.user.role,
        )
    }

    fn actor(&self) -> Actor {
        Actor::User {
            username: self.user.username.clone(),
            agency: self.user.agency.code.clone(),
        }
    }
}

/// What a session token comes to.
#[derive(Debug, Clone)]
pub enum SessionCheck {
    Active(Box<SignedIn>),
    /// It was idle too long; the person must sign in again.
    Expired,
    /// Not a session, or one that was ended.
    Unknown,
}

/// What became of a sign-in.
#[derive(Debug, Clone)]
pub enum SignInOutcome {
    /// The session's token, to be set in the person's cookie and shown to nobody else.
    SignedIn {
        user: Box<UserRecord>,
        token: SessionToken,
    },
    /// A wrong name or password, or a locked account: the same answer for each.
    Refused,
    /// Too many sign-ins from this client, or at once: come back after `retry_after`.
    Busy { retry_after: Duration },
}

/// Why a new password was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRefusal {
    TooShort,
    SameAsCurrent,
    WrongCurrent,
}

/// What became of a change of password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    Changed,
    Refused(PasswordRefusal),
    /// As many passwords as allowed are being checked: come back after `retry_after`.
    Busy {
        retry_after: Duration,
    },
}

/// How long to ask a client to wait when every password hash is taken: about one hash.
const HASHING_BUSY: Duration = Duration::from_secs(1);

impl App {
    /// The agency whose live key `presented` is; a key that is not is recorded as a failed
    /// attempt at `route` (the route's template, never the concrete path).
    pub async fn agency_system(
        &self,
        presented: &str,
        route: &str,
    ) -> Result<Option<Reader>, AppError> {
        match self.store.agency_for_key(KeyHash::of(presented)).await? {
            Some(agency) => Ok(Some(Reader::system(agency.code, agency.kind))),
            None => {
                let event = AuditEvent {
                    actor: Actor::Unauthenticated,
                    action: AuditAction::AuthenticationFailed,
                    subject: None,
                    detail: AuditDetail::KeyRefused {
                        route: route.to_owned(),
                    },
                };
                self.store.audit(vec![event]).await?;
                Ok(None)
            }
        }
    }

    /// The person a session token belongs to, if it is live; marks it in use.
    pub async fn session(&self, token: &str) -> Result<SessionCheck, AppError> {
        let session = KeyHash::of(token);
        let Some(record) = self.store.session(session).await? else {
            return Ok(SessionCheck::Unknown);
        };
        if record.ended {
            return Ok(SessionCheck::Unknown);
        }
        let idle = record.last_seen_at.until(Timestamp::now());
        if idle >= SESSION_IDLE {
            return Ok(SessionCheck::Expired);
        }
        if idle >= TOUCH_EVERY {
            self.store.touch_session(session).await?;
        }
        Ok(SessionCheck::Active(Box::new(SignedIn {
            user: record.user,
            session,
        })))
    }

    /// Checks a user name and password from `client`, counting failures and holding the account
    /// off as it goes, and opens a session; every attempt that is checked is audited.
    pub async fn sign_in(
        &self,
        username: Username,
        password: String,
        client: ClientAddress,
    ) -> Result<SignInOutcome, AppError> {
        if let Err(retry_after) = self.clients.check(client) {
            return Ok(SignInOutcome::Busy { retry_after });
        }
        let Some(hashing) = self.passwords.start_soon().await else {
            return Ok(SignInOutcome::Busy {
                retry_after: HASHING_BUSY,
            });
        };
        let now = Timestamp::now();
        let backoff = Backoff {
            now,
            holds: HELD_FOR
                .iter()
                .chain([&LOCKED_FOR])
                .map(|held| now.after(*held))
                .collect(),
        };
        let admission = self.store.admit_sign_in(username.clone(), backoff).await?;
        let digest = match &admission {
            Admission::Admitted(user) => Some(user.password.clone()),
            Admission::Held | Admission::NoSuchUser => None,
        };
        let matches = hashing.verify(digest, password).await?;
        let user = match admission {
            Admission::Admitted(user) if matches => *user,
            admission => {
                let audit = AuditEvent {
                    actor: Actor::SigningIn(username),
                    action: AuditAction::SignInFailed,
                    subject: None,
                    detail: AuditDetail::SignInFailed {
                        locked: matches!(admission, Admission::Held),
                    },
                };
                self.store.audit(vec![audit]).await?;
                return Ok(SignInOutcome::Refused);
            }
        };
        let token = SessionToken::generate()?;
        let audit = AuditEvent {
            actor: Actor::User {
                username: user.username.clone(),
                agency: user.agency.code.clone(),
            },
            action: AuditAction::SignedIn,
            subject: None,
            detail: AuditDetail::SignedIn { role: user.role },
        };
        self.store
            .sign_in_succeeded(user.username.clone(), token.hash(), audit)
            .await?;
        Ok(SignInOutcome::SignedIn {
            user: Box::new(user),
            token,
        })
    }

    /// Ends a person's session.
    pub async fn sign_out(&self, person: &SignedIn) -> Result<(), AppError> {
        let audit = AuditEvent {
            actor: person.actor(),
            action: AuditAction::SignedOut,
            subject: None,
            detail: AuditDetail::Nothing {},
        };
        self.store.end_session(person.session, audit).await?;
        Ok(())
    }

    /// Replaces a person's password, given their current one; clears any demand to change it.
    pub async fn change_password(
        &self,
        person: &SignedIn,
        current: String,
        new: String,
    ) -> Result<PasswordChange, AppError> {
        if new.chars().count() < MIN_PASSWORD_CHARS {
            return Ok(PasswordChange::Refused(PasswordRefusal::TooShort));
        }
        if new == current {
            return Ok(PasswordChange::Refused(PasswordRefusal::SameAsCurrent));
        }
        let Some(hashing) = self.passwords.start_soon().await else {
            return Ok(PasswordChange::Busy {
                retry_after: HASHING_BUSY,
            });
        };
        if !hashing
            .verify(Some(person.user.password.clone()), current)
            .await?
        {
            return Ok(PasswordChange::Refused(PasswordRefusal::WrongCurrent));
        }
        let digest = hashing.hash(new).await?;
        let audit = AuditEvent {
            actor: person.actor(),
            action: AuditAction::PasswordChanged,
            subject: None,
            detail: AuditDetail::Nothing {},
        };
        self.store
            .set_password(person.user.username.clone(), digest, person.session, audit)
            .await?;
        Ok(PasswordChange::Changed)
    }

    /// Adds a person with `password`, as the operator; `must_change` makes them change it at
    /// first sign-in. Their role must belong in their agency's kind.
    pub async fn add_user(
        &self,
        username: Username,
        agency: AgencyCode,
        role: Role,
        password: String,
        must_change: bool,
    ) -> Result<(), AppError> {
        let password = self.passwords.start().await?.hash(password).await?;
        let audit = AuditEvent {
            actor: Actor::Operator,
            action: AuditAction::UserAdded,
            subject: Some(AuditSubject::User(username.clone())),
            detail: AuditDetail::UserAdded {
                agency: agency.clone(),
                role,
            },
        };
        let judge = (role == Role::Judge).then(|| username.clone());
        let user = NewUser {
            username,
            agency,
            role,
            password,
            must_change_password: must_change,
        };
        self.store.add_user(user, audit).await?;
        // A judge's caseload is their own: the cases already listed before them are decided.
        if let Some(judge) = judge {
            self.store.refresh_caseloads(DayList::Judge(judge)).await?;
        }
        Ok(())
    }

    /// Registers an agency, as the operator.
    pub async fn add_agency(&self, agency: Agency) -> Result<(), AppError> {
        let audit = operator_event(AuditAction::AgencyAdded, &agency.code);
        let code = agency.code.clone();
        self.store.add_agency(agency, audit).await?;
        *self.registry.write().await = None;
        // Cases that named it before it was registered now have a class to decide for.
        self.store.refresh_caseloads(DayList::Agency(code)).await?;
        Ok(())
    }

    /// Issues a key for an agency's system, as the operator; its text is shown this once.
    pub async fn create_key(&self, agency: AgencyCode) -> Result<ApiKey, AppError> {
        let key = ApiKey::generate()?;
        let audit = operator_event(AuditAction::KeyCreated, &agency);
        self.store.add_api_key(agency, key.hash(), audit).await?;
        Ok(key)
    }

    /// The person `username` as a reader, for the operator's command line to ask on their
    /// behalf: `None` for no such person.
    pub async fn reader_named(&self, username: Username) -> Result<Option<Reader>, AppError> {
        Ok(self
            .store
            .user(username)
            .await?
            .map(|user| Reader::user(user.username, user.agency.code, user.agency.kind, user.role)))
    }

    /// The agencies known to Joinery, by code: kept for [`REGISTRY_FRESH_FOR`] (a page names
    /// agencies on every look, and the registry is a few hundred rows that seldom change), read
    /// again at once after this application adds one.
    pub async fn agencies(&self) -> Result<Arc<Vec<Agency>>, AppError> {
        if let Some((read_at, agencies)) = self.registry.read().await.as_ref()
            && read_at.elapsed() < REGISTRY_FRESH_FOR
        {
            return Ok(Arc::clone(agencies));
        }
        let agencies = Arc::new(self.store.agencies().await?);
        *self.registry.write().await = Some((std::time::Instant::now(), Arc::clone(&agencies)));
        Ok(agencies)
    }

    /// Each registered agency as a sender of messages (its kind says what it may assert), for
    /// loading messages from files on its behalf.
    pub async fn senders(&self) -> Result<BTreeMap<AgencyCode, Sender>, AppError> {
        Ok(self
            .agencies()
            .await?
            .iter()
            .map(|agency| {
                (
                    agency.code.clone(),
                    Sender::new(agency.code.clone(), agency.kind),
                )
            })
            .collect())
    }
}

/// An audit event for something the operator did to an agency's registration.
fn operator_event(action: AuditAction, agency: &AgencyCode) -> AuditEvent {
    AuditEvent {
        actor: Actor::Operator,
        action,
        subject: Some(AuditSubject::Agency(agency.clone())),
        detail: AuditDetail::Nothing {},
    }
}
