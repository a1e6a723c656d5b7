//! Attack trees: the AND/OR graph below a goal, unfolded into a tree and evaluated
//! (leaf = one step with its effort and likelihood; AND = sum of efforts, product of
//! likelihoods; OR = least effort, greatest likelihood).
//!
//! The graph is a DAG with cycles broken by the search, so unfolding could explode. The
//! tree is bounded: each fact is expanded once (later mentions are leaves carrying the
//! fact's best values), at most [`MAX_CHOICES`] derivations per fact (cheapest first),
//! depth at most [`MAX_DEPTH`], and [`MAX_NODES`] nodes in all.

use std::collections::HashSet;

use gambit_model::AssetId;
use serde::Serialize;

use crate::analysis::{Analysis, AttackerAnalysis, round};
use crate::best::{self, Marks, NONE};
use crate::fact::Fact;
use crate::rule::{DerivationRule, Via};

pub const MAX_CHOICES: usize = 4;
pub const MAX_DEPTH: usize = 14;
pub const MAX_NODES: usize = 2_000;

/// One node of an attack tree.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TreeNode {
    /// "and", "or" or "leaf".
    pub kind: &'static str,
    pub label: String,
    /// Least effort below this node; `null` when unreachable.
    pub effort: Option<f64>,
    /// Greatest likelihood below this node; `null` when unreachable.
    pub likelihood: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<TreeNode>,
}

/// `{"goal": ASSET, "root": NODE}`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AttackTree {
    pub goal: String,
    pub root: TreeNode,
}

impl TreeNode {
    fn leaf(label: String, effort: f64, likelihood: f64) -> Self {
        TreeNode {
            kind: "leaf",
            label,
            effort: Some(round(effort)),
            likelihood: Some(round(likelihood)),
            children: Vec::new(),
        }
    }

    fn combine(kind: &'static str, label: String, children: Vec<TreeNode>) -> Self {
        let efforts = children.iter().filter_map(|c| c.effort);
        let likelihoods = children.iter().filter_map(|c| c.likelihood);
        let (effort, likelihood) = if kind == "and" {
            let complete = children.iter().all(|c| c.effort.is_some());
            (
                complete.then(|| efforts.sum::<f64>()),
                complete.then(|| likelihoods.product::<f64>()),
            )
        } else {
            (efforts.reduce(f64::min), likelihoods.reduce(f64::max))
        };
        TreeNode {
            kind,
            label,
            effort: effort.map(round),
            likelihood: likelihood.map(round),
            children,
        }
    }

    /// Nodes in the tree.
    pub fn size(&self) -> usize {
        1 + self.children.iter().map(TreeNode::size).sum::<usize>()
    }
}

struct Builder<'a, 'm> {
    analysis: &'a Analysis<'m>,
    a: &'a AttackerAnalysis,
    expanded: HashSet<u32>,
    on_path: Vec<u32>,
    nodes: usize,
    marks: Marks,
}

impl Builder<'_, '_> {
    fn fact_label(&self, f: u32) -> String {
        let fact = self.analysis.index.facts.fact(f);
        match fact {
            Fact::InZone(z) => format!("a position in zone {}", self.analysis.model[z].id),
            Fact::Control(x) => format!("control {}", self.analysis.model[x].id),
            other => other.label(self.analysis.model),
        }
    }

    /// A fact not unfolded here: a leaf carrying its best proof's values.
    fn summary(&mut self, f: u32, why: &str) -> TreeNode {
        let g = &self.a.graph;
        let label = format!("{} ({why})", self.fact_label(f));
        match best::extract(g, &self.a.by_effort.choice, f, None, &mut self.marks) {
            Some(proof) => {
                let (e, l) = best::evaluate(g, &proof);
                TreeNode::leaf(label, e, l)
            }
            None => TreeNode {
                kind: "leaf",
                label,
                effort: None,
                likelihood: None,
                children: Vec::new(),
            },
        }
    }

    fn fact(&mut self, f: u32, depth: usize) -> TreeNode {
        self.nodes += 1;
        if self.expanded.contains(&f) {
            return self.summary(f, "see above");
        }
        if depth >= MAX_DEPTH || self.nodes >= MAX_NODES {
            return self.summary(f, "not unfolded: tree size limit");
        }
        self.expanded.insert(f);
        self.on_path.push(f);
        let g = &self.a.graph;
        let cost = &self.a.by_effort.cost;
        let mut choices: Vec<(f64, u32)> = g
            .derivations_of(f)
            .filter(|&d| {
                let der = &g.derivations[d as usize];
                der.premises().iter().all(|p| !self.on_path.contains(p))
            })
            .map(|d| {
                let der = &g.derivations[d as usize];
                let local = g.effort[d as usize]
                    + der
                        .premises()
                        .iter()
                        .map(|&p| cost[p as usize])
                        .sum::<f64>();
                (local, d)
            })
            .collect();
        choices.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let more = choices.len().saturating_sub(MAX_CHOICES);
        choices.truncate(MAX_CHOICES);
        let mut children: Vec<TreeNode> = choices
            .into_iter()
            .map(|(_, d)| self.derivation(d, depth + 1))
            .collect();
        self.on_path.pop();
        let label = self.fact_label(f);
        if more > 0 {
            children.push(TreeNode {
                kind: "leaf",
                label: format!("{more} more way(s) not shown"),
                effort: None,
                likelihood: None,
                children: Vec::new(),
            });
        }
        // A way whose premises loop back to a fact being unfolded is dropped here.
        children.retain(|c| c.effort.is_some() || c.kind == "leaf");
        if children.len() == 1 && children[0].effort.is_some() {
            return children.remove(0);
        }
        TreeNode::combine("or", label, children)
    }

    fn derivation(&mut self, d: u32, depth: usize) -> TreeNode {
        let g = &self.a.graph;
        let der = g.derivations[d as usize];
        let model = self.analysis.model;
        if der.rule == DerivationRule::Start {
            let head = self.analysis.index.facts.fact(der.head);
            let label = match head {
                Fact::Control(x) => format!("attacker controls {}", model[x].id),
                Fact::Exec(c) => format!("attacker starts with exec on {}", model[c].id),
                _ => "attacker is on the internet".to_owned(),
            };
            return TreeNode::leaf(label, 0.0, 1.0);
        }
        if der.rule.hidden()
            && let Some(&p) = der.premises().first()
        {
            return self.fact(p, depth);
        }
        let head = self.analysis.index.facts.fact(der.head);
        let public = matches!(head, Fact::Exec(c) if model[c].public);
        let via = match der.via {
            Via::None => String::new(),
            v => crate::rule::explain(model, &self.analysis.index, head, der.rule, v, der.via2),
        };
        let technique = der.rule.technique(public);
        let step = if via.is_empty() {
            technique.to_string()
        } else {
            format!("{technique} via {via}")
        };
        let mut children = vec![TreeNode::leaf(
            step.clone(),
            g.effort[d as usize],
            g.likelihood[d as usize],
        )];
        for &p in der.premises() {
            children.push(self.fact(p, depth));
        }
        if children.len() == 1 {
            let mut only = children.remove(0);
            only.label = format!("{} by {step}", head.label(model));
            return only;
        }
        TreeNode::combine("and", format!("{} by {step}", head.label(model)), children)
    }
}

impl Analysis<'_> {
    /// The attack tree of every goal on `asset` (read, write, admin on a component storing
    /// it), over every attacker, under one OR root.
    pub fn tree(&self, asset: AssetId) -> AttackTree {
        let model = self.model;
        let several = self.attackers.len() > 1;
        let mut children = Vec::new();
        for a in &self.attackers {
            let mut b = Builder {
                analysis: self,
                a,
                expanded: HashSet::new(),
                on_path: Vec::new(),
                nodes: 0,
                marks: Marks::new(a.graph.holds.len()),
            };
            for goal in self.goals(a, Some(&[asset])) {
                let f = self.index.facts.id(goal.fact);
                if a.by_effort.choice[f as usize] == NONE {
                    continue;
                }
                let mut node = b.fact(f, 0);
                if several {
                    node.label = format!("{}: {}", self.attacker_name(a), node.label);
                }
                children.push(node);
            }
        }
        let label = format!("compromise {}", model[asset].id);
        let root = if children.is_empty() {
            TreeNode {
                kind: "or",
                label: format!("{label} (no attacker can reach it)"),
                effort: None,
                likelihood: None,
                children,
            }
        } else {
            TreeNode::combine("or", label, children)
        };
        AttackTree {
            goal: model[asset].id.clone(),
            root,
        }
    }
}
