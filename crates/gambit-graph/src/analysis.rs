//! [`Analysis`]: every attacker's attack graph with its best proofs, and the queries the
//! CLI and `analyze` ask of it (paths, exposure, elements on attack paths).

use std::collections::{BTreeMap, HashSet};

use gambit_model::{AssetId, AttackerSpec, ComponentId, Model};
use serde::Serialize;

use crate::best::{self, Best, Marks};
use crate::engine::Mask;
use crate::fact::Fact;
use crate::graph::AttackGraph;
use crate::index::{Fix, Index};
use crate::rule::{DerivationRule, Via};

/// One attacker's graph and its best proofs.
#[derive(Clone, Debug)]
pub struct AttackerAnalysis {
    pub graph: AttackGraph,
    /// Least-effort proofs.
    pub by_effort: Best,
    /// Fewest-step proofs (each shown step weighs 1).
    pub by_steps: Best,
}

impl AttackerAnalysis {
    fn new(model: &Model, ix: &Index, attacker: AttackerSpec) -> Self {
        let graph = AttackGraph::build(model, ix, attacker, None);
        let unit: Vec<f64> = graph
            .derivations
            .iter()
            .map(|d| if d.rule.hidden() { 0.0 } else { 1.0 })
            .collect();
        let (by_effort, by_steps) = join(
            || best::knuth(&graph, &graph.effort, |_| true),
            || best::knuth(&graph, &unit, |_| true),
        );
        AttackerAnalysis {
            graph,
            by_effort,
            by_steps,
        }
    }
}

/// The analysis of one model for a set of attackers.
#[derive(Clone, Debug)]
pub struct Analysis<'m> {
    pub model: &'m Model,
    pub index: Index,
    pub attackers: Vec<AttackerAnalysis>,
}

/// What an attacker wants: read or write a crown jewel, or admin on a component storing one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Goal {
    pub fact: Fact,
    pub asset: AssetId,
}

impl Goal {
    pub fn access(&self) -> &'static str {
        self.fact.gains()
    }

    pub fn component(&self) -> Option<ComponentId> {
        match self.fact {
            Fact::Admin(c) => Some(c),
            _ => None,
        }
    }

    pub fn to_json(&self, model: &Model) -> GoalOut {
        GoalOut {
            access: self.access(),
            asset: model[self.asset].id.clone(),
            component: self.component().map(|c| model[c].id.clone()),
        }
    }

    /// "read card-tokens" or "admin db (stores card-tokens)".
    pub fn label(&self, model: &Model) -> String {
        match self.component() {
            Some(c) => format!("admin {} (stores {})", model[c].id, model[self.asset].id),
            None => format!("{} {}", self.access(), model[self.asset].id),
        }
    }
}

/// A goal as printed: `{"access": "read", "asset": "card-tokens"}` (admin goals add the
/// component).
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct GoalOut {
    pub access: &'static str,
    pub asset: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
}

/// One numbered step of a path.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Step {
    pub gains: &'static str,
    pub on: String,
    pub technique: &'static str,
    pub via: String,
    /// The model elements the step uses, by id, so outputs never parse `via`.
    pub elements: StepElements,
    pub likelihood: f64,
    pub effort: f64,
}

/// The ids of the model elements a step rests on (each present only when used).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct StepElements {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vulnerability: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

impl StepElements {
    /// The elements behind one derivation's model facts.
    pub fn of(model: &Model, ix: &Index, vias: [Via; 2]) -> Self {
        let mut e = StepElements::default();
        let id = |s: &str| Some(s.to_owned());
        for via in vias {
            match via {
                Via::Vuln(v) => {
                    let (c, i) = ix.vuln(v);
                    e.component = id(&model[c].id);
                    e.vulnerability = id(&model[c].vulnerabilities[i].id);
                }
                Via::Flow(f) => e.flow = id(&model[f].id),
                Via::Grant(g) => {
                    let (identity, i) = ix.grant(g);
                    e.identity = id(&model[identity].id);
                    if let gambit_model::GrantTarget::Component(c) =
                        model[identity].grants[i].target
                    {
                        e.component = id(&model[c].id);
                    }
                }
                Via::Public(c)
                | Via::Stores(c)
                | Via::Processes(c)
                | Via::Unauth(c)
                | Via::Injected(c) => e.component = id(&model[c].id),
                Via::RunsAs(c) => {
                    e.component = id(&model[c].id);
                    e.identity = model[c].runs_as.map(|i| model[i].id.clone());
                }
                Via::Zone(z) => e.zone = id(&model[z].id),
                Via::HostHolds(h) => {
                    let (c, k) = ix.hold(h);
                    e.component = id(&model[c].id);
                    e.credential = id(&model[k].id);
                }
                Via::ActorHolds(a) | Via::Phish(a) => e.actor = id(&model[a].id),
                Via::Credential(k) => {
                    e.credential = id(&model[k].id);
                    e.identity = model[k].grants.map(|i| model[i].id.clone());
                }
                Via::None | Via::Attacker => {}
            }
        }
        e
    }
}

/// One attack path (an AND/OR proof flattened to steps, premises first).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AttackPath {
    pub attacker: String,
    pub goal: GoalOut,
    pub likelihood: f64,
    pub effort: f64,
    pub steps: Vec<Step>,
    /// 1 for the best path to this goal, 2 for the next, ...
    pub rank: usize,
}

/// One exposure entry: an asset an attacker can read or write.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Exposure {
    pub attacker: String,
    pub asset: String,
    pub access: Vec<&'static str>,
    pub steps: usize,
    pub crown_jewel: bool,
}

/// Model elements on the best path to some crown-jewel goal, each with the goals
/// (`"internet: read card-tokens"`) whose path it serves.
#[derive(Clone, Debug, Default, Serialize)]
pub struct OnAttackPath {
    pub components: BTreeMap<String, Vec<String>>,
    pub flows: BTreeMap<String, Vec<String>>,
    pub identities: BTreeMap<String, Vec<String>>,
    pub assets: BTreeMap<String, Vec<String>>,
    pub actors: BTreeMap<String, Vec<String>>,
    /// Vulnerability ids (e.g. CVE ids) used by an exploit step.
    pub vulnerabilities: BTreeMap<String, Vec<String>>,
}

/// Rounds for stable output.
pub(crate) fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl<'m> Analysis<'m> {
    /// Derives every attacker's graph (in parallel when the `parallel` feature is on).
    /// With no attackers, the model's `attackers:` are used, or `internet`.
    pub fn run(model: &'m Model, attackers: &[AttackerSpec]) -> Self {
        let index = Index::new(model);
        let mut specs: Vec<AttackerSpec> = if attackers.is_empty() {
            model.attackers.clone()
        } else {
            attackers.to_vec()
        };
        if specs.is_empty() {
            specs.push(AttackerSpec::Internet);
        }
        let mut seen = HashSet::new();
        specs.retain(|s| seen.insert(*s));
        let per = map_par(&specs, |&a| AttackerAnalysis::new(model, &index, a));
        Analysis {
            model,
            index,
            attackers: per,
        }
    }

    pub fn attacker_name(&self, a: &AttackerAnalysis) -> String {
        a.graph.attacker.name(self.model)
    }

    /// The goals for `assets` (all crown jewels when `None`) that `a` can reach.
    pub fn goals(&self, a: &AttackerAnalysis, assets: Option<&[AssetId]>) -> Vec<Goal> {
        candidate_goals(self.model, assets)
            .into_iter()
            .filter(|g| a.graph.has(&self.index, g.fact))
            .collect()
    }

    /// Turns a proof (derivation ids, premises first) into numbered steps.
    pub fn steps(&self, g: &AttackGraph, proof: &[u32]) -> Vec<Step> {
        proof
            .iter()
            .filter_map(|&d| {
                let der = &g.derivations[d as usize];
                if der.rule.hidden() {
                    return None;
                }
                let head = self.index.facts.fact(der.head);
                Some(self.step(g, d, head))
            })
            .collect()
    }

    fn step(&self, g: &AttackGraph, d: u32, head: Fact) -> Step {
        let model = self.model;
        let der = &g.derivations[d as usize];
        let public = match head {
            Fact::Exec(c) => model[c].public,
            _ => false,
        };
        let via = match der.via {
            Via::None => der
                .premises()
                .first()
                .map(|&p| self.index.facts.fact(p).label(model))
                .unwrap_or_default(),
            v => crate::rule::explain(model, &self.index, head, der.rule, v, der.via2),
        };
        Step {
            gains: head.gains(),
            on: head.on(model).to_owned(),
            technique: der.rule.technique(public),
            via,
            elements: StepElements::of(model, &self.index, [der.via, der.via2]),
            likelihood: round(g.likelihood[d as usize]),
            effort: round(g.effort[d as usize]),
        }
    }

    fn path(&self, a: &AttackerAnalysis, goal: &Goal, proof: &[u32], rank: usize) -> AttackPath {
        let (effort, likelihood) = best::evaluate(&a.graph, proof);
        AttackPath {
            attacker: self.attacker_name(a),
            goal: goal.to_json(self.model),
            likelihood: round(likelihood),
            effort: round(effort),
            steps: self.steps(&a.graph, proof),
            rank,
        }
    }

    /// The `k` best distinct attack paths to each goal, per attacker (all crown jewels,
    /// or only `to`).
    pub fn paths(&self, k: usize, to: Option<&[AssetId]>) -> Vec<AttackPath> {
        let mut out = Vec::new();
        for a in &self.attackers {
            let mut marks = Marks::new(a.graph.holds.len());
            for goal in self.goals(a, to) {
                let goal_id = self.index.facts.id(goal.fact);
                for (rank, proof) in k_best(a, goal_id, k, &mut marks).iter().enumerate() {
                    out.push(self.path(a, &goal, proof, rank + 1));
                }
            }
        }
        out
    }

    /// Every asset each attacker can read or write, with the step count of its
    /// fewest-step proof.
    pub fn exposure(&self) -> Vec<Exposure> {
        let mut out = Vec::new();
        for a in &self.attackers {
            out.extend(self.exposure_of(a, &a.by_steps, &a.graph));
        }
        out
    }

    fn exposure_of(&self, a: &AttackerAnalysis, best: &Best, g: &AttackGraph) -> Vec<Exposure> {
        let mut marks = Marks::new(g.holds.len());
        let mut out = Vec::new();
        for (i, asset) in self.model.assets.iter().enumerate() {
            let id = AssetId(i as u32);
            let mut access = Vec::new();
            let mut steps = usize::MAX;
            for (word, fact) in [("read", Fact::Read(id)), ("write", Fact::Write(id))] {
                let f = self.index.facts.id(fact);
                if best.choice[f as usize] == best::NONE {
                    continue;
                }
                access.push(word);
                if let Some(proof) = best::extract(g, &best.choice, f, None, &mut marks) {
                    let shown = proof
                        .iter()
                        .filter(|&&d| !g.derivations[d as usize].rule.hidden())
                        .count();
                    steps = steps.min(shown);
                }
            }
            if !access.is_empty() {
                out.push(Exposure {
                    attacker: self.attacker_name(a),
                    asset: asset.id.clone(),
                    access,
                    steps: if steps == usize::MAX { 0 } else { steps },
                    crown_jewel: asset.crown_jewel,
                });
            }
        }
        out
    }

    /// Exposure with `fixes` applied: a what-if. Masking only removes derivations, so it
    /// re-runs the fewest-step search over the recorded graph without them.
    pub fn exposure_with(&self, fixes: &[Fix]) -> Vec<Exposure> {
        let mask = Mask::new(&self.index, fixes);
        let mut out = Vec::new();
        for a in &self.attackers {
            let g = &a.graph;
            let unit: Vec<f64> = g
                .derivations
                .iter()
                .map(|d| if d.rule.hidden() { 0.0 } else { 1.0 })
                .collect();
            let best = best::knuth(g, &unit, |d| !mask.blocks(g.fixes[d as usize]));
            out.extend(self.exposure_of(a, &best, g));
        }
        out
    }

    /// Every fix that would remove at least one derivation of some attacker, with its
    /// description (`"patch CVE-1 on web"`), for what-if menus; apply with
    /// [`Analysis::exposure_with`].
    pub fn candidate_fixes(&self) -> Vec<(Fix, String)> {
        let mut ids: Vec<u32> = self
            .attackers
            .iter()
            .flat_map(|a| a.graph.fixes.iter().flatten().copied())
            .filter(|&f| f != crate::engine::NO_FIX && self.index.fix_allowed(self.model, f))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|id| {
                let fix = self.index.fix(id);
                (
                    fix,
                    crate::fixes::describe(self.model, &self.index, fix).text,
                )
            })
            .collect()
    }

    /// How many crown-jewel assets some attacker can read or write (for `analyze`'s
    /// summary).
    pub fn crown_jewels_exposed(&self) -> usize {
        self.model
            .crown_jewels()
            .filter(|&a| {
                self.attackers.iter().any(|at| {
                    at.graph.has(&self.index, Fact::Read(a))
                        || at.graph.has(&self.index, Fact::Write(a))
                })
            })
            .count()
    }

    /// Which model elements lie on the best path to some crown-jewel goal, for marking
    /// threats `on_attack_path`.
    pub fn on_attack_path(&self) -> OnAttackPath {
        let model = self.model;
        let mut on = OnAttackPath::default();
        for a in &self.attackers {
            let mut marks = Marks::new(a.graph.holds.len());
            let name = self.attacker_name(a);
            for goal in self.goals(a, None) {
                let label = format!("{name}: {}", goal.label(model));
                let id = self.index.facts.id(goal.fact);
                let Some(proof) =
                    best::extract(&a.graph, &a.by_effort.choice, id, None, &mut marks)
                else {
                    continue;
                };
                for &d in &proof {
                    self.mark(&mut on, &a.graph, d, &label);
                }
            }
        }
        for list in on
            .components
            .values_mut()
            .chain(on.flows.values_mut())
            .chain(on.identities.values_mut())
            .chain(on.assets.values_mut())
            .chain(on.actors.values_mut())
            .chain(on.vulnerabilities.values_mut())
        {
            list.sort();
            list.dedup();
        }
        on
    }

    fn mark(&self, on: &mut OnAttackPath, g: &AttackGraph, d: u32, label: &str) {
        let model = self.model;
        let der = &g.derivations[d as usize];
        let add = |map: &mut BTreeMap<String, Vec<String>>, id: &str| {
            map.entry(id.to_owned()).or_default().push(label.to_owned());
        };
        match self.index.facts.fact(der.head) {
            Fact::Reach(c) | Fact::Exec(c) | Fact::Admin(c) | Fact::Feed(c) => {
                add(&mut on.components, &model[c].id)
            }
            Fact::ActAs(i) => add(&mut on.identities, &model[i].id),
            Fact::Holds(x) | Fact::Read(x) | Fact::Write(x) | Fact::Taint(x) => {
                add(&mut on.assets, &model[x].id)
            }
            Fact::Control(x) => add(&mut on.actors, &model[x].id),
            Fact::InZone(_) => {}
        }
        for via in [der.via, der.via2] {
            match via {
                Via::Flow(f) => add(&mut on.flows, &model[f].id),
                Via::Vuln(v) => {
                    let (c, i) = self.index.vuln(v);
                    add(&mut on.vulnerabilities, &model[c].vulnerabilities[i].id);
                    add(&mut on.components, &model[c].id);
                }
                Via::Grant(gr) => add(&mut on.identities, &model[self.index.grant(gr).0].id),
                Via::HostHolds(h) => add(&mut on.components, &model[self.index.hold(h).0].id),
                Via::ActorHolds(x) | Via::Phish(x) => add(&mut on.actors, &model[x].id),
                Via::Public(c)
                | Via::RunsAs(c)
                | Via::Stores(c)
                | Via::Processes(c)
                | Via::Unauth(c)
                | Via::Injected(c) => add(&mut on.components, &model[c].id),
                _ => {}
            }
        }
    }
}

/// Read/write of each asset in `assets` (crown jewels when `None`) and admin on each
/// component storing one.
pub fn candidate_goals(model: &Model, assets: Option<&[AssetId]>) -> Vec<Goal> {
    let targets: Vec<AssetId> = match assets {
        Some(list) => list.to_vec(),
        None => model.crown_jewels().collect(),
    };
    let mut goals = Vec::new();
    for &a in &targets {
        goals.push(Goal {
            fact: Fact::Read(a),
            asset: a,
        });
        goals.push(Goal {
            fact: Fact::Write(a),
            asset: a,
        });
    }
    let mut is_target = vec![false; model.assets.len()];
    for &a in &targets {
        is_target[a.index()] = true;
    }
    for (ci, c) in model.components.iter().enumerate() {
        if let Some(&a) = c.stores.iter().find(|a| is_target[a.index()]) {
            goals.push(Goal {
                fact: Fact::Admin(ComponentId(ci as u32)),
                asset: a,
            });
        }
    }
    goals
}

/// The `k` best distinct proofs of `goal`: the least-effort proof, then the cheapest
/// proofs that deviate from it at one fact (another derivation there, best proofs
/// below), ranked by their effort with each fact counted once.
pub fn k_best(a: &AttackerAnalysis, goal: u32, k: usize, marks: &mut Marks) -> Vec<Vec<u32>> {
    let g = &a.graph;
    let best = &a.by_effort;
    let Some(first) = best::extract(g, &best.choice, goal, None, marks) else {
        return Vec::new();
    };
    // Local cost of each alternative derivation at each fact of the best proof.
    let mut alternatives: Vec<(f64, u32, u32)> = Vec::new();
    for &d in &first {
        let f = g.derivations[d as usize].head;
        for alt in g.derivations_of(f) {
            if alt == d {
                continue;
            }
            let der = &g.derivations[alt as usize];
            let local = g.effort[alt as usize]
                + der
                    .premises()
                    .iter()
                    .map(|&p| best.cost[p as usize])
                    .sum::<f64>();
            if local.is_finite() {
                alternatives.push((local - best.cost[f as usize], f, alt));
            }
        }
    }
    alternatives.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.2.cmp(&y.2)));
    alternatives.truncate(8 * k);
    let key = |proof: &[u32]| {
        let mut shown: Vec<u32> = proof
            .iter()
            .copied()
            .filter(|&d| g.derivations[d as usize].rule != DerivationRule::Position)
            .collect();
        shown.sort_unstable();
        shown
    };
    let mut seen = HashSet::new();
    seen.insert(key(&first));
    let mut found: Vec<(f64, Vec<u32>)> = Vec::new();
    for (_, f, alt) in alternatives {
        if let Some(proof) = best::extract(g, &best.choice, goal, Some((f, alt)), marks)
            && seen.insert(key(&proof))
        {
            found.push((best::evaluate(g, &proof).0, proof));
        }
    }
    // Knuth's search is exact for tree-shaped proofs; counting each fact once, a
    // deviation can be cheaper than the search's pick, so rank all together.
    found.push((best::evaluate(g, &first).0, first));
    found.sort_by(|x, y| x.0.total_cmp(&y.0));
    found.into_iter().take(k).map(|(_, p)| p).collect()
}

/// Runs two computations at once when the `parallel` feature is on.
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(feature = "parallel")]
    {
        rayon::join(a, b)
    }
    #[cfg(not(feature = "parallel"))]
    {
        (a(), b())
    }
}

/// Maps in parallel when the `parallel` feature is on.
pub(crate) fn map_par<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.iter().map(f).collect()
    }
}
