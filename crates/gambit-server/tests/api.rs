//! The API against SQLite always, and against PostgreSQL when GAMBIT_TEST_POSTGRES is
//! set: one scenario per backend, from a new project to decisions and the audit log.

mod common;

use axum::http::StatusCode;
use common::{Harness, example, harness_on, postgres_url, sqlite, test_config};

/// The JSON the CLI prints for these, computed with the same library calls.
fn cli_documents(source: &str) -> (serde_json::Value, serde_json::Value) {
    let loaded = gambit_model::load_str("m.yaml", source.into(), None, Default::default());
    let model = loaded.model.unwrap();
    let analysis = gambit_graph::Analysis::run(&model, &[]);
    let exposure = analysis.exposure();
    let mut out = Vec::new();
    gambit_report::report::write_json(
        &gambit_report::attack::ExposureDocument {
            exposure: gambit_report::report::SortedKeys(&exposure),
        },
        &mut out,
    )
    .unwrap();
    let exposure = serde_json::from_slice(&out).unwrap();
    let mut out = Vec::new();
    gambit_report::report::write_json(
        &gambit_report::report::Sorted(&analysis.chokepoints()),
        &mut out,
    )
    .unwrap();
    (exposure, serde_json::from_slice(&out).unwrap())
}

async fn scenario(h: &Harness) {
    // Who may do what.
    assert_eq!(
        h.call("GET", "/health", None, None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        h.call("GET", "/api/projects", None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        h.call("GET", "/api/projects", Some("gambit_not-a-token"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The API's own description is part of the API: a token is needed for it too.
    assert_eq!(
        h.call("GET", "/openapi.json", None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let doc = h.call("GET", "/openapi.json", Some(&h.viewer), None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.json()["openapi"], "3.1.0");
    let r = h
        .post_json("/api/projects", &h.viewer, r#"{"name": "shop"}"#)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = h
        .post_json("/api/projects", &h.editor, r#"{"name": "shop"}"#)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = h
        .post_json("/api/projects", &h.editor, r#"{"name": "shop"}"#)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let r = h
        .post_json(
            "/api/projects",
            &h.editor,
            r#"{"name": "x", "owner": "me"}"#,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "unknown keys are errors: {}",
        r.text
    );
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("owner")
    );
    let r = h
        .post_json("/api/projects", &h.editor, r#"{"name": "../etc"}"#)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = h
        .get("/api/projects/shop/models/latest/threats", &h.viewer)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "no model yet: {}", r.text);

    // An invalid model: 422 with the diagnostics of `validate --format json`.
    let broken = "gambit: 1\nname: broken\ncomponents:\n  web: {kind: web-app, zone: nowhere}\n";
    let r = h.push("shop", broken).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let doc = r.json();
    assert_eq!(doc["valid"], false);
    let local = gambit_model::load_str("model.yaml", broken.into(), None, Default::default());
    let expected = gambit_model::diagnostic::json_document(&local.diagnostics, &local.sources);
    assert_eq!(doc["diagnostics"], expected["diagnostics"]);
    assert!(doc["errors"].as_u64().unwrap() >= 1);

    // Two versions.
    let v1 = example("acme-shop.yaml");
    let r = h
        .call(
            "POST",
            "/api/projects/shop/models?revision=abc123",
            Some(&h.editor),
            Some(("text/yaml", &v1)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["version"], 1);
    assert_eq!(r.json()["revision"], "abc123");
    let r = h
        .call(
            "POST",
            "/api/projects/shop/models",
            Some(&h.viewer),
            Some(("text/yaml", &v1)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "viewers do not push");
    let v2 = v1.replace(
        "public: true                    # reachable from the internet",
        "public: false",
    );
    assert_ne!(v1, v2);
    let r = h.push("shop", &v2).await;
    assert_eq!(r.json()["version"], 2, "{}", r.text);

    // The views are the CLI's documents.
    let (exposure, chokepoints) = cli_documents(&v1);
    let r = h
        .get("/api/projects/shop/models/1/exposure", &h.viewer)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json(), exposure);
    let r = h
        .get("/api/projects/shop/models/1/chokepoints", &h.viewer)
        .await;
    assert_eq!(r.json(), chokepoints);
    let threats = h
        .get("/api/projects/shop/models/1/threats", &h.viewer)
        .await
        .json();
    assert!(threats["threats"].as_array().unwrap().len() > 5);
    let r = h
        .get("/api/projects/shop/models/1/paths?k=1", &h.viewer)
        .await;
    assert!(
        !r.json()["attack_paths"].as_array().unwrap().is_empty(),
        "{}",
        r.text
    );
    let r = h
        .get(
            "/api/projects/shop/models/latest/blast-radius?component=web",
            &h.viewer,
        )
        .await;
    assert_eq!(r.json()["from"], "web", "{}", r.text);
    let r = h
        .get(
            "/api/projects/shop/models/1/blast-radius?component=webb",
            &h.viewer,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("did you mean `web`"), "{}", r.text);
    let r = h.get("/api/projects/shop/models/1/threts", &h.viewer).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("did you mean `threats`"), "{}", r.text);
    let r = h
        .get("/api/projects/shop/models/0/threats", &h.viewer)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = h
        .get("/api/projects/shop/models/9/threats", &h.viewer)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = h.get("/api/projects/shop/models/1/source", &h.viewer).await;
    assert_eq!(r.text, v1, "the stored source is the pushed text");
    let r = h
        .get("/api/projects/shop/models/1/diagram", &h.viewer)
        .await;
    let diagram = r.json();
    assert!(diagram["svg"].as_str().unwrap().contains("data-id=\"web\""));
    assert!(!diagram["paths"].as_array().unwrap().is_empty());

    // Diff and trend.
    let d = h
        .get("/api/projects/shop/diff?from=1&to=latest", &h.viewer)
        .await
        .json();
    let old = gambit_model::load_str("a", v1.clone(), None, Default::default())
        .model
        .unwrap();
    let new = gambit_model::load_str("b", v2.clone(), None, Default::default())
        .model
        .unwrap();
    let report = |m: &gambit_model::Model| {
        let opts = gambit_rules::Options::new(gambit_rules::today_utc());
        gambit_report::assemble::report(m, gambit_rules::analyze(m, &opts), &[])
    };
    let expected =
        serde_json::to_value(gambit_report::diff::diff(&report(&old), &report(&new))).unwrap();
    assert_eq!(d, expected, "the JSON of gambit diff");
    let trend = h.get("/api/projects/shop/trend", &h.viewer).await.json();
    let versions = trend["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["revision"], "abc123");
    assert!(versions[0]["open_threats"]["critical"].is_number());

    // Questions.
    let r = h
        .post_json(
            "/api/projects/shop/ask",
            &h.viewer,
            r#"{"question": "What is the blast radius of web?"}"#,
        )
        .await;
    let a = r.json();
    assert_eq!(
        a["query"],
        serde_json::json!({"kind": "blast-radius", "component": "web"}),
        "{}",
        r.text
    );
    assert!(
        a["answer"]
            .as_str()
            .unwrap()
            .starts_with("Code execution on web reaches")
    );
    let r = h
        .post_json(
            "/api/projects/shop/ask",
            &h.viewer,
            r#"{"question": "How can an attacker reach card-tokens?", "version": "1"}"#,
        )
        .await;
    assert_eq!(r.json()["query"]["kind"], "paths", "{}", r.text);
    let r = h
        .post_json(
            "/api/projects/shop/ask",
            &h.viewer,
            r#"{"question": "What changed since the last version?"}"#,
        )
        .await;
    assert_eq!(
        r.json()["result"],
        expected,
        "changes are the diff with the version before"
    );
    let r = h
        .post_json(
            "/api/projects/shop/ask",
            &h.viewer,
            r#"{"question": "blast radius of webb"}"#,
        )
        .await;
    assert!(r.json()["query"].is_null());
    assert!(
        r.json()["answer"]
            .as_str()
            .unwrap()
            .contains("did you mean `web`"),
        "{}",
        r.text
    );

    // Decisions: recorded, applied, exported, audited.
    let threat = threats["threats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["open"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = serde_json::json!({"threat": threat, "status": "accepted", "justification": "Behind the VPN until Q3.", "expires": "2099-12-31"}).to_string();
    let r = h
        .post_json("/api/projects/shop/decisions", &h.viewer, &body)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = h
        .post_json("/api/projects/shop/decisions", &h.editor, &body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = h
        .post_json(
            "/api/projects/shop/decisions",
            &h.editor,
            r#"{"threat": "nope@x", "status": "mitigated"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = h
        .post_json(
            "/api/projects/shop/decisions",
            &h.editor,
            &format!(r#"{{"threat": "{threat}", "status": "accepted"}}"#),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "an acceptance needs a justification and expiry"
    );
    let after = h
        .get("/api/projects/shop/models/latest/threats", &h.viewer)
        .await
        .json();
    let decided = after["threats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == threat.as_str())
        .unwrap();
    assert_eq!(decided["status"], "accepted");
    assert_eq!(decided["open"], false);
    let risks = h.get("/api/projects/shop/risks", &h.viewer).await;
    assert!(risks.content_type.starts_with("text/yaml"));
    assert!(
        risks.text.contains(&format!("threat: \"{threat}\"")),
        "{}",
        risks.text
    );
    assert_eq!(
        h.get("/api/audit", &h.editor).await.status,
        StatusCode::FORBIDDEN
    );
    let audit = h.get("/api/audit", &h.admin).await.json();
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions[0], "risk-decision");
    assert!(
        actions.contains(&"model-pushed") && actions.contains(&"project-created"),
        "{actions:?}"
    );
    assert_eq!(audit["entries"][0]["actor"], "editor");

    // The trend keeps each version's figures as pushed, and says where the latest
    // version stands now, with the decision recorded since.
    let open_now = after["threats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["open"] == true)
        .count() as u64;
    let total = |counts: &serde_json::Value| -> u64 {
        counts
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum()
    };
    let trend = h.get("/api/projects/shop/trend", &h.viewer).await.json();
    assert_eq!(total(&trend["versions"][1]["open_threats"]), open_now + 1);
    assert_eq!(trend["current"]["version"], 2);
    assert_eq!(total(&trend["current"]["open_threats"]), open_now);
    // A version pushed after a decision is analysed with it.
    assert_eq!(h.push("shop", &v2).await.status, StatusCode::CREATED);
    let trend = h.get("/api/projects/shop/trend", &h.viewer).await.json();
    assert_eq!(total(&trend["versions"][2]["open_threats"]), open_now);
    assert_eq!(trend["current"]["version"], 3);
}

#[tokio::test]
async fn the_api_on_sqlite() {
    scenario(&sqlite().await).await;
}

#[tokio::test]
async fn the_api_on_postgres() {
    let Some(url) = postgres_url() else { return };
    scenario(&harness_on(&url, test_config()).await).await;
}

#[tokio::test]
async fn the_audit_log_and_decisions_cannot_be_rewritten() {
    let h = sqlite().await;
    h.post_json("/api/projects", &h.editor, r#"{"name": "p"}"#)
        .await;
    let gambit_server::Store::Sqlite(pool) = &h.store else {
        unreachable!()
    };
    sqlx::query(
        "INSERT INTO decisions (project_id, threat, status, decided_by, decided_at) \
         SELECT id, 't@x', 'mitigated', 'me', 'now' FROM projects",
    )
    .execute(pool)
    .await
    .unwrap();
    for sql in [
        "UPDATE audit SET actor = 'someone else'",
        "DELETE FROM audit",
        "UPDATE decisions SET status = 'open'",
        "DELETE FROM decisions",
    ] {
        let e = sqlx::query(sql).execute(pool).await.unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
}

#[tokio::test]
async fn every_response_has_a_strict_policy_and_the_ui_needs_no_token() {
    let h = sqlite().await;
    for path in ["/", "/ui/app.js", "/ui/app.css", "/health"] {
        let r = h.call("GET", path, None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let csp = r.csp.unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe"), "{csp}");
    }
    let page = h.call("GET", "/", None, None).await.text;
    for banned in ["http://", "https://", "<script>", "style="] {
        assert!(!page.contains(banned), "the page has {banned}");
    }
    let script = h.call("GET", "/ui/app.js", None, None).await.text;
    let script = script.replace("\"http://www.w3.org/2000/svg\"", "");
    assert!(!script.contains("http"), "no third-party requests");
    assert_eq!(
        h.call("GET", "/ui/other.js", None, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        h.call("GET", "/nothing", None, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bodies_are_capped() {
    let h = harness_on(
        "sqlite",
        gambit_server::Config {
            max_model_size: 1000,
            ..test_config()
        },
    )
    .await;
    h.post_json("/api/projects", &h.editor, r#"{"name": "p"}"#)
        .await;
    let big = format!("gambit: 1\nname: big\ndescription: {}\n", "x".repeat(2000));
    let r = h.push("p", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    let question = format!(r#"{{"question": "{}"}}"#, "x".repeat(100_000));
    let r = h
        .post_json("/api/projects/p/ask", &h.viewer, &question)
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let r = h
        .call(
            "POST",
            "/api/projects/p/models",
            Some(&h.editor),
            Some(("text/yaml", "gambit: 1\nname: \u{0}")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
}

#[tokio::test]
async fn a_model_cannot_include_the_servers_files() {
    let h = sqlite().await;
    h.post_json("/api/projects", &h.editor, r#"{"name": "p"}"#)
        .await;
    for target in ["/etc/passwd", "../../../../etc/hostname", "Cargo.toml"] {
        let model = format!("gambit: 1\nname: sneaky\ninclude: [\"{target}\"]\n");
        let r = h.push("p", &model).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{target}: {}",
            r.text
        );
        assert!(!r.text.contains("root:"), "{}", r.text);
        // Loaded from memory: no path of the server's shows in the answer, and the
        // error is at the include.
        assert!(
            !r.text.contains(std::env::temp_dir().to_str().unwrap()),
            "{}",
            r.text
        );
        let diagnostic = &r.json()["diagnostics"][0]["location"];
        assert_eq!(diagnostic["file"], "model.yaml", "{}", r.text);
        assert_eq!(diagnostic["line"], 3, "{}", r.text);
    }
}

#[tokio::test]
async fn tokens_are_rate_limited_and_revocable() {
    let h = harness_on(
        "sqlite",
        gambit_server::Config {
            rate_limit: 2,
            ..test_config()
        },
    )
    .await;
    let mut statuses = Vec::new();
    // A burst of 4, then 2 a second: 20 requests meet the limit unless they take 8 s.
    for _ in 0..20 {
        statuses.push(h.get("/api/projects", &h.viewer).await.status);
    }
    assert_eq!(statuses[0], StatusCode::OK);
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert_eq!(
        h.get("/api/projects", &h.admin).await.status,
        StatusCode::OK,
        "per token"
    );
    assert!(h.store.revoke_token("admin").await.unwrap());
    assert_eq!(
        h.get("/api/projects", &h.admin).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        !h.store.revoke_token("admin").await.unwrap(),
        "already revoked"
    );
}

#[tokio::test]
async fn a_project_token_stays_in_its_project() {
    let h = sqlite().await;
    for name in ["mine", "theirs"] {
        h.post_json(
            "/api/projects",
            &h.editor,
            &format!(r#"{{"name": "{name}"}}"#),
        )
        .await;
    }
    let token = gambit_server::auth::new_token().unwrap();
    h.store
        .create_token(
            "ci-mine",
            gambit_server::Role::Editor,
            Some("mine"),
            &gambit_server::auth::hash_token(&token),
        )
        .await
        .unwrap();
    let listed = h.get("/api/projects", &token).await.json();
    let names: Vec<&str> = listed["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["mine"]);
    let model = example("acme-shop.yaml");
    let push = |p: &str| format!("/api/projects/{p}/models");
    let r = h
        .call(
            "POST",
            &push("mine"),
            Some(&token),
            Some(("text/yaml", &model)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = h
        .call(
            "POST",
            &push("theirs"),
            Some(&token),
            Some(("text/yaml", &model)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn extractor_errors_are_json_too() {
    let h = sqlite().await;
    let r = h.get("/api/audit?limit=many", &h.admin).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("limit"),
        "{}",
        r.text
    );
    let r = h.get("/api/audit?colour=red", &h.admin).await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "unknown query keys are errors"
    );
    let r = h
        .call("DELETE", "/api/projects", Some(&h.admin), None)
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        r.json()["error"]["code"],
        "method-not-allowed",
        "{}",
        r.text
    );
}

/// A local stand-in for an OpenAI-compatible service: answers every chat completion
/// with `reply` as the message, and keeps the request bodies it was sent.
async fn stub_llm(reply: &'static str) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use axum::routing::post;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = seen.clone();
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        post(move |body: String| {
            let kept = kept.clone();
            async move {
                kept.lock().unwrap().push(body);
                serde_json::json!({"choices": [{"message": {"role": "assistant", "content": reply}}]}).to_string()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_optional_llm_translates_what_the_parser_misses_and_sees_only_names() {
    let (url, seen) = stub_llm(r#"{"kind": "paths", "asset": "card-tokens"}"#).await;
    let config = gambit_server::Config {
        llm: Some(gambit_server::LlmConfig {
            url,
            key: Some("sk-test".into()),
            model: "stub".into(),
        }),
        ..test_config()
    };
    let h = harness_on("sqlite", config).await;
    h.post_json("/api/projects", &h.editor, r#"{"name": "p"}"#)
        .await;
    h.push("p", &example("acme-shop.yaml")).await;
    let r = h
        .post_json(
            "/api/projects/p/ask",
            &h.viewer,
            r#"{"question": "Could the payment tokens leak?"}"#,
        )
        .await;
    let a = r.json();
    assert_eq!(
        a["query"],
        serde_json::json!({"kind": "paths", "asset": "card-tokens"}),
        "{}",
        r.text
    );
    assert!(a["result"]["attack_paths"].is_array());
    let sent = seen.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("Could the payment tokens leak?") && sent[0].contains("card-tokens"));
    for private in [
        "Web shop with a payment API",
        "CVE-2021-23017",
        "postgres",
        "restricted",
    ] {
        assert!(!sent[0].contains(private), "the service saw `{private}`");
    }
    // A question the parser understands never leaves the server.
    h.post_json(
        "/api/projects/p/ask",
        &h.viewer,
        r#"{"question": "Which assets are exposed?"}"#,
    )
    .await;
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_llm_reply_naming_nothing_of_the_model_is_not_understood() {
    let (url, _) = stub_llm(r#"{"kind": "blast-radius", "component": "mainframe"}"#).await;
    let config = gambit_server::Config {
        llm: Some(gambit_server::LlmConfig {
            url,
            key: None,
            model: "stub".into(),
        }),
        ..test_config()
    };
    let h = harness_on("sqlite", config).await;
    h.post_json("/api/projects", &h.editor, r#"{"name": "p"}"#)
        .await;
    h.push("p", &example("acme-shop.yaml")).await;
    let r = h
        .post_json(
            "/api/projects/p/ask",
            &h.viewer,
            r#"{"question": "Is the mainframe at risk?"}"#,
        )
        .await;
    assert!(r.json()["query"].is_null(), "{}", r.text);
    assert!(!r.json()["suggestions"].as_array().unwrap().is_empty());
}

// ---- models split over several files (bundles) ----

const BUNDLE: &str = "application/vnd.gambit.bundle+json";

/// A bundle document from `(path, text)` pairs, in order (duplicates kept).
fn bundle_json(entry: &str, files: &[(&str, &str)]) -> String {
    let s = |t: &str| serde_json::to_string(t).unwrap();
    let files: Vec<String> = files
        .iter()
        .map(|(p, t)| format!("{}: {}", s(p), s(t)))
        .collect();
    format!(
        "{{\"entry\": {}, \"files\": {{{}}}}}",
        s(entry),
        files.join(", ")
    )
}

/// A GET on another router (another server on the same store): the JSON answer.
async fn get_from(router: axum::Router, uri: &str, token: &str) -> serde_json::Value {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .uri(uri)
        .header("Authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

async fn push_bundle(h: &Harness, project: &str, body: &str) -> common::Answer {
    h.call(
        "POST",
        &format!("/api/projects/{project}/models"),
        Some(&h.editor),
        Some((BUNDLE, body)),
    )
    .await
}

/// The example split over three files, with one moved into a folder: `(path, text)`.
fn split_model() -> Vec<(String, String)> {
    let read = |name: &str| example(&format!("multi-file/{name}"));
    let main = read("main.yaml").replace("  - zones.yaml", "  - parts/zones.yaml");
    assert!(main.contains("parts/zones.yaml"));
    vec![
        ("model.yaml".into(), main),
        ("parts/zones.yaml".into(), read("zones.yaml")),
        ("identities.yaml".into(), read("identities.yaml")),
    ]
}

/// What `gambit analyze --format json` gives for these files written to a folder.
fn analyze_on_disk(files: &[(String, String)]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let loaded = gambit_model::load_path(
        &dir.path().join(&files[0].0),
        gambit_model::LoadOptions::default(),
    );
    let model = loaded.model.expect("the split model is valid");
    let mut options = gambit_rules::Options::new(gambit_rules::today_utc());
    options.sources = Some(&loaded.sources);
    let threats = gambit_rules::analyze(&model, &options);
    let report = gambit_report::assemble::report(&model, threats, &[]);
    let mut out = Vec::new();
    report.write_json(&mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

async fn bundle_scenario(h: &Harness) {
    h.post_json("/api/projects", &h.editor, r#"{"name": "clinic"}"#)
        .await;
    let files = split_model();
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let r = h
        .call(
            "POST",
            "/api/projects/clinic/models?revision=split1",
            Some(&h.editor),
            Some((
                &format!("{BUNDLE}; charset=utf-8"),
                &bundle_json("model.yaml", &pairs),
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        r.json()["files"],
        serde_json::json!(["model.yaml", "parts/zones.yaml", "identities.yaml"])
    );

    // The analysis is that of the same files on disk: threats, digest, all of the report.
    let local = analyze_on_disk(&files);
    assert!(local["threats"].as_array().unwrap().len() > 5);
    let threats = h
        .get("/api/projects/clinic/models/1/threats", &h.viewer)
        .await
        .json();
    assert_eq!(threats["threats"], local["threats"]);
    let report = h
        .get("/api/projects/clinic/models/1/report", &h.viewer)
        .await
        .json();
    assert_eq!(report, local);
    let info = h
        .get("/api/projects/clinic/models/1", &h.viewer)
        .await
        .json();
    assert_eq!(info["model"]["digest"], local["model"]["digest"]);
    assert_eq!(info["files"].as_array().unwrap().len(), 3);

    // The source is the bundle document, which pushes again as it is.
    let source = h
        .get("/api/projects/clinic/models/1/source", &h.viewer)
        .await;
    assert_eq!(source.content_type, BUNDLE);
    let doc = source.json();
    assert_eq!(doc["entry"], "model.yaml");
    for (path, text) in &files {
        assert_eq!(doc["files"][path], text.as_str(), "{path}");
    }
    let r = push_bundle(h, "clinic", &source.text).await;
    assert_eq!(r.json()["version"], 2, "{}", r.text);
    let two = h
        .get("/api/projects/clinic/models/2", &h.viewer)
        .await
        .json();
    assert_eq!(two["model"]["digest"], local["model"]["digest"]);

    // A server with a cold cache analyses the stored bundle again, to the same report.
    let cold = gambit_server::api::router(
        gambit_server::api::AppState::new(h.store.clone(), test_config()).unwrap(),
    );
    let again = get_from(cold, "/api/projects/clinic/models/1/report", &h.viewer).await;
    assert_eq!(again, local);

    // Single files still go as they did, next to bundles in one project.
    let r = h.push("clinic", &example("acme-shop.yaml")).await;
    assert_eq!(r.json()["version"], 3, "{}", r.text);
    assert_eq!(r.json()["files"], serde_json::json!(["model.yaml"]));
    let source = h
        .get("/api/projects/clinic/models/3/source", &h.viewer)
        .await;
    assert!(source.content_type.starts_with("text/yaml"));
    assert_eq!(source.text, example("acme-shop.yaml"));
    let trend = h.get("/api/projects/clinic/trend", &h.viewer).await.json();
    assert_eq!(trend["versions"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_model_split_over_files_is_pushed_as_a_bundle_on_sqlite() {
    bundle_scenario(&sqlite().await).await;
}

#[tokio::test]
async fn a_model_split_over_files_is_pushed_as_a_bundle_on_postgres() {
    let Some(url) = postgres_url() else { return };
    bundle_scenario(&harness_on(&url, test_config()).await).await;
}

/// The `code` and `file:line:column` of each error of a 422 answer.
fn located(r: &common::Answer) -> Vec<String> {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let doc = r.json();
    assert_eq!(doc["valid"], false);
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| match d.get("location") {
            Some(l) => format!(
                "{}@{}:{}:{}",
                d["code"].as_str().unwrap(),
                l["file"].as_str().unwrap(),
                l["line"],
                l["column"]
            ),
            None => d["code"].as_str().unwrap().to_owned(),
        })
        .collect()
}

const HEAD: &str = "gambit: 1\nname: sneaky\n";

#[tokio::test]
async fn a_bundles_includes_cannot_leave_its_files() {
    let h = sqlite().await;
    h.post_json("/api/projects", &h.editor, r#"{"name": "p"}"#)
        .await;
    let secret = "zones: {hunter2: {}}\n";
    for (include, code) in [
        ("../secret.yaml", "include-outside-root"),
        ("parts/../../secret.yaml", "include-outside-root"),
        ("/etc/passwd", "include-outside-root"),
        ("/proc/self/environ", "include-outside-root"),
        ("C:/Windows/win.ini", "include-outside-root"),
        ("..\\\\secret.yaml", "unreadable-file"),
        ("parts\\\\zones.yaml", "unreadable-file"),
        ("Cargo.toml", "unreadable-file"),
        ("parts/", "unreadable-file"),
    ] {
        let model = format!("{HEAD}include: [\"{include}\"]\n");
        let body = bundle_json(
            "model.yaml",
            &[("model.yaml", &model), ("parts/zones.yaml", secret)],
        );
        let r = push_bundle(&h, "p", &body).await;
        // At the include: model.yaml, line 3, column 11.
        assert_eq!(
            located(&r),
            [format!("{code}@model.yaml:3:11")],
            "{include}: {}",
            r.text
        );
        assert!(
            !r.text.contains("root:") && !r.text.contains("hunter2"),
            "{}",
            r.text
        );
    }
    // Lexically inside, it resolves (and is read once).
    let model = format!("{HEAD}include: [./parts/zones.yaml, parts/../parts/zones.yaml]\n");
    let body = bundle_json(
        "model.yaml",
        &[
            ("model.yaml", &model),
            ("parts/zones.yaml", "zones: {z: {}}\n"),
        ],
    );
    let r = push_bundle(&h, "p", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        r.json()["files"],
        serde_json::json!(["model.yaml", "parts/zones.yaml"])
    );
}

#[tokio::test]
async fn a_bundles_paths_are_checked_strictly_and_nothing_is_stored() {
    let h = sqlite().await;
    h.post_json("/api/projects", &h.editor, r#"{"name": "p"}"#)
        .await;
    let model = format!("{HEAD}include: [zones.yaml]\n");
    let zones = "zones: {z: {}}\n";
    for bad in [
        "../zones.yaml",
        "/etc/passwd",
        "/zones.yaml",
        "./zones.yaml",
        "a/./zones.yaml",
        "a//zones.yaml",
        "a/../zones.yaml",
        "zones.yaml/",
        "..\\zones.yaml",
        "a\\zones.yaml",
        "C:zones.yaml",
        "C:\\zones.yaml",
        "zones.yaml::$DATA",
        "link -> /etc/passwd",
        "zones.yaml\u{0}.png",
        "zones\n.yaml",
        "z\u{043e}nes.yaml",
        "zones.yaml.",
        " zones.yaml",
        "%2e%2e/zones.yaml",
        "",
    ] {
        let body = bundle_json(
            "model.yaml",
            &[("model.yaml", &model), ("zones.yaml", zones), (bad, zones)],
        );
        let r = push_bundle(&h, "p", &body).await;
        assert_eq!(located(&r), ["invalid-bundle"], "{bad:?}: {}", r.text);
        let message = r.json()["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            message.contains(&format!("{bad:?}")),
            "the message names the path: {message}"
        );
    }
    for (name, files, expected) in [
        (
            "a path given twice",
            vec![
                ("model.yaml", model.as_str()),
                ("zones.yaml", zones),
                ("zones.yaml", "zones: {other: {}}\n"),
            ],
            "given twice",
        ),
        (
            "paths that differ in case",
            vec![
                ("model.yaml", model.as_str()),
                ("zones.yaml", zones),
                ("ZONES.yaml", zones),
            ],
            "differ only in case",
        ),
        (
            "an entry that is not sent",
            vec![("main.yaml", model.as_str()), ("zones.yaml", zones)],
            "not among the files",
        ),
    ] {
        let r = push_bundle(&h, "p", &bundle_json("model.yaml", &files)).await;
        assert_eq!(located(&r), ["invalid-bundle"], "{name}: {}", r.text);
        assert!(r.text.contains(expected), "{name}: {}", r.text);
    }
    // A file the model does not include.
    let body = bundle_json(
        "model.yaml",
        &[
            ("model.yaml", &model),
            ("zones.yaml", zones),
            ("notes.yaml", zones),
        ],
    );
    let r = push_bundle(&h, "p", &body).await;
    assert_eq!(located(&r), ["unused-file"], "{}", r.text);
    assert!(r.text.contains("notes.yaml"), "{}", r.text);
    // Not a bundle document at all: the parser's line and column.
    for body in [
        "{\"entry\": \"model.yaml\",\n \"files\": {\"model.yaml\": 1}}",
        "{\"entry\": \"model.yaml\", \"files\": {}, \"more\": true}",
        "[]",
        "gambit: 1\nname: yaml\n",
        "{\"entry\": \"model.yaml\", \"files\": {\"model.yaml\": \"gambit: 1",
    ] {
        let r = push_bundle(&h, "p", body).await;
        assert_eq!(located(&r), ["invalid-bundle"], "{body}: {}", r.text);
    }
    let r = push_bundle(
        &h,
        "p",
        "{\"entry\": \"model.yaml\",\n \"files\": {\"model.yaml\": 1}}",
    )
    .await;
    assert!(r.text.contains("line 2 column"), "{}", r.text);
    let trend = h.get("/api/projects/p/trend", &h.viewer).await.json();
    assert_eq!(
        trend["versions"],
        serde_json::json!([]),
        "no refused bundle is stored"
    );
}

#[tokio::test]
async fn a_missing_included_file_is_named_where_it_is_included() {
    let h = sqlite().await;
    h.post_json("/api/projects", &h.editor, r#"{"name": "p"}"#)
        .await;
    let body = bundle_json(
        "model.yaml",
        &[
            (
                "model.yaml",
                &format!("{HEAD}include: [parts/zones.yaml]\n"),
            ),
            (
                "parts/zones.yaml",
                "zones: {z: {}}\ninclude:\n  - actors.yaml\n",
            ),
        ],
    );
    let r = push_bundle(&h, "p", &body).await;
    assert_eq!(
        located(&r),
        ["unreadable-file@parts/zones.yaml:3:5"],
        "{}",
        r.text
    );
    let d = &r.json()["diagnostics"][0];
    assert!(
        d["message"].as_str().unwrap().contains("parts/actors.yaml"),
        "{d}"
    );
    assert_eq!(d["location"]["end_column"], 16, "{d}");
}

#[tokio::test]
async fn oversized_bundles_are_refused() {
    let h = harness_on(
        "sqlite",
        gambit_server::Config {
            max_model_size: 2000,
            ..test_config()
        },
    )
    .await;
    h.post_json("/api/projects", &h.editor, r#"{"name": "p"}"#)
        .await;
    let model = format!("{HEAD}include: [a.yaml, b.yaml]\n");
    let part = format!("zones: {{}}\n# {}\n", "x".repeat(990));
    let body = bundle_json(
        "model.yaml",
        &[("model.yaml", &model), ("a.yaml", &part), ("b.yaml", &part)],
    );
    assert!(body.len() > 2000);
    let r = push_bundle(&h, "p", &body).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    // Escaping counts: 700 bytes of text written as 4,200 bytes of JSON.
    let escaped = "\u{1}".repeat(700);
    let r = push_bundle(
        &h,
        "p",
        &bundle_json("model.yaml", &[("model.yaml", &escaped)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);

    // Too many files, on a server with room for them.
    let h = sqlite().await;
    h.post_json("/api/projects", &h.editor, r#"{"name": "p"}"#)
        .await;
    let names: Vec<String> = (0..1001).map(|i| format!("f{i}.yaml")).collect();
    let mut files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "zones: {}\n")).collect();
    files[0].1 = HEAD;
    let r = push_bundle(&h, "p", &bundle_json("f0.yaml", &files)).await;
    assert_eq!(located(&r), ["invalid-bundle"], "{}", r.text);
    assert!(r.text.contains("at most 1000 files"), "{}", r.text);
    let trend = h.get("/api/projects/p/trend", &h.viewer).await.json();
    assert_eq!(trend["versions"], serde_json::json!([]));
}

#[tokio::test]
async fn a_store_from_before_bundles_is_migrated_and_its_versions_still_analysed() {
    use sqlx::SqlSafeStr;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db").display().to_string();
    // A store as the first release left it: migration 1 only, one version stored.
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        let initial = include_str!("../migrations/sqlite/0001_initial.sql");
        let migrator =
            sqlx::migrate::Migrator::with_migrations(vec![sqlx::migrate::Migration::new(
                1,
                "initial".into(),
                sqlx::migrate::MigrationType::Simple,
                initial.into_sql_str(),
                false,
            )]);
        migrator.run(&pool).await.unwrap();
        let source = example("acme-shop.yaml");
        sqlx::query(
            "INSERT INTO projects (name, created_at, created_by) VALUES ('old', 'then', 'me')",
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO model_versions (project_id, version, source, report, open_critical, open_high, \
             open_elevated, open_medium, open_low, crown_jewels_exposed, created_at, created_by) \
             SELECT id, 1, $1, '{}', 0, 0, 0, 0, 0, 0, 'then', 'me' FROM projects",
        )
        .bind(&source)
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let store = gambit_server::Store::open(&path).await.expect("migrates");
    let token = gambit_server::auth::new_token().unwrap();
    store
        .create_token(
            "viewer",
            gambit_server::Role::Viewer,
            None,
            &gambit_server::auth::hash_token(&token),
        )
        .await
        .unwrap();
    let router = gambit_server::api::router(
        gambit_server::api::AppState::new(store.clone(), test_config()).unwrap(),
    );
    let threats = get_from(router, "/api/projects/old/models/1/threats", &token).await;
    assert!(threats["threats"].as_array().unwrap().len() > 5);
    let gambit_server::Store::Sqlite(pool) = &store else {
        unreachable!()
    };
    let kind: String = sqlx::query_scalar("SELECT source_kind FROM model_versions")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(kind, "text");
}
