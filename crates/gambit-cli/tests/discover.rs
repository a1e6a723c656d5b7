//! `gambit discover` and `gambit drift` through the real binary: output files, exit codes,
//! located errors. What is discovered is tested in gambit-discover.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gambit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gambit"))
        .args(args)
        .output()
        .unwrap()
}

fn fixture(rel: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../gambit-discover/tests/fixtures");
    root.join(rel).display().to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn discover_terraform_writes_a_fragment_that_validates() {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("discovered.yaml");
    let run = gambit(&[
        "discover",
        "terraform",
        &fixture("terraform/shop-plan.json"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("finding[public-ssh] aws-instance.bastion"));
    assert!(text(&run.stderr).contains("skipped[unknown-type] `aws_kms_key`"));
    let validate = gambit(&["validate", out.to_str().unwrap()]);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        text(&validate.stdout)
    );
}

#[test]
fn discover_kubernetes_prints_the_fragment() {
    let run = gambit(&["discover", "kubernetes", &fixture("kubernetes")]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let yaml = text(&run.stdout);
    assert!(yaml.starts_with("# Discovered by `gambit discover`"));
    assert!(yaml.contains("discovered: true\n"));
    assert!(text(&run.stderr).contains("finding[exposed-dashboard] monitoring.deployment.grafana"));
}

#[test]
fn unusable_input_is_exit_2_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("cut.json");
    std::fs::write(
        &plan,
        "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {",
    )
    .unwrap();
    let run = gambit(&["discover", "terraform", plan.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("cut.json:3:"),
        "{}",
        text(&run.stderr)
    );
    let yaml = dir.path().join("compose.yaml");
    std::fs::write(&yaml, "services: {web: {image: nginx}}\n").unwrap();
    let run = gambit(&["discover", "kubernetes", yaml.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("compose.yaml:1:1: not a Kubernetes manifest"),
        "{}",
        text(&run.stderr)
    );
}

#[test]
fn drift_exits_1_on_contradictions_and_prints_json() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.yaml");
    std::fs::write(
        &model,
        "gambit: 1\ncomponents:\n  aws-s3-bucket.assets: {kind: object-store}\n",
    )
    .unwrap();
    let run = gambit(&[
        "drift",
        model.to_str().unwrap(),
        "--terraform",
        &fixture("terraform/shop-plan.json"),
        "--format",
        "json",
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(json["contradictions"][0]["id"], "aws-s3-bucket.assets");
    std::fs::write(&model, "gambit: 1\ncomponents:\n  web: {kind: web-app}\n").unwrap();
    let run = gambit(&[
        "drift",
        model.to_str().unwrap(),
        "--kubernetes",
        &fixture("kubernetes"),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("exists but not modelled:"));
}
