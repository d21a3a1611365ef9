//! Serving: open the store, serve HTTP until SIGINT or SIGTERM, then finish the requests in
//! flight and close the database cleanly.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use joinery_store::{EventStore, SqliteStore};
use joinery_web::AppState;
use tokio::net::TcpListener;

/// The store, and the state the handlers share.
pub async fn open(database: &Path) -> anyhow::Result<(SqliteStore, AppState)> {
    let store = SqliteStore::open(database).await?;
    let shared: Arc<dyn EventStore> = Arc::new(store.clone());
    Ok((store, AppState { store: shared }))
}

/// Serves `state` on `listener` until a shutdown signal arrives.
pub async fn serve(listener: TcpListener, state: AppState) -> anyhow::Result<()> {
    axum::serve(listener, joinery_web::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

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
