//! Warnings belong to `validate`: every other command prints errors in full and the
//! model's warnings as one line, and `--quiet` hides even that line.

use std::process::Command;

const WARNED: &str = "gambit: 1
name: w
components:
  web: {kind: web-app, public: true}
  db: {kind: databse}
flows:
  - {from: web, to: db, protocol: postgres}
";

const BAD_RULE: &str = "gambit: 1
name: c
components:
  web: {kind: web-app, public: true}
rules:
  - id: acme-x
    title: X
    applies_to: component
    when: 'component.kindd == \"api\"'
    stride: [spoofing]
    likelihood: likely
    impact: high
    mitigation: Fix it.
";

fn gambit(args: &[&str], model: &str) -> (i32, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.yaml");
    std::fs::write(&path, model).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_gambit"))
        .args(args)
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .expect("gambit runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn analysis_commands_print_the_warnings_as_one_line() {
    for command in [&["analyze"][..], &["paths"], &["exposure"], &["check"]] {
        let (code, err) = gambit(command, WARNED);
        assert_eq!(code, 0, "{command:?}: {err}");
        assert!(
            !err.contains("warning["),
            "{command:?} printed a warning body: {err}"
        );
        assert_eq!(
            err.lines()
                .filter(|l| l.contains("warnings in the model: run `gambit validate MODEL`"))
                .count(),
            1,
            "{command:?}: {err}"
        );
    }
}

#[test]
fn quiet_hides_the_warnings_on_every_command() {
    for command in [
        &["analyze", "--quiet"][..],
        &["paths", "--quiet"],
        &["--quiet", "check"],
    ] {
        let (code, err) = gambit(command, WARNED);
        assert_eq!(code, 0, "{command:?}: {err}");
        assert!(err.is_empty(), "{command:?}: {err}");
    }
}

#[test]
fn validate_prints_every_warning_once() {
    let (code, err) = gambit(&["validate"], WARNED);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("warning[unknown-kind]").count(), 1, "{err}");
    assert_eq!(
        err.matches("warning[flow-without-authentication]").count(),
        1,
        "{err}"
    );
}

#[test]
fn validate_checks_custom_rules_with_their_position() {
    let (code, err) = gambit(&["validate"], BAD_RULE);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[invalid-rule]"), "{err}");
    assert!(err.contains("m.yaml:9:12"), "{err}");
    assert!(err.contains("did you mean `kind`?"), "{err}");
}
