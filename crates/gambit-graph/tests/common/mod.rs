//! Helpers shared by the graph tests: load a model from YAML text, list derived facts.
#![allow(dead_code)]

use std::collections::BTreeSet;

use gambit_graph::engine;
use gambit_graph::{Fact, Index};
use gambit_model::{AttackerSpec, LoadOptions, Model};

pub fn load(yaml: &str) -> Model {
    let loaded = gambit_model::load_str("test.yaml", yaml.to_owned(), None, LoadOptions::default());
    match loaded.model {
        Some(m) => m,
        None => panic!("model does not load: {:#?}", loaded.diagnostics),
    }
}

pub fn attacker(model: &Model, text: &str) -> AttackerSpec {
    AttackerSpec::parse(text, model).expect("attacker")
}

/// Every derived fact, as "gains on" labels (bookkeeping facts left out).
pub fn derived(model: &Model, who: &str) -> BTreeSet<String> {
    let ix = Index::new(model);
    let holds = engine::reachable(model, &ix, attacker(model, who), None);
    holds
        .iter()
        .enumerate()
        .filter(|&(_, &h)| h)
        .map(|(i, _)| ix.facts.fact(i as u32))
        .filter(|f| !matches!(f, Fact::InZone(_) | Fact::Control(_)))
        .map(|f| f.label(model))
        .collect()
}

pub fn has(model: &Model, who: &str, label: &str) -> bool {
    derived(model, who).contains(label)
}
