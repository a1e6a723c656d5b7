//! `gambit serve`: the team server. It keeps every version of each project's model with
//! its analysis, answers the HTTP API (the same JSON documents as the CLI), answers
//! questions in plain words, and serves the web UI. The CLI only parses flags and calls
//! [`serve`], [`create_token`], [`revoke_token`] and [`push`].
//!
//! * [`store`]: SQLite or PostgreSQL, versioned migrations, transactional writes.
//! * [`auth`]: tokens (random, stored hashed), roles, the per-token rate limit.
//! * [`api`]: the router and its handlers; [`analysis`] runs the engines on a stored
//!   version (through the loader's limits, from memory: a model reads no file of the server) and caches results.
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
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

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
    /// The longest a client may take to send a request's headers, or to start its next
    /// request on a kept-alive connection: a slow client (slowloris) cannot hold a
    /// connection open for longer.
    pub header_read_timeout_secs: u64,
    /// The most connections served at once; more wait to be accepted.
    pub max_connections: usize,
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
            header_read_timeout_secs: 10,
            max_connections: 1024,
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
        let limits = ConnectionLimits::of(&config);
        let state = api::AppState::new(store.clone(), config)?;
        let listener = tokio::net::TcpListener::bind(listen).await?;
        ready(listener.local_addr()?);
        accept_loop(listener, api::router(state), limits, shutdown()).await;
        store.close().await;
        Ok(())
    })
}

/// What bounds a connection, as opposed to a request (the router's layers bound those).
#[derive(Clone, Copy)]
struct ConnectionLimits {
    header_read_timeout: Duration,
    max_connections: usize,
}

impl ConnectionLimits {
    fn of(config: &Config) -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(config.header_read_timeout_secs.max(1)),
            max_connections: config.max_connections.max(1),
        }
    }
}

/// How long connections in flight are given to finish once the server is told to stop.
const DRAIN: Duration = Duration::from_secs(30);

/// Accepts connections until `stop` completes, then lets those in flight finish their
/// current request (for at most [`DRAIN`]). Written out rather than `axum::serve`, which
/// has no header read timeout: with it, a client sending its headers a byte at a time
/// would hold a connection for as long as it likes.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: ConnectionLimits,
    stop: impl std::future::Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stopping, stop_seen) = tokio::sync::watch::channel(false);
    tokio::pin!(stop);
    loop {
        let slot = tokio::select! {
            () = &mut stop => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it was accepted:
                // wait a little rather than spin, and go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let stop_seen = stop_seen.clone();
        tokio::spawn(async move {
            serve_connection(stream, service, limits, stop_seen).await;
            drop(slot);
        });
    }
    drop(stop_seen);
    let _ = stopping.send(true);
    let _ = tokio::time::timeout(DRAIN, stopping.closed()).await;
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    service: hyper_util::service::TowerToHyperService<axum::Router>,
    limits: ConnectionLimits,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    tokio::pin!(connection);
    // The guard `wait_for` returns is dropped here, before the connection is awaited.
    let stopping = async {
        let _ = stop.wait_for(|stopping| *stopping).await;
    };
    tokio::select! {
        _ = connection.as_mut() => {}
        () = stopping => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A server on a free loopback port with a one-second header timeout, stopped by the
    /// returned sender.
    async fn running(
        max_connections: usize,
    ) -> (
        SocketAddr,
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
        tempfile::TempDir,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("gambit.db").display().to_string())
            .await
            .unwrap();
        let config = Config {
            header_read_timeout_secs: 1,
            max_connections,
            ..Config::default()
        };
        let limits = ConnectionLimits::of(&config);
        let state = api::AppState::new(store, config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(accept_loop(listener, api::router(state), limits, async {
            let _ = stopped.await;
        }));
        (addr, stop, server, dir)
    }

    /// Everything the server sends until it closes the connection, or None when it is
    /// still open after `wait`.
    async fn read_to_close(stream: &mut tokio::net::TcpStream, wait: Duration) -> Option<String> {
        let mut answer = Vec::new();
        match tokio::time::timeout(wait, stream.read_to_end(&mut answer)).await {
            Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
            Err(_) => None,
        }
    }

    #[tokio::test]
    async fn a_client_that_never_finishes_its_headers_is_cut_off() {
        let (addr, stop, server, _dir) = running(16).await;
        let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET /health HTTP/1.1\r\nHost: gambit\r\nX-Slow: ")
            .await
            .unwrap();
        let idle = tokio::net::TcpStream::connect(addr).await.unwrap();
        assert!(
            read_to_close(&mut slow, Duration::from_secs(5))
                .await
                .is_some(),
            "a connection whose headers never end stays open"
        );
        let mut idle = idle;
        assert!(
            read_to_close(&mut idle, Duration::from_secs(5))
                .await
                .is_some(),
            "a connection that sends nothing stays open"
        );
        // A well-behaved client is still served.
        let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
        client
            .write_all(b"GET /health HTTP/1.1\r\nHost: gambit\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let answer = read_to_close(&mut client, Duration::from_secs(5))
            .await
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), server)
            .await
            .expect("the server stops when told to")
            .unwrap();
    }

    #[tokio::test]
    async fn connections_beyond_the_limit_wait_for_a_free_one() {
        let (addr, stop, server, _dir) = running(1).await;
        let mut first = tokio::net::TcpStream::connect(addr).await.unwrap();
        first
            .write_all(b"GET /health HTTP/1.1\r\nHost: gambit\r\n")
            .await
            .unwrap();
        // The kernel completes the second handshake, but the server does not read it
        // until the first connection is gone (cut off by the header timeout).
        let mut second = tokio::net::TcpStream::connect(addr).await.unwrap();
        second
            .write_all(b"GET /health HTTP/1.1\r\nHost: gambit\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let started = std::time::Instant::now();
        let answer = read_to_close(&mut second, Duration::from_secs(5))
            .await
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(
            started.elapsed() >= Duration::from_millis(500),
            "the second connection was served while the first held the only slot"
        );
        assert!(
            read_to_close(&mut first, Duration::from_secs(1))
                .await
                .is_some()
        );
        stop.send(()).unwrap();
        server.await.unwrap();
    }
}
