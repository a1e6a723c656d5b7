//! `analyze` as the full report (threats joined with the attack graph, every output
//! format) and `check --baseline`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gambit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gambit"))
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = gambit(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_json_report_joins_threats_with_attack_paths() {
    let r = json(&[
        "analyze",
        "examples/acme-shop.yaml",
        "--format",
        "json",
        "--today",
        "2026-11-28",
    ]);
    for key in [
        "gambit_version",
        "model",
        "summary",
        "threats",
        "attack_paths",
        "exposure",
        "chokepoints",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    assert!(r["summary"]["attack_paths"].as_u64().unwrap() > 0);
    assert!(r["summary"]["crown_jewels_exposed"].as_u64().unwrap() > 0);
    let threats = r["threats"].as_array().unwrap();
    let exploit = threats
        .iter()
        .find(|t| t["id"] == "exploitable-vulnerability@web")
        .unwrap();
    assert_eq!(exploit["on_attack_path"], true);
    assert!(
        !exploit["attack_goals"].as_array().unwrap().is_empty(),
        "says which path it serves"
    );
    // Threats on a real path rank before theoretical ones.
    let first_off = threats
        .iter()
        .position(|t| t["on_attack_path"] == false)
        .unwrap();
    assert!(
        threats[first_off..]
            .iter()
            .all(|t| t["on_attack_path"] == false)
    );
    let cut = r["chokepoints"].as_array().unwrap();
    assert!(
        cut.iter()
            .any(|c| c["fix"].as_str().unwrap().contains("CVE-2021-23017"))
    );
}

#[test]
fn attackers_on_the_command_line_override_the_model() {
    let insider = json(&[
        "analyze",
        "examples/acme-shop.yaml",
        "--format",
        "json",
        "--attacker",
        "compromised:ci-runner",
    ]);
    let paths = insider["attack_paths"].as_array().unwrap();
    assert!(!paths.is_empty());
    assert!(
        paths
            .iter()
            .all(|p| p["attacker"] == "compromised:ci-runner")
    );
    let bad = gambit(&[
        "analyze",
        "examples/acme-shop.yaml",
        "--attacker",
        "insider:nobody",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn every_report_format_is_written_atomically_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    for (format, probe) in [
        ("markdown", "|"),
        ("html", "<svg"),
        ("sarif", "\"version\": \"2.1.0\""),
        ("csv", "id,rule,title"),
        ("json", "\"attack_paths\""),
        ("text", "ATTACK PATHS TO CROWN JEWELS"),
    ] {
        let path = dir.path().join(format!("report.{format}"));
        let out = gambit(&[
            "analyze",
            "examples/acme-shop.yaml",
            "--format",
            format,
            "-o",
            path.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(probe), "{format} lacks {probe:?}");
    }
    // Nothing is left behind when the target cannot be written.
    let out = gambit(&[
        "analyze",
        "examples/acme-shop.yaml",
        "-o",
        "/nonexistent-dir/report.txt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 6, "only the six reports");
}

#[test]
fn check_with_a_baseline_fails_only_on_new_threats() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("baseline.json");
    let out = gambit(&[
        "analyze",
        "examples/acme-shop.yaml",
        "--format",
        "json",
        "-o",
        base.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let b = base.to_str().unwrap();
    assert_eq!(
        gambit(&["check", "examples/acme-shop.yaml"]).status.code(),
        Some(1),
        "old threats fail without a baseline"
    );
    assert_eq!(
        gambit(&["check", "examples/acme-shop.yaml", "--baseline", b])
            .status
            .code(),
        Some(0)
    );

    let model = std::fs::read_to_string(repo().join("examples/acme-shop.yaml")).unwrap();
    let worse = model.replace(
        "    encrypted_at_rest: true\n",
        "    encrypted_at_rest: true\n    public: true\n",
    );
    assert_ne!(model, worse, "the edit applies");
    let changed = dir.path().join("acme.yaml");
    std::fs::write(&changed, worse).unwrap();
    let out = gambit(&["check", changed.to_str().unwrap(), "--baseline", b]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("@db"),
        "the new threat is on the newly public db"
    );

    std::fs::write(dir.path().join("bad.json"), "[]").unwrap();
    let bad = gambit(&[
        "check",
        "examples/acme-shop.yaml",
        "--baseline",
        dir.path().join("bad.json").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
}
