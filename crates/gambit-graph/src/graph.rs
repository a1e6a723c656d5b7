//! One attacker's attack graph: every derivation found by the engine, indexed by head
//! (the OR side: any derivation suffices) and by premise (for Knuth's search), with each
//! step's likelihood, effort and the fixes that would remove it.

use gambit_model::{AttackerSpec, Model};

use crate::engine::{self, Derivation, Mask};
use crate::fact::Fact;
use crate::index::{Csr, Index};
use crate::score;

#[derive(Clone, Debug)]
pub struct AttackGraph {
    pub attacker: AttackerSpec,
    /// Which facts are derivable, by fact id.
    pub holds: Vec<bool>,
    pub derivations: Vec<Derivation>,
    /// Derivations of each fact.
    pub by_head: Csr<u32>,
    /// Derivations that use each fact as a premise.
    pub by_premise: Csr<u32>,
    /// Per derivation: its step's effort (0 for bookkeeping steps).
    pub effort: Vec<f64>,
    /// Per derivation: its step's likelihood (1 for bookkeeping steps).
    pub likelihood: Vec<f64>,
    /// Per derivation: the fixes (dense numbers) that remove it.
    pub fixes: Vec<crate::fixes::FixList>,
}

impl AttackGraph {
    /// Derives everything `attacker` can do, with `mask` applied when given.
    pub fn build(model: &Model, ix: &Index, attacker: AttackerSpec, mask: Option<&Mask>) -> Self {
        let (holds, derivations) = engine::derive(model, ix, attacker, mask);
        let n = ix.facts.len();
        let heads: Vec<(u32, u32)> = derivations
            .iter()
            .enumerate()
            .map(|(i, d)| (d.head, i as u32))
            .collect();
        let by_head = Csr::build(n, &heads);
        let mut uses = Vec::with_capacity(derivations.len());
        for (i, d) in derivations.iter().enumerate() {
            for &p in d.premises() {
                uses.push((p, i as u32));
            }
        }
        let by_premise = Csr::build(n, &uses);
        let mut effort = Vec::with_capacity(derivations.len());
        let mut likelihood = Vec::with_capacity(derivations.len());
        let mut fixes = Vec::with_capacity(derivations.len());
        for d in &derivations {
            let head = ix.facts.fact(d.head);
            let step = score::step(model, ix, head, d);
            effort.push(step.effort);
            likelihood.push(step.likelihood);
            fixes.push(crate::fixes::fixes_of(
                model, ix, head, d.rule, d.via, d.via2,
            ));
        }
        AttackGraph {
            attacker,
            holds,
            derivations,
            by_head,
            by_premise,
            effort,
            likelihood,
            fixes,
        }
    }

    pub fn has(&self, ix: &Index, fact: Fact) -> bool {
        self.holds[ix.facts.id(fact) as usize]
    }

    pub fn derivations_of(&self, fact_id: u32) -> impl Iterator<Item = u32> + '_ {
        self.by_head.row(fact_id as usize).iter().copied()
    }
}
