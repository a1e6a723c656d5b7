//! `gambit serve`, `gambit token` and `gambit push` as processes: the push line of the CI
//! template against a real server, the API's documents equal to the CLI's own
//! `--format json`, and two servers sharing one PostgreSQL (when GAMBIT_TEST_POSTGRES is
//! set; CI sets it with GAMBIT_REQUIRE_POSTGRES=1).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn gambit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gambit"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> PathBuf {
    root().join("examples/acme-shop.yaml")
}

/// A running `gambit serve`, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(database: &str) -> Server {
        let mut child = gambit()
            .args(["serve", "--listen", "127.0.0.1:0", "--database", database])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("gambit serve starts");
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .expect("the server says where it listens");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn token(database: &str, name: &str, role: &str) -> String {
    let out = gambit()
        .args([
            "token",
            "create",
            "--database",
            database,
            "--name",
            name,
            "--role",
            role,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn get(url: &str, token: &str) -> (u16, String) {
    let mut r = agent()
        .get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

fn post(url: &str, token: &str, body: &str) -> (u16, String) {
    let mut r = agent()
        .post(url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The `gambit push` line of the GitHub template, run as the job would.
fn push_as_the_template_does(
    server: &Server,
    project: &str,
    token: &str,
    model: &Path,
) -> std::process::Output {
    let template =
        std::fs::read_to_string(root().join("ci-templates/push/github-push.yml")).unwrap();
    let line = template
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("gambit push"))
        .expect("the template pushes");
    let args: Vec<String> = line
        .split_whitespace()
        .skip(1)
        .map(|w| match w.trim_matches('"') {
            "$GAMBIT_MODEL" => model.display().to_string(),
            "$GITHUB_SHA" => "0123abcd".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    gambit()
        .args(&args)
        .env("GAMBIT_SERVER", &server.url)
        .env("GAMBIT_PROJECT", project)
        .env("GAMBIT_TOKEN", token)
        .output()
        .unwrap()
}

fn cli_json(args: &[&str]) -> serde_json::Value {
    let out = gambit().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&String::from_utf8_lossy(&out.stdout))
}

#[test]
fn push_then_the_api_answers_what_the_cli_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gambit.db").display().to_string();
    let admin = token(&db, "admin", "admin");
    let ci = token(&db, "ci", "editor");
    let server = Server::start(&db);
    let (status, _) = post(
        &format!("{}/api/projects", server.url),
        &admin,
        r#"{"name": "shop"}"#,
    );
    assert_eq!(status, 201);

    let out = push_as_the_template_does(&server, "shop", &ci, &example());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(answer["version"], 1);
    assert_eq!(answer["revision"], "0123abcd");

    let model = example().display().to_string();
    let version = format!("{}/api/projects/shop/models/latest", server.url);
    for (view, args) in [
        (
            "exposure",
            vec!["exposure", model.as_str(), "--format", "json"],
        ),
        (
            "chokepoints",
            vec!["chokepoints", model.as_str(), "--format", "json"],
        ),
        ("paths", vec!["paths", model.as_str(), "--format", "json"]),
        (
            "blast-radius?component=web",
            vec!["blast-radius", model.as_str(), "web", "--format", "json"],
        ),
    ] {
        let (status, body) = get(&format!("{version}/{view}"), &admin);
        assert_eq!(status, 200, "{view}: {body}");
        assert_eq!(
            json(&body),
            cli_json(&args),
            "{view} differs from the CLI's"
        );
    }
    let report = cli_json(&["analyze", model.as_str(), "--format", "json"]);
    let (_, threats) = get(&format!("{version}/threats"), &admin);
    assert_eq!(json(&threats)["threats"], report["threats"]);

    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "gambit: 1\nname: bad\ncomponents:\n  web: {kind: web-app, zone: nowhere}\n",
    )
    .unwrap();
    let out = push_as_the_template_does(&server, "shop", &ci, &bad);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("\"diagnostics\"") && stderr.contains("invalid"),
        "{stderr}"
    );

    let revoke = gambit()
        .args(["token", "revoke", "--database", &db, "--name", "ci"])
        .output()
        .unwrap();
    assert!(revoke.status.success());
    let out = push_as_the_template_does(&server, "shop", &ci, &example());
    assert_eq!(out.status.code(), Some(2), "a revoked token is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("401"));
}

#[test]
fn push_sends_a_model_split_over_files_and_the_api_answers_what_analyze_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gambit.db").display().to_string();
    let ci = token(&db, "ci", "editor");
    let server = Server::start(&db);
    let (status, _) = post(
        &format!("{}/api/projects", server.url),
        &ci,
        r#"{"name": "clinic"}"#,
    );
    assert_eq!(status, 201);
    let model = root().join("examples/multi-file/main.yaml");
    let out = push_as_the_template_does(&server, "clinic", &ci, &model);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        answer["files"],
        serde_json::json!(["main.yaml", "zones.yaml", "identities.yaml"])
    );
    let model = model.display().to_string();
    let report = cli_json(&["analyze", model.as_str(), "--format", "json"]);
    let version = format!("{}/api/projects/clinic/models/latest", server.url);
    let (_, threats) = get(&format!("{version}/threats"), &ci);
    assert_eq!(json(&threats)["threats"], report["threats"]);
    let (_, info) = get(&version, &ci);
    assert_eq!(json(&info)["model"]["digest"], report["model"]["digest"]);

    // A missing include: the server names it where it is included, push exits 2.
    let broken = dir.path().join("model.yaml");
    std::fs::write(
        &broken,
        "gambit: 1\nname: Broken\ninclude: [zones.yaml, gone.yaml]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("zones.yaml"), "zones: {z: {}}\n").unwrap();
    let out = push_as_the_template_does(&server, "clinic", &ci, &broken);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let doc = json(stderr.lines().next().unwrap_or_default());
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "unreadable-file", "{stderr}");
    assert!(d["message"].as_str().unwrap().contains("gone.yaml"), "{d}");
    assert_eq!(
        (
            &d["location"]["file"],
            &d["location"]["line"],
            &d["location"]["column"]
        ),
        (&"model.yaml".into(), &3.into(), &23.into()),
        "{d}"
    );
}

#[test]
fn two_servers_on_one_postgres_see_each_others_writes() {
    let url = match std::env::var("GAMBIT_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var("GAMBIT_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "GAMBIT_REQUIRE_POSTGRES=1 but GAMBIT_TEST_POSTGRES is not set"
            );
            eprintln!("skipped: set GAMBIT_TEST_POSTGRES=postgres://… to run (.ci/run does)");
            return;
        }
    };
    // Names unique to this run: the database may hold earlier runs' rows.
    let run = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let project = format!("shared-{run}");
    let editor = token(&url, &format!("editor-{run}"), "editor");
    let a = Server::start(&url);
    let b = Server::start(&url);
    let (status, body) = post(
        &format!("{}/api/projects", a.url),
        &editor,
        &format!(r#"{{"name": "{project}"}}"#),
    );
    assert_eq!(status, 201, "{body}");
    let out = push_as_the_template_does(&b, &project, &editor, &example());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (status, trend) = get(&format!("{}/api/projects/{project}/trend", a.url), &editor);
    assert_eq!(status, 200);
    assert_eq!(
        json(&trend)["versions"].as_array().unwrap().len(),
        1,
        "A sees B's push"
    );

    // Both analyse the version (and cache it); a decision on A shows on B.
    let threats_on = |s: &Server| {
        json(
            &get(
                &format!("{}/api/projects/{project}/models/latest/threats", s.url),
                &editor,
            )
            .1,
        )
    };
    let threat = threats_on(&b)["threats"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    threats_on(&a);
    let decision = format!(r#"{{"threat": "{threat}", "status": "mitigated"}}"#);
    let (status, body) = post(
        &format!("{}/api/projects/{project}/decisions", a.url),
        &editor,
        &decision,
    );
    assert_eq!(status, 201, "{body}");
    let on_b = threats_on(&b);
    let t = on_b["threats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == threat.as_str())
        .unwrap();
    assert_eq!(
        t["status"], "mitigated",
        "B sees A's decision, not its cached analysis"
    );
}
