//! The secrets Joinery issues and checks: agency systems' API keys and people's session tokens
//! (32 random bytes, shown once, kept only as a SHA-256), webhook signing secrets, one-time
//! passwords, and password hashes (Argon2id with the `argon2` crate's defaults, OWASP's
//! recommendation, in PHC string form with its own salt).

use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, PasswordHash};
use joinery_ports::{KeyHash, PasswordDigest};

use crate::AppError;

fn secret(prefix: &str) -> Result<String, AppError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(no_randomness)?;
    Ok(format!("{prefix}{}", hex::encode(secret)))
}

fn no_randomness(error: getrandom::Error) -> AppError {
    AppError::Internal(format!("no randomness: {error}"))
}

/// A secret Joinery issues: 32 random bytes as hex after `$prefix`, shown once, never stored;
/// only its hash is, and its `Debug` shows nothing of it.
macro_rules! issued_secret {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn generate() -> Result<Self, AppError> {
                secret($prefix).map(Self)
            }

            pub fn reveal(&self) -> &str {
                &self.0
            }

            pub fn hash(&self) -> KeyHash {
                KeyHash::of(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(..)"))
            }
        }
    };
}

issued_secret!(
    /// An agency system's API key as issued.
    ApiKey,
    "jny_"
);
issued_secret!(
    /// A session's token as set in the person's cookie.
    SessionToken,
    ""
);

/// A shared secret for signing (a webhook's, a form's CSRF token): 32 random bytes as hex.
pub fn random_secret() -> Result<String, AppError> {
    secret("whsec_")
}

/// A password of 20 random letters and digits, for a person to use once (or for the demo).
pub fn generate_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY345679";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(no_randomness)?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

/// Hashes a password with a fresh random salt. Slow on purpose (tens of milliseconds): call it
/// off the async threads.
pub(crate) fn hash_password(password: &str) -> Result<PasswordDigest, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(no_randomness)?;
    let failed = |error: argon2::password_hash::Error| {
        AppError::Internal(format!("a password cannot be hashed: {error}"))
    };
    let salt = SaltString::encode_b64(&salt).map_err(failed)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| PasswordDigest::from_phc(hash.to_string()))
        .map_err(failed)
}

/// Whether `password` is the one hashed. A stored hash that does not parse matches nothing.
pub(crate) fn verify_password(digest: &PasswordDigest, password: &str) -> bool {
    PasswordHash::new(digest.as_phc()).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_and_hash_stably() {
        let (a, b) = match (ApiKey::generate(), ApiKey::generate()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => panic!("no randomness"),
        };
        assert_ne!(a.reveal(), b.reveal());
        assert_eq!(a.hash(), KeyHash::of(a.reveal()));
        assert_ne!(a.hash(), b.hash());
        assert_eq!(format!("{a:?}"), "ApiKey(..)");
    }

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let digest =
            hash_password("correct horse battery staple").unwrap_or_else(|e| panic!("{e}"));
        assert!(digest.as_phc().starts_with("$argon2id$"));
        assert!(verify_password(&digest, "correct horse battery staple"));
        assert!(!verify_password(&digest, "correct horse battery stapler"));
        let garbage = PasswordDigest::from_phc("garbage".into());
        assert!(!verify_password(&garbage, "garbage"));
    }
}
