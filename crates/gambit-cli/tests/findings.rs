//! `gambit findings` and the `--findings` flags, run as a user runs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const F: &str = "crates/gambit-findings/tests/fixtures";

fn run(args: &[&str]) -> Output {
    let repo: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    Command::new(env!("CARGO_BIN_EXE_gambit"))
        .env("NO_COLOR", "1")
        .current_dir(repo)
        .args(args)
        .output()
        .unwrap()
}

fn fixture(name: &str) -> String {
    format!("{F}/{name}")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn findings_json_follows_the_contract() {
    let o = run(&[
        "findings",
        &fixture("shop.yaml"),
        "--findings",
        &fixture("trivy-orders-api.json"),
        "--findings",
        &fixture("grype-legacy-batch.json"),
        "--kev",
        &fixture("known_exploited_vulnerabilities.json"),
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["summary"]["findings"], 13);
    assert_eq!(
        json["summary"]["matched"], 12,
        "CVE-2023-38545 twice in one image is one"
    );
    assert_eq!(json["findings"][0]["id"], "CVE-2021-44228");
    assert_eq!(json["findings"][0]["kev"], true);
    assert_eq!(json["unmatched"][0]["id"], "GHSA-p6mc-m468-83gw");
}

#[test]
fn a_malformed_findings_file_exits_2_naming_the_file_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("trivy.json");
    std::fs::write(&bad, "{\"Results\": [\n  {\"Target\": 12,}\n]}").unwrap();
    let bad = bad.display().to_string();
    for command in [
        vec!["findings", &fixture("shop.yaml")[..], "--findings", &bad],
        vec!["exposure", &fixture("shop.yaml")[..], "--findings", &bad],
        vec!["analyze", &fixture("shop.yaml")[..], "--findings", &bad],
    ] {
        let o = run(&command);
        assert_eq!(o.status.code(), Some(2), "{command:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("error: {bad}:2:")), "{err}");
    }
}

#[test]
fn findings_without_files_is_a_usage_error() {
    let o = run(&["findings", &fixture("shop.yaml")]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn findings_add_attack_paths_to_the_graph_commands() {
    let shop = fixture("shop.yaml");
    let trivy = fixture("trivy-orders-api.json");
    let without = run(&["exposure", &shop, "--format", "json"]);
    let with = run(&["exposure", &shop, "--findings", &trivy, "--format", "json"]);
    let count = |o: &Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["exposure"].as_array().unwrap().len()
    };
    assert_eq!(count(&without), 0);
    assert!(count(&with) > 0);
    let paths = run(&["paths", &shop, "--findings", &trivy, "--format", "json"]);
    let paths: serde_json::Value = serde_json::from_slice(&paths.stdout).unwrap();
    let exec = &paths["attack_paths"][0]["steps"][1];
    assert_eq!(
        (&exec["gains"], &exec["on"]),
        (&"exec".into(), &"orders-api".into())
    );
    assert!(exec["via"].as_str().unwrap().starts_with("CVE-"), "{exec}");
    let chokepoints = run(&["chokepoints", &shop, "--findings", &trivy]);
    assert!(
        stdout(&chokepoints).contains("orders-api"),
        "{}",
        stdout(&chokepoints)
    );
    let analyze = run(&["analyze", &shop, "--findings", &trivy, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&analyze.stdout).unwrap();
    assert!(report["summary"]["attack_paths"].as_u64().unwrap() > 0);
}

#[test]
fn blast_radius_of_a_vulnerability() {
    let o = run(&[
        "blast-radius",
        &fixture("shop.yaml"),
        "--vuln",
        "CVE-2021-44228",
        "--findings",
        &fixture("trivy-orders-api.json"),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["vulnerability"], "CVE-2021-44228");
    assert_eq!(v["on"][0], "orders-api");
    let unknown = run(&[
        "blast-radius",
        &fixture("shop.yaml"),
        "--vuln",
        "CVE-2021-44228",
    ]);
    assert_eq!(
        unknown.status.code(),
        Some(2),
        "no findings given: nowhere to exploit it"
    );
    let neither = run(&["blast-radius", &fixture("shop.yaml")]);
    assert_eq!(neither.status.code(), Some(2));
}

#[test]
fn sarif_and_csv_go_to_a_file_with_o() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ranked.sarif");
    let o = run(&[
        "findings",
        &fixture("shop.yaml"),
        "--findings",
        &fixture("codeql-shop.sarif"),
        "--format",
        "sarif",
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let csv = run(&[
        "findings",
        &fixture("shop.yaml"),
        "--findings",
        &fixture("codeql-shop.sarif"),
        "--format",
        "csv",
    ]);
    assert!(stdout(&csv).starts_with("rank,id,component"));
}
