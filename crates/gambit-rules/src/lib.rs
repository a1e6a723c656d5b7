//! Gambit's threat rules: a documented catalog of rules over the resolved model, risk
//! scoring (likelihood × impact, optional DREAD), risk tracking and custom CEL rules.
//!
//! ```text
//! Model --Context (shared facts)--> rules (in parallel) --> findings
//!       --scoring, detection--> threats --risks: decisions--> ThreatAnalysis
//! ```
//!
//! Each rule lives in its own file under `rules/`, is declared with [`declare_rule!`]
//! (its doc comment is its user documentation) and is listed once in [`registry::RULES`].
//! Rules read the model only; they never do I/O. [`analyze`] is the entry point.

pub mod rule;

pub mod analysis;
pub mod context;
pub mod custom;
pub mod docs;
pub mod finding;
pub mod fold;
pub mod registry;
pub mod risk;
pub mod rules;
pub mod scoring;
pub mod threat;

pub use analysis::{Options, Scoring, ThreatAnalysis, analyze, sort_threats};
pub use custom::CustomRules;
pub use risk::{parse_date, today_utc};
pub use rule::{RuleMeta, ThreatRule};
pub use threat::Threat;
