//! The Gambit model language: loading, checking and resolving threat models.
//!
//! ```text
//! text --yaml--> node tree --decode--> ast::ModelFile (per file) --resolve--> Model
//! ```
//!
//! [`load_path`] and [`load_str`] are the entry points. They never panic on any input and
//! return every [`Diagnostic`] found, with the [`Model`] when there is no error. The crate
//! does no I/O beyond reading the model's files.

pub mod ast;
pub mod cvss;
mod decode;
pub mod diagnostic;
mod load;
pub mod model;
mod resolve;
pub mod source;
pub mod suggest;
pub mod vocab;
mod yaml;

pub use diagnostic::{Diagnostic, Severity};
pub use load::{DEFAULT_MAX_SIZE, LoadOptions, Loaded, load_path, load_str, read_limited};
pub use model::*;
pub use source::{FileId, SourceFile, SourceMap, Span};

/// The pattern every element id matches.
pub const ID_PATTERN: &str = "^[a-z0-9][a-z0-9._-]*$";

/// The JSON Schema of a model file, generated from [`ast::ModelFile`].
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(ast::ModelFile);
    serde_json::to_value(schema).expect("a schema is always JSON")
}
pub mod synth;

/// Counts the YAML parser's events in `text`, stopping at the first error: the cost of
/// parsing alone, which the load benchmark uses as its baseline.
#[doc(hidden)]
pub fn count_yaml_events(text: &str) -> usize {
    granit_parser::Parser::new_from_str(text)
        .take_while(Result::is_ok)
        .count()
}
