//! The web UI in a real browser: a server on loopback with acme-shop.yaml and the
//! 200-component examples/saas-multi-region.yaml pushed, then `tests/browser/ui.test.mjs`
//! under node with playwright-core driving Debian's Chromium (an asset's path
//! highlighted, a component's blast radius, a question; at 200 components every
//! component drawn, no boxes overlapping, search, zoom and pan). Writes screenshots
//! (`server-ui*.png`) and the figures measured (`server-ui-large.json`) to
//! `target/artifacts/`.
//!
//! Skips, saying why, when Chromium, node or `npm ci` in tests/browser is missing; with
//! GAMBIT_REQUIRE_BROWSER=1 (as CI sets it) that is a failure instead.

use std::path::{Path, PathBuf};
use std::process::Command;

fn artifacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("artifacts")
}

fn missing(browser_dir: &Path, chromium: &str) -> Option<String> {
    if !Path::new(chromium).exists() {
        return Some(format!(
            "{chromium} is not installed (apt-get install -y chromium)"
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".to_owned());
    }
    if !browser_dir.join("node_modules/playwright-core").exists() {
        return Some(format!(
            "playwright-core is not installed (cd {} && npm ci)",
            browser_dir.display()
        ));
    }
    None
}

fn example(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples")
            .join(name),
    )
    .unwrap()
}

/// The model with 200 components the large-diagram checks use.
const LARGE: &str = "saas-multi-region.yaml";

/// A server in this process on a free loopback port, with a project `shop` holding the
/// acme-shop example and a project `stratus` holding the 200-component one; its address
/// and a viewer token.
fn server_with_models(dir: &Path) -> (String, String) {
    let db = dir.join("gambit.db").display().to_string();
    let editor =
        gambit_server::create_token(&db, "editor", gambit_server::Role::Editor, None).unwrap();
    let viewer =
        gambit_server::create_token(&db, "viewer", gambit_server::Role::Viewer, None).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let listen = "127.0.0.1:0".parse().unwrap();
        gambit_server::serve(listen, &db, gambit_server::Config::default(), |addr| {
            tx.send(addr).unwrap();
        })
        .unwrap();
    });
    let url = format!("http://{}", rx.recv().unwrap());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    for (project, model) in [("shop", "acme-shop.yaml"), ("stratus", LARGE)] {
        let status = agent
            .post(&format!("{url}/api/projects"))
            .header("Authorization", &format!("Bearer {editor}"))
            .header("Content-Type", "application/json")
            .send(format!(r#"{{"name": "{project}"}}"#))
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 201);
        gambit_server::push(&url, project, &editor, &example(model), Some("abc"), false).unwrap();
    }
    (url, viewer)
}

#[test]
fn web_ui_in_headless_chromium() {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium =
        std::env::var("GAMBIT_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if let Some(why) = missing(&browser_dir, &chromium) {
        let required = std::env::var_os("GAMBIT_REQUIRE_BROWSER").is_some_and(|v| v == "1");
        assert!(
            !required,
            "GAMBIT_REQUIRE_BROWSER=1 but the browser check cannot run: {why}"
        );
        eprintln!("SKIPPED web_ui_in_headless_chromium: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (url, token) = server_with_models(dir.path());
    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts).unwrap();
    let large = gambit_model::load_str(LARGE, example(LARGE), None, Default::default())
        .model
        .expect("the large example is valid");
    let ids: Vec<&str> = large.components.iter().map(|c| c.id.as_str()).collect();
    let ids_file = dir.path().join("large-ids.txt");
    std::fs::write(&ids_file, ids.join("\n")).unwrap();
    let out = Command::new("node")
        .args(["--test", "--test-reporter=spec", "ui.test.mjs"])
        .current_dir(&browser_dir)
        .env("GAMBIT_URL", &url)
        .env("GAMBIT_TOKEN", &token)
        .env("GAMBIT_LARGE_IDS", &ids_file)
        .env("GAMBIT_ARTIFACTS", &artifacts)
        .env("GAMBIT_CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{stderr}"
    );
    assert!(artifacts.join("server-ui.png").exists());
    assert!(artifacts.join("server-ui-large.json").exists());
    // The figures, for docs/server.md (shown with --nocapture).
    println!("{stdout}");
}
