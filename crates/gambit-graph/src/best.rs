//! Minimum-cost derivations over the AND/OR graph: Knuth's generalisation of Dijkstra
//! (1977). A derivation's cost is its step's weight plus the costs of its premises; a
//! fact's cost is the least cost of its derivations. A derivation is considered once all
//! its premises are final, so the search is one heap pass, O(D log F).
//!
//! Summing premise costs counts a sub-fact shared by two premises twice, so the result
//! is the exact minimum for tree-shaped proofs and an upper bound otherwise; reported
//! path efforts are recomputed over the extracted proof with each fact counted once.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::graph::AttackGraph;

/// No derivation chosen.
pub const NONE: u32 = u32::MAX;

/// The best derivation of every fact under one weighting.
#[derive(Clone, Debug)]
pub struct Best {
    /// Per fact id: least cost, infinite when not derivable.
    pub cost: Vec<f64>,
    /// Per fact id: the derivation achieving it, or [`NONE`].
    pub choice: Vec<u32>,
}

#[derive(PartialEq)]
struct Item {
    cost: f64,
    fact: u32,
    deriv: u32,
}

impl Eq for Item {}

impl Ord for Item {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap. Ties broken by derivation number so the
        // result does not depend on heap internals.
        other
            .cost
            .total_cmp(&self.cost)
            .then_with(|| other.deriv.cmp(&self.deriv))
    }
}

impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Runs Knuth's algorithm with `weight` per derivation, skipping derivations for which
/// `allowed` is false.
pub fn knuth(g: &AttackGraph, weight: &[f64], allowed: impl Fn(u32) -> bool) -> Best {
    let n = g.holds.len();
    let mut cost = vec![f64::INFINITY; n];
    let mut choice = vec![NONE; n];
    let mut waiting: Vec<u8> = g.derivations.iter().map(|d| d.premise_count).collect();
    let mut heap = BinaryHeap::new();
    let mut tentative = vec![f64::INFINITY; n];
    for (i, d) in g.derivations.iter().enumerate() {
        if d.premise_count == 0 && allowed(i as u32) && weight[i] < tentative[d.head as usize] {
            tentative[d.head as usize] = weight[i];
            heap.push(Item {
                cost: weight[i],
                fact: d.head,
                deriv: i as u32,
            });
        }
    }
    while let Some(Item {
        cost: c,
        fact,
        deriv,
    }) = heap.pop()
    {
        if choice[fact as usize] != NONE {
            continue;
        }
        cost[fact as usize] = c;
        choice[fact as usize] = deriv;
        for &d in g.by_premise.row(fact as usize) {
            let w = &mut waiting[d as usize];
            *w = w.saturating_sub(1);
            if *w == 0 && allowed(d) {
                let der = &g.derivations[d as usize];
                if choice[der.head as usize] != NONE {
                    continue;
                }
                let total: f64 = weight[d as usize]
                    + der
                        .premises()
                        .iter()
                        .map(|&p| cost[p as usize])
                        .sum::<f64>();
                // Only an improvement is worth a heap entry (decrease-key by insertion).
                let t = &mut tentative[der.head as usize];
                if total >= *t {
                    continue;
                }
                *t = total;
                heap.push(Item {
                    cost: total,
                    fact: der.head,
                    deriv: d,
                });
            }
        }
    }
    Best { cost, choice }
}

/// Extracts the proof of `goal` under `choice`, with `override_at` = (fact, derivation)
/// replacing one choice. Returns the derivations in dependency order (premises first),
/// each fact once, or `None` when the override makes the proof circular or a fact has no
/// derivation.
pub fn extract(
    g: &AttackGraph,
    choice: &[u32],
    goal: u32,
    override_at: Option<(u32, u32)>,
    marks: &mut Marks,
) -> Option<Vec<u32>> {
    marks.next_epoch();
    let pick = |f: u32| match override_at {
        Some((of, od)) if of == f => od,
        _ => choice[f as usize],
    };
    let mut out = Vec::new();
    // Iterative DFS: (fact, next premise index).
    let mut stack: Vec<(u32, usize)> = vec![(goal, 0)];
    marks.enter(goal);
    while let Some(&mut (f, ref mut next)) = stack.last_mut() {
        let d = pick(f);
        if d == NONE {
            return None;
        }
        let der = &g.derivations[d as usize];
        if let Some(&p) = der.premises().get(*next) {
            *next += 1;
            match marks.state(p) {
                Mark::Unseen => {
                    marks.enter(p);
                    stack.push((p, 0));
                }
                Mark::InProgress => return None,
                Mark::Done => {}
            }
        } else {
            marks.finish(f);
            out.push(d);
            stack.pop();
        }
    }
    Some(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Unseen,
    InProgress,
    Done,
}

/// Visit marks reused across extractions (an epoch counter instead of clearing).
pub struct Marks {
    epoch: u32,
    seen: Vec<u32>,
    done: Vec<bool>,
}

impl Marks {
    pub fn new(facts: usize) -> Self {
        Marks {
            epoch: 0,
            seen: vec![0; facts],
            done: vec![false; facts],
        }
    }

    fn next_epoch(&mut self) {
        self.epoch += 1;
    }

    fn enter(&mut self, f: u32) {
        self.seen[f as usize] = self.epoch;
        self.done[f as usize] = false;
    }

    fn finish(&mut self, f: u32) {
        self.done[f as usize] = true;
    }

    fn state(&self, f: u32) -> Mark {
        if self.seen[f as usize] != self.epoch {
            Mark::Unseen
        } else if self.done[f as usize] {
            Mark::Done
        } else {
            Mark::InProgress
        }
    }
}

/// Effort (sum, each fact once) and likelihood (product) of an extracted proof.
pub fn evaluate(g: &AttackGraph, proof: &[u32]) -> (f64, f64) {
    let effort = proof.iter().map(|&d| g.effort[d as usize]).sum();
    let likelihood = proof.iter().map(|&d| g.likelihood[d as usize]).product();
    (effort, likelihood)
}
