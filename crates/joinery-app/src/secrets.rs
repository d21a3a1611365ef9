//! The secrets Joinery issues and checks: agency systems' API keys and people's session tokens
//! (32 random bytes, shown once, kept only as a SHA-256), webhook signing secrets, one-time
//! passwords, and password hashes (Argon2id with the `argon2` crate's defaults, OWASP's
//! recommendation, in PHC string form with its own salt). A hash works in memory the caller
//! keeps and reuses (19 MiB with those defaults), so that hashing does not leave the allocator
//! holding a fresh 19 MiB for every password checked at once (see `throttle.rs`).

use argon2::password_hash::{Output, ParamsString, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};
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

/// The memory one Argon2id computation with Joinery's parameters works in.
pub(crate) fn argon2_memory() -> Vec<Block> {
    vec![Block::default(); Params::default().block_count()]
}

/// `memory`, grown if a stored hash asks for more than Joinery's parameters give.
fn at_least(memory: &mut Vec<Block>, blocks: usize) -> &mut [Block] {
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    memory
}

/// Hashes a password with a fresh random salt, working in `memory`. Slow on purpose (tens of
/// milliseconds): call it off the async threads.
pub(crate) fn hash_password(
    password: &str,
    memory: &mut Vec<Block>,
) -> Result<PasswordDigest, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(no_randomness)?;
    let failed = |error: argon2::password_hash::Error| {
        AppError::Internal(format!("a password cannot be hashed: {error}"))
    };
    let salt_string = SaltString::encode_b64(&salt).map_err(failed)?;
    let params = Params::default();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let memory = at_least(memory, params.block_count());
    let hash = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        Ok(argon2.hash_password_into_with_memory(password.as_bytes(), &salt, out, &mut *memory)?)
    })
    .map_err(failed)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(failed)?,
        salt: Some(salt_string.as_salt()),
        hash: Some(hash),
    };
    Ok(PasswordDigest::from_phc(phc.to_string()))
}

/// Whether `password` is the one hashed, computed in `memory`. A stored hash that does not
/// parse matches nothing.
pub(crate) fn verify_password(
    digest: &PasswordDigest,
    password: &str,
    memory: &mut Vec<Block>,
) -> bool {
    let Ok(parsed) = PasswordHash::new(digest.as_phc()) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = parsed
        .version
        .map_or(Ok(Version::V0x13), Version::try_from)
        .unwrap_or(Version::V0x13);
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    let memory = at_least(memory, blocks);
    // `Output`'s equality is constant-time.
    Output::init_with(expected.len(), |out| {
        Ok(argon2.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut *memory)?)
    })
    .is_ok_and(|computed| computed == expected)
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
        let mut memory = argon2_memory();
        let digest = hash_password("correct horse battery staple", &mut memory)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            digest
                .as_phc()
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
        );
        assert!(verify_password(
            &digest,
            "correct horse battery staple",
            &mut memory
        ));
        assert!(!verify_password(
            &digest,
            "correct horse battery stapler",
            &mut memory
        ));
        let garbage = PasswordDigest::from_phc("garbage".into());
        assert!(!verify_password(&garbage, "garbage", &mut memory));
    }

    #[test]
    fn hashes_made_by_the_argon2_crate_itself_still_verify() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap_or_else(|e| panic!("{e}"));
        let phc = Argon2::default()
            .hash_password(b"an older password", &salt)
            .unwrap_or_else(|e| panic!("{e}"))
            .to_string();
        let digest = PasswordDigest::from_phc(phc);
        let mut memory = Vec::new();
        assert!(verify_password(&digest, "an older password", &mut memory));
        assert!(!verify_password(&digest, "another password", &mut memory));
    }
}
