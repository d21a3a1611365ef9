//! A made-up office's fresh database, and what it writes to `demo-credentials.json`, for the
//! demo and a national year alike: each agency registered with a key, each person with a
//! password, as the entries that file lists them by.

use std::path::{Path, PathBuf};

use anyhow::Context;
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

/// The database of a made-up office in `data_dir`, made afresh: the directory is created and
/// any earlier database there (with its WAL) removed.
pub fn fresh_database(data_dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    for stale in ["joinery.sqlite", "joinery.sqlite-wal", "joinery.sqlite-shm"] {
        let path = data_dir.join(stale);
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    Ok(data_dir.join("joinery.sqlite"))
}
