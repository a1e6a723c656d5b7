//! `gambit analyze`, `check` and `rules` as a user runs them: exit codes, output shape.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gambit"))
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("gambit runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

#[test]
fn rules_list_prints_one_rule_a_line_starting_with_its_id() {
    let o = run(&["rules", "list"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 60, "{} rules", lines.len());
    assert!(lines.iter().any(|l| l.starts_with("sql-injection ")));
    let ssrf = lines
        .iter()
        .find(|l| l.starts_with("ssrf "))
        .expect("ssrf listed");
    assert!(ssrf.split_whitespace().nth(1) == Some("IE"), "{ssrf}");
    assert_eq!(stdout(&run(&["rules"])), out, "`rules` alone lists");
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["rules", "list", "--format", "json"]).stdout).expect("JSON");
    let rules = json.as_array().expect("an array");
    assert_eq!(rules.len(), lines.len());
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "ssrf" && r["cwe"][0] == "CWE-918")
    );
}

#[test]
fn rules_explain_prints_the_documentation_or_suggests() {
    let o = run(&["rules", "explain", "unencrypted-communication"]);
    assert_eq!(o.status.code(), Some(0));
    let doc = stdout(&o);
    for section in [
        "## What it finds",
        "## Why it matters",
        "## Example",
        "## How to fix",
        "CWE-319",
    ] {
        assert!(doc.contains(section), "missing {section}");
    }
    let o = run(&["rules", "explain", "sql-injectoin"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `sql-injection`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn analyze_groups_by_severity_and_prints_json_with_the_contract_keys() {
    let o = run(&[
        "analyze",
        "examples/acme-shop.yaml",
        "--today",
        "2026-06-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("Acme Shop: "), "{text}");
    let critical = text.find("\nCRITICAL (").expect("critical group");
    let high = text.find("\nHIGH (").expect("high group");
    assert!(critical < high);
    assert!(!text.contains('\x1b'), "no color when not a terminal");

    let o = run(&[
        "analyze",
        "examples/acme-shop.yaml",
        "--format",
        "json",
        "--scoring",
        "dread",
        "--today",
        "2026-06-01",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON document");
    assert_eq!(json["model"]["name"], "Acme Shop");
    let first = &json["threats"][0];
    assert!(first["id"].as_str().unwrap().contains('@'));
    assert!(first["dread"]["damage"].is_u64());
    assert!(json["summary"]["threats"]["critical"].is_u64());
}

#[test]
fn analyze_writes_to_a_file_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let o = run(&[
        "analyze",
        "examples/hardened.yaml",
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).is_empty());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(json["model"]["name"], "Hardened Shop");
}

#[test]
fn check_exits_1_on_open_threats_at_or_above_the_level_and_0_otherwise() {
    let o = run(&["check", "examples/acme-shop.yaml", "--today", "2026-06-01"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("check failed"), "{}", stdout(&o));
    let o = run(&["check", "examples/hardened.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run(&["check", "examples/hardened.yaml", "--fail-on", "low"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn check_honours_decisions_and_their_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let model = r#"gambit: 1
assets:
  orders: {classification: restricted}
components:
  shop: {kind: web-app}
  db: {kind: database, stores: [orders], encrypted_at_rest: true}
flows:
  - {from: shop, to: db, protocol: postgres, authentication: iam, data: [orders]}
risks:
  - threat: unencrypted-communication@shop->db
    status: accepted
    expires: 2026-03-01
"#;
    let path = write(dir.path(), "m.yaml", model);
    let before = run(&[
        "check",
        &path,
        "--fail-on",
        "elevated",
        "--today",
        "2026-02-01",
    ]);
    assert_eq!(before.status.code(), Some(0), "{}", stdout(&before));
    let after = run(&[
        "check",
        &path,
        "--fail-on",
        "elevated",
        "--today",
        "2026-04-01",
    ]);
    assert_eq!(after.status.code(), Some(1), "{}", stdout(&after));
    assert!(stdout(&after).contains("expired"), "{}", stdout(&after));
}

#[test]
fn bad_input_is_exit_2() {
    assert_eq!(
        run(&["analyze", "does-not-exist.yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "examples/acme-shop.yaml", "--today", "2026-13-01"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "examples/acme-shop.yaml", "--fail-on", "severe"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_rules_file_adds_rules_and_its_errors_have_positions() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.yaml",
        "rules:\n  - id: team-db-mtls\n    title: mTLS inside\n    applies_to: flow\n    when: 'flow.to.kind == \"database\" && flow.authentication != \"mtls\"'\n    stride: [spoofing]\n",
    );
    let o = run(&[
        "analyze",
        "examples/acme-shop.yaml",
        "--rules",
        &good,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = json["threats"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert!(ids.contains(&"team-db-mtls@web->db"), "{ids:?}");

    let bad = write(
        dir.path(),
        "bad.yaml",
        "rules:\n  - id: acme-x\n    title: X\n    applies_to: flow\n    when: 'flow.to.knd == \"api\"'\n",
    );
    let o = run(&["check", "examples/acme-shop.yaml", "--rules", &bad]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.yaml:5:12"), "{err}");
    assert!(err.contains("did you mean `kind`?"), "{err}");

    let clash = write(
        dir.path(),
        "clash.yaml",
        "rules:\n  - id: ssrf\n    title: X\n    applies_to: flow\n    when: 'true'\n",
    );
    let o = run(&["analyze", "examples/acme-shop.yaml", "--rules", &clash]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("built-in rule"), "{}", stderr(&o));
}

#[test]
fn analyze_text_output_of_a_small_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "small.yaml",
        r#"gambit: 1
name: Small Shop
assets:
  orders: {classification: confidential, records: 50000}
actors:
  buyer: {kind: customer}
components:
  web: {kind: web-app, public: true, controls: [logging, rate-limiting, csrf-protection]}
  db: {kind: database, stores: [orders], encrypted_at_rest: true}
flows:
  - {from: buyer, to: web, protocol: https, authentication: session, authorization: user}
  - {from: web, to: db, protocol: postgres, authentication: iam, data: [orders]}
risks:
  - threat: unencrypted-communication@web->db
    status: accepted
    expires: 2026-03-01
"#,
    );
    let o = run(&[
        "analyze",
        &path,
        "--scoring",
        "dread",
        "--today",
        "2026-06-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("analyze-text-small-model", stdout(&o));
}
