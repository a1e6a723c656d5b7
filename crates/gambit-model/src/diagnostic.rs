//! Diagnostics: what the loader says about a model.
//!
//! A diagnostic is plain data (severity, code, message, spans, help). Rendering it as
//! rustc-style text or as JSON is the job of the caller (the CLI); this crate only
//! resolves spans to file, line and column so every front end reports the same position.

use crate::source::{SourceMap, Span};

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
