//! Shared by the integration tests: loading the example models.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use gambit_model::{Model, SourceMap};

pub const EXAMPLES: &[&str] = &[
    "acme-shop.yaml",
    "k8s-microservices.yaml",
    "llm-agent.yaml",
    "multi-file/main.yaml",
];

pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .canonicalize()
        .expect("the examples folder exists")
}

/// Loads an example; panics (failing the test) if it has errors.
pub fn load(name: &str) -> (Model, SourceMap) {
    let loaded = gambit_model::load_path(&examples_dir().join(name), Default::default());
    let model = loaded
        .model
        .unwrap_or_else(|| panic!("{name} should load: {:?}", loaded.diagnostics));
    (model, loaded.sources)
}

pub fn load_text(text: &str) -> Model {
    let loaded = gambit_model::load_str("test.yaml", text.to_owned(), None, Default::default());
    loaded
        .model
        .unwrap_or_else(|| panic!("test model should load: {:?}", loaded.diagnostics))
}

/// A snapshot name from an example path: `multi-file/main.yaml` -> `multi-file-main`.
pub fn stem(name: &str) -> String {
    name.trim_end_matches(".yaml").replace('/', "-")
}

/// The full report of an example, built as `analyze` builds it, on a fixed date so
/// expiring acceptances do not change snapshots.
pub fn report(name: &str) -> (gambit_report::Report, Model, SourceMap) {
    let (model, sources) = load(name);
    let report = report_of(&model, &sources);
    (report, model, sources)
}

pub fn report_of(model: &Model, sources: &SourceMap) -> gambit_report::Report {
    let today = gambit_rules::parse_date("2026-11-28").expect("a date");
    let mut options = gambit_rules::Options::new(today);
    options.sources = Some(sources);
    let threats = gambit_rules::analyze(model, &options);
    gambit_report::assemble::report(model, threats, &[])
}
