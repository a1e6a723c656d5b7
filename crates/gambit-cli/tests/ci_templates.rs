//! The ready-to-copy CI templates in ci-templates/: each parses, has the steps its docs
//! promise, and every `gambit` command it runs works on an example model (the gate
//! failing, as it must, on a model with open high threats). Commands whose `analyze`
//! format this build does not offer yet are reported and skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

fn template(path: &str) -> (String, Value) {
    let text =
        std::fs::read_to_string(root().join("ci-templates").join(path)).expect("template exists");
    let doc =
        gambit_model::yaml_to_json(&text).unwrap_or_else(|d| panic!("{path} is not YAML: {d:?}"));
    (text, doc)
}

/// The `gambit ...` command lines of a shell script.
fn gambit_lines(script: &str) -> Vec<String> {
    script
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("gambit "))
        .map(str::to_owned)
        .collect()
}

/// Runs one template command line against `model`, in `dir`; returns its exit code, or
/// None when it asks `analyze` for a format this build does not have yet.
fn run_line(line: &str, model: &Path, dir: &Path, analyze_help: &str) -> Option<i32> {
    let words: Vec<String> = line
        .split_whitespace()
        .map(|w| match w.trim_matches('"') {
            "$GAMBIT_MODEL" => model.to_string_lossy().into_owned(),
            "$GAMBIT_FAIL_ON" => "high".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    if words.get(1).map(String::as_str) == Some("analyze")
        && let Some(i) = words.iter().position(|w| w == "--format")
    {
        let format = &words[i + 1];
        if !analyze_help.contains(format.as_str()) {
            eprintln!("SKIPPED `{line}`: this build's analyze has no --format {format} yet");
            return None;
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_gambit"))
        .args(&words[1..])
        .current_dir(dir)
        .output()
        .expect("gambit runs");
    Some(out.status.code().unwrap_or(-1))
}

fn analyze_help() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gambit"))
        .args(["analyze", "--help"])
        .output()
        .expect("gambit runs");
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    // Only the --format line's possible values count.
    help.lines()
        .skip_while(|l| !l.contains("--format"))
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs every command; checks the outputs they name and that only the gate fails.
fn run_all(lines: &[String], what: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let model = root().join("examples/acme-shop.yaml");
    let help = analyze_help();
    assert!(!lines.is_empty(), "{what} runs gambit");
    for line in lines {
        let Some(code) = run_line(line, &model, dir.path(), &help) else {
            continue;
        };
        if line.starts_with("gambit check") {
            assert_eq!(
                code, 1,
                "{what}: `{line}` fails the gate on acme-shop (open high threats)"
            );
            continue;
        }
        assert_eq!(code, 0, "{what}: `{line}` succeeds");
        if let Some(out) = line.split_whitespace().skip_while(|w| *w != "-o").nth(1) {
            let written =
                std::fs::read_to_string(dir.path().join(out)).expect("the output file is written");
            assert!(!written.is_empty(), "{what}: {out} is not empty");
            if out.ends_with(".sarif") {
                let log: Value = serde_json::from_str(&written).expect("SARIF is JSON");
                assert_eq!(log["version"], "2.1.0");
            }
        }
    }
}

#[test]
fn github_workflow_uploads_sarif_comments_and_gates() {
    let (_, doc) = template("github/gambit.yml");
    assert_eq!(doc["permissions"]["security-events"], "write");
    assert_eq!(doc["permissions"]["pull-requests"], "write");
    let steps = doc["jobs"]["threat-model"]["steps"]
        .as_array()
        .expect("steps");
    let uses = |prefix: &str| {
        steps
            .iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix)))
    };
    let upload = uses("github/codeql-action/upload-sarif@").expect("uploads SARIF");
    assert_eq!(upload["with"]["sarif_file"], "gambit.sarif");
    let comment = uses("actions/github-script@").expect("comments on the PR");
    assert!(
        comment["with"]["script"]
            .as_str()
            .unwrap_or("")
            .contains("gambit.md")
    );
    let last = steps.last().expect("a last step");
    assert!(
        last["run"]
            .as_str()
            .unwrap_or("")
            .starts_with("gambit check"),
        "the gate runs last, after the reports"
    );
    let script: String = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    run_all(&gambit_lines(&script), "GitHub workflow");
}

#[test]
fn gitlab_job_keeps_reports_and_gates() {
    let (_, doc) = template("gitlab/gambit.gitlab-ci.yml");
    let job = &doc["gambit"];
    assert_eq!(job["artifacts"]["when"], "always");
    let paths: Vec<&str> = job["artifacts"]["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(paths.contains(&"gambit-report.html") && paths.contains(&"gambit.sarif"));
    let script: Vec<&str> = job["script"]
        .as_array()
        .expect("script")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        script.last().is_some_and(|l| l.starts_with("gambit check")),
        "the gate runs last"
    );
    run_all(&gambit_lines(&script.join("\n")), "GitLab job");
}

#[test]
fn pre_commit_config_hooks_run() {
    let (_, doc) = template("pre-commit/pre-commit-config.yaml");
    let hooks = doc["repos"][0]["hooks"].as_array().expect("hooks");
    let entries: Vec<String> = hooks
        .iter()
        .filter_map(|h| h["entry"].as_str())
        .map(str::to_owned)
        .collect();
    assert_eq!(hooks.len(), 2);
    // pre-commit appends the staged file names to `gambit validate`.
    let lines: Vec<String> = entries
        .iter()
        .map(|e| {
            if e == "gambit validate" {
                "gambit validate $GAMBIT_MODEL".to_owned()
            } else {
                e.replace("gambit.yaml", "$GAMBIT_MODEL")
            }
        })
        .collect();
    run_all(&lines, "pre-commit hooks");
}

#[test]
fn plain_git_hook_blocks_a_commit_with_open_high_threats() {
    let repo = tempfile::tempdir().expect("temp dir");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(repo.path())
            .output()
            .expect("git runs")
    };
    if git(&["init", "-q"]).status.code() != Some(0) {
        eprintln!("SKIPPED plain_git_hook: git is not available");
        return;
    }
    std::fs::copy(
        root().join("examples/acme-shop.yaml"),
        repo.path().join("gambit.yaml"),
    )
    .expect("copy model");
    git(&["add", "gambit.yaml"]);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_gambit"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let hook = root().join("ci-templates/pre-commit/pre-commit");
    let out = Command::new("sh")
        .arg(&hook)
        .current_dir(repo.path())
        .env("PATH", &path)
        .output()
        .expect("hook runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the hook fails: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = Command::new("sh")
        .arg(&hook)
        .current_dir(repo.path())
        .env("PATH", &path)
        .env("GAMBIT_FAIL_ON", "critical")
        .env("GAMBIT_MODEL", "missing.yaml")
        .output()
        .expect("hook runs");
    assert_ne!(
        out.status.code(),
        Some(0),
        "a missing model is an error, not a pass"
    );
}
