//! Where a command's output goes: standard output (buffered, streamed), or a file
//! written atomically through [`crate::output::write_atomic`].

use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use crate::error::Failure;
use crate::output;

/// Runs `write` against the destination: the file at `path`, or standard output.
/// A closed pipe (`| head`) is not an error of ours.
pub(crate) fn write_to(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    match path {
        Some(p) => {
            let mut bytes = Vec::new();
            write(&mut bytes)
                .and_then(|()| output::write_atomic(p, &bytes))
                .map_err(|e| Failure::bad_input(format!("cannot write {}: {e}", p.display())))
        }
        None => {
            // Raw bytes: the text is already styled (or not) for its destination, and
            // scanning tens of megabytes of JSON for escape codes would double the run.
            let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Failure::bad_input(format!("cannot write the output: {e}"))),
            }
        }
    }
}

/// Text to standard output.
pub(crate) fn print(text: &str) -> Result<(), Failure> {
    write_to(None, |out| out.write_all(text.as_bytes()))
}

/// A JSON document to standard output, streamed.
pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), Failure> {
    write_to(None, |out| gambit_report::report::write_json(value, out))
}
