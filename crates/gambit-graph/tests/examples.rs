//! Smoke tests: every example model of the repository through every query, with the
//! invariants that must hold whatever the model says.

use std::path::PathBuf;

use gambit_graph::{Analysis, Index, blast_radius};
use gambit_model::LoadOptions;

fn example_models() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    out.sort();
    out
}

#[test]
fn every_example_runs_through_every_query() {
    for path in example_models() {
        let loaded = gambit_model::load_path(&path, LoadOptions::default());
        let Some(model) = loaded.model else {
            continue; // examples may be mid-edit by their owner; validate covers them
        };
        let analysis = Analysis::run(&model, &[]);
        let paths = analysis.paths(3, None);
        let exposure = analysis.exposure();
        for p in &paths {
            assert!(!p.steps.is_empty(), "{}: empty path", path.display());
            assert!(p.effort > 0.0 && (0.0..=1.0).contains(&p.likelihood));
            assert!(
                exposure
                    .iter()
                    .any(|e| e.attacker == p.attacker && e.asset == p.goal.asset)
                    || p.goal.component.is_some(),
                "{}: a path's goal is missing from exposure",
                path.display()
            );
        }
        let choke = analysis.chokepoints();
        assert!(choke.verified, "{}: {choke:?}", path.display());
        for a in model.crown_jewels() {
            let tree = analysis.tree(a);
            assert!(tree.root.size() <= 10 * gambit_graph::tree::MAX_NODES);
        }
        let ix = Index::new(&model);
        for c in 0..model.components.len() {
            let br = blast_radius(&model, &ix, gambit_model::ComponentId(c as u32));
            assert!(br.components.iter().any(|x| x.id == br.from));
        }
        let on = analysis.on_attack_path();
        if !paths.is_empty() {
            assert!(
                !on.assets.is_empty(),
                "{}: a goal's asset is on its path",
                path.display()
            );
        }
        serde_json::to_string(&paths).expect("paths serialize");
        serde_json::to_string(&choke).expect("chokepoints serialize");
    }
}
