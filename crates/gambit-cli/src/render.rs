//! Diagnostics for people (rustc-style snippets) and for tools (JSON).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use gambit_model::{Diagnostic, SourceMap};

/// `--quiet`: the model's warnings are not mentioned at all.
static QUIET: AtomicBool = AtomicBool::new(false);
/// Warnings the command found in the model and did not print (see [`print_errors`]).
static UNSHOWN_WARNINGS: AtomicUsize = AtomicUsize::new(0);

/// Sets `--quiet` for the whole run.
pub(crate) fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// For every command but `validate`: prints the errors in full and only counts the
/// warnings, which [`print_warning_summary`] reports as one line at the end. Warnings
/// belong to `validate`; repeating them on every analysis buries the report.
pub(crate) fn print_errors(diags: &[Diagnostic], sources: &SourceMap) {
    let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    UNSHOWN_WARNINGS.fetch_add(diags.len() - errors.len(), Ordering::Relaxed);
    print_diagnostics(&errors, sources);
}

/// "N warnings: run `gambit validate` to see them", unless there were none or `--quiet`.
pub(crate) fn print_warning_summary() {
    let n = UNSHOWN_WARNINGS.load(Ordering::Relaxed);
    if n > 0 && !QUIET.load(Ordering::Relaxed) {
        let s = if n == 1 { "" } else { "s" };
        eprintln!("{n} warning{s} in the model: run `gambit validate MODEL` to see them");
    }
}

/// Whether `--quiet` was given.
pub(crate) fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// All diagnostics as text, for standard error.
pub(crate) fn diagnostics_text(diags: &[Diagnostic], sources: &SourceMap, styled: bool) -> String {
    gambit_model::diagnostic::render_text(diags, sources, styled)
}

/// `{"diagnostics": [...], "errors": N, "warnings": N}`.
pub(crate) fn diagnostics_json(diags: &[Diagnostic], sources: &SourceMap) -> serde_json::Value {
    gambit_model::diagnostic::json_document(diags, sources)
}

/// Where text goes, for deciding whether to style it.
#[derive(Clone, Copy)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

/// Whether to color text for `stream`: `--color always`/`never`, or with `auto` when the
/// stream is a terminal and `NO_COLOR` is unset.
pub(crate) fn styled(stream: Stream) -> bool {
    use std::io::IsTerminal;
    match anstream::ColorChoice::global() {
        anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi => true,
        anstream::ColorChoice::Never => false,
        anstream::ColorChoice::Auto => {
            let terminal = match stream {
                Stream::Stdout => std::io::stdout().is_terminal(),
                Stream::Stderr => std::io::stderr().is_terminal(),
            };
            terminal && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// Prints diagnostics rustc-style to standard error (nothing when there are none).
pub(crate) fn print_diagnostics(diags: &[Diagnostic], sources: &SourceMap) {
    if !diags.is_empty() {
        eprint!(
            "{}",
            diagnostics_text(diags, sources, styled(Stream::Stderr))
        );
    }
}
