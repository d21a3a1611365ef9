//! People who sign in to Joinery, their sessions and passwords, and the break-glass grants they
//! hold; also the audit entries governance reads back.
//!
//! Passwords are hashed with Argon2id (the `argon2` crate's default parameters, OWASP's
//! recommendation) in PHC string form, which carries its own salt and parameters.

use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, PasswordHash};
use joinery_domain::{AgencyCode, CaseId, Category, Role, Text, Timestamp, Username};
use serde::Serialize;

use crate::Agency;

/// A password hash in PHC form (`$argon2id$v=19$...`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordDigest(String);

impl std::fmt::Debug for PasswordDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordDigest(..)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("no randomness for a salt: {0}")]
    Random(#[from] getrandom::Error),
    #[error("the password cannot be hashed: {0}")]
    Hash(String),
}

impl PasswordDigest {
    /// Hashes a password with a fresh random salt. Slow on purpose (tens of milliseconds).
    pub fn hash(password: &str) -> Result<Self, PasswordError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt)?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| PasswordError::Hash(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| Self(hash.to_string()))
            .map_err(|e| PasswordError::Hash(e.to_string()))
    }

    /// Whether `password` is the one hashed. A stored hash that does not parse matches nothing.
    pub fn verify(&self, password: &str) -> bool {
        PasswordHash::new(&self.0).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    }

    pub(crate) fn from_stored(text: String) -> Self {
        Self(text)
    }

    pub(crate) fn as_stored(&self) -> &str {
        &self.0
    }
}

/// A person to add.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub agency: AgencyCode,
    pub role: Role,
    pub password: PasswordDigest,
    /// Whether the password was issued by someone else and must be changed at first sign-in.
    pub must_change_password: bool,
}

/// A person as stored, with their agency.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub username: Username,
    pub agency: Agency,
    pub role: Role,
    pub password: PasswordDigest,
    pub must_change_password: bool,
    pub failed_sign_ins: u32,
    pub locked_until: Option<Timestamp>,
}

/// A live or ended session, with the person it belongs to.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: UserRecord,
    pub last_seen_at: Timestamp,
    pub ended: bool,
}

/// When repeated failures lock an account.
#[derive(Debug, Clone, Copy)]
pub struct Lockout {
    /// The failure that locks it (the fifth, say).
    pub after_failures: u32,
    /// Until when it is then locked.
    pub until: Timestamp,
}

/// Time-limited access to one category of one case, given with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakGlassGrant {
    pub username: Username,
    pub agency: AgencyCode,
    pub case_id: CaseId,
    pub category: Category,
    pub reason: Text,
    pub granted_at: Timestamp,
    pub expires_at: Timestamp,
}

/// One audit entry as governance reads it back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub detail: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let digest =
            PasswordDigest::hash("correct horse battery staple").unwrap_or_else(|e| panic!("{e}"));
        assert!(digest.as_stored().starts_with("$argon2id$"));
        assert!(digest.verify("correct horse battery staple"));
        assert!(!digest.verify("correct horse battery stapler"));
        assert!(!PasswordDigest::from_stored("garbage".into()).verify("garbage"));
    }
}
