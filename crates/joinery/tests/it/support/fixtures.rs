//! The messages the translation tests read. Two sources:
//! - the MoJ's real-format messages in `../shared/fixtures/` (or `$JOINERY_FIXTURES`), which
//!   the project reads but never copies (see their NOTICE.md). Where neither is there, the tests
//!   that need them say so in one line and skip; under CI they must run, so their absence fails.
//! - the project's own examples in `examples/`, written from the model office's example case,
//!   which are always there.

use std::path::{Path, PathBuf};

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared fixtures' directory: `$JOINERY_FIXTURES`, else `../shared/fixtures` beside the
/// repository.
fn shared_dir() -> PathBuf {
    std::env::var_os("JOINERY_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/fixtures"))
}

/// The files ending in `.extension` in `dir`, sorted.
fn files_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

/// The MoJ's real-format messages of `kind` (`spi-results`, `common-platform`); `None` where
/// they are not on this machine and CI is not set, which is said in one line.
pub fn shared(kind: &str, extension: &str) -> Option<Vec<PathBuf>> {
    let dir = shared_dir().join(kind);
    if dir.is_dir() {
        return Some(files_in(&dir, extension));
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "the shared fixtures are not at {} (set JOINERY_FIXTURES): under CI they must run",
            dir.display()
        );
    }
    eprintln!(
        "skipped: no shared fixtures at {} (set JOINERY_FIXTURES to run these)",
        dir.display()
    );
    None
}

/// The project's own examples of `kind` (`messages`, `spi-results`, `common-platform`).
pub fn examples(kind: &str, extension: &str) -> Vec<PathBuf> {
    files_in(&root().join("examples").join(kind), extension)
}

/// One of the project's own examples, as text.
pub fn example(kind: &str, name: &str) -> String {
    let path = root().join("examples").join(kind).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
