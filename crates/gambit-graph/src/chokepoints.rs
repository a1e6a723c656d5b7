//! Choke points: the cheapest set of fixes that makes every crown-jewel goal unreachable
//! for every attacker, without enumerating paths.
//!
//! This is an implicit hitting set. Each round computes, for every goal still reachable
//! under the fixes chosen so far, its least-effort proof (Knuth, over the recorded graph
//! with the chosen fixes masked out) and adds the set of candidate fixes on that proof as
//! a constraint: a valid answer must hit it. A hitting set of all constraints is then
//! solved (exact branch and bound when small, greedy otherwise) and the next round checks
//! it. The loop ends when no goal is reachable; the answer is then verified by re-running
//! the fact engine from the model with the fixes applied as a mask. A proof with no
//! candidate fix on it is a goal nothing in the candidate list can cut.

use std::collections::HashMap;

use serde::Serialize;

use crate::analysis::{Analysis, GoalOut};
use crate::best::{self, Marks};
use crate::engine::{self, Mask, NO_FIX};
use crate::fixes::{self, FixAction};
use crate::graph::AttackGraph;
use crate::index::Fix;

/// One fix of the answer.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Chokepoint {
    /// In words: "patch CVE-2021-23017 on web".
    pub fix: String,
    /// What sort of element changes: vulnerability, control, zone, flow, grant,
    /// credential, runs-as.
    pub kind: &'static str,
    /// The element changed.
    pub target: String,
    /// The fix as data, by element id.
    pub action: FixAction,
    /// Goals that become reachable again if this fix alone is left out of the answer.
    pub cuts: usize,
    /// Distinct attack proofs found during the search that this fix breaks.
    pub paths: usize,
    /// The fix's cost in the objective (see docs/attack-graph.md).
    pub cost: f64,
}

/// A goal no candidate fix can cut, and why.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Uncuttable {
    pub attacker: String,
    pub goal: GoalOut,
    pub reason: String,
}

/// The answer of `chokepoints`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Chokepoints {
    pub chokepoints: Vec<Chokepoint>,
    /// Reachable (attacker, goal) pairs before any fix.
    pub goals: usize,
    /// Of those, how many the fixes cut.
    pub cut: usize,
    pub uncuttable: Vec<Uncuttable>,
    /// "exact" when every hitting set was solved to optimality, else "greedy".
    pub method: &'static str,
    /// True when re-running the analysis with the fixes applied reaches no cuttable goal.
    pub verified: bool,
    pub total_cost: f64,
    /// The fixes of the answer, for applying them (e.g. a what-if).
    #[serde(skip)]
    pub fixes: Vec<Fix>,
}

/// Rounds of the implicit hitting set before giving up (the answer is then unverified).
const MAX_ROUNDS: usize = 64;

struct GoalRef {
    attacker: usize,
    fact: u32,
    out: GoalOut,
}

/// A goal an iterative cut must make unreachable: which attacker, which goal fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CutTarget {
    /// Index into [`Analysis::attackers`].
    pub attacker: usize,
    /// The goal's dense fact id.
    pub fact: u32,
}

/// What [`Analysis::cut`] found.
#[derive(Clone, Debug, Default)]
pub struct Cut {
    /// Each distinct set of allowed fixes found on a best proof, with the targets (by
    /// index) whose proof gave it. The answer hits every set.
    pub constraints: Vec<(Vec<usize>, Vec<u32>)>,
    /// Per target: its best proof had no allowed fix, so nothing allowed cuts it.
    pub uncut: Vec<bool>,
    /// The fixes chosen (dense fix ids).
    pub chosen: Vec<u32>,
    /// Every hitting set was solved to optimality.
    pub exact: bool,
    /// The rounds converged and re-running the fact engine with `chosen` masked reaches
    /// no target that is not `uncut`.
    pub verified: bool,
}

impl Analysis<'_> {
    /// The smallest-cost set of fixes that cuts every crown-jewel goal of every attacker.
    pub fn chokepoints(&self) -> Chokepoints {
        let ix = &self.index;
        let mut goals = Vec::new();
        for (ai, a) in self.attackers.iter().enumerate() {
            for goal in self.goals(a, None) {
                goals.push(GoalRef {
                    attacker: ai,
                    fact: ix.facts.id(goal.fact),
                    out: goal.to_json(self.model),
                });
            }
        }
        let targets: Vec<CutTarget> = goals
            .iter()
            .map(|g| CutTarget {
                attacker: g.attacker,
                fact: g.fact,
            })
            .collect();
        let mut uncuttable: Vec<(usize, String)> = Vec::new();
        let cut = self.cut(
            &targets,
            |f| ix.fix_allowed(self.model, f),
            |f| fixes::cost(ix.fix(f)),
            |gi, graph, proof, allowed| {
                if allowed.is_empty() {
                    uncuttable.push((gi, self.why_uncuttable(graph, proof)));
                }
            },
        );
        self.report(goals, cut, uncuttable)
    }

    /// The implicit hitting set behind `chokepoints` (and `gambit findings`' fewest
    /// patches), over the fixes `allowed` accepts, weighted by `cost`. Each round,
    /// `visit` sees every target still reachable: its index, its attacker's graph, its
    /// best proof under the fixes chosen so far, and the allowed fixes on that proof.
    pub fn cut(
        &self,
        targets: &[CutTarget],
        allowed: impl Fn(u32) -> bool,
        cost: impl Fn(u32) -> f64,
        mut visit: impl FnMut(usize, &AttackGraph, &[u32], &[u32]),
    ) -> Cut {
        let ix = &self.index;
        let mut cut = Cut {
            uncut: vec![false; targets.len()],
            exact: true,
            ..Cut::default()
        };
        let mut seen_constraints: HashMap<Vec<u32>, usize> = HashMap::new();
        let mut converged = false;
        for _ in 0..MAX_ROUNDS {
            let mask = Mask::from_ids(ix, cut.chosen.iter().copied());
            let mut added = false;
            for (ai, a) in self.attackers.iter().enumerate() {
                let g = &a.graph;
                let masked;
                let best = if cut.chosen.is_empty() {
                    &a.by_effort
                } else {
                    masked = best::knuth(g, &g.effort, |d| !mask.blocks(g.fixes[d as usize]));
                    &masked
                };
                let mut marks = Marks::new(g.holds.len());
                for (gi, target) in targets.iter().enumerate() {
                    if target.attacker != ai || cut.uncut[gi] {
                        continue;
                    }
                    let Some(proof) = best::extract(g, &best.choice, target.fact, None, &mut marks)
                    else {
                        continue;
                    };
                    let mut fixes: Vec<u32> = proof
                        .iter()
                        .flat_map(|&d| g.fixes[d as usize])
                        .filter(|&f| f != NO_FIX && allowed(f))
                        .collect();
                    fixes.sort_unstable();
                    fixes.dedup();
                    visit(gi, g, &proof, &fixes);
                    if fixes.is_empty() {
                        cut.uncut[gi] = true;
                        added = true;
                    } else if let Some(&k) = seen_constraints.get(&fixes) {
                        cut.constraints[k].0.push(gi);
                    } else {
                        seen_constraints.insert(fixes.clone(), cut.constraints.len());
                        cut.constraints.push((vec![gi], fixes));
                        added = true;
                    }
                }
            }
            if !added {
                converged = true;
                break;
            }
            let sets: Vec<&[u32]> = cut.constraints.iter().map(|(_, s)| s.as_slice()).collect();
            let (answer, optimal) = hitting_set(&sets, &cost);
            cut.exact &= optimal;
            cut.chosen = answer;
        }
        cut.verified = converged && self.verify(targets, &cut.uncut, &cut.chosen);
        cut
    }

    /// Why no fix a team may make cuts this proof: the fixes on it it may not make
    /// (required access, a third party's, a provider's), or the route when there are none.
    fn why_uncuttable(&self, g: &AttackGraph, proof: &[u32]) -> String {
        let ix = &self.index;
        let mut refused: Vec<String> = proof
            .iter()
            .flat_map(|&d| g.fixes[d as usize])
            .filter(|&f| f != NO_FIX)
            .filter_map(|f| {
                let fix = ix.fix(f);
                let why = fixes::refusal(self.model, ix, fix)?;
                Some(format!(
                    "{} ({why})",
                    fixes::describe(self.model, ix, fix).text
                ))
            })
            .collect();
        refused.sort();
        refused.dedup();
        if refused.is_empty() {
            let route: Vec<String> = self
                .steps(g, proof)
                .iter()
                .map(|s| format!("{} {} ({})", s.gains, s.on, s.via))
                .collect();
            format!("no candidate fix lies on the path: {}", route.join(", "))
        } else {
            format!(
                "cutting it would need a change the team cannot make: {}",
                refused.join("; ")
            )
        }
    }

    /// Re-runs the fact engine from the model with the fixes masked out.
    fn verify(&self, goals: &[CutTarget], is_uncut: &[bool], chosen: &[u32]) -> bool {
        let mask = Mask::from_ids(&self.index, chosen.iter().copied());
        self.attackers.iter().enumerate().all(|(ai, a)| {
            let holds = engine::reachable(self.model, &self.index, a.graph.attacker, Some(&mask));
            goals
                .iter()
                .enumerate()
                .all(|(gi, g)| g.attacker != ai || is_uncut[gi] || !holds[g.fact as usize])
        })
    }

    fn report(
        &self,
        goals: Vec<GoalRef>,
        cut: Cut,
        uncuttable: Vec<(usize, String)>,
    ) -> Chokepoints {
        let ix = &self.index;
        let Cut {
            constraints,
            chosen,
            exact,
            verified,
            ..
        } = cut;
        // Per chosen fix: the constraints it appears in, and those it alone hits.
        let mut is_chosen = vec![false; ix.fix_count()];
        for &f in &chosen {
            is_chosen[f as usize] = true;
        }
        let mut paths = vec![0usize; ix.fix_count()];
        let mut sole_goals: Vec<Vec<usize>> = vec![Vec::new(); ix.fix_count()];
        for (gs, set) in &constraints {
            let mut hitters = set.iter().filter(|&&f| is_chosen[f as usize]);
            for &f in set {
                paths[f as usize] += 1;
            }
            if let (Some(&only), None) = (hitters.next(), hitters.next()) {
                sole_goals[only as usize].extend(gs);
            }
        }
        let mut out = Vec::new();
        for &f in &chosen {
            let fix = ix.fix(f);
            let described = fixes::describe(self.model, ix, fix);
            let cut_goals = &mut sole_goals[f as usize];
            cut_goals.sort_unstable();
            cut_goals.dedup();
            out.push(Chokepoint {
                fix: described.text,
                kind: described.kind,
                target: described.target,
                action: described.action,
                cuts: cut_goals.len(),
                paths: paths[f as usize],
                cost: fixes::cost(fix),
            });
        }
        out.sort_by(|a, b| {
            b.cuts
                .cmp(&a.cuts)
                .then(b.paths.cmp(&a.paths))
                .then(a.cost.total_cmp(&b.cost))
                .then(a.fix.cmp(&b.fix))
        });
        let total_cost = out.iter().map(|c| c.cost).sum();
        let n_uncut = uncuttable.len();
        Chokepoints {
            chokepoints: out,
            goals: goals.len(),
            cut: if verified { goals.len() - n_uncut } else { 0 },
            uncuttable: uncuttable
                .into_iter()
                .map(|(gi, reason)| Uncuttable {
                    attacker: self.attacker_name(&self.attackers[goals[gi].attacker]),
                    goal: goals[gi].out.clone(),
                    reason,
                })
                .collect(),
            method: if exact { "exact" } else { "greedy" },
            verified,
            total_cost,
            fixes: chosen.iter().map(|&f| ix.fix(f)).collect(),
        }
    }
}

/// Candidates up to which branch and bound is tried.
const EXACT_CANDIDATES: usize = 40;
/// Constraints up to which branch and bound is tried.
const EXACT_SETS: usize = 2_000;
/// Search nodes branch and bound may visit before settling for the greedy answer.
const EXACT_BUDGET: usize = 200_000;

/// A least-cost set hitting every set (each non-empty). Returns it and whether it is
/// proven optimal.
pub fn hitting_set(sets: &[&[u32]], cost: impl Fn(u32) -> f64) -> (Vec<u32>, bool) {
    let mut answer = Vec::new();
    let mut optimal = true;
    // Constraints that share no candidate are independent problems: solve each on its
    // own, so many small ones (one per account, say) are each solved exactly.
    for group in independent_groups(sets) {
        let part: Vec<&[u32]> = group.iter().map(|&i| sets[i]).collect();
        let (fixes, exact) = solve_group(&part, &cost);
        answer.extend(fixes);
        optimal &= exact;
    }
    answer.sort_unstable();
    answer.dedup();
    (answer, optimal)
}

/// Groups of constraint indices connected through shared candidates (union-find).
fn independent_groups(sets: &[&[u32]]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..sets.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for (i, s) in sets.iter().enumerate() {
        for &f in s.iter() {
            match owner.get(&f) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    owner.insert(f, i);
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..sets.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().collect()
}

/// One independent problem: branch and bound when small, else greedy.
fn solve_group(sets: &[&[u32]], cost: &impl Fn(u32) -> f64) -> (Vec<u32>, bool) {
    let greedy = greedy(sets, cost);
    let mut candidates: Vec<u32> = sets.iter().flat_map(|s| s.iter().copied()).collect();
    candidates.sort_unstable();
    candidates.dedup();
    if candidates.len() > EXACT_CANDIDATES || sets.len() > EXACT_SETS {
        return (greedy, false);
    }
    let mut search = Search {
        sets,
        cost,
        best_cost: greedy.iter().map(|&f| cost(f)).sum(),
        best: greedy,
        budget: EXACT_BUDGET,
    };
    let mut current = Vec::new();
    search.branch(&mut current, 0.0);
    let optimal = search.budget > 0;
    (search.best, optimal)
}

struct Search<'a, C: Fn(u32) -> f64> {
    sets: &'a [&'a [u32]],
    cost: &'a C,
    best: Vec<u32>,
    best_cost: f64,
    budget: usize,
}

impl<C: Fn(u32) -> f64> Search<'_, C> {
    fn branch(&mut self, current: &mut Vec<u32>, spent: f64) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        let unhit: Vec<&[u32]> = self
            .sets
            .iter()
            .copied()
            .filter(|s| !s.iter().any(|f| current.contains(f)))
            .collect();
        let Some(smallest) = unhit.iter().min_by_key(|s| s.len()) else {
            if spent < self.best_cost - 1e-9 {
                self.best_cost = spent;
                self.best = current.clone();
            }
            return;
        };
        // Lower bound: the dearest of the cheapest ways to hit each remaining set.
        let bound = unhit
            .iter()
            .map(|s| {
                s.iter()
                    .map(|&f| (self.cost)(f))
                    .fold(f64::INFINITY, f64::min)
            })
            .fold(0.0, f64::max);
        if spent + bound >= self.best_cost - 1e-9 {
            return;
        }
        let mut options: Vec<u32> = smallest.to_vec();
        options.sort_by(|a, b| (self.cost)(*a).total_cmp(&(self.cost)(*b)));
        for f in options {
            current.push(f);
            self.branch(current, spent + (self.cost)(f));
            current.pop();
        }
    }
}

/// Greedy weighted set cover (best hits-per-cost first), then redundant fixes removed.
/// Within a factor H(n) ≈ ln n of the optimum on the constraints. Dense arrays over the
/// candidates keep it O(picks × candidates + total set size).
fn greedy(sets: &[&[u32]], cost: &impl Fn(u32) -> f64) -> Vec<u32> {
    let mut candidates: Vec<u32> = sets.iter().flat_map(|s| s.iter().copied()).collect();
    candidates.sort_unstable();
    candidates.dedup();
    let slot = |f: u32| candidates.binary_search(&f).unwrap_or(0);
    // Sets containing each candidate.
    let mut member: Vec<Vec<usize>> = vec![Vec::new(); candidates.len()];
    let mut count = vec![0usize; candidates.len()];
    for (i, s) in sets.iter().enumerate() {
        for &f in s.iter() {
            member[slot(f)].push(i);
            count[slot(f)] += 1;
        }
    }
    let costs: Vec<f64> = candidates.iter().map(|&f| cost(f)).collect();
    let mut hit = vec![false; sets.len()];
    let mut taken = vec![false; candidates.len()];
    loop {
        let mut pick: Option<usize> = None;
        for k in 0..candidates.len() {
            if count[k] == 0 {
                continue;
            }
            let better = match pick {
                None => true,
                Some(p) => {
                    let (rk, rp) = (count[k] as f64 / costs[k], count[p] as f64 / costs[p]);
                    rk > rp
                }
            };
            if better {
                pick = Some(k);
            }
        }
        let Some(k) = pick else { break };
        taken[k] = true;
        for &i in &member[k] {
            if !hit[i] {
                hit[i] = true;
                for &f in sets[i] {
                    count[slot(f)] -= 1;
                }
            }
        }
    }
    // Drop fixes every set can do without, dearest first.
    let mut hitters = vec![0usize; sets.len()];
    for (k, sets_of) in member.iter().enumerate() {
        if taken[k] {
            for &i in sets_of {
                hitters[i] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..candidates.len()).filter(|&k| taken[k]).collect();
    order.sort_by(|&a, &b| costs[b].total_cmp(&costs[a]).then(a.cmp(&b)));
    for k in order {
        if member[k].iter().all(|&i| hitters[i] > 1) {
            taken[k] = false;
            for &i in &member[k] {
                hitters[i] -= 1;
            }
        }
    }
    (0..candidates.len())
        .filter(|&k| taken[k])
        .map(|k| candidates[k])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_hitting_set_beats_greedy_on_a_classic_trap() {
        // Greedy takes 9 (hits 3 sets) then needs 1, 2 and 3 more; optimum is {1, 2}... here
        // sets {1,9},{2,9},{1,3},{2,3}: optimum {1,2} cost 2; greedy may pick 9 then 3.
        let sets: Vec<&[u32]> = vec![&[1, 9], &[2, 9], &[1, 3], &[2, 3]];
        let (answer, optimal) = hitting_set(&sets, |_| 1.0);
        assert!(optimal);
        assert_eq!(answer.len(), 2);
        for s in &sets {
            assert!(s.iter().any(|f| answer.contains(f)));
        }
    }

    #[test]
    fn independent_groups_are_each_solved_exactly() {
        // 50 independent copies of the trap: too many candidates for one search, but
        // each copy is small.
        let owned: Vec<Vec<[u32; 2]>> = (0..50u32)
            .map(|k| {
                let b = k * 10;
                vec![
                    [b + 1, b + 9],
                    [b + 2, b + 9],
                    [b + 1, b + 3],
                    [b + 2, b + 3],
                ]
            })
            .collect();
        let sets: Vec<&[u32]> = owned.iter().flatten().map(|s| s.as_slice()).collect();
        let (answer, optimal) = hitting_set(&sets, |_| 1.0);
        assert!(optimal);
        assert_eq!(answer.len(), 100);
        for s in &sets {
            assert!(s.iter().any(|f| answer.contains(f)));
        }
    }

    #[test]
    fn costs_are_respected() {
        let sets: Vec<&[u32]> = vec![&[1, 2], &[1, 3]];
        let (answer, _) = hitting_set(&sets, |f| if f == 1 { 5.0 } else { 1.0 });
        assert_eq!(answer, vec![2, 3]);
        let (answer, _) = hitting_set(&sets, |_| 1.0);
        assert_eq!(answer, vec![1]);
    }
}
