//! The report: one typed value from the engines to every output. Threats come from
//! gambit-rules, attack paths, exposure and choke points keep their gambit-graph types,
//! and every format (JSON, text, Markdown, HTML, SARIF, CSV, diff) reads these fields, never
//! JSON by key.
//!
//! JSON is derived by serde from these types and streamed to a writer
//! ([`Report::write_json`]). The keys of the JSON contract have always come out in
//! alphabetical order; the report's own types declare their fields in that order, and the
//! graph's types (declared in their own order) are written through [`sorted_keys`].

use std::collections::{BTreeMap, HashSet};
use std::io::Write;

use serde::{Serialize, Serializer};

use gambit_graph::{AttackPath, Chokepoint, Exposure};
use gambit_model::Model;
use gambit_model::vocab::Severity;
use gambit_rules::{Threat, ThreatAnalysis};

/// The report of `analyze`, the document `analyze --format json` prints (see docs/cli.md).
/// Fields are in alphabetical order: that is the order of the JSON keys.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Up to three best paths per crown-jewel goal, each goal's best (rank 1) first.
    #[serde(serialize_with = "sorted_keys")]
    pub attack_paths: Vec<AttackPath>,
    #[serde(serialize_with = "sorted_keys")]
    pub chokepoints: Vec<Chokepoint>,
    #[serde(serialize_with = "sorted_keys")]
    pub exposure: Vec<Exposure>,
    pub gambit_version: String,
    pub model: ModelInfo,
    pub summary: Summary,
    /// On an attack path first, then by severity.
    pub threats: Vec<Threat>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ModelInfo {
    pub digest: String,
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub attack_paths: usize,
    pub components: usize,
    /// Crown jewels some attacker can read or write.
    pub crown_jewels_exposed: usize,
    pub flows: usize,
    /// Threats still open (open, in progress, or accepted past expiry) by severity.
    pub open_threats: SeverityCounts,
    /// All threats by severity.
    pub threats: SeverityCounts,
}

/// Threats per severity (fields alphabetical, as the JSON keys).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    pub critical: usize,
    pub elevated: usize,
    pub high: usize,
    pub low: usize,
    pub medium: usize,
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

/// What the attack-graph analysis adds to a report.
#[derive(Clone, Debug, Default)]
pub struct GraphResults {
    pub attack_paths: Vec<AttackPath>,
    pub exposure: Vec<Exposure>,
    pub chokepoints: Vec<Chokepoint>,
    /// Ids of elements and flows that lie on the best path to a crown-jewel goal, each with
    /// the goals it serves.
    pub on_attack_path: BTreeMap<String, Vec<String>>,
}

impl Report {
    /// The rules' half of a report; the graph's half is empty until
    /// [`attach_graph`](Report::attach_graph).
    pub fn new(model: &Model, analysis: ThreatAnalysis) -> Report {
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
            if t.open && exploited_on_a_best_path(t, &graph.attack_paths) {
                t.severity = Severity::Critical;
                t.factors.push(format!(
                    "exploited on an open attack path to a crown jewel ({})",
                    t.attack_goals.join(", ")
                ));
            }
        }
        self.summary.threats = SeverityCounts::of(&self.threats);
        self.summary.open_threats = SeverityCounts::of(self.threats.iter().filter(|t| t.open));
        // A weakness on a real path to a crown jewel ranks above a theoretical one; the
        // sort is stable, so the rules' order holds within each severity of each half.
        self.threats.sort_by_key(|t| {
            (
                !t.on_attack_path,
                std::cmp::Reverse(gambit_rules::scoring::severity_rank(t.severity)),
            )
        });
        let exposed: HashSet<&str> = graph
            .exposure
            .iter()
            .map(|e| e.asset.as_str())
            .filter(|a| model.asset_id(a).is_some_and(|id| model[id].crown_jewel))
            .collect();
        self.summary.crown_jewels_exposed = exposed.len();
        self.summary.attack_paths = graph.attack_paths.len();
        self.attack_paths = graph.attack_paths;
        self.exposure = graph.exposure;
        self.chokepoints = graph.chokepoints;
    }

    /// Writes the report as pretty-printed JSON followed by a newline, streamed from
    /// the typed values (no intermediate document).
    pub fn write_json(&self, out: impl Write) -> std::io::Result<()> {
        write_json(self, out)
    }

    /// The best path (rank 1) of each goal, in report order.
    pub fn best_paths(&self) -> impl Iterator<Item = &AttackPath> {
        self.attack_paths.iter().filter(|p| p.rank == 1)
    }
}

/// Any serializable output as pretty JSON with a final newline: the one way every
/// `--format json` of the CLI is written.
pub fn write_json<T: Serialize + ?Sized>(value: &T, mut out: impl Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")
}

/// Serializes a list of graph results with each object's keys in alphabetical order, as
/// the JSON contract has them. Each item goes through a small sorted document of its
/// own (the graph's types declare fields in their own order), so the cost is bounded by
/// one item, not the report.
pub fn sorted_keys<S, T>(items: &[T], serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    use serde::ser::{Error, SerializeSeq};
    let mut seq = serializer.serialize_seq(Some(items.len()))?;
    for item in items {
        let sorted = serde_json::to_value(item).map_err(S::Error::custom)?;
        seq.serialize_element(&sorted)?;
    }
    seq.end()
}

/// A list of graph results written with sorted keys (see [`sorted_keys`]), for the
/// documents of the graph commands (`paths --format json`, ...).
pub struct SortedKeys<'a, T>(pub &'a [T]);

impl<T: Serialize> Serialize for SortedKeys<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        sorted_keys(self.0, serializer)
    }
}

/// One graph answer (a tree, the choke points, a blast radius) written with sorted keys,
/// through one sorted document of the answer's size.
pub struct Sorted<'a, T>(pub &'a T);

impl<T: Serialize> Serialize for Sorted<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        serde_json::to_value(self.0)
            .map_err(S::Error::custom)?
            .serialize(serializer)
    }
}

/// Whether the weakness a threat names is itself a step of the best path to some crown
/// jewel: the vulnerability exploited, the agent injected, the open datastore read. Such
/// a threat is critical ("fix before the next release", docs/risk.md), whatever the
/// rule rated from model facts alone, because the graph shows it is an open way in.
/// Threats that merely sit on a path's components (missing logging, say) keep their rating.
fn exploited_on_a_best_path(threat: &Threat, paths: &[AttackPath]) -> bool {
    let target = threat.target.as_str();
    let uses = |step: &gambit_graph::Step| {
        let on_target = step.elements.component.as_deref() == Some(target);
        match threat.rule.as_str() {
            "exploitable-vulnerability" => on_target && step.elements.vulnerability.is_some(),
            "indirect-prompt-injection" | "prompt-injection" => {
                step.technique == "AML.T0051" && step.on == target
            }
            "unauthenticated-datastore" => {
                on_target && step.technique == "T1190" && matches!(step.gains, "read" | "write")
            }
            _ => false,
        }
    };
    paths
        .iter()
        .filter(|p| p.rank == 1)
        .any(|p| p.steps.iter().any(uses))
}
