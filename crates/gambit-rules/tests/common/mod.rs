//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use gambit_model::{LoadOptions, Loaded, Model};
use gambit_rules::{Options, ThreatAnalysis, analyze, parse_date};

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn repo_dir() -> PathBuf {
    crate_dir().join("../..")
}

/// The fixed "today" of every test, so expiry checks never depend on the clock.
pub fn today() -> gambit_model::ast::Date {
    parse_date("2026-06-01").expect("valid date")
}

pub fn load_file(path: &Path) -> (Loaded, Model) {
    let mut loaded = gambit_model::load_path(path, LoadOptions::default());
    let model = loaded.model.take().unwrap_or_else(|| {
        panic!(
            "{} does not load: {:#?}",
            path.display(),
            loaded.diagnostics
        )
    });
    (loaded, model)
}

pub fn load_text(name: &str, text: &str) -> (Loaded, Model) {
    let mut loaded = gambit_model::load_str(name, text.to_owned(), None, LoadOptions::default());
    let model = loaded
        .model
        .take()
        .unwrap_or_else(|| panic!("{name} does not load: {:#?}", loaded.diagnostics));
    (loaded, model)
}

pub fn run(model: &Model) -> ThreatAnalysis {
    analyze(model, &Options::new(today()))
}

pub fn run_with_sources(loaded: &Loaded, model: &Model) -> ThreatAnalysis {
    let mut options = Options::new(today());
    options.sources = Some(&loaded.sources);
    analyze(model, &options)
}

/// Whether the bless variable asks to rewrite generated files.
pub fn blessing() -> bool {
    std::env::var_os("GAMBIT_BLESS").is_some_and(|v| v != "0")
}
