//! The entry point: run every rule (built-in and custom) over a model, score, apply the
//! team's decisions, sort.

use gambit_model::ast::Date;
use gambit_model::{Diagnostic, Model, SourceMap};

use crate::context::Context;
use crate::custom::CustomRules;
use crate::finding::Finding;
use crate::registry;
use crate::rule::ThreatRule;
use crate::scoring::severity_rank;
use crate::threat::{Threat, dread};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scoring {
    /// Likelihood × impact only.
    #[default]
    Standard,
    /// Also DREAD ratings per threat.
    Dread,
}

/// How to analyse.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// The date acceptances are checked against (injectable so results are reproducible).
    pub today: Date,
    pub scoring: Scoring,
    /// Custom rules from outside the model (`--rules FILE`), already compiled.
    pub extra_rules: Option<&'a CustomRules>,
    /// The model's files, so errors in its custom rules point inside their conditions.
    pub sources: Option<&'a SourceMap>,
}

impl Options<'_> {
    pub fn new(today: Date) -> Self {
        Options {
            today,
            scoring: Scoring::Standard,
            extra_rules: None,
            sources: None,
        }
    }
}

/// The outcome: threats sorted by severity (highest first) then id, and diagnostics
/// about the model's `risks:` and `rules:` (spans in the model's files).
#[derive(Debug)]
pub struct ThreatAnalysis {
    pub threats: Vec<Threat>,
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics about the extra rules (`Options::extra_rules`), with spans in the
    /// files those rules were read from.
    pub extra_rule_diagnostics: Vec<Diagnostic>,
}

impl ThreatAnalysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .chain(&self.extra_rule_diagnostics)
            .any(Diagnostic::is_error)
    }
}

/// Runs the built-in rules only, unsorted findings (for benchmarks and rule tests).
pub fn run_rules(cx: &Context<'_>, rules: &[&'static dyn ThreatRule]) -> Vec<Finding> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        rules
            .par_iter()
            .map(|r| {
                let mut out = Vec::new();
                r.check(cx, &mut out);
                out
            })
            .flatten_iter()
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut out = Vec::new();
        for r in rules {
            r.check(cx, &mut out);
        }
        out
    }
}

/// Analyses a model: every built-in rule, the model's custom rules and the extra ones.
pub fn analyze(model: &Model, options: &Options<'_>) -> ThreatAnalysis {
    let cx = Context::new(model);
    let (own_rules, mut diagnostics) = CustomRules::compile_with(&model.rules, options.sources);
    if let Some(extra) = options.extra_rules {
        diagnostics.extend(own_rules.clashes_with(extra));
    }
    let findings = crate::fold::fold(model, run_rules(&cx, registry::RULES));
    let mut threats = to_threats(&cx, findings);
    let (found, warnings) = own_rules.evaluate(&cx);
    threats.extend(found);
    diagnostics.extend(warnings);
    let mut extra_rule_diagnostics = Vec::new();
    if let Some(extra) = options.extra_rules {
        let (found, warnings) = extra.evaluate(&cx);
        threats.extend(found);
        extra_rule_diagnostics = warnings;
    }
    // One threat per id: a rule reports a target once; a built-in report wins over a
    // custom one (stable sort keeps the built-in first).
    let mut threats = dedup_and_sort(threats);
    if options.scoring == Scoring::Dread {
        for t in &mut threats {
            t.dread = Some(dread(t));
        }
    }
    diagnostics.extend(crate::risk::apply_decisions(
        model,
        &mut threats,
        options.today,
    ));
    gambit_model::diagnostic::sort(&mut diagnostics);
    ThreatAnalysis {
        threats,
        diagnostics,
        extra_rule_diagnostics,
    }
}

/// Scores findings and describes their detection, in parallel when available.
fn to_threats(cx: &Context<'_>, findings: Vec<Finding>) -> Vec<Threat> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        findings
            .into_par_iter()
            .map(|f| Threat::from_finding(cx, f))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        findings
            .into_iter()
            .map(|f| Threat::from_finding(cx, f))
            .collect()
    }
}

/// One threat per id (the first reported wins: built-in rules come before custom ones),
/// ordered by severity, highest first, then id. Sorts indices rather than the large
/// threat values, then moves each threat once.
fn dedup_and_sort(threats: Vec<Threat>) -> Vec<Threat> {
    let mut order: Vec<usize> = (0..threats.len()).collect();
    let by_id = |a: &usize, b: &usize| threats[*a].id.cmp(&threats[*b].id).then(a.cmp(b));
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        order.par_sort_unstable_by(by_id);
    }
    #[cfg(not(feature = "parallel"))]
    order.sort_unstable_by(by_id);
    order.dedup_by(|later, first| threats[*later].id == threats[*first].id);
    // Stable: within a severity the id order stays.
    order.sort_by_key(|&i| std::cmp::Reverse(severity_rank(threats[i].severity)));
    let mut slots: Vec<Option<Threat>> = threats.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Highest severity first, then by id, so output is stable.
pub fn sort_threats(threats: &mut [Threat]) {
    threats.sort_by(|a, b| {
        severity_rank(b.severity)
            .cmp(&severity_rank(a.severity))
            .then_with(|| a.id.cmp(&b.id))
    });
}
