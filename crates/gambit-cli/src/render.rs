//! Diagnostics for people (rustc-style snippets) and for tools (JSON).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use gambit_model::{Diagnostic, Severity, SourceMap};

/// Renders one diagnostic as rustc does: header, `--> file:line:col`, the source line with
/// a caret under the span, then help.
pub(crate) fn diagnostic(d: &Diagnostic, sources: &SourceMap, styled: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut windows = Vec::new(); // (text, first line, path, primary range, label) kept alive for the renderer
    let mut push_window = |span: gambit_model::Span, label: Option<&str>, primary: bool| {
        let file = sources.get(span.file);
        let start = file.line_col(span.start);
        let end = file.line_col(span.end.saturating_sub(1).max(span.start));
        let first = file.line_range(start.line).start;
        let last = file.line_range(end.line.min(start.line + 5)).end;
        let text = file.text.get(first..last).unwrap_or("").to_owned();
        let lo = (span.start as usize).saturating_sub(first).min(text.len());
        let hi = (span.end as usize)
            .saturating_sub(first)
            .clamp(lo, text.len());
        let hi = if hi == lo {
            (lo + 1).min(text.len())
        } else {
            hi
        };
        windows.push((
            text,
            start.line as usize,
            file.name.clone(),
            lo..hi,
            label.map(str::to_owned),
            primary,
        ));
    };
    if let Some(span) = d.span {
        push_window(span, d.label.as_deref(), true);
    }
    for r in &d.related {
        push_window(r.span, Some(&r.message), false);
    }
    let mut group = Group::with_title(level.primary_title(d.message.as_str()).id(d.code));
    for (text, line, path, range, label, primary) in &windows {
        let kind = if *primary {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        let mut ann = kind.span(range.clone());
        if let Some(l) = label {
            ann = ann.label(l.as_str());
        }
        group = group.element(
            Snippet::source(text.as_str())
                .line_start(*line)
                .path(path.as_str())
                .annotation(ann),
        );
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group])
}

/// All diagnostics, then a summary line, for standard error.
pub(crate) fn diagnostics_text(diags: &[Diagnostic], sources: &SourceMap, styled: bool) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&diagnostic(d, sources, styled));
        out.push_str("\n\n");
    }
    out
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
