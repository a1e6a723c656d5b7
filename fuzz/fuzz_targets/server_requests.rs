#![no_main]
//! Any request to the server's router: method, path, query, headers and body from the
//! input, with an admin token, a viewer token or none. The store holds a project with a
//! model, so inputs reach the real handlers. No request may make the server fail (a
//! handler panic is turned into a 500 by the router, so a 500 is a finding too).
//!
//! Input: byte 0 chooses method, token and content type; byte 1 the path prefix; the
//! rest is `PATH-TAIL\nBODY`.

use std::sync::LazyLock;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use gambit_server::api::{AppState, router};
use gambit_server::auth::{Role, hash_token, new_token};
use gambit_server::{Config, Store};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct Server {
    runtime: tokio::runtime::Runtime,
    router: Router,
    admin: String,
    viewer: String,
    _dir: tempfile::TempDir,
}

const MODEL: &str = include_str!("../../examples/acme-shop.yaml");

static SERVER: LazyLock<Server> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (router, admin, viewer) = runtime.block_on(async {
        let url = dir.path().join("gambit.db").display().to_string();
        let store = Store::open(&url).await.unwrap();
        let admin = new_token().unwrap();
        let viewer = new_token().unwrap();
        store.create_token("admin", Role::Admin, None, &hash_token(&admin)).await.unwrap();
        store.create_token("viewer", Role::Viewer, None, &hash_token(&viewer)).await.unwrap();
        let config = Config { rate_limit: u32::MAX / 4, ..Config::default() };
        let router = router(AppState::new(store, config).unwrap());
        for (path, kind, body) in [
            ("/api/projects", "application/json", r#"{"name": "shop"}"#.to_owned()),
            ("/api/projects/shop/models", "text/yaml", MODEL.to_owned()),
        ] {
            let status = send(&router, "POST", path, Some(&admin), kind, body.into_bytes()).await.0;
            assert!(status < 300, "setting up {path}: {status}");
        }
        (router, admin, viewer)
    });
    Server { runtime, router, admin, viewer, _dir: dir }
});

async fn send(
    router: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(uri).header("Content-Type", content_type);
    if let Some(t) = token {
        request = request.header("Authorization", format!("Bearer {t}"));
    }
    let Ok(request) = request.body(Body::from(body)) else {
        return (0, Vec::new());
    };
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, bytes)
}

const PREFIXES: &[&str] = &[
    "/api/projects/shop/models/latest/",
    "/api/projects/shop/models/1/",
    "/api/projects/shop/",
    "/api/projects/",
    "/api/",
    "/",
    "/api/projects/shop/diff?",
    "/api/projects/shop/models/latest/blast-radius?component=",
];

fuzz_target!(|data: &[u8]| {
    let server = &*SERVER;
    let [flags, prefix, rest @ ..] = data else { return };
    let (tail, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let Ok(tail) = std::str::from_utf8(tail) else { return };
    let uri = format!("{}{tail}", PREFIXES[usize::from(*prefix) % PREFIXES.len()]);
    let method = if flags & 1 == 0 { "GET" } else { "POST" };
    let token = match (flags >> 1) & 3 {
        0 => None,
        1 => Some(server.viewer.as_str()),
        _ => Some(server.admin.as_str()),
    };
    let content_type = match (flags >> 3) & 3 {
        0 => "application/json",
        1 => "text/yaml",
        2 => "application/x-www-form-urlencoded",
        _ => "",
    };
    let (status, answer) = server.runtime.block_on(send(
        &server.router,
        method,
        &uri,
        token,
        content_type,
        body.to_vec(),
    ));
    assert!(status < 500, "{method} {uri}: {status} {}", String::from_utf8_lossy(&answer));
});
