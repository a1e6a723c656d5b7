//! Diagnostics for people (rustc-style snippets) and for tools (JSON).

use gambit_model::{Diagnostic, SourceMap};

/// All diagnostics as text, for standard error.
pub(crate) fn diagnostics_text(diags: &[Diagnostic], sources: &SourceMap, styled: bool) -> String {
    gambit_model::diagnostic::render_text(diags, sources, styled)
}

/// `{"diagnostics": [...], "errors": N, "warnings": N}`.
pub(crate) fn diagnostics_json(diags: &[Diagnostic], sources: &SourceMap) -> serde_json::Value {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    serde_json::json!({
        "diagnostics": diags.iter().map(|d| d.to_json(sources)).collect::<Vec<_>>(),
        "errors": errors,
        "warnings": diags.len() - errors,
    })
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
