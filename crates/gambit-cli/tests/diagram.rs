//! `gambit diagram`: formats, format from the output file's extension, zone focus, path
//! overlay, and exit code 2 on bad input with nothing written.

use std::path::Path;
use std::process::Command;

fn gambit(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gambit"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .expect("gambit runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn prints_each_format() {
    let (code, dot, _) = gambit(&["diagram", "examples/acme-shop.yaml"]);
    assert_eq!(code, 0);
    assert!(dot.starts_with("digraph \"Acme Shop\""), "{dot}");
    let (_, mermaid, _) = gambit(&["diagram", "examples/acme-shop.yaml", "--format", "mermaid"]);
    assert!(mermaid.starts_with("flowchart LR"));
    let (_, svg, _) = gambit(&["diagram", "examples/acme-shop.yaml", "--format", "svg"]);
    assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
}

#[test]
fn writes_the_format_its_file_extension_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("flows.svg");
    let file_arg = file.to_str().expect("utf-8 path");
    let (code, stdout, _) = gambit(&["diagram", "examples/acme-shop.yaml", "-o", file_arg]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty());
    let svg = std::fs::read_to_string(&file).expect("written");
    assert!(svg.starts_with("<svg "));
}

#[test]
fn zone_and_path_select_and_highlight() {
    let (code, dot, _) = gambit(&["diagram", "examples/acme-shop.yaml", "--zone", "data"]);
    assert_eq!(code, 0);
    assert!(
        dot.contains("\"db\" [") && !dot.contains("\"customer\" ["),
        "{dot}"
    );
    let (code, svg, _) = gambit(&[
        "diagram",
        "examples/acme-shop.yaml",
        "--format",
        "svg",
        "--path",
        "1",
    ]);
    assert_eq!(code, 0);
    assert!(svg.contains("gambit-diagram has-hl") && svg.contains("step-badge"));
}

#[test]
fn path_numbers_follow_the_attackers_given() {
    let args = [
        "diagram",
        "examples/k8s-microservices.yaml",
        "--format",
        "mermaid",
        "--path",
        "1",
        "--path-only",
    ];
    let (code, internet, _) = gambit(&args);
    assert_eq!(code, 0);
    let mut insider_args = args.to_vec();
    insider_args.extend(["--attacker", "insider:developer"]);
    let (code, insider, _) = gambit(&insider_args);
    assert_eq!(code, 0);
    assert_ne!(
        internet, insider,
        "another attacker's first path is another picture"
    );
    assert!(
        insider.contains("class ") && insider.contains(" hl"),
        "{insider}"
    );
}

#[test]
fn bad_zone_or_path_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("out.svg");
    let file_arg = file.to_str().expect("utf-8 path");
    let (code, _, err) = gambit(&[
        "diagram",
        "examples/acme-shop.yaml",
        "--zone",
        "dmx",
        "-o",
        file_arg,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `dmz`"), "{err}");
    assert!(!file.exists());
    let (code, _, err) = gambit(&["diagram", "examples/acme-shop.yaml", "--path", "999"]);
    assert_eq!(code, 2);
    assert!(err.contains("--path 999"), "{err}");
    let (code, _, err) = gambit(&[
        "diagram",
        "examples/acme-shop.yaml",
        "--path",
        "1",
        "--attacker",
        "insider:nobody",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("nobody"), "{err}");
    let (code, _, _) = gambit(&["diagram", "no-such-model.yaml"]);
    assert_eq!(code, 2);
}
