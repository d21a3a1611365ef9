//! API keys of agency systems and session tokens of people. Each is 32 random bytes shown once
//! (to the operator, or in a cookie); the store keeps only its SHA-256, which is enough for a
//! secret of that strength (a slow password hash would only slow every request).

use sha2::{Digest, Sha256};

fn secret(prefix: &str) -> Result<String, getrandom::Error> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret)?;
    Ok(format!("{prefix}{}", hex::encode(secret)))
}

/// A key as issued: its text is shown once and never stored.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn generate() -> Result<Self, getrandom::Error> {
        secret("jny_").map(Self)
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> KeyHash {
        KeyHash::of(&self.0)
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(..)")
    }
}

/// A shared secret for signing (a webhook's): 32 random bytes as hex.
pub fn random_secret() -> Result<String, getrandom::Error> {
    secret("whsec_")
}

/// A session's token as set in the person's cookie; never stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn generate() -> Result<Self, getrandom::Error> {
        secret("").map(Self)
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> KeyHash {
        KeyHash::of(&self.0)
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

/// The SHA-256 of a presented key, the only form in which keys are stored or compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyHash([u8; 32]);

impl KeyHash {
    pub fn of(presented: &str) -> Self {
        Self(Sha256::digest(presented.as_bytes()).into())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
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
}
