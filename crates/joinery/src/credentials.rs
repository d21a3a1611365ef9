//! What a made-up office writes to `demo-credentials.json`, for the demo and a national year
//! alike: each agency registered with a key, each person with a password, as the entries that
//! file lists them by.

use joinery_app::{Agency, App, generate_password};
use joinery_domain::{AgencyCode, Role, Username};

/// Registers `agency` with an API key; its entry, with the key shown this once.
pub async fn agency_with_key(app: &App, agency: Agency) -> anyhow::Result<serde_json::Value> {
    app.add_agency(agency.clone()).await?;
    let key = app.create_key(agency.code.clone()).await?;
    Ok(serde_json::json!({
        "agency": agency.code, "kind": agency.kind, "name": agency.name, "api_key": key.reveal(),
    }))
}

/// Adds a person with a new password (no change asked at first sign-in); their entry.
pub async fn person(
    app: &App,
    name: &str,
    agency: &str,
    role: Role,
) -> anyhow::Result<serde_json::Value> {
    let password = generate_password()?;
    app.add_user(
        Username::parse(name)?,
        AgencyCode::parse(agency)?,
        role,
        password.clone(),
        false,
    )
    .await?;
    Ok(serde_json::json!({
        "username": name, "agency": agency, "role": role, "password": password,
    }))
}
