//! Shared by the import tests: load an imported model as `gambit validate` and
//! `gambit analyze` would, and fail with every diagnostic when it does not pass.

#![allow(dead_code)] // each test file uses a part

use gambit_model::{LoadOptions, Model};

/// The fixture file's text.
pub fn fixture(path: &str) -> String {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Loads `yaml` and runs the threat analysis; panics with the diagnostics on any error or
/// on a stale risk decision (an imported decision must name a threat that exists).
pub fn load_and_analyze(name: &str, yaml: &str) -> (Model, gambit_rules::ThreatAnalysis) {
    let loaded = gambit_model::load_str(name, yaml.to_owned(), None, LoadOptions::default());
    let describe = |diags: &[gambit_model::Diagnostic]| {
        diags
            .iter()
            .map(|d| {
                format!(
                    "{:?} {} {}: {}",
                    d.severity,
                    d.code,
                    d.span
                        .map(|s| loaded.sources.describe(s))
                        .unwrap_or_default(),
                    d.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let Some(model) = loaded.model.clone() else {
        panic!(
            "{name} does not load:\n{}\n---\n{yaml}",
            describe(&loaded.diagnostics)
        );
    };
    let today = gambit_rules::parse_date("2026-12-01").unwrap();
    let mut options = gambit_rules::Options::new(today);
    options.sources = Some(&loaded.sources);
    let analysis = gambit_rules::analyze(&model, &options);
    let bad: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error() || d.code == "stale-risk")
        .cloned()
        .collect();
    assert!(
        bad.is_empty(),
        "{name} does not analyze cleanly:\n{}\n---\n{yaml}",
        describe(&bad)
    );
    (model, analysis)
}
