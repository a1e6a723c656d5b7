//! Diagnostics: what the loader says about a model.
//!
//! A diagnostic is plain data (severity, code, message, spans, help), rendered here as
//! rustc-style text ([`render_text`]) or as JSON ([`Diagnostic::to_json`]) so that every
//! front end reports the same position and the text renderer is fuzzed with the loader.
//!
//! The text renderer is bounded for hostile input: spans are put on character boundaries
//! in one place ([`SourceFile::char_range`]), a diagnostic shows at most
//! [`MAX_SHOWN_LINES`] lines, and a line longer than [`MAX_SHOWN_LINE`] bytes is cut to an
//! excerpt around the span, so a diagnostic costs the same on a one-line megabyte JSON model
//! as on a short YAML line. Control characters in model text never reach the terminal: the
//! renderer replaces them.

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::source::{SourceFile, SourceMap, Span};

/// Lines of source shown for one span.
pub const MAX_SHOWN_LINES: u32 = 6;
/// Source bytes shown for one span; a longer window is cut to one line around the span.
pub const MAX_SHOWN_LINE: usize = 240;
/// Bytes shown on each side of the span in a cut line.
const EXCERPT_CONTEXT: usize = 60;
/// Bytes of a long span shown in a cut line.
const EXCERPT_SPAN: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A secondary location with its own label ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable kebab-case code, e.g. `unknown-reference`.
    pub code: &'static str,
    pub message: String,
    /// Where the problem is; `None` for problems with no place in a file (a missing file).
    pub span: Option<Span>,
    /// The text under the caret.
    pub label: Option<String>,
    pub related: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            label: None,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds help text when there is some.
    pub fn maybe_help(self, help: Option<String>) -> Self {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The JSON shape used by `--format json`, with positions resolved.
    pub fn to_json(&self, sources: &SourceMap) -> serde_json::Value {
        let place = |span: Span| {
            let file = sources.get(span.file);
            let start = file.line_col(span.start);
            let end = file.line_col(span.end);
            serde_json::json!({
                "file": file.name,
                "line": start.line, "column": start.column,
                "end_line": end.line, "end_column": end.column,
                "byte_start": span.start, "byte_end": span.end,
            })
        };
        let mut v = serde_json::json!({
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        });
        if let Some(span) = self.span {
            v["location"] = place(span);
        }
        if let Some(label) = &self.label {
            v["label"] = label.clone().into();
        }
        if let Some(help) = &self.help {
            v["help"] = help.clone().into();
        }
        if !self.related.is_empty() {
            v["related"] = self
                .related
                .iter()
                .map(|l| serde_json::json!({"message": l.message, "location": place(l.span)}))
                .collect();
        }
        v
    }
}

/// `{"diagnostics": [...], "errors": N, "warnings": N}`: the document of
/// `validate --format json` (without its `valid` and `model` keys) and of the server's
/// 422 answers, so editors, CI and API clients read one shape.
pub fn json_document(diags: &[Diagnostic], sources: &SourceMap) -> serde_json::Value {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    serde_json::json!({
        "diagnostics": diags.iter().map(|d| d.to_json(sources)).collect::<Vec<_>>(),
        "errors": errors,
        "warnings": diags.len() - errors,
    })
}

/// Sorts diagnostics by file and position so output is stable, errors and warnings interleaved
/// in source order as a reader walks the file.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| {
        (
            d.span.map(|s| (s.file, s.start)),
            d.severity == crate::diagnostic::Severity::Warning,
        )
    });
}

/// One span's source, ready for the renderer.
struct Window {
    text: String,
    /// 1-based line of the first line of `text`.
    line: usize,
    /// The annotated byte range within `text`.
    range: std::ops::Range<usize>,
    /// Line and column to name when `text` is an excerpt (the renderer's own would be
    /// relative to the excerpt).
    origin: Option<(u32, u32)>,
}

impl Window {
    fn of(file: &SourceFile, span: Span) -> Window {
        let span_bytes = file.char_range(span);
        let start = file.line_col(span_bytes.start as u32);
        let end = file.line_col(span_bytes.end.saturating_sub(1).max(span_bytes.start) as u32);
        let first = file.line_range(start.line).start;
        let last = file
            .line_range(end.line.min(start.line + MAX_SHOWN_LINES - 1))
            .end
            .max(first);
        if last - first <= MAX_SHOWN_LINE {
            return Window::slice(file, first, last, span_bytes, None, start.line);
        }
        // Too long to show whole: one line, cut around the span.
        let line_end = file.line_range(start.line).end.max(first);
        let from = file.floor_char(span_bytes.start.saturating_sub(EXCERPT_CONTEXT).max(first));
        let shown_end = span_bytes.end.min(span_bytes.start + EXCERPT_SPAN);
        let to = file.ceil_char((shown_end + EXCERPT_CONTEXT).min(line_end).max(from));
        Window::slice(
            file,
            from,
            to,
            span_bytes,
            Some((start.line, start.column)),
            start.line,
        )
    }

    /// The text `from..to` (character boundaries) with the span made relative to it.
    fn slice(
        file: &SourceFile,
        from: usize,
        to: usize,
        span: std::ops::Range<usize>,
        origin: Option<(u32, u32)>,
        line: u32,
    ) -> Window {
        let text = file.text[from..to].to_owned();
        let lo = span.start.saturating_sub(from).min(text.len());
        let hi = span.end.saturating_sub(from).clamp(lo, text.len());
        Window {
            text,
            line: line as usize,
            range: lo..hi,
            origin,
        }
    }
}

impl Diagnostic {
    /// The diagnostic as rustc renders one: header, `--> file:line:col`, the source with a
    /// caret under the span, then help. `styled` adds terminal colors.
    pub fn to_text(&self, sources: &SourceMap, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let title = || {
            level
                .clone()
                .primary_title(self.message.as_str())
                .id(self.code)
        };
        let places: Vec<(Span, Option<&str>, bool)> = self
            .span
            .map(|s| (s, self.label.as_deref(), true))
            .into_iter()
            .chain(
                self.related
                    .iter()
                    .map(|r| (r.span, Some(r.message.as_str()), false)),
            )
            .filter(|(span, ..)| (span.file.0 as usize) < sources.len())
            .collect();
        let windows: Vec<(Window, &str, Option<&str>, bool)> = places
            .iter()
            .map(|&(span, label, primary)| {
                let file = sources.get(span.file);
                (Window::of(file, span), file.name.as_str(), label, primary)
            })
            .collect();
        let mut group = Group::with_title(title());
        let mut primary_origin = None;
        let mut notes = Vec::new();
        for (window, path, label, primary) in &windows {
            let kind = if *primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let mut annotation = kind.span(window.range.clone());
            if let Some(l) = label {
                annotation = annotation.label(*l);
            }
            let snippet = Snippet::source(window.text.as_str())
                .line_start(window.line)
                .annotation(annotation);
            match (window.origin, primary) {
                (None, _) => group = group.element(snippet.path(*path)),
                // An excerpt: the renderer would count the column from the excerpt's start,
                // so the location line is rendered apart and spliced in below.
                (Some(at), true) => {
                    primary_origin = Some((*path, at));
                    group = group.element(snippet);
                }
                (Some((line, column)), false) => notes.push(format!(
                    "{}: {path}:{line}:{column}",
                    label.unwrap_or("see")
                )),
            }
        }
        for note in &notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let body = renderer.render(&[group]);
        let Some((path, (line, column))) = primary_origin else {
            return body;
        };
        let title_only = renderer.render(&[Group::with_title(title())]);
        let head = renderer.render(&[Group::with_title(title()).element(
            Origin::path(path)
                .line(line as usize)
                .char_column(column as usize),
        )]);
        // The location group has no line numbers, so indent its arrow as the body's are.
        let indent = " ".repeat(line.to_string().len());
        let location = head
            .strip_prefix(title_only.as_str())
            .and_then(|h| h.strip_prefix('\n'));
        match (location, body.strip_prefix(title_only.as_str())) {
            (Some(location), Some(rest)) => format!("{title_only}\n{indent}{location}{rest}"),
            _ => body,
        }
    }
}

/// Diagnostics rendered as text in one run; the rest are counted (JSON has them all).
pub const MAX_TEXT_DIAGNOSTICS: usize = 1000;

/// Every diagnostic as text, each followed by a blank line, up to
/// [`MAX_TEXT_DIAGNOSTICS`]; then how many more there are.
pub fn render_text(diags: &[Diagnostic], sources: &SourceMap, styled: bool) -> String {
    let mut out = String::new();
    for d in diags.iter().take(MAX_TEXT_DIAGNOSTICS) {
        out.push_str(&d.to_text(sources, styled));
        out.push_str("\n\n");
    }
    if let Some(more) = diags
        .len()
        .checked_sub(MAX_TEXT_DIAGNOSTICS)
        .filter(|&n| n > 0)
    {
        out.push_str(&format!(
            "... and {more} more diagnostics, not shown (`--format json` lists them all)\n\n"
        ));
    }
    out
}
