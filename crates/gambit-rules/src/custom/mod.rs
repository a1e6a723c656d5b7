//! Custom rules: conditions in CEL (Common Expression Language), written in the model's
//! `rules:` or a `--rules` file.
//!
//! CEL cannot loop forever, has no side effects and cannot reach the machine, so a rule
//! file from anywhere is safe to run. Each condition is compiled once, and every name it
//! uses is checked against the documented variables of its target kind
//! (docs/custom-rules.md, [`fields`]) so a typo is an error with a position and a "did you
//! mean", not a rule that silently never fires.
mod budget;
mod compile;
mod fields;
mod values;

use std::collections::HashMap;

use cel::{Context as CelContext, Program, Value};
use gambit_model::{AssetId, CustomRule, Diagnostic, SourceMap, Span};

use crate::context::Context;
use crate::finding::Target;
use crate::registry;
use crate::scoring;
use crate::threat::{References, Threat, detection};

use compile::compile_one;
pub use compile::{MAX_CONDITION, MAX_NESTING};
pub use fields::{Field, fields, fields_markdown};
use values::elements;

pub use budget::{MAX_STEPS_PER_ELEMENT, MAX_STEPS_PER_RULE, MAX_VALUE_SIZE};

/// CEL's parser and interpreter recurse once per nesting level and per operand of a
/// chain, with large frames; they run on a thread with this much stack so that no
/// condition within the limits above can overflow it.
const CEL_STACK: usize = 256 << 20;

/// Runs `f` on a thread with a large stack. `None` when `f` panicked (a bug in the CEL
/// crate on some input); runs `f` in place if no thread can be started.
fn with_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    let mut slot = Some(f);
    let outcome = std::thread::scope(|scope| {
        let cell = &mut slot;
        std::thread::Builder::new()
            .name("cel".to_owned())
            .stack_size(CEL_STACK)
            .spawn_scoped(scope, move || cell.take().map(|f| f()))
            .ok()
            .map(|handle| handle.join())
    });
    match outcome {
        Some(Ok(result)) => result,
        Some(Err(_)) => None,
        None => slot.take().map(|f| f()),
    }
}

struct Compiled {
    rule: CustomRule,
    program: Program,
}

/// A set of compiled custom rules, ready to run.
#[derive(Default)]
pub struct CustomRules {
    rules: Vec<Compiled>,
}

impl std::fmt::Debug for CustomRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.rules.iter().map(|r| &r.rule.id))
            .finish()
    }
}

impl CustomRules {
    /// Compiles rules; a rule that fails is left out and reported. `sources` (the files the
    /// rules were read from) lets errors point inside the condition rather than at it.
    pub fn compile_with(
        rules: &[CustomRule],
        sources: Option<&SourceMap>,
    ) -> (CustomRules, Vec<Diagnostic>) {
        let mut out = CustomRules::default();
        let mut diags = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for rule in rules {
            if registry::find(&rule.id).is_some() {
                diags.push(
                    Diagnostic::error("rule-id-clash", format!("the custom rule `{}` has the id of a built-in rule", rule.id))
                        .at(rule.span)
                        .label("built-in rule id")
                        .help("give custom rules an id of their own, e.g. with your organisation's prefix"),
                );
                continue;
            }
            if let Some(&first) = seen.get(rule.id.as_str()) {
                diags.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("two custom rules have the id `{}`", rule.id),
                    )
                    .at(rule.span)
                    .related(first, "first defined here"),
                );
                continue;
            }
            seen.insert(&rule.id, rule.span);
            let compiled = with_big_stack(|| compile_one(rule, sources)).unwrap_or_else(|| {
                Err(vec![
                    Diagnostic::error(
                        "invalid-rule",
                        format!("the condition of `{}` could not be compiled", rule.id),
                    )
                    .at(rule.when_span)
                    .help("simplify the condition; this is a bug in Gambit's CEL engine, please report it"),
                ])
            });
            match compiled {
                Ok(program) => out.rules.push(Compiled {
                    rule: rule.clone(),
                    program,
                }),
                Err(d) => diags.extend(d),
            }
        }
        (out, diags)
    }

    pub fn compile(rules: &[CustomRule]) -> (CustomRules, Vec<Diagnostic>) {
        Self::compile_with(rules, None)
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Errors for rules of `other` whose ids are also in `self`.
    pub fn clashes_with(&self, other: &CustomRules) -> Vec<Diagnostic> {
        other
            .rules
            .iter()
            .filter_map(|o| {
                let mine = self.rules.iter().find(|m| m.rule.id == o.rule.id)?;
                Some(
                    Diagnostic::error(
                        "duplicate-id",
                        format!(
                            "the custom rule `{}` is also defined in the rules file",
                            o.rule.id
                        ),
                    )
                    .at(mine.rule.span)
                    .help("rename one of them"),
                )
            })
            .collect()
    }

    /// Runs every rule on every element of its target kind, within the budgets of
    /// [`budget`](self::budget): an element the condition could be too costly on is skipped
    /// with a `custom-rule-budget` warning naming the rule.
    pub fn evaluate(&self, cx: &Context<'_>) -> (Vec<Threat>, Vec<Diagnostic>) {
        let mut threats = Vec::new();
        let mut diags = Vec::new();
        for compiled in &self.rules {
            let outcome =
                with_big_stack(|| evaluate_rule(cx, compiled)).unwrap_or_else(|| Outcome {
                    first_error: Some("the CEL engine failed".to_owned()),
                    ..Outcome::default()
                });
            threats.extend(outcome.threats);
            if let Some(message) = outcome.first_error {
                diags.push(
                    Diagnostic::warning(
                        "custom-rule-error",
                        format!("the condition of `{}` failed: {message}", compiled.rule.id),
                    )
                    .at(compiled.rule.when_span)
                    .help("elements where the condition fails are treated as not matching"),
                );
            }
            if let Some(message) = outcome.over_budget {
                diags.push(
                    Diagnostic::warning(
                        "custom-rule-budget",
                        format!(
                            "the condition of `{}` was not run everywhere: {message}",
                            compiled.rule.id
                        ),
                    )
                    .at(compiled.rule.when_span)
                    .help("nest fewer macros (`exists`, `all`, `map`, `filter`) or build smaller lists; see docs/limits.md"),
                );
            }
        }
        (threats, diags)
    }
}

/// What one rule found, its first failure, and why it was not run on some element.
#[derive(Default)]
struct Outcome {
    threats: Vec<Threat>,
    first_error: Option<String>,
    over_budget: Option<String>,
}

/// One rule over every element of its kind, each within the budgets.
fn evaluate_rule(cx: &Context<'_>, compiled: &Compiled) -> Outcome {
    let (var, _) = fields(compiled.rule.applies_to);
    let mut out = Outcome::default();
    let mut spent: u64 = 0;
    for (target, value, assets) in elements(cx, compiled.rule.applies_to) {
        let cost = budget::estimate(compiled.program.expression(), var, &value);
        if let Some(why) = cost.overrun() {
            out.over_budget
                .get_or_insert_with(|| format!("on `{}`, {why}", target.name(cx.model)));
            continue;
        }
        spent = spent.saturating_add(cost.steps);
        if spent > MAX_STEPS_PER_RULE {
            out.over_budget.get_or_insert_with(|| {
                format!(
                    "it stopped at `{}`, over {MAX_STEPS_PER_RULE} steps for the whole model",
                    target.name(cx.model)
                )
            });
            break;
        }
        let mut ctx = CelContext::default();
        ctx.add_variable_from_value(var, value);
        match compiled.program.execute(&ctx) {
            Ok(Value::Bool(true)) => out.threats.push(threat(cx, &compiled.rule, target, assets)),
            Ok(Value::Bool(false)) => {}
            Ok(other) => {
                out.first_error.get_or_insert_with(|| {
                    format!("the condition gave {other:?}, not true or false")
                });
            }
            Err(e) => {
                out.first_error
                    .get_or_insert_with(|| format!("on `{}`: {e}", target.name(cx.model)));
            }
        }
    }
    out
}

fn threat(cx: &Context<'_>, rule: &CustomRule, target: Target, assets: Vec<AssetId>) -> Threat {
    let model = cx.model;
    let name = target.name(model).to_owned();
    let mut mitigations: Vec<String> = rule.mitigation.iter().cloned().collect();
    if mitigations.is_empty() {
        mitigations.push(format!("see the custom rule `{}`", rule.id));
    }
    Threat {
        id: format!("{}@{}", rule.id, name),
        rule: rule.id.clone(),
        title: rule.title.clone(),
        stride: rule.stride.clone(),
        target: name,
        target_kind: target.kind(),
        likelihood: rule.likelihood,
        impact: rule.impact,
        severity: scoring::severity(rule.likelihood, rule.impact),
        status: gambit_model::vocab::RiskStatus::Open,
        open: true,
        status_note: None,
        on_attack_path: false,
        attack_goals: Vec::new(),
        rationale: format!("custom rule condition holds: {}", rule.when.trim()),
        also: Vec::new(),
        factors: Vec::new(),
        records: assets
            .iter()
            .filter_map(|&a| crate::threat::records_at_stake(model, a))
            .max(),
        assets: assets.iter().map(|&a| model[a].id.clone()).collect(),
        detection: detection(model, target),
        mitigations,
        references: References {
            cwe: rule.cwe.clone(),
            ..References::default()
        },
        decision: None,
        dread: None,
        span: target.span(model),
        exposure: match target {
            Target::Component(c) => Some(cx.facts(c).exposure),
            Target::Flow(f) => Some(cx.flow_exposure(&model[f])),
            _ => None,
        },
    }
}
