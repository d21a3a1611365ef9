//! Adding people: the password is hashed here (Argon2id, on a blocking thread) and the account
//! and its audit entry are stored together.

use joinery_domain::{AgencyCode, Role, Username};
use joinery_store::{Actor, AuditAction, AuditEvent, EventStore, NewUser, PasswordDigest};

/// A password of 20 random letters and digits, for a person to use once (or for the demo).
pub fn generate_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY345679";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

/// Adds a person with `password`; `must_change` makes them change it at first sign-in.
pub async fn add_user(
    store: &dyn EventStore,
    username: Username,
    agency: AgencyCode,
    role: Role,
    password: String,
    must_change: bool,
) -> anyhow::Result<()> {
    let password = tokio::task::spawn_blocking(move || PasswordDigest::hash(&password)).await??;
    let audit = AuditEvent {
        actor: Actor::Operator,
        action: AuditAction::UserAdded,
        subject: Some(username.to_string()),
        detail: serde_json::json!({ "agency": agency.as_str(), "role": role.as_str() }),
    };
    let user = NewUser {
        username,
        agency,
        role,
        password,
        must_change_password: must_change,
    };
    store.add_user(user, audit).await?;
    Ok(())
}
