//! `gambit diagram --collapse ZONE`, `--no-collapse` and `--focus C --depth N`.

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

const MODEL: &str = "crates/gambit-report/tests/models/saas-aws.yaml";

#[test]
fn collapse_draws_a_zone_as_one_box() {
    let (code, svg, _) = gambit(&["diagram", MODEL, "--format", "svg", "--collapse", "data"]);
    assert_eq!(code, 0);
    assert!(
        svg.contains(r#"data-id="data" data-kind="component""#) && svg.contains("collapsed zone")
    );
    assert!(!svg.contains(r#"data-id="main-db""#));
    let (code, _, err) = gambit(&["diagram", MODEL, "--collapse", "dta"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--collapse") && err.contains("`data`"),
        "{err}"
    );
}

#[test]
fn focus_draws_a_neighbourhood() {
    let (code, dot, _) = gambit(&[
        "diagram",
        MODEL,
        "--focus",
        "billing-service",
        "--depth",
        "1",
    ]);
    assert_eq!(code, 0);
    assert!(dot.contains("\"payment-provider\"") && !dot.contains("\"email-provider\""));
    let (code, _, err) = gambit(&["diagram", MODEL, "--focus", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("--focus"), "{err}");
}

#[test]
fn large_svgs_collapse_unless_told_not_to() {
    let dir = std::env::temp_dir().join(format!("gambit-views-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let model = dir.join("big.yaml");
    std::fs::write(&model, gambit_model::synth::enterprise(200, 3)).expect("writes");
    let model = model.to_str().expect("UTF-8 path");
    let count = |svg: &str| svg.matches(r#"<g class="node "#).count();
    let (code, collapsed, _) = gambit(&["diagram", model, "--format", "svg"]);
    assert_eq!(code, 0);
    assert!(count(&collapsed) <= 150, "{} boxes", count(&collapsed));
    let (_, full, _) = gambit(&["diagram", model, "--format", "svg", "--no-collapse"]);
    assert!(count(&full) > 150);
    std::fs::remove_dir_all(&dir).ok();
}
