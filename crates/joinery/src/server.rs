//! Serving: load the sharing policy, open the store, wire both into the application layer,
//! serve HTTP until SIGINT or SIGTERM, then finish the requests in flight and close the
//! database cleanly. This is the one place the adapters (SQLite, Cedar) meet the application.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use joinery_app::{App, OutboundPolicy};
use joinery_domain::measures::disclosure::Threshold;
use joinery_policy::{PolicyFile, PolicySources, SharingPolicy};
use joinery_reference::StandingData;
use joinery_store::{Database, SqlStore};
use joinery_web::AppState;
use tokio::net::TcpListener;

/// The sharing policy in `dir` (a `.cedarschema` file and `.cedar` files), or the built-in
/// default agreement. An invalid set is an error that says what is wrong, and where.
pub fn load_policy(dir: Option<&Path>) -> anyhow::Result<SharingPolicy> {
    let Some(dir) = dir else {
        return Ok(SharingPolicy::builtin());
    };
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("reading policies from {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_file() {
            files.push(PolicyFile {
                name: path
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                text: std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?,
            });
        }
    }
    PolicySources::from_files(files)
        .and_then(|sources| SharingPolicy::load(&sources))
        .with_context(|| format!("the policies in {} cannot be used", dir.display()))
}

/// The store, and the state the handlers share: the application over the store and `policy`,
/// which records the policy in force in the audit trail. Webhooks may point only to https on
/// public addresses.
pub async fn open(
    database: impl Into<Database>,
    policy: SharingPolicy,
    reference: Option<Arc<StandingData>>,
) -> anyhow::Result<(SqlStore, AppState)> {
    open_with(database, policy, reference, OutboundPolicy::strict()).await
}

/// As [`open`], with webhooks also allowed to the hosts `outbound` vouches for.
pub async fn open_with(
    database: impl Into<Database>,
    policy: SharingPolicy,
    reference: Option<Arc<StandingData>>,
    outbound: OutboundPolicy,
) -> anyhow::Result<(SqlStore, AppState)> {
    open_suppressing(database, policy, reference, outbound, Threshold::DEFAULT).await
}

/// How a server serves, beyond its database and agreement.
pub struct Serving {
    /// Where webhooks may point.
    pub outbound: OutboundPolicy,
    /// Management information's counts are suppressed under it.
    pub threshold: Threshold,
    /// Whether to install the agreement over another that servers sharing the database decide by.
    pub replace_agreement: bool,
}

/// As [`open_with`], with management information's counts suppressed under `threshold`.
pub async fn open_suppressing(
    database: impl Into<Database>,
    policy: SharingPolicy,
    reference: Option<Arc<StandingData>>,
    outbound: OutboundPolicy,
    threshold: Threshold,
) -> anyhow::Result<(SqlStore, AppState)> {
    let serving = Serving {
        outbound,
        threshold,
        replace_agreement: false,
    };
    open_serving(database, policy, reference, serving).await
}

/// The store and the application as `serving` says.
pub async fn open_serving(
    database: impl Into<Database>,
    policy: SharingPolicy,
    reference: Option<Arc<StandingData>>,
    serving: Serving,
) -> anyhow::Result<(SqlStore, AppState)> {
    let Serving {
        outbound,
        threshold,
        replace_agreement,
    } = serving;
    let store = SqlStore::open_at(&database.into()).await?;
    if replace_agreement {
        store.replacing_agreement();
    }
    let app = App::start(Arc::new(store.clone()), Arc::new(policy), reference)
        .await?
        .with_outbound(outbound)
        .with_threshold(threshold);
    let mut state = AppState::new(Arc::new(app));
    // The design systems' files for the pages, installed by `npm ci` beside the standing data.
    state.node_modules = Some(std::path::PathBuf::from("node_modules")).filter(|dir| dir.is_dir());
    Ok((store, state))
}

/// The store and the application on it for the operator's commands (adding agencies, keys and
/// people, verifying the audit trail): the built-in agreement, nothing recorded as served.
pub async fn open_for_operator(database: impl Into<Database>) -> anyhow::Result<(SqlStore, App)> {
    let store = SqlStore::open_at(&database.into()).await?;
    let app = App::new(
        Arc::new(store.clone()),
        Arc::new(SharingPolicy::builtin()),
        None,
    );
    Ok((store, app))
}

/// Serves `state` on `listener`, and delivers webhooks, until a shutdown signal arrives.
pub async fn serve(listener: TcpListener, state: AppState) -> anyhow::Result<()> {
    let deliveries = crate::webhooks::spawn(Arc::clone(&state.app))?;
    // The peer's address goes with each request, for what is limited per client.
    let router = joinery_web::router(state);
    let served = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    deliveries.abort();
    served?;
    Ok(())
}

/// Builds management information's grids of the current quarter in the background as the
/// server starts, so that the first managers to look do not wait while a national year's are
/// built; and looks again every minute, so that under a live load a grid whose cells moved is
/// built again before a reader finds it too old to show (`measures/cache.rs`).
pub fn warm_measures(state: &AppState) {
    let app = Arc::clone(&state.app);
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        let mut first = true;
        loop {
            let today = time::OffsetDateTime::now_utc().date();
            match app.warm_measures(today).await {
                Ok(()) if first => tracing::info!(
                    seconds = started.elapsed().as_secs_f64(),
                    "management information's grids of this quarter are built"
                ),
                Ok(()) => {}
                Err(error) => {
                    tracing::warn!(%error, "management information's grids were not built ahead");
                }
            }
            first = false;
            tokio::time::sleep(WARM_EVERY).await;
        }
    });
}

/// How often the current quarter's grids are looked at again: well inside `cache::STALEST`.
const WARM_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|error| anyhow::anyhow!("cannot listen on {addr}: {error}"))
}

async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
