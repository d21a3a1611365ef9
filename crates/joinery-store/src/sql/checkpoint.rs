//! Checkpoints the WAL beside the writer. With SQLite's automatic checkpoint, the commit that
//! crosses the threshold copies the WAL into the database before it returns, and every sender
//! in that transaction waits for it; here a connection of its own does that copying in the
//! background (`PASSIVE`: it never blocks the writer or a reader). Under a write load that never
//! pauses a passive checkpoint never finishes, and the WAL would grow without end (gigabytes
//! while a national year loads); past [`WAL_LIMIT`] the checkpointer takes its turn with the
//! writer (`TRUNCATE`), copies the rest and empties the file.

use std::path::Path;
use std::sync::mpsc::{RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use joinery_ports::StoreError;

use crate::error::Error;

/// How often the WAL is copied into the database.
const INTERVAL: Duration = Duration::from_millis(250);

/// The WAL's size past which the checkpointer waits for the writer to finish it. While it
/// finishes, the writer waits: with a limit of 256 MiB a generated year of 200,000 cases loaded
/// in 148 s, with 1 GiB in 112 s (a transaction of 48,000 messages writes tens of megabytes to
/// the WAL). A larger WAL costs disk, not memory: readers find pages in it through the
/// shared-memory index.
const WAL_LIMIT: u64 = 1024 * 1024 * 1024;

/// The background checkpointer; dropping it stops it.
pub(super) struct Checkpointer {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(super) fn start(path: &Path) -> Result<Self, Error> {
        let connection = super::connect_sqlite(path, false)?;
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let wal = std::path::PathBuf::from(wal);
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("joinery-checkpoint".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(INTERVAL) {
                    let oversized = std::fs::metadata(&wal).is_ok_and(|m| m.len() > WAL_LIMIT);
                    let mode = if oversized { "TRUNCATE" } else { "PASSIVE" };
                    let checkpoint =
                        connection
                            .query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(()));
                    if let Err(error) = checkpoint {
                        tracing::warn!(%error, "background checkpoint failed");
                    }
                }
            })
            .map_err(|error| StoreError::Worker(error.to_string()))?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::warn!("the checkpoint thread panicked");
        }
    }
}
