//! Builds the full report the way `analyze` does: the rules' threats, then the attack
//! graph's paths, exposure and choke points attached. Kept here (the one crate that
//! sees both analyses) so the CLI, the tests and the report formats agree on it.

use std::collections::BTreeMap;

use gambit_model::{AttackerSpec, Model};
use gambit_rules::{GraphResults, Report};

/// How many paths per goal a report lists.
pub const PATHS_PER_GOAL: usize = 3;

/// The attack-graph half of a report, in the shapes of the CLI contract.
pub fn graph_results(analysis: &gambit_graph::Analysis<'_>, paths_per_goal: usize) -> GraphResults {
    let attack_paths = analysis
        .paths(paths_per_goal.max(1), None)
        .iter()
        .map(json)
        .collect();
    let exposure = analysis.exposure().iter().map(json).collect();
    let chokepoints = analysis
        .chokepoints()
        .chokepoints
        .iter()
        .map(json)
        .collect();
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
        attack_paths,
        exposure,
        chokepoints,
        on_attack_path,
    }
}

/// The report of a model: `threats` from the rules analysis, attack-graph results for
/// `attackers` (the model's own `attackers:` when empty).
pub fn report(
    model: &Model,
    threats: gambit_rules::Analysis,
    attackers: &[AttackerSpec],
) -> Report {
    let mut report = Report::new(model, threats);
    let graph = gambit_graph::Analysis::run(model, attackers);
    report.attach_graph(model, graph_results(&graph, PATHS_PER_GOAL));
    report
}

/// A graph result as JSON (`Null` if serialization failed, which plain data never does).
fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
