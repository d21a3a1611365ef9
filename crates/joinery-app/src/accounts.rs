//! Who is calling, and the accounts behind them: an agency system's API key, a person's sign-in
//! and session, changing a password, and the operator's registration of agencies, keys and
//! people. Every attempt to sign in, and every key refused, is audited.
//!
//! Sessions expire after [`SESSION_IDLE`] without use; a session's last use is written at most
//! once a minute, so reading does not turn every request into a write. Five failed sign-ins in a
//! row lock an account for [`LOCKED_FOR`]. A wrong password and an unknown name take as long and
//! answer alike: an unknown name is checked against a decoy hash.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Duration;

use joinery_domain::assertions::Sender;
use joinery_domain::{AgencyCode, Reader, Role, Timestamp, Username};
use joinery_ports::{
    Actor, Agency, AuditAction, AuditDetail, AuditEvent, AuditSubject, KeyHash, Lockout, NewUser,
    PasswordDigest, UserRecord,
};

use crate::secrets::{hash_password, verify_password};
use crate::{ApiKey, App, AppError, SessionToken};

/// The failure that locks an account.
pub const LOCK_AFTER_FAILURES: u32 = 5;

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
}

/// A hash to check passwords against when the user name is unknown, so that a wrong name takes
/// as long to refuse as a wrong password.
fn decoy() -> Option<&'static PasswordDigest> {
    static DECOY: OnceLock<Option<PasswordDigest>> = OnceLock::new();
    DECOY
        .get_or_init(|| hash_password("decoy password for unknown names").ok())
        .as_ref()
}

/// Checks a password on a blocking thread (Argon2id is slow on purpose); an absent digest is
/// checked against the decoy and fails.
async fn verify(digest: Option<PasswordDigest>, password: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || match digest {
        Some(digest) => verify_password(&digest, &password),
        None => {
            if let Some(decoy) = decoy() {
                verify_password(decoy, &password);
            }
            false
        }
    })
    .await
    .map_err(|error| AppError::Internal(format!("a password check failed: {error}")))
}

async fn hash(password: String) -> Result<PasswordDigest, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|error| AppError::Internal(format!("a password hash failed: {error}")))?
}

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

    /// Checks a user name and password, counting failures and locking as it goes, and opens a
    /// session; every attempt is audited.
    pub async fn sign_in(
        &self,
        username: Username,
        password: String,
    ) -> Result<SignInOutcome, AppError> {
        let user = self.store.user(username.clone()).await?;
        let now = Timestamp::now();
        let locked = user
            .as_ref()
            .and_then(|user| user.locked_until)
            .is_some_and(|until| until > now);
        let digest = user.as_ref().map(|user| user.password.clone());
        let matches = verify(digest, password).await?;
        let user = match user {
            Some(user) if matches && !locked => user,
            _ => {
                let audit = AuditEvent {
                    actor: Actor::SigningIn(username.clone()),
                    action: AuditAction::SignInFailed,
                    subject: None,
                    detail: AuditDetail::SignInFailed { locked },
                };
                let lockout = Lockout {
                    after_failures: LOCK_AFTER_FAILURES,
                    until: now.after(LOCKED_FOR),
                };
                if locked {
                    self.store.audit(vec![audit]).await?;
                } else {
                    self.store.sign_in_failed(username, lockout, audit).await?;
                }
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
        if !verify(Some(person.user.password.clone()), current).await? {
            return Ok(PasswordChange::Refused(PasswordRefusal::WrongCurrent));
        }
        let digest = hash(new).await?;
        let audit = AuditEvent {
            actor: person.actor(),
            action: AuditAction::PasswordChanged,
            subject: None,
            detail: AuditDetail::Nothing {},
        };
        self.store
            .set_password(person.user.username.clone(), digest, audit)
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
        let password = hash(password).await?;
        let audit = AuditEvent {
            actor: Actor::Operator,
            action: AuditAction::UserAdded,
            subject: Some(AuditSubject::User(username.clone())),
            detail: AuditDetail::UserAdded {
                agency: agency.clone(),
                role,
            },
        };
        let user = NewUser {
            username,
            agency,
            role,
            password,
            must_change_password: must_change,
        };
        self.store.add_user(user, audit).await?;
        Ok(())
    }

    /// Registers an agency, as the operator.
    pub async fn add_agency(&self, agency: Agency) -> Result<(), AppError> {
        let audit = operator_event(AuditAction::AgencyAdded, &agency.code);
        self.store.add_agency(agency, audit).await?;
        Ok(())
    }

    /// Issues a key for an agency's system, as the operator; its text is shown this once.
    pub async fn create_key(&self, agency: AgencyCode) -> Result<ApiKey, AppError> {
        let key = ApiKey::generate()?;
        let audit = operator_event(AuditAction::KeyCreated, &agency);
        self.store.add_api_key(agency, key.hash(), audit).await?;
        Ok(key)
    }

    /// The agencies known to Joinery, by code.
    pub async fn agencies(&self) -> Result<Vec<Agency>, AppError> {
        Ok(self.store.agencies().await?)
    }

    /// Each registered agency as a sender of messages (its kind says what it may assert), for
    /// loading messages from files on its behalf.
    pub async fn senders(&self) -> Result<BTreeMap<AgencyCode, Sender>, AppError> {
        Ok(self
            .agencies()
            .await?
            .into_iter()
            .map(|agency| (agency.code.clone(), Sender::new(agency.code, agency.kind)))
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
