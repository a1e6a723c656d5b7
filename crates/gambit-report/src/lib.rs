//! Gambit's outputs: what people read.
//!
//! * [`diagram`]: the data-flow diagram as DOT, Mermaid or SVG. The SVG is laid out here,
//!   in pure Rust (zones as nested boxes, components in columns by their place in the data
//!   flow), so no Graphviz is needed. Any diagram can highlight one attack path.
//! * [`markdown`](mod@markdown), [`csv`](mod@csv), [`sarif`](mod@sarif) and [`html`](mod@html): the report formats of
//!   `gambit analyze`, each a pure function over a [`gambit_rules::Report`] (plus the
//!   [`gambit_model::Model`] where the format shows the system or points into its files);
//!   [`render`] picks one by [`Format`].
//! * [`assemble`]: the full report as `analyze` builds it (rules, then attack graph).
//! * [`diff`] and [`baseline`]: what changed between two reports, and what is new since
//!   an earlier one (for `gambit diff` and `check --baseline`).
//!
//! ```text
//! Model ──Scene (selection, sorted)──> dot / mermaid / layout ──> svg
//! Report (+ Model, SourceMap) ──> markdown / csv / sarif / html (embeds the svg)
//! Report, Report ──> diff          analyze JSON ──> Baseline ──> new threats
//! ```
//!
//! Architecture invariant: every output is deterministic (same input, same bytes) and
//! nothing here reads or writes files (SARIF asks the current directory, to make paths
//! relative); the CLI writes files.

pub mod assemble;
pub mod baseline;
pub mod csv;
pub mod diagram;
pub mod diff;
pub mod escape;
pub mod highlight;
pub mod html;
pub mod markdown;
pub mod sarif;

pub use csv::csv;

use gambit_model::{Model, SourceMap};
use gambit_rules::Report;

/// The report formats of `analyze` that this crate writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Sarif,
    Csv,
}

/// One call for `analyze --format FORMAT`: the report as text (SARIF pretty-printed,
/// file locations relative to the current directory), ending with a newline.
pub fn render(format: Format, report: &Report, model: &Model, sources: &SourceMap) -> String {
    let mut text = match format {
        Format::Markdown => {
            crate::markdown::markdown_with_model(report, model, &Default::default())
        }
        Format::Html => html(report, model),
        Format::Csv => csv(report),
        Format::Sarif => {
            serde_json::to_string_pretty(&sarif(report, model, sources)).unwrap_or_default()
        }
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
pub use diagram::{DiagramOptions, Focus};
pub use highlight::Highlight;
pub use html::html;
pub use markdown::markdown;
pub use sarif::sarif;
