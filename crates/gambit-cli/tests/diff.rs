//! `gambit diff`: two files, or a model against its version at a git revision
//! (includes resolved as they were then); JSON shape of the CLI contract; exit 2 on bad
//! input.

use std::path::Path;
use std::process::Command;

fn gambit(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gambit"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("gambit runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn acme() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme-shop.yaml");
    std::fs::read_to_string(root).expect("example")
}

fn patched(text: &str) -> String {
    text.replace(
        "        epss: 0.04\n",
        "        epss: 0.04\n        status: fixed\n",
    )
}

#[test]
fn two_files_json_has_the_contract_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("old.yaml"), acme()).expect("write");
    std::fs::write(dir.path().join("new.yaml"), patched(&acme())).expect("write");
    let (code, out, err) = gambit(
        dir.path(),
        &["diff", "old.yaml", "new.yaml", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let d: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    for (section, keys) in [
        ("threats", ["added", "resolved", "changed"].as_slice()),
        ("attack_paths", &["added", "removed"]),
        ("exposure", &["gained", "lost"]),
        ("chokepoints", &["added", "removed"]),
    ] {
        for k in keys {
            assert!(d[section][k].is_array(), "{section}.{k}");
        }
    }
    let resolved: Vec<&str> = d["threats"]["resolved"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(resolved, vec!["exploitable-vulnerability@web"]);
    assert!(
        !d["attack_paths"]["removed"]
            .as_array()
            .expect("list")
            .is_empty()
    );
}

#[test]
fn base_revision_compares_with_the_committed_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git runs")
    };
    if git(&["init", "-q"]).status.code() != Some(0) {
        eprintln!("SKIPPED: git is not available");
        return;
    }
    std::fs::create_dir(dir.path().join("model")).expect("mkdir");
    std::fs::write(dir.path().join("model/gambit.yaml"), acme()).expect("write");
    git(&["add", "."]);
    assert_eq!(git(&["commit", "-q", "-m", "model"]).status.code(), Some(0));
    std::fs::write(dir.path().join("model/gambit.yaml"), patched(&acme())).expect("write");
    let (code, out, err) = gambit(dir.path(), &["diff", "model/gambit.yaml", "--base", "HEAD"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("- critical  exploitable-vulnerability@web"),
        "{out}"
    );
    assert!(
        out.contains("Choke points:\n  - patch CVE-2021-23017 on web"),
        "{out}"
    );
    let (code, out, _) = gambit(
        dir.path(),
        &["diff", "model/gambit.yaml", "model/gambit.yaml"],
    );
    assert_eq!(code, 0);
    assert!(out.starts_with("No change"), "{out}");
    let (code, _, err) = gambit(
        dir.path(),
        &["diff", "model/gambit.yaml", "--base", "no-such-rev"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("no-such-rev"), "{err}");
    std::fs::write(dir.path().join("model/new.yaml"), acme()).expect("write");
    let (code, _, err) = gambit(dir.path(), &["diff", "model/new.yaml", "--base", "HEAD"]);
    assert_eq!(code, 2);
    assert!(err.contains("did not exist at HEAD"), "{err}");
}

#[test]
fn unreadable_models_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, _) = gambit(dir.path(), &["diff", "missing.yaml", "also-missing.yaml"]);
    assert_eq!(code, 2);
}
