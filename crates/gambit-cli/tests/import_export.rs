//! `gambit import` and `gambit export` as a user runs them: the output validates, files
//! are written atomically, bad input exits 2 naming the file and line.

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
        .unwrap()
}

fn fixture(path: &str) -> String {
    format!("crates/gambit-import/tests/fixtures/{path}")
}

#[test]
fn import_writes_a_model_that_validates() {
    let dir = tempfile::tempdir().unwrap();
    for (format, file) in [
        ("threagile", "threagile/example-threagile.yaml"),
        ("threat-dragon", "threat-dragon/v2-threat-model.json"),
        ("pytm", "pytm/input.json"),
        ("otm", "otm/payments.otm.json"),
    ] {
        let out = dir.path().join(format!("{format}.yaml"));
        let import = run(&[
            "import",
            format,
            &fixture(file),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            import.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&import.stderr)
        );
        assert!(
            import.stdout.is_empty(),
            "with -o nothing goes to standard output"
        );
        let validate = run(&["validate", out.to_str().unwrap()]);
        assert_eq!(
            validate.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&validate.stderr)
        );
    }
}

#[test]
fn import_prints_to_standard_output_and_warns_on_standard_error() {
    let out = run(&[
        "import",
        "threagile",
        &fixture("threagile/stub-threagile.yaml"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let model = String::from_utf8(out.stdout).unwrap();
    assert!(
        model.contains("gambit: 1") && model.contains("some-component:"),
        "{model}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("warning: crates/gambit-import/tests/fixtures/threagile/stub-threagile.yaml: shared_runtimes"), "{stderr}");
    let quiet = run(&[
        "import",
        "threagile",
        &fixture("threagile/stub-threagile.yaml"),
        "--quiet",
    ]);
    assert!(quiet.stderr.is_empty());
}

#[test]
fn malformed_input_exits_2_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"otmVersion\": \"0.2.0\",\n  \"project\": [\n").unwrap();
    let out_file = dir.path().join("never.yaml");
    let out = run(&[
        "import",
        "otm",
        bad.to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!("error: {}:4:1: not valid JSON", bad.display())),
        "{stderr}"
    );
    assert!(!out_file.exists(), "no partial output");
    let missing = run(&["import", "pytm", "no/such/file.json"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn export_otm_then_import_gives_the_model_back() {
    let dir = tempfile::tempdir().unwrap();
    let otm = dir.path().join("acme.otm.json");
    let export = run(&[
        "export",
        "otm",
        "examples/acme-shop.yaml",
        "-o",
        otm.to_str().unwrap(),
    ]);
    assert_eq!(
        export.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&otm).unwrap()).unwrap();
    assert_eq!(json["otmVersion"], "0.2.0");
    let back = dir.path().join("acme.yaml");
    let import = run(&[
        "import",
        "otm",
        otm.to_str().unwrap(),
        "-o",
        back.to_str().unwrap(),
    ]);
    assert_eq!(import.status.code(), Some(0));
    let validate = run(&["validate", back.to_str().unwrap()]);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&validate.stderr)
    );
    let bad_model = run(&["export", "otm", "no/such/model.yaml"]);
    assert_eq!(bad_model.status.code(), Some(2));
}
