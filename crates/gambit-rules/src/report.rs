//! The report of `analyze --format json` (the keys of docs/cli.md), built from an
//! [`Analysis`]. The attack-graph parts (paths, exposure, choke points, `on_attack_path`)
//! are filled by [`Report::attach_graph`] from the graph crate's results.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use gambit_model::Model;
use gambit_model::vocab::Severity;

use crate::analysis::Analysis;
use crate::threat::Threat;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub gambit_version: String,
    pub model: ModelInfo,
    pub summary: Summary,
    pub threats: Vec<Threat>,
    pub attack_paths: Vec<serde_json::Value>,
    pub exposure: Vec<serde_json::Value>,
    pub chokepoints: Vec<serde_json::Value>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ModelInfo {
    pub name: String,
    pub digest: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub components: usize,
    pub flows: usize,
    /// All threats by severity.
    pub threats: SeverityCounts,
    /// Threats still open (open, in progress, or accepted past expiry) by severity.
    pub open_threats: SeverityCounts,
    pub attack_paths: usize,
    pub crown_jewels_exposed: usize,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub elevated: usize,
    pub medium: usize,
    pub low: usize,
}

impl SeverityCounts {
    pub fn of<'a>(threats: impl IntoIterator<Item = &'a Threat>) -> Self {
        let mut c = SeverityCounts::default();
        for t in threats {
            match t.severity {
                Severity::Critical => c.critical += 1,
                Severity::High => c.high += 1,
                Severity::Elevated => c.elevated += 1,
                Severity::Medium => c.medium += 1,
                Severity::Low => c.low += 1,
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.critical + self.high + self.elevated + self.medium + self.low
    }
}

/// What the attack-graph analysis adds to a report. Entries keep the shapes of cli.md.
#[derive(Clone, Debug, Default)]
pub struct GraphResults {
    pub attack_paths: Vec<serde_json::Value>,
    pub exposure: Vec<serde_json::Value>,
    pub chokepoints: Vec<serde_json::Value>,
    /// Ids of elements and flows that lie on the best path to a crown-jewel goal, each with
    /// the goals it serves.
    pub on_attack_path: BTreeMap<String, Vec<String>>,
}

impl Report {
    pub fn new(model: &Model, analysis: Analysis) -> Report {
        let threats = analysis.threats;
        Report {
            gambit_version: env!("CARGO_PKG_VERSION").to_owned(),
            model: ModelInfo {
                name: model.name.clone(),
                digest: model.digest.clone(),
            },
            summary: Summary {
                components: model.components.len(),
                flows: model.flows.len(),
                threats: SeverityCounts::of(&threats),
                open_threats: SeverityCounts::of(threats.iter().filter(|t| t.open)),
                attack_paths: 0,
                crown_jewels_exposed: 0,
            },
            threats,
            attack_paths: Vec::new(),
            exposure: Vec::new(),
            chokepoints: Vec::new(),
        }
    }

    /// Adds the attack-graph results: marks threats whose target lies on an attack path
    /// and counts paths and the crown jewels some attacker can read or write.
    pub fn attach_graph(&mut self, model: &Model, graph: GraphResults) {
        for t in &mut self.threats {
            t.attack_goals = graph
                .on_attack_path
                .get(&t.target)
                .cloned()
                .unwrap_or_default();
            t.on_attack_path = !t.attack_goals.is_empty();
        }
        // A weakness on a real path to a crown jewel ranks above a theoretical one; the
        // sort is stable, so severity order holds within each half.
        self.threats.sort_by_key(|t| !t.on_attack_path);
        let exposed: HashSet<&str> = graph
            .exposure
            .iter()
            .filter_map(|e| e.get("asset").and_then(serde_json::Value::as_str))
            .filter(|a| model.asset_id(a).is_some_and(|id| model[id].crown_jewel))
            .collect();
        self.summary.crown_jewels_exposed = exposed.len();
        self.summary.attack_paths = graph.attack_paths.len();
        self.attack_paths = graph.attack_paths;
        self.exposure = graph.exposure;
        self.chokepoints = graph.chokepoints;
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}
