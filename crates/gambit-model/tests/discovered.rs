//! `discovered: true` fragments: hand-written elements and flows win over discovered ones
//! with the same id; everything else still merges, and two discovered files still clash.

use gambit_model::{LoadOptions, load_path};

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const FRAGMENT: &str = "gambit: 1\ndiscovered: true\ncomponents:\n  db: {kind: database, public: true}\n  queue: {kind: queue}\nflows:\n  - {from: queue, to: db, protocol: https, authentication: iam}\n";

#[test]
fn hand_written_elements_and_flows_win_over_discovered_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "discovered.yaml", FRAGMENT);
    let root = write(
        dir.path(),
        "main.yaml",
        "gambit: 1\ninclude: [discovered.yaml]\ncomponents:\n  db: {kind: database, zone: internal}\nflows:\n  - {from: queue, to: db, protocol: https, authentication: token}\n",
    );
    let loaded = load_path(&root, LoadOptions::default());
    let model = loaded.model.expect("no error");
    let db = &model[model.component_id("db").unwrap()];
    assert!(!db.public, "the hand-written db (not public) wins");
    assert!(
        model.component_id("queue").is_some(),
        "discovered-only elements stay"
    );
    assert_eq!(model.flows.len(), 1);
    assert_eq!(
        model.flows[0].authentication.to_string(),
        "token",
        "the hand-written flow wins"
    );
}

#[test]
fn two_discovered_files_defining_one_id_are_still_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", FRAGMENT);
    write(
        dir.path(),
        "b.yaml",
        "discovered: true\ncomponents:\n  db: {kind: database}\n",
    );
    let root = write(
        dir.path(),
        "main.yaml",
        "gambit: 1\ninclude: [a.yaml, b.yaml]\n",
    );
    let loaded = load_path(&root, LoadOptions::default());
    let codes: Vec<_> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"duplicate-id"), "{codes:?}");
}

#[test]
fn without_the_marker_a_duplicate_is_an_error_as_before() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "part.yaml",
        &FRAGMENT.replace("discovered: true\n", ""),
    );
    let root = write(
        dir.path(),
        "main.yaml",
        "gambit: 1\ninclude: [part.yaml]\ncomponents:\n  db: {kind: database}\n",
    );
    let loaded = load_path(&root, LoadOptions::default());
    assert!(loaded.model.is_none());
    assert!(loaded.diagnostics.iter().any(|d| d.code == "duplicate-id"));
}
