//! Gambit's attack graph.
//!
//! From a resolved [`gambit_model::Model`], derive everything each attacker can do with
//! the rules of the spec ("What an attacker can do"): a logical AND/OR graph computed to a
//! fixpoint in which every derived fact keeps every derivation (rule, premises and the
//! model fact used), so any result can be explained back to the model. On that graph:
//! best attack paths (Knuth's AND/OR generalisation of Dijkstra), exposure, blast radius,
//! choke points (a verified hitting set of fixes) and attack trees.
//!
//! ```text
//! Model --Index--> engine (semi-naive fixpoint, per attacker) --> AttackGraph
//!        --> knuth (best proofs) --> paths / exposure / tree / chokepoints
//! ```
//!
//! The entry point is [`Analysis::run`]; [`blast_radius`] needs only an [`Index`].

pub mod adjacency;
pub mod analysis;
pub mod best;
pub mod blast;
pub mod chokepoints;
pub mod engine;
pub mod fact;
pub mod fixes;
pub mod graph;
pub mod index;
pub mod rule;
pub mod score;
pub mod tree;

pub use analysis::{
    Analysis, AttackPath, Exposure, Goal, GoalOut, OnAttackPath, Step, StepElements,
};
pub use blast::{BlastRadius, blast_radius};

pub use chokepoints::{Chokepoint, Chokepoints};
pub use engine::Mask;
pub use fact::Fact;
pub use fixes::FixAction;
pub use index::{ComponentControl, Fix, Index};
pub use tree::{AttackTree, TreeNode};
