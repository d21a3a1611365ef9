//! The OpenAPI document is the contract an agency's integration engineer generates a client
//! from, so the server keeps it: schemathesis (from PyPI, `.ci/run` installs it) reads
//! `/api/v1/openapi.json` from a running server with the model office's cases and sends what
//! the document allows and what it forbids, as each kind of agency system (by its key) and as a
//! signed-in person. Every answer must be one the document lists for the route, of the content
//! type and schema it states; nothing may be a server error; what the document forbids must be
//! refused.
//!
//! One check is narrowed, and why: "what the document allows is accepted" is not asked of the
//! routes whose constraints JSON Schema cannot state — an identifier's check letter (a
//! message's ASN and PNC ID, a search's or placement's ASN), a message's claim to come from
//! the sending agency, the rule that a search gives one reference, a webhook's host resolving
//! to a public address, and a password change's current password being the person's. Their
//! descriptions say so; every other route is asked it.

use std::path::PathBuf;
use std::process::Command;

use crate::support::TestServer;

/// The routes whose rules the document describes in words rather than in its schema.
const WORDS_NOT_SCHEMA: &str = "^/api/v1/(messages|messages/\\{format\\}|search|unplaced/\\{id\\}/place|webhooks|session/password)$";

/// The schemathesis command: `JOINERY_SCHEMATHESIS`, or `st` on the path. Under CI it must be
/// there; elsewhere its absence is said and the test skips.
fn schemathesis() -> Option<PathBuf> {
    let found = std::env::var_os("JOINERY_SCHEMATHESIS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join("st"))
                    .find(|candidate| candidate.is_file())
            })
        });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "schemathesis is not installed: `.ci/run` installs it (set JOINERY_SCHEMATHESIS)"
        );
        eprintln!("skipped: schemathesis is not installed (set JOINERY_SCHEMATHESIS)");
    }
    found
}

/// How a caller proves who it is, as schemathesis's configuration names the document's
/// security schemes: so that it can also leave the proof out, and see it refused.
enum Proof {
    Key(String),
    Session(String),
}

impl Proof {
    fn config(&self) -> String {
        match self {
            Self::Key(key) => format!("[auth.openapi.api_key]\nbearer = \"{key}\"\n"),
            Self::Session(value) => format!("[auth.openapi.session]\napi_key = \"{value}\"\n"),
        }
    }

    /// What this caller leaves out: a person does not sign out mid-run, which would end the
    /// session every later request needs (signing out is asked of with the keys, where it is
    /// refused).
    fn leaves_out(&self) -> Vec<String> {
        match self {
            Self::Key(_) => Vec::new(),
            Self::Session(_) => vec!["--exclude-name".into(), "DELETE /api/v1/session".into()],
        }
    }
}

/// Runs schemathesis against `base` as the caller `auth` (its configuration) proves; its report
/// on failure.
async fn run(
    st: PathBuf,
    base: String,
    (auth, leave_out): (&str, Vec<String>),
    positive_only: bool,
) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let config = dir.path().join("schemathesis.toml");
    std::fs::write(&config, auth).map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(&st);
        // Its cache of what it found goes in the temporary directory, not the repository.
        command
            .current_dir(dir.path())
            .arg("--no-color")
            .arg("--config-file")
            .arg(&config)
            .arg("run")
            .arg(format!("{base}/api/v1/openapi.json"))
            // One worker: Hypothesis describes its strategies unsafely across threads. Two
            // callers run at once instead.
            .args(["--max-examples", "12", "--seed", "7", "--workers", "1"])
            .args(["--phases", "examples,coverage,fuzzing"])
            .args(["--warnings", "off"])
            .args(&leave_out);
        if positive_only {
            command
                .args(["--checks", "positive_data_acceptance"])
                .args(["--exclude-path-regex", WORDS_NOT_SCHEMA]);
        } else {
            command
                .args(["--checks", "all"])
                .args(["--exclude-checks", "positive_data_acceptance"]);
        }
        let output = command
            .output()
            .map_err(|e| format!("{}: {e}", st.display()))?;
        drop(dir);
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    })
    .await
    .map_err(|e| e.to_string())?
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_is_the_contract_the_server_keeps() {
    let Some(st) = schemathesis() else { return };
    let server = TestServer::start().await;
    server.load_model_office(12).await;
    server
        .add_user("pc.contract", "MERPOL", joinery_domain::Role::PoliceOfficer)
        .await;
    let person = server.signed_in("pc.contract").await;
    let mut callers: Vec<(String, Proof)> = ["MERPOL", "CPSMER", "LVCJC", "PROBNW", "VOLDRG"]
        .iter()
        .map(|agency| {
            (
                format!("{agency}'s system"),
                Proof::Key(server.key(agency).to_owned()),
            )
        })
        .collect();
    let session = person
        .cookie
        .split_once('=')
        .map(|(_, value)| value.to_owned())
        .unwrap_or_default();
    callers.push(("a signed-in police officer".into(), Proof::Session(session)));
    let mut runs = Vec::new();
    for (caller, proof) in callers {
        for positive_only in [false, true] {
            runs.push((
                caller.clone(),
                proof.config(),
                proof.leaves_out(),
                positive_only,
            ));
        }
    }
    let mut failures = Vec::new();
    for pair in runs.chunks(2) {
        let mut running = tokio::task::JoinSet::new();
        for (caller, config, leave_out, positive_only) in pair.iter().cloned() {
            let (st, base) = (st.clone(), server.base.clone());
            running.spawn(async move {
                run(st, base, (&config, leave_out), positive_only)
                    .await
                    .map_err(|report| format!("as {caller}:\n{report}"))
            });
        }
        while let Some(done) = running.join_next().await {
            if let Err(report) = done.unwrap_or_else(|e| Err(e.to_string())) {
                failures.push(report);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
