//! The Gambit model language: loading, checking and resolving threat models.
//!
//! ```text
//! text --yaml--> node tree --decode--> ast::ModelFile (per file) --resolve--> Model
//! ```
//!
//! [`load_path`], [`load_str`] and [`load_files`] (a model's files held in memory) are
//! the entry points. They never panic on any input and return every [`Diagnostic`]
//! found, with the [`Model`] when there is no error. The crate does no I/O beyond reading
//! the model's files.

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
pub use load::{
    DEFAULT_MAX_SIZE, LoadOptions, Loaded, load_files, load_path, load_str, read_limited,
};
pub use model::*;
pub use source::{FileId, SourceFile, SourceMap, Span};

/// The pattern every element id matches.
pub const ID_PATTERN: &str = "^[a-z0-9][a-z0-9._-]*$";

/// The JSON Schema of a model file, generated from [`ast::ModelFile`].
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(ast::ModelFile);
    let mut value = serde_json::to_value(schema).expect("a schema is always JSON");
    drop_null_alternatives(&mut value);
    value
}

/// Optional keys come out of schemars as "T or null", but the loader rejects an explicit
/// null for a scalar key (leave the key out instead), so the schema says just "T".
fn drop_null_alternatives(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".to_owned(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get("anyOf").cloned() {
                let kept: Vec<Value> = any
                    .into_iter()
                    .filter(|v| v.get("type") != Some(&Value::from("null")))
                    .collect();
                if kept.len() == 1 {
                    map.remove("anyOf");
                    if let Value::Object(inner) = &kept[0] {
                        for (k, v) in inner {
                            map.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            map.values_mut().for_each(drop_null_alternatives);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_alternatives),
        _ => {}
    }
}

/// Large generated models, for benchmarks and scale tests only: behind the `synth`
/// feature so the library users link has no generator in it.
#[cfg(any(test, feature = "synth"))]
pub mod synth;

/// Counts the YAML parser's events in `text`, stopping at the first error: the cost of
/// parsing alone, which the load benchmark uses as its baseline.
#[doc(hidden)]
pub fn count_yaml_events(text: &str) -> usize {
    granit_parser::Parser::new_from_str(text)
        .take_while(Result::is_ok)
        .count()
}

/// Whether the loader's fast YAML reader takes `text` (`Ok(true)`) or leaves it to the full
/// parser (`Ok(false)`); `Err` describes the difference when it reads `text` otherwise than
/// the full parser, which must never happen. For the `load_model` fuzz target.
#[doc(hidden)]
pub fn compare_yaml_fast_path(text: &str) -> Result<bool, String> {
    yaml::compare_fast_path(text)
}

/// Reads one YAML (or JSON) document into JSON, typed by the YAML 1.2 core schema, with the
/// same budgets as the model loader. For tools that want the raw document (schema checks,
/// exports).
pub fn yaml_to_json(text: &str) -> Result<serde_json::Value, Diagnostic> {
    match yaml::parse(text, FileId(0))? {
        Some(node) => Ok(node.to_json()),
        None => Ok(serde_json::Value::Null),
    }
}
