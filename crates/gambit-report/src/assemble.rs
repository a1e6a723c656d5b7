//! Builds the full report the way `analyze` does: the rules' threats, then the attack
//! graph's paths, exposure and choke points attached. Kept here (the one crate that
//! sees both analyses) so the CLI, the tests and the report formats agree on it.

use std::collections::BTreeMap;

use gambit_model::{AttackerSpec, Model};
use gambit_rules::ThreatAnalysis;

use crate::report::{GraphResults, Report};

/// How many paths per goal a report lists.
pub const PATHS_PER_GOAL: usize = 3;

/// The attack-graph half of a report.
pub fn graph_results(analysis: &gambit_graph::Analysis<'_>, paths_per_goal: usize) -> GraphResults {
    let on = analysis.on_attack_path();
    let mut on_attack_path: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, goals) in on
        .components
        .into_iter()
        .chain(on.flows)
        .chain(on.identities)
        .chain(on.assets)
        .chain(on.actors)
    {
        on_attack_path.entry(id).or_default().extend(goals);
    }
    GraphResults {
        attack_paths: analysis.paths(paths_per_goal.max(1), None),
        exposure: analysis.exposure(),
        chokepoints: analysis.chokepoints().chokepoints,
        on_attack_path,
    }
}

/// The report of a model: `threats` from the rules analysis, attack-graph results for
/// `attackers` (the model's own `attackers:` when empty).
pub fn report(model: &Model, threats: ThreatAnalysis, attackers: &[AttackerSpec]) -> Report {
    let mut report = Report::new(model, threats);
    let graph = gambit_graph::Analysis::run(model, attackers);
    report.attach_graph(model, graph_results(&graph, PATHS_PER_GOAL));
    report
}
