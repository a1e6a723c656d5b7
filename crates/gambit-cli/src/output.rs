//! Writing outputs: standard output, or a file written atomically (temporary file in the
//! same folder, then rename), so a failure never leaves a partial file behind.

use std::io::Write;
use std::path::Path;

pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Prints JSON to standard output, one document.
pub(crate) fn print_json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).expect("JSON values always serialize");
    anstream::println!("{text}");
}

/// Writes `text` to `path` atomically, or to standard output without one; the exit code.
pub(crate) fn write_or_print(path: Option<&Path>, text: &str) -> u8 {
    match path {
        Some(path) => match write_atomic(path, text.as_bytes()) {
            Ok(()) => crate::exit::OK,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                crate::exit::BAD_INPUT
            }
        },
        None => {
            anstream::print!("{text}");
            crate::exit::OK
        }
    }
}
