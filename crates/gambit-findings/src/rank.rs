//! Ranking findings by the attack graph of the augmented model.
//!
//! A finding lies on an attack path when the patch that closes it lies on a best proof of
//! some attacker's crown-jewel goal, either in the graph as it is or once the findings
//! chosen so far are patched. The same loop finds the fewest patches that cut every goal a
//! patch can cut: gambit-graph's implicit hitting set (`Analysis::cut`, the solver behind
//! `chokepoints`) with only the findings' patches allowed, verified by re-running the fact
//! engine with the patches applied.

use std::collections::{BTreeSet, HashMap, HashSet};

use gambit_graph::chokepoints::{Cut, CutTarget};
use gambit_graph::{Analysis, Fix};
use gambit_model::vocab::{Classification, Criticality};
use gambit_model::{AttackerSpec, Model};
use serde::Serialize;

use crate::{Applied, State};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Summary {
    /// Findings listed: matched ones (one per vulnerability and component) and unmatched ones.
    pub findings: usize,
    pub matched: usize,
    pub on_attack_path: usize,
    /// How many patches cut every attack path that runs through a finding.
    pub fix_to_cut_every_path: usize,
    /// Attacker goals some path reaches without any finding: no patch cuts them.
    pub goals_reached_without_findings: usize,
    /// True when re-running the analysis with the patches applied confirmed the cut.
    pub verified: bool,
}

/// One ranked finding (the JSON of `gambit findings --format json`).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Row {
    pub id: String,
    pub component: String,
    pub package: Option<String>,
    pub on_attack_path: bool,
    /// Crown-jewel assets of the goals whose paths use it.
    pub goals: Vec<String>,
    pub kev: bool,
    pub epss: Option<f64>,
    pub cvss: Option<f64>,
    pub effect: &'static str,
    pub rank: usize,
    pub source: String,
    pub status: &'static str,
    /// One of the fewest patches that cut every path.
    pub fix: bool,
    pub matched_by: String,
    pub title: Option<String>,
    pub location: Option<String>,
    pub occurrences: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct UnmatchedRow {
    pub id: String,
    pub package: Option<String>,
    pub reason: String,
    pub source: String,
    pub location: Option<String>,
}

/// The answer of `gambit findings`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FindingsReport {
    pub summary: Summary,
    pub findings: Vec<Row>,
    pub unmatched: Vec<UnmatchedRow>,
}

impl FindingsReport {
    /// "N of M findings lie on an attack path; fixing these K cuts every path".
    pub fn headline(&self) -> String {
        let s = &self.summary;
        format!(
            "{} of {} findings lie on an attack path; fixing these {} cuts every path",
            s.on_attack_path, s.findings, s.fix_to_cut_every_path
        )
    }
}

/// What a goal is worth: the asset's classification for a read, its integrity for a
/// write, the higher of the two for admin on where it is stored (each 0 to 3).
fn goal_value(model: &Model, goal: &gambit_graph::Goal) -> usize {
    let asset = &model[goal.asset];
    let secrecy = Classification::ALL
        .iter()
        .position(|c| *c == asset.classification)
        .unwrap_or(0);
    let integrity = Criticality::ALL
        .iter()
        .position(|c| *c == asset.integrity)
        .unwrap_or(0);
    match goal.access() {
        "read" => secrecy,
        "write" => integrity,
        _ => secrecy.max(integrity),
    }
}

struct GoalRef {
    attacker: usize,
    fact: u32,
    asset: String,
    value: usize,
}

/// Per matched finding: on a path, the goals it serves, and the best goal's value.
#[derive(Clone, Default)]
struct Use {
    on_path: bool,
    goals: BTreeSet<usize>,
}

impl Applied {
    /// Ranks the matched findings for `attackers` (the model's when empty).
    pub fn rank(&self, attackers: &[AttackerSpec]) -> FindingsReport {
        let analysis = Analysis::run(&self.model, attackers);
        let ix = &analysis.index;
        // Dense fix number of each open finding's patch, and back.
        let mut row_of_fix: HashMap<u32, Vec<usize>> = HashMap::new();
        for (r, m) in self.matched.iter().enumerate() {
            if m.state == State::Open {
                let v = ix.vuln_number(m.component, m.vulnerability);
                row_of_fix
                    .entry(ix.fix_id(Fix::Patch(v)))
                    .or_default()
                    .push(r);
            }
        }
        let goals: Vec<GoalRef> = analysis
            .attackers
            .iter()
            .enumerate()
            .flat_map(|(ai, a)| analysis.goals(a, None).into_iter().map(move |g| (ai, g)))
            .map(|(ai, g)| GoalRef {
                attacker: ai,
                fact: ix.facts.id(g.fact),
                asset: self.model[g.asset].id.clone(),
                value: goal_value(&self.model, &g),
            })
            .collect();
        let mut uses = vec![Use::default(); self.matched.len()];
        let cut = cut_with_patches(&analysis, &goals, &row_of_fix, &mut uses);
        let fix_rows: HashSet<usize> = cut
            .chosen
            .iter()
            .flat_map(|f| row_of_fix.get(f).into_iter().flatten().copied())
            .collect();
        let mut rows: Vec<(usize, Row)> = self
            .matched
            .iter()
            .enumerate()
            .map(|(r, m)| {
                let value = uses[r]
                    .goals
                    .iter()
                    .map(|&g| goals[g].value)
                    .max()
                    .unwrap_or(0);
                let assets: BTreeSet<&str> = uses[r]
                    .goals
                    .iter()
                    .map(|&g| goals[g].asset.as_str())
                    .collect();
                let row = Row {
                    id: m.id.clone(),
                    component: self.model[m.component].id.clone(),
                    package: m.package.clone(),
                    on_attack_path: uses[r].on_path,
                    goals: assets.into_iter().map(str::to_owned).collect(),
                    kev: m.kev,
                    epss: m.epss,
                    cvss: m.cvss,
                    effect: m.effect,
                    rank: 0,
                    source: m.source.clone(),
                    status: m.state.name(),
                    fix: fix_rows.contains(&r),
                    matched_by: m.matched_by.clone(),
                    title: m.title.clone(),
                    location: m.location.clone(),
                    occurrences: m.occurrences,
                };
                (value, row)
            })
            .collect();
        rows.sort_by(|(va, a), (vb, b)| {
            b.on_attack_path
                .cmp(&a.on_attack_path)
                .then((b.status == "open").cmp(&(a.status == "open")))
                .then(vb.cmp(va))
                .then(b.kev.cmp(&a.kev))
                .then(b.epss.unwrap_or(0.0).total_cmp(&a.epss.unwrap_or(0.0)))
                .then(b.cvss.unwrap_or(0.0).total_cmp(&a.cvss.unwrap_or(0.0)))
                .then_with(|| a.id.cmp(&b.id))
                .then_with(|| a.component.cmp(&b.component))
        });
        let findings: Vec<Row> = rows
            .into_iter()
            .enumerate()
            .map(|(i, (_, mut row))| {
                row.rank = i + 1;
                row
            })
            .collect();
        let unmatched: Vec<UnmatchedRow> = self
            .unmatched
            .iter()
            .map(|u| UnmatchedRow {
                id: u.id.clone(),
                package: u.package.clone(),
                reason: u.reason.clone(),
                source: u.source.clone(),
                location: u.location.clone(),
            })
            .collect();
        FindingsReport {
            summary: Summary {
                findings: findings.len() + unmatched.len(),
                matched: findings.len(),
                on_attack_path: findings.iter().filter(|r| r.on_attack_path).count(),
                fix_to_cut_every_path: fix_rows.len(),
                goals_reached_without_findings: cut.uncut.iter().filter(|&&u| u).count(),
                verified: cut.verified,
            },
            findings,
            unmatched,
        }
    }
}

/// The fewest finding patches that make every goal a patch can cut unreachable, marking
/// on the way each finding whose patch lies on a best proof.
fn cut_with_patches(
    analysis: &Analysis<'_>,
    goals: &[GoalRef],
    row_of_fix: &HashMap<u32, Vec<usize>>,
    uses: &mut [Use],
) -> Cut {
    let targets: Vec<CutTarget> = goals
        .iter()
        .map(|g| CutTarget {
            attacker: g.attacker,
            fact: g.fact,
        })
        .collect();
    analysis.cut(
        &targets,
        |f| row_of_fix.contains_key(&f),
        |_| 1.0,
        |gi, _, _, patches| {
            for f in patches {
                for &r in &row_of_fix[f] {
                    uses[r].on_path = true;
                    uses[r].goals.insert(gi);
                }
            }
        },
    )
}
