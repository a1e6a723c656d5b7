//! `gambit diff OLD NEW [--format text|json]` and `gambit diff MODEL --base GIT_REV`:
//! threats added, resolved and changed; best attack paths added and removed; exposure
//! gained and lost; choke points added and removed (see gambit_report::diff).

use std::path::{Path, PathBuf};
use std::process::Command;

use gambit_report::Report;
use gambit_rules::Scoring;

use crate::analysis;
use crate::cli::{DiffArgs, ModelArg, PlainFormat, ThreatOptions};
use crate::error::{CommandResult, Failure, Outcome};
use crate::progress::Progress;
use crate::sink;

pub(crate) fn run(args: &DiffArgs) -> CommandResult {
    // Keeps the checked-out old tree alive until both reports are built.
    let mut _checkout = None;
    let (old_arg, new_arg) = match (&args.base, &args.new) {
        (Some(rev), _) => {
            let (dir, old_path) = checkout(&args.old.model, rev)?;
            let include_root = base_include_root(args.old.include_root.as_deref(), dir.path())?;
            _checkout = Some(dir);
            let old = ModelArg {
                model: old_path,
                max_size: args.old.max_size,
                include_root,
            };
            (old, args.old.clone())
        }
        (None, Some(new)) => {
            let new = ModelArg {
                model: new.clone(),
                max_size: args.old.max_size,
                include_root: args.old.include_root.clone(),
            };
            (args.old.clone(), new)
        }
        (None, None) => return Err(Failure::bad_input("give NEW, or --base GIT_REV")),
    };
    let progress = Progress::start("analyzing the old model");
    let old = report_of(&old_arg, &args.threats, &progress)?;
    progress.stage("analyzing the new model");
    let new = report_of(&new_arg, &args.threats, &progress)?;
    drop(progress);
    let d = gambit_report::diff::diff(&old, &new);
    match args.format {
        PlainFormat::Json => sink::print_json(&d)?,
        PlainFormat::Text => sink::print(&gambit_report::diff::text(&d))?,
    }
    Ok(Outcome::Success)
}

/// A model's report as `analyze` builds it, with the model's own attackers.
fn report_of(
    arg: &ModelArg,
    threats: &ThreatOptions,
    progress: &Progress,
) -> Result<Report, Failure> {
    let analyzed = analysis::threats(arg, threats, Scoring::Standard, progress)?;
    Ok(gambit_report::assemble::report(
        &analyzed.model,
        analyzed.threats,
        &[],
    ))
}

/// `--include-root` for the model checked out from git: the same folder of the old tree,
/// so the old model's includes are confined as the new one's are (never outside the tree).
fn base_include_root(root: Option<&Path>, checkout: &Path) -> Result<Option<PathBuf>, Failure> {
    let Some(root) = root else { return Ok(None) };
    let fail =
        |msg: String| Failure::bad_input(format!("--include-root {}: {msg}", root.display()));
    let root = root.canonicalize().map_err(|e| fail(e.to_string()))?;
    let top = git(&root, &["rev-parse", "--show-toplevel"]).map_err(fail)?;
    let top = PathBuf::from(top)
        .canonicalize()
        .map_err(|e| fail(e.to_string()))?;
    let inside = root
        .strip_prefix(&top)
        .map_err(|_| fail("with --base it must be inside the repository".into()))?;
    Ok(Some(checkout.join(TREE).join(inside)))
}

/// The folder of the checkout that holds the old revision's files.
const TREE: &str = "tree";

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

/// Extracts the repository at `rev` into a temporary folder (so `include:`s resolve as
/// they did then) and returns it with the model's path inside it.
fn checkout(model: &Path, rev: &str) -> Result<(tempfile::TempDir, PathBuf), Failure> {
    let fail = |msg: String| Failure::bad_input(format!("--base {rev}: {msg}"));
    if model.as_os_str() == "-" {
        return Err(fail(
            "the model must be a file in a git repository, not standard input".into(),
        ));
    }
    let absolute = model
        .canonicalize()
        .map_err(|e| fail(format!("{}: {e}", model.display())))?;
    let dir = absolute.parent().unwrap_or(Path::new("/"));
    let top = git(dir, &["rev-parse", "--show-toplevel"]).map_err(fail)?;
    let top = PathBuf::from(top)
        .canonicalize()
        .map_err(|e| fail(e.to_string()))?;
    let relative = absolute
        .strip_prefix(&top)
        .map_err(|_| {
            fail(format!(
                "{} is not inside {}",
                model.display(),
                top.display()
            ))
        })?
        .to_path_buf();
    git(
        &top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| fail("not a revision of this repository".into()))?;
    let tmp = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
    let tar = tmp.path().join("base.tar");
    let tar_arg = tar.to_string_lossy().into_owned();
    git(&top, &["archive", "--format=tar", "-o", &tar_arg, rev]).map_err(fail)?;
    let tree = tmp.path().join(TREE);
    std::fs::create_dir_all(&tree).map_err(|e| fail(e.to_string()))?;
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&tar)
        .arg("-C")
        .arg(&tree)
        .status()
        .map_err(|e| fail(format!("cannot run tar: {e}")))?;
    if !status.success() {
        return Err(fail("could not unpack the revision".into()));
    }
    let old = tree.join(&relative);
    if !old.is_file() {
        return Err(fail(format!(
            "{} did not exist at {rev}",
            relative.display()
        )));
    }
    Ok((tmp, old))
}
