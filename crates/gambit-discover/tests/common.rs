//! Shared by the discovery tests: fixture paths, loading a fragment with a hand-written
//! model, and attack paths through gambit-graph.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use gambit_discover::Fragment;
use gambit_model::{LoadOptions, Loaded, Model};

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Loads the fragment on its own: it must be a valid model.
pub fn load_fragment(fragment: &Fragment) -> Loaded {
    gambit_model::load_str(
        "discovered.yaml",
        fragment.to_yaml(),
        None,
        LoadOptions::default(),
    )
}

pub fn errors(loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

/// The hand-written model at `model` with the fragment written next to it as
/// discovered.yaml, loaded.
pub fn with_hand_written(model: &Path, fragment: &Fragment) -> Model {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("discovered.yaml"), fragment.to_yaml()).unwrap();
    let main = dir.path().join("main.yaml");
    std::fs::copy(model, &main).unwrap();
    let loaded = gambit_model::load_path(&main, LoadOptions::default());
    assert!(errors(&loaded).is_empty(), "{:?}", errors(&loaded));
    loaded.model.unwrap()
}

/// Each best path to a goal as `attacker: goal: step; step; ...` lines.
pub fn paths(model: &Model) -> Vec<String> {
    let analysis = gambit_graph::Analysis::run(model, &model.attackers);
    analysis
        .paths(1, None)
        .into_iter()
        .map(|p| {
            let steps: Vec<String> = p
                .steps
                .iter()
                .map(|s| format!("{} {}", s.gains, s.on))
                .collect();
            format!(
                "{}: {} {}: {}",
                p.attacker,
                p.goal.access,
                p.goal.asset,
                steps.join("; ")
            )
        })
        .collect()
}
