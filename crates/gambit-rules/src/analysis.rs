//! The entry point: run every rule (built-in and custom) over a model, score, apply the
//! team's decisions, sort.

use gambit_model::ast::Date;
use gambit_model::{Diagnostic, Model, SourceMap};

use crate::context::Context;
use crate::custom::CustomRules;
use crate::finding::Finding;
use crate::registry;
use crate::rule::Rule;
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
pub struct Analysis {
    pub threats: Vec<Threat>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Runs the built-in rules only, unsorted findings (for benchmarks and rule tests).
pub fn run_rules(cx: &Context<'_>, rules: &[&'static dyn Rule]) -> Vec<Finding> {
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
pub fn analyze(model: &Model, options: &Options<'_>) -> Analysis {
    let cx = Context::new(model);
    let (own_rules, mut diagnostics) = CustomRules::compile_with(&model.rules, options.sources);
    if let Some(extra) = options.extra_rules {
        diagnostics.extend(own_rules.clashes_with(extra));
    }
    let findings = run_rules(&cx, registry::RULES);
    let mut threats: Vec<Threat> = findings
        .into_iter()
        .map(|f| Threat::from_finding(&cx, f))
        .collect();
    for rules in std::iter::once(&own_rules).chain(options.extra_rules) {
        let (found, warnings) = rules.evaluate(&cx);
        threats.extend(found);
        diagnostics.extend(warnings);
    }
    // One threat per id: a rule reports a target once; the first (built-in) report wins.
    threats.sort_by(|a, b| a.id.cmp(&b.id));
    threats.dedup_by(|later, first| later.id == first.id);
    sort_threats(&mut threats);
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
    Analysis {
        threats,
        diagnostics,
    }
}

/// Highest severity first, then by id, so output is stable.
pub fn sort_threats(threats: &mut [Threat]) {
    threats.sort_by(|a, b| {
        severity_rank(b.severity)
            .cmp(&severity_rank(a.severity))
            .then_with(|| a.id.cmp(&b.id))
    });
}
