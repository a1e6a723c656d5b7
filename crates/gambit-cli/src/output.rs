//! Writing outputs: standard output, or a file written atomically (temporary file in the
//! same folder, then rename), so a failure never leaves a partial file behind.
//!
//! `-o` only ever replaces a regular file the user may write, or creates a new one: a
//! rename would silently turn a device (`/dev/null`), a FIFO or a symbolic link into a
//! regular file and bypass a read-only file's mode, so those are refused before anything is
//! written. A replaced file keeps its mode; a new one gets the umask's. The temporary file
//! is removed when the write fails and when the process is interrupted (SIGINT, SIGTERM).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why `-o` refuses a path, in words for the user.
fn refusal(path: &Path) -> std::io::Result<Option<std::fs::Permissions>> {
    let refuse = |what: &str| {
        Err(std::io::Error::other(format!(
            "refusing to replace {}: it is {what}",
            path.display()
        )))
    };
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
        Ok(meta) => meta,
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        return refuse("a symbolic link (name its target instead)");
    }
    if kind.is_dir() {
        return refuse("a directory");
    }
    if !kind.is_file() {
        return refuse("not a regular file (a device, FIFO or socket)");
    }
    if meta.permissions().readonly() {
        return refuse("read-only");
    }
    Ok(Some(meta.permissions()))
}

pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let existing = refusal(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gambit-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The kernel applies the umask to this, as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let (mut tmp, _cleanup) = interrupt::create(&builder, dir)?;
    if let Some(permissions) = existing {
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    // A seam for the test that interrupts a write half-way (debug builds only).
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var_os("GAMBIT_TEST_PAUSE_BEFORE_RENAME_MS") {
        let ms = ms.to_str().and_then(|m| m.parse().ok()).unwrap_or(0);
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Temporary files to remove if the process is interrupted before they are renamed.
mod interrupt {
    use super::*;

    static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// Removes `path` from the pending list when dropped.
    pub(super) struct Pending(PathBuf);

    impl Drop for Pending {
        fn drop(&mut self) {
            if let Ok(mut pending) = PENDING.lock() {
                pending.retain(|p| p != &self.0);
            }
        }
    }

    /// Creates the temporary file, registered for removal on SIGINT or SIGTERM until the
    /// guard is dropped. The list stays locked from creation to registration, so a signal
    /// in between waits for the file to be listed and still removes it.
    pub(super) fn create(
        builder: &tempfile::Builder<'_, '_>,
        dir: &Path,
    ) -> std::io::Result<(tempfile::NamedTempFile, Pending)> {
        watch_signals();
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        let tmp = builder.tempfile_in(dir)?;
        pending.push(tmp.path().to_path_buf());
        let guard = Pending(tmp.path().to_path_buf());
        Ok((tmp, guard))
    }

    /// Starts, once, a thread that removes the pending files on a signal, then exits as the
    /// signal would have (128 + its number).
    #[cfg(unix)]
    fn watch_signals() {
        use signal_hook::consts::{SIGINT, SIGTERM};
        static STARTED: std::sync::Once = std::sync::Once::new();
        STARTED.call_once(|| {
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Hold the lock while exiting so no file is registered after the sweep.
                    let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
                    for path in pending.iter() {
                        let _ = std::fs::remove_file(path);
                    }
                    std::process::exit(128 + signal);
                }
            });
        });
    }

    #[cfg(not(unix))]
    fn watch_signals() {}
}

/// Prints JSON to standard output, one document. JSON holds no terminal styling, so it
/// goes straight to a buffered standard output (a closed pipe just ends the output).
pub(crate) fn print_json(value: &serde_json::Value) {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let _ = serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush());
}
