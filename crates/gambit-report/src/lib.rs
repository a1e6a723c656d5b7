//! Gambit's outputs: what people read, every format of every command.
//!
//! * [`report`](mod@report): the typed [`Report`] from the engines to every output
//!   (threats from gambit-rules, attack paths, exposure and choke points with their
//!   gambit-graph types), and its JSON, streamed by serde. [`assemble`] builds it the way
//!   `analyze` does (rules, then attack graph).
//! * [`text`], [`markdown`](mod@markdown), [`csv`](mod@csv), [`sarif`](mod@sarif) and
//!   [`html`](mod@html): the formats of `gambit analyze`, each a pure function over a
//!   [`Report`] (plus the [`gambit_model::Model`] where the format shows the system or
//!   points into its files); [`write`] picks one by [`Format`]. `text` also writes the
//!   verdict of `gambit check`.
//! * [`attack`]: the outputs of `paths`, `tree`, `exposure`, `chokepoints` and
//!   `blast-radius` (text, DOT, Mermaid, JSON).
//! * [`diagram`]: the data-flow diagram as DOT, Mermaid or SVG, laid out in pure Rust; any
//!   diagram can highlight one attack path ([`highlight`]).
//! * [`diff`] and [`baseline`]: what changed between two reports, and what is new since
//!   a saved one (for `gambit diff` and `check --baseline`).
//! * [`escape`]: the one escaping module (XML, DOT, Mermaid, Markdown, CSV, plain text).
//!
//! ```text
//! Model ──Scene (selection, sorted)──> dot / mermaid / layout ──> svg
//! Report (+ Model, SourceMap) ──> text / json / markdown / csv / sarif / html (embeds the svg)
//! graph answers ──> attack (text / dot / mermaid / json)
//! Report, Report ──> diff          saved analyze JSON ──> Baseline ──> new threats
//! ```
//!
//! Architecture invariant: every output is deterministic (same input, same bytes) and
//! nothing here does I/O beyond the writer it is handed (SARIF is given the folder its
//! paths are relative to); the CLI opens files.

pub mod assemble;
pub mod attack;
pub mod baseline;
pub mod csv;
pub mod diagram;
pub mod diff;
pub mod escape;
pub mod highlight;
pub mod html;
pub mod markdown;
pub mod report;
pub mod sarif;
pub mod text;

pub use csv::csv;

use std::io::{self, Write};
use std::path::Path;

use gambit_model::{Model, SourceMap};
pub use report::{GraphResults, Report, SeverityCounts};

/// The formats of `gambit analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For a terminal; coloured when `styled`. Detection is printed once per target
    /// unless `verbose`.
    Text {
        styled: bool,
        verbose: bool,
    },
    /// The report document of the CLI contract, streamed.
    Json,
    Markdown,
    Html,
    Sarif,
    Csv,
}

/// What a format needs besides the report.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub model: &'a Model,
    /// The model's files, for SARIF locations.
    pub sources: &'a SourceMap,
    /// The folder SARIF locations are relative to (the CLI passes the current directory).
    pub base: Option<&'a Path>,
}

/// One call for `analyze --format FORMAT`: the report written to `out`, ending with a
/// newline.
pub fn write(
    format: Format,
    report: &Report,
    cx: Context<'_>,
    mut out: impl Write,
) -> io::Result<()> {
    let mut text = match format {
        Format::Json => return report.write_json(out),
        Format::Text { styled, verbose } => text::analyze_text(report, styled, verbose),
        Format::Markdown => markdown::markdown_with_model(report, cx.model, &Default::default()),
        Format::Html => html(report, cx.model),
        Format::Csv => csv(report),
        Format::Sarif => {
            let log = sarif(report, cx.model, cx.sources, cx.base);
            serde_json::to_string_pretty(&log).map_err(io::Error::other)?
        }
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    out.write_all(text.as_bytes())
}

pub use diagram::{DiagramOptions, Focus};
pub use highlight::Highlight;
pub use html::html;
pub use markdown::markdown;
pub use sarif::sarif;
