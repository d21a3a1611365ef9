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
