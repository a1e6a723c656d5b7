//! `-o` never clobbers what it should not, keeps modes, and cleans up when interrupted;
//! the exit codes of unusable input.

#![cfg(unix)]

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gambit() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gambit"));
    cmd.env("NO_COLOR", "1");
    cmd
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme-shop.yaml")
}

fn diagram_to(path: &Path) -> Output {
    gambit()
        .args(["diagram", example().to_str().unwrap(), "-o"])
        .arg(path)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn symlinks_directories_fifos_and_read_only_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.txt");
    std::fs::write(&target, "keep").unwrap();
    let link = dir.path().join("link.svg");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = diagram_to(&link);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");

    let out = diagram_to(dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("a directory"), "{}", stderr(&out));

    let fifo = dir.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = diagram_to(&fifo);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    assert!(fifo.metadata().unwrap().file_type().is_fifo());

    let out = diagram_to(Path::new("/dev/null"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        Path::new("/dev/null")
            .metadata()
            .unwrap()
            .file_type()
            .is_char_device()
    );

    let read_only = dir.path().join("read-only.svg");
    std::fs::write(&read_only, "keep").unwrap();
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = diagram_to(&read_only);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&read_only).unwrap(), "keep");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_replaced_file_keeps_its_mode_and_a_new_one_follows_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("existing.svg");
    std::fs::write(&existing, "old").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(diagram_to(&existing).status.code(), Some(0));
    let mode = existing.metadata().unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert!(std::fs::read_to_string(&existing).unwrap().contains("<svg"));

    for (umask, expected) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let fresh = dir.path().join(format!("new-{umask}.svg"));
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_gambit"))
            .args(["diagram", example().to_str().unwrap(), "-o"])
            .arg(&fresh)
            .status()
            .unwrap();
        assert!(status.success());
        let mode = fresh.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected, "umask {umask}");
    }
}

#[test]
fn an_interrupted_write_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.svg");
    for signal in ["TERM", "INT"] {
        let mut child = gambit()
            .env("GAMBIT_TEST_PAUSE_BEFORE_RENAME_MS", "20000")
            .args(["diagram", example().to_str().unwrap(), "-o"])
            .arg(&out_path)
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while leftovers(dir.path()).is_empty() {
            assert!(
                std::time::Instant::now() < deadline,
                "no temporary file appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let killed = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert!(!status.success(), "{signal}: {status:?}");
        assert!(
            leftovers(dir.path()).is_empty(),
            "{signal}: {:?}",
            leftovers(dir.path())
        );
        assert!(!out_path.exists());
    }
}

#[test]
fn validate_exits_2_when_the_model_cannot_be_read_and_1_when_it_has_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = gambit()
        .args(["validate"])
        .arg(dir.path().join("missing.yaml"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "gambit: 1\nname: x\nnope: 1\n").unwrap();
    let out = gambit().arg("validate").arg(&broken).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn a_symlink_committed_at_the_base_revision_is_not_followed_out_of_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("secret.yaml"), "zones: {hunter2: {}}\n").unwrap();
    let git = |args: &[&str]| {
        Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    if git(&["init", "-q"]).status.code() != Some(0) {
        eprintln!("SKIPPED: git is not available");
        return;
    }
    let model = std::fs::read_to_string(example()).unwrap();
    std::fs::write(
        dir.path().join("gambit.yaml"),
        model.replacen("gambit: 1\n", "gambit: 1\ninclude: [part.yaml]\n", 1),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        secret.path().join("secret.yaml"),
        dir.path().join("part.yaml"),
    )
    .unwrap();
    git(&["add", "."]);
    assert_eq!(git(&["commit", "-q", "-m", "m"]).status.code(), Some(0));
    let out = gambit()
        .current_dir(dir.path())
        .args(["diff", "gambit.yaml", "--base", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error[include-outside-root]"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("hunter2"), "{}", stderr(&out));
}

#[test]
fn zero_paths_is_a_bad_flag() {
    let out = gambit()
        .args(["paths", example().to_str().unwrap(), "-k", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("at least 1"), "{}", stderr(&out));
    let out = gambit()
        .args(["paths", example().to_str().unwrap(), "-k", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_largest_max_size_is_not_an_empty_model() {
    let out = gambit()
        .args([
            "validate",
            example().to_str().unwrap(),
            "--max-size",
            "18446744073709551615",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
