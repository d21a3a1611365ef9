//! The `joinery` command: serve the API and pages, run the demo model office, load files, add
//! people, issue keys, check and print the sharing policy, verify the audit trail, and measure.
//! Each command group is a module of `cli/`. Errors here are `anyhow`; the libraries' typed
//! errors end at this boundary. Output closed early (`joinery parse … | head`) ends quietly.

mod cli;

use clap::Parser;

/// mimalloc, not the system's allocator: the store's writer frees on its thread what the
/// intake allocated on another (every message it takes), which glibc's arenas handle slowly —
/// a tenth of a national load's writing went to freeing and consolidating.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = cli::Cli::parse();
    // One core is left to the store's writer thread, which every durable write waits on:
    // request handling that preempts it slows every sender at once.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let ran = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.saturating_sub(1).max(1))
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| runtime.block_on(cli::run(cli)));
    match ran {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The reader of our output went away (`| head`): what they wanted, they have.
        Err(error) if cli::is_broken_pipe(&error) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Error: {error:?}");
            std::process::ExitCode::FAILURE
        }
    }
}
