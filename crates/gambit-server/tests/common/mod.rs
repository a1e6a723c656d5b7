//! A server in the test process: the router over a fresh store, tokens of each role,
//! and one request helper. PostgreSQL is used when GAMBIT_TEST_POSTGRES is a URL
//! (CI sets it and GAMBIT_REQUIRE_POSTGRES=1, so there a missing database fails).
#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use gambit_server::api::{AppState, router};
use gambit_server::auth::{Role, hash_token, new_token};
use gambit_server::{Config, Store};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct Harness {
    pub router: Router,
    pub store: Store,
    pub admin: String,
    pub editor: String,
    pub viewer: String,
    _dir: tempfile::TempDir,
}

pub struct Answer {
    pub status: StatusCode,
    pub text: String,
    pub content_type: String,
    pub csp: Option<String>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
}

/// The PostgreSQL server URL for tests, or None (with a note) when not configured.
pub fn postgres_url() -> Option<String> {
    match std::env::var("GAMBIT_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("GAMBIT_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "GAMBIT_REQUIRE_POSTGRES=1 but GAMBIT_TEST_POSTGRES is not set"
            );
            eprintln!(
                "skipped: PostgreSQL tests need GAMBIT_TEST_POSTGRES=postgres://… (.ci/run sets it)"
            );
            None
        }
    }
}

/// A fresh, empty database on the PostgreSQL server of `url`: its URL.
pub async fn fresh_postgres(url: &str) -> String {
    use sqlx::Connection;
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!("gambit_test_{}_{n}_{nanos}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let (base, _) = url.rsplit_once('/').expect("a URL with a database name");
    format!("{base}/{name}")
}

pub async fn harness_on(url: &str, config: Config) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let url = if url == "sqlite" {
        dir.path().join("gambit.db").display().to_string()
    } else {
        fresh_postgres(url).await
    };
    let store = Store::open(&url).await.expect("open the store");
    let mut tokens = Vec::new();
    for (name, role) in [
        ("admin", Role::Admin),
        ("editor", Role::Editor),
        ("viewer", Role::Viewer),
    ] {
        let token = new_token().unwrap();
        store
            .create_token(name, role, None, &hash_token(&token))
            .await
            .unwrap();
        tokens.push(token);
    }
    let state = AppState::new(store.clone(), config).unwrap();
    Harness {
        router: router(state),
        store,
        viewer: tokens.pop().unwrap(),
        editor: tokens.pop().unwrap(),
        admin: tokens.pop().unwrap(),
        _dir: dir,
    }
}

pub async fn sqlite() -> Harness {
    harness_on("sqlite", test_config()).await
}

/// A rate limit no test reaches unless it means to.
pub fn test_config() -> Config {
    Config {
        rate_limit: 10_000,
        ..Config::default()
    }
}

impl Harness {
    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<(&str, &str)>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            request = request.header("Authorization", format!("Bearer {t}"));
        }
        let body = match body {
            Some((content_type, text)) => {
                request = request.header("Content-Type", content_type);
                Body::from(text.to_owned())
            }
            None => Body::empty(),
        };
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type").unwrap_or_default();
        let csp = header("content-security-policy");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            text: String::from_utf8_lossy(&bytes).into_owned(),
            content_type,
            csp,
        }
    }

    pub async fn get(&self, uri: &str, token: &str) -> Answer {
        self.call("GET", uri, Some(token), None).await
    }

    pub async fn post_json(&self, uri: &str, token: &str, body: &str) -> Answer {
        self.call("POST", uri, Some(token), Some(("application/json", body)))
            .await
    }

    pub async fn push(&self, project: &str, model: &str) -> Answer {
        self.call(
            "POST",
            &format!("/api/projects/{project}/models"),
            Some(&self.editor),
            Some(("text/yaml", model)),
        )
        .await
    }
}

/// A bundled example model's text.
pub fn example(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn shared(h: Harness) -> Arc<Harness> {
    Arc::new(h)
}
