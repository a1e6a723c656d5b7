//! The `gambit` binary as a user runs it: exit codes, where output goes, rendered
//! diagnostics (snapshots), JSON, standard input, init.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn gambit() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gambit"));
    cmd.env_remove("CLICOLOR_FORCE").env("NO_COLOR", "1");
    cmd
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    gambit().current_dir(repo()).args(args).output().unwrap()
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = gambit()
        .current_dir(repo())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const BROKEN: &str = "gambit: 1
name: Broken
assets:
  pii: {clasification: restricted}
components:
  web:
    kind: web-app
    public: yes
    stores: [pi]
flows:
  - {from: web, to: dbb, protocol: http, authentication: none}
";

#[test]
fn validate_accepts_every_example() {
    for example in [
        "examples/acme-shop.yaml",
        "examples/k8s-microservices.yaml",
        "examples/llm-agent.yaml",
        "examples/multi-file/main.yaml",
    ] {
        let out = run(&["validate", example]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{example}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).contains(": valid"),
            "{}",
            text(&out.stdout)
        );
    }
}

#[test]
fn validate_renders_every_error_like_a_compiler_and_exits_1() {
    let out = run_stdin(&["validate", "-"], BROKEN);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "<stdin>: invalid (4 errors, 0 warnings)\n"
    );
    insta::assert_snapshot!("broken_model_diagnostics", text(&out.stderr));
}

#[test]
fn validate_json_gives_positions_for_editors() {
    let out = run_stdin(&["validate", "-", "--format", "json"], BROKEN);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["errors"], 4);
    let first = &json["diagnostics"][0];
    assert_eq!(first["code"], "unknown-key");
    assert_eq!(first["location"]["file"], "<stdin>");
    assert_eq!(first["location"]["line"], 4);
    assert_eq!(first["location"]["column"], 9);
    assert_eq!(first["help"], "did you mean `classification`?");
    assert!(out.stderr.is_empty(), "JSON mode prints nothing on stderr");
}

#[test]
fn strict_mode_fails_on_warnings() {
    let model = "gambit: 1\nassets: {pii: {classification: restricted}}\ncomponents: {db: {kind: database, stores: [pii]}}\n";
    assert_eq!(run_stdin(&["validate", "-"], model).status.code(), Some(0));
    let strict = run_stdin(&["validate", "-", "--strict"], model);
    assert_eq!(strict.status.code(), Some(1));
    assert!(text(&strict.stderr).contains("warning[isolated-component]"));
}

#[test]
fn unreadable_input_is_a_clear_error() {
    let out = run(&["validate", "no/such/model.yaml"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "unusable input, as docs/cli.md says"
    );
    assert!(
        text(&out.stderr).contains("error[unreadable-file]: cannot read no/such/model.yaml"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["validate", "examples/acme-shop.yaml", "--max-size", "100"]);
    assert!(text(&out.stderr).contains("error[file-too-large]"));
    let out = run(&["validate", "examples/acme-shop.yaml", "--max-size", "lots"]);
    assert_eq!(out.status.code(), Some(2), "a bad flag is exit code 2");
}

#[test]
fn init_writes_a_starter_that_validates_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    let out = run(&["init", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let model = target.join("gambit.yaml");
    let out = run(&["validate", model.to_str().unwrap(), "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let again = run(&["init", target.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "refuses to overwrite");
    assert_eq!(
        run(&["init", target.to_str().unwrap(), "--force"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn schema_prints_the_committed_schema() {
    let out = run(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schema/gambit.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(printed, committed);
}

#[test]
fn unknown_commands_and_flags_exit_2() {
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        run(&["validate", "x.yaml", "--bogus"]).status.code(),
        Some(2)
    );
}
