//! `gambit serve`: the team server. It keeps every version of each project's model with
//! its analysis, answers the HTTP API (the same JSON documents as the CLI), answers
//! questions in plain words, and serves the web UI. The CLI only parses flags and calls
//! [`serve`], [`create_token`], [`revoke_token`] and [`push`].
//!
//! * [`store`]: SQLite or PostgreSQL, versioned migrations, transactional writes.
//! * [`auth`]: tokens (random, stored hashed), roles, the per-token rate limit.
//! * [`api`]: the router and its handlers; [`analysis`] runs the engines on a stored
//!   version (through the loader's limits, with `include:` jailed) and caches results.
//! * [`ask`]: questions → structured queries → answers; [`openapi`]: the API document;
//!   [`ui`]: the embedded web UI; [`client`]: `gambit push`.

pub mod analysis;
pub mod api;
pub mod ask;
pub mod auth;
pub mod bundle;
pub mod client;
pub mod error;
pub mod openapi;
pub mod store;
pub mod ui;

use std::net::SocketAddr;

pub use ask::llm::LlmConfig;
pub use auth::Role;
pub use client::{PushError, push};
pub use store::Store;

/// The server's settings (flags of `gambit serve`).
#[derive(Clone, Debug)]
pub struct Config {
    /// The largest model body, in bytes (the loader's limit).
    pub max_model_size: u64,
    /// Requests per second per token (twice as many in a burst).
    pub rate_limit: u32,
    /// The longest a request may take, reading its body included.
    pub request_timeout_secs: u64,
    /// How many analysed versions are kept in memory, at most.
    pub cache_entries: usize,
    /// The most model text (bytes, all cached versions together) whose analyses are
    /// kept in memory.
    pub cache_bytes: usize,
    /// The optional question translator.
    pub llm: Option<LlmConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_model_size: gambit_model::DEFAULT_MAX_SIZE,
            rate_limit: 50,
            request_timeout_secs: 60,
            cache_entries: 32,
            cache_bytes: 64 << 20,
            llm: None,
        }
    }
}

/// A failure to start or run the server, or to change tokens.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{0}")]
    Store(#[from] store::StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("cannot draw a random token: {0}")]
    Random(String),
}

fn runtime() -> Result<tokio::runtime::Runtime, ServerError> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Serves until interrupted (Ctrl-C or SIGTERM), then finishes the requests in flight.
/// `ready` is told the address once the server listens (port 0 picks a free one).
pub fn serve(
    listen: SocketAddr,
    database: &str,
    config: Config,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    runtime()?.block_on(async {
        let store = Store::open(database).await?;
        let state = api::AppState::new(store.clone(), config)?;
        let listener = tokio::net::TcpListener::bind(listen).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, api::router(state))
            .with_graceful_shutdown(shutdown())
            .await?;
        store.close().await;
        Ok(())
    })
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// Creates a token and returns it: the only time it is seen, since the store keeps its
/// hash. `project` limits it to one project.
pub fn create_token(
    database: &str,
    name: &str,
    role: Role,
    project: Option<&str>,
) -> Result<String, ServerError> {
    let token = auth::new_token().map_err(|e| ServerError::Random(e.to_string()))?;
    runtime()?.block_on(async {
        let store = Store::open(database).await?;
        let done = store
            .create_token(name, role, project, &auth::hash_token(&token))
            .await;
        store.close().await;
        done
    })?;
    Ok(token)
}

/// Revokes the token named `name`; false when there is no live token of that name.
pub fn revoke_token(database: &str, name: &str) -> Result<bool, ServerError> {
    runtime()?.block_on(async {
        let store = Store::open(database).await?;
        let done = store.revoke_token(name).await;
        store.close().await;
        Ok(done?)
    })
}
