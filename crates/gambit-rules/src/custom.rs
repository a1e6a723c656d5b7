//! Custom rules: conditions in CEL (Common Expression Language), written in the model's
//! `rules:` or a `--rules` file.
//!
//! CEL cannot loop forever, has no side effects and cannot reach the machine, so a rule
//! file from anywhere is safe to run. Each condition is compiled once, and every name it
//! uses is checked against the documented variables of its target kind
//! (docs/custom-rules.md, [`fields`]) so a typo is an error with a position and a "did you
//! mean", not a rule that silently never fires.

mod budget;

use std::collections::HashMap;
use std::sync::Arc;

use cel::common::ast::{EntryExpr, Expr};
use cel::{Context as CelContext, IdedExpr, Program, Value};
use gambit_model::vocab::{RuleTarget, Vocab};
use gambit_model::{
    Actor, AssetId, ComponentId, CustomRule, Diagnostic, Endpoint, GrantTarget, Model, SourceMap,
    Span,
};

use crate::context::Context;
use crate::finding::Target;
use crate::registry;
use crate::scoring;
use crate::threat::{References, Threat, detection};

/// One documented field a condition may read.
pub struct Field {
    pub name: &'static str,
    pub doc: &'static str,
    /// The fields of a nested object (`flow.to.kind`).
    pub fields: Option<&'static [Field]>,
}

const fn leaf(name: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        doc,
        fields: None,
    }
}

/// The fields of `flow.from` and `flow.to`.
pub const ENDPOINT_FIELDS: &[Field] = &[
    leaf("id", "the element id"),
    leaf("type", "`actor` or `component`"),
    leaf("kind", "the actor's or component's kind"),
    leaf("zone", "the zone id"),
    leaf("trust", "untrusted, partner, internal or restricted"),
    leaf("public", "a public component (false for actors)"),
    leaf("controls", "the component's controls (empty for actors)"),
];

pub const COMPONENT_FIELDS: &[Field] = &[
    leaf("id", "the component id"),
    leaf("kind", "web-app, api, database, llm-agent, ..."),
    leaf("zone", "the zone id"),
    leaf("zone_trust", "the zone's trust"),
    leaf("public", "reachable from the internet"),
    leaf(
        "exposure",
        "internet, partner, internal or restricted (derived from callers and zone)",
    ),
    leaf(
        "untrusted_input",
        "it handles content an attacker can shape (derived)",
    ),
    leaf("controls", "list of control ids"),
    leaf("stores", "asset ids kept at rest"),
    leaf("processes", "asset ids handled in memory"),
    leaf("holds", "credential asset ids present on it"),
    leaf(
        "classification",
        "the highest classification among stored and processed assets (`public` when none)",
    ),
    leaf("crown_jewel", "it stores or processes a crown-jewel asset"),
    leaf("runs_as", "identity id, or empty"),
    leaf("authentication", "what it demands of callers"),
    leaf("encrypted_at_rest", "bool"),
    leaf("tags", "list of tags"),
    leaf("owner", "owner, or empty"),
    leaf(
        "vulnerabilities",
        "list of {id, effect, kev, epss, score, status}",
    ),
    leaf("software", "list of {name, version, purl}"),
    leaf("flows_in", "number of inbound flows"),
    leaf("flows_out", "number of outbound flows"),
];

pub const FLOW_FIELDS: &[Field] = &[
    leaf("id", "the flow id (`from->to` by default)"),
    Field {
        name: "from",
        doc: "the sender: an endpoint object",
        fields: Some(ENDPOINT_FIELDS),
    },
    Field {
        name: "to",
        doc: "the receiver: an endpoint object",
        fields: Some(ENDPOINT_FIELDS),
    },
    leaf("protocol", "protocol, or empty"),
    leaf("encrypted", "bool"),
    leaf("authentication", "none, password, token, mtls, ..."),
    leaf(
        "authorization",
        "none, user, role, attribute, or empty when unsaid",
    ),
    leaf("credential", "credential asset id, or empty"),
    leaf("data", "asset ids sent"),
    leaf("returns", "asset ids received back"),
    leaf(
        "classification",
        "the highest classification carried either way (`public` when none)",
    ),
    leaf("code", "the receiver runs what it receives"),
    leaf("crosses_boundary", "the ends are in different zones"),
    leaf("tags", "list of tags"),
];

pub const ASSET_FIELDS: &[Field] = &[
    leaf("id", "the asset id"),
    leaf("kind", "data, credential, code or capability"),
    leaf(
        "classification",
        "public, internal, confidential or restricted",
    ),
    leaf("integrity", "low, medium, high or critical"),
    leaf("availability", "low, medium, high or critical"),
    leaf("crown_jewel", "bool"),
    leaf("records", "number of records (0 when unsaid)"),
    leaf("tags", "list of tags"),
    leaf("stored_by", "component ids"),
    leaf("processed_by", "component ids"),
    leaf("held_by", "actor and component ids"),
];

pub const ZONE_FIELDS: &[Field] = &[
    leaf("id", "the zone id"),
    leaf("kind", "network, cloud-account, ..."),
    leaf("parent", "parent zone id, or empty"),
    leaf("trust", "untrusted, partner, internal or restricted"),
    leaf("isolated", "bool"),
    leaf("tags", "list of tags"),
    leaf("components", "component ids placed in it"),
    leaf("actors", "actor ids placed in it"),
];

pub const ACTOR_FIELDS: &[Field] = &[
    leaf("id", "the actor id"),
    leaf("kind", "user, admin, developer, external-system, ..."),
    leaf("zone", "the zone id"),
    leaf("trust", "untrusted, partner, internal or restricted"),
    leaf("mfa", "bool"),
    leaf("human", "a person rather than a system (derived from kind)"),
    leaf("holds", "credential asset ids"),
    leaf("tags", "list of tags"),
];

pub const IDENTITY_FIELDS: &[Field] = &[
    leaf("id", "the identity id"),
    leaf("kind", "service-account, iam-role, ..."),
    leaf("privileged", "bool"),
    leaf("mfa", "bool"),
    leaf("grants", "list of {access, target}"),
    leaf("tags", "list of tags"),
    leaf("runs_on", "component ids running as it"),
    leaf("credentials", "credential asset ids granting it"),
];

/// The variable a target kind's condition reads, and its fields.
pub fn fields(target: RuleTarget) -> (&'static str, &'static [Field]) {
    match target {
        RuleTarget::Asset => ("asset", ASSET_FIELDS),
        RuleTarget::Zone => ("zone", ZONE_FIELDS),
        RuleTarget::Actor => ("actor", ACTOR_FIELDS),
        RuleTarget::Component => ("component", COMPONENT_FIELDS),
        RuleTarget::Identity => ("identity", IDENTITY_FIELDS),
        RuleTarget::Flow => ("flow", FLOW_FIELDS),
    }
}

/// Names a condition may use besides its variable: CEL's type names.
const CEL_TYPE_NAMES: &[&str] = &[
    "int",
    "uint",
    "double",
    "bool",
    "string",
    "bytes",
    "list",
    "map",
    "null_type",
    "type",
];

/// The longest condition accepted, in bytes.
pub const MAX_CONDITION: usize = 4096;

/// The deepest bracket nesting accepted in a condition.
pub const MAX_NESTING: usize = 64;

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

/// The deepest nesting of (), [] and {} in a text.
fn nesting(text: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    for b in text.bytes() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
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

fn compile_one(rule: &CustomRule, sources: Option<&SourceMap>) -> Result<Program, Vec<Diagnostic>> {
    if rule.when.len() > MAX_CONDITION {
        return Err(vec![
            Diagnostic::error(
                "invalid-rule",
                format!(
                    "the condition of `{}` is longer than {MAX_CONDITION} bytes",
                    rule.id
                ),
            )
            .at(rule.when_span),
        ]);
    }
    if nesting(&rule.when) > MAX_NESTING {
        return Err(vec![
            Diagnostic::error(
                "invalid-rule",
                format!(
                    "the condition of `{}` nests brackets more than {MAX_NESTING} deep",
                    rule.id
                ),
            )
            .at(rule.when_span),
        ]);
    }
    let locate = Locator::new(rule, sources);
    let program = Program::compile(&rule.when).map_err(|errors| {
        errors
            .errors
            .iter()
            .take(3)
            .map(|e| {
                Diagnostic::error(
                    "invalid-rule",
                    format!("the condition of `{}` is not valid CEL: {}", rule.id, e.msg),
                )
                .at(locate.line_col(e.pos.0, e.pos.1))
                .label("here")
            })
            .collect::<Vec<_>>()
    })?;
    let (var, fields) = fields(rule.applies_to);
    let mut problems = Vec::new();
    check_names(
        program.expression(),
        var,
        fields,
        &mut Vec::new(),
        &mut problems,
    );
    if problems.is_empty() {
        return Ok(program);
    }
    Err(problems
        .into_iter()
        .map(|p| {
            let info = program.source_info();
            // A field's span runs from the root variable to the end of the field name
            // (a select's own offset is its dot); a variable's covers the identifier.
            let end = |stop: u32| match p.end {
                Some((select, len)) => info
                    .offset_for(select)
                    .map_or(stop as usize + 1, |(dot, _)| dot as usize + 1 + len),
                None => stop as usize + 1,
            };
            let span = info
                .offset_for(p.expr_id)
                .map_or(rule.when_span, |(start, stop)| {
                    locate.offsets(start as usize, end(stop))
                });
            Diagnostic::error(
                "invalid-rule",
                format!("the condition of `{}` reads {}", rule.id, p.message),
            )
            .at(span)
            .label(p.label)
            .maybe_help(p.help)
        })
        .collect())
}

/// Maps positions in a condition to spans in the model file.
struct Locator<'a> {
    when: &'a str,
    span: Span,
    /// Byte offset in the file where the condition's text starts, when it could be found.
    base: Option<usize>,
}

impl<'a> Locator<'a> {
    fn new(rule: &'a CustomRule, sources: Option<&SourceMap>) -> Self {
        let base = sources.and_then(|s| {
            let file = s.get(rule.when_span.file);
            let raw = file.text.get(rule.when_span.range())?;
            let first_line = rule.when.lines().next().unwrap_or("");
            raw.find(first_line)
                .map(|at| rule.when_span.start as usize + at)
        });
        Locator {
            when: &rule.when,
            span: rule.when_span,
            base,
        }
    }

    /// A one-character span at a 1-based line and 0-based column of the condition.
    fn line_col(&self, line: isize, col: isize) -> Span {
        let line = usize::try_from(line).unwrap_or(1).max(1);
        let col = usize::try_from(col).unwrap_or(0);
        let line_start: usize = self
            .when
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        if line > 1 {
            return self.span;
        }
        let at = line_start + char_to_byte(self.when, col);
        // One character wide, never splitting a multi-byte character.
        let width = self
            .when
            .get(at..)
            .and_then(|r| r.chars().next())
            .map_or(1, char::len_utf8);
        self.offsets_bytes(at, at + width)
    }

    /// A span over character offsets of the condition.
    fn offsets(&self, start: usize, stop: usize) -> Span {
        let s = char_to_byte(self.when, start);
        let e = char_to_byte(self.when, stop.max(start + 1));
        self.offsets_bytes(s, e)
    }

    fn offsets_bytes(&self, start: usize, end: usize) -> Span {
        match self.base {
            // Only the first line of the condition is known to be written as is.
            Some(base) if !self.when[..start.min(self.when.len())].contains('\n') => {
                let end = end
                    .min(self.when.lines().next().map_or(0, str::len))
                    .max(start);
                Span::new(self.span.file, base + start, base + end.max(start + 1))
            }
            _ => self.span,
        }
    }
}

fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

struct NameProblem {
    expr_id: u64,
    /// For a field: the select's id and the field's length, to extend the span over it.
    end: Option<(u64, usize)>,
    message: String,
    label: String,
    help: Option<String>,
}

/// Checks that every variable is the target's, or bound by a macro, and that every field
/// read from it is documented.
fn check_names(
    e: &IdedExpr,
    var: &str,
    fields: &[Field],
    bound: &mut Vec<String>,
    out: &mut Vec<NameProblem>,
) {
    match &e.expr {
        Expr::Ident(name) => {
            if name != var && !bound.contains(name) && !CEL_TYPE_NAMES.contains(&name.as_str()) {
                out.push(NameProblem {
                    expr_id: e.id,
                    end: None,
                    message: format!("the unknown variable `{name}`"),
                    label: "unknown variable".to_owned(),
                    help: Some(format!(
                        "a rule that applies to a {var} reads the variable `{var}`"
                    )),
                });
            }
        }
        Expr::Select(select) => {
            let mut path = vec![(select.field.as_str(), e.id)];
            let mut operand = &select.operand;
            while let Expr::Select(inner) = &operand.expr {
                path.push((inner.field.as_str(), operand.id));
                operand = &inner.operand;
            }
            match &operand.expr {
                Expr::Ident(root) if root == var && !bound.contains(root) => {
                    path.reverse();
                    check_path(operand.id, &path, var, fields, out);
                }
                _ => check_names(operand, var, fields, bound, out),
            }
        }
        Expr::Call(call) => {
            if let Some(t) = &call.target {
                check_names(t, var, fields, bound, out);
            }
            for a in &call.args {
                check_names(a, var, fields, bound, out);
            }
        }
        Expr::Comprehension(c) => {
            check_names(&c.iter_range, var, fields, bound, out);
            let before = bound.len();
            bound.push(c.iter_var.clone());
            bound.extend(c.iter_var2.clone());
            bound.push(c.accu_var.clone());
            for part in [&c.accu_init, &c.loop_cond, &c.loop_step, &c.result] {
                check_names(part, var, fields, bound, out);
            }
            bound.truncate(before);
        }
        Expr::List(list) => {
            for x in &list.elements {
                check_names(x, var, fields, bound, out);
            }
        }
        Expr::Map(map) => {
            for entry in &map.entries {
                if let EntryExpr::MapEntry(m) = &entry.expr {
                    check_names(&m.key, var, fields, bound, out);
                    check_names(&m.value, var, fields, bound, out);
                }
            }
        }
        Expr::Struct(s) => {
            for entry in &s.entries {
                if let EntryExpr::StructField(f) = &entry.expr {
                    check_names(&f.value, var, fields, bound, out);
                }
            }
        }
        Expr::Literal(_) | Expr::Unspecified => {}
    }
}

fn check_path(
    root: u64,
    path: &[(&str, u64)],
    var: &str,
    mut fields: &[Field],
    out: &mut Vec<NameProblem>,
) {
    let mut written = var.to_owned();
    for &(name, id) in path {
        let Some(field) = fields.iter().find(|f| f.name == name) else {
            let help = gambit_model::suggest::did_you_mean(name, fields.iter().map(|f| f.name));
            out.push(NameProblem {
                expr_id: root,
                end: Some((id, name.chars().count())),
                message: format!("`{written}.{name}`, which does not exist"),
                label: "unknown field".to_owned(),
                help: help.or_else(|| {
                    Some(format!(
                        "`{written}` has: {}",
                        fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                    ))
                }),
            });
            return;
        };
        written = format!("{written}.{name}");
        match field.fields {
            Some(sub) => fields = sub,
            None => return,
        }
    }
}

// --- values ------------------------------------------------------------------------

fn s(v: impl Into<String>) -> Value {
    Value::String(Arc::new(v.into()))
}

fn list<I: IntoIterator<Item = Value>>(items: I) -> Value {
    Value::List(Arc::new(items.into_iter().collect()))
}

fn strings<'a>(items: impl IntoIterator<Item = &'a String>) -> Value {
    list(items.into_iter().map(|x| s(x.as_str())))
}

fn ids(model: &Model, assets: &[AssetId]) -> Value {
    list(assets.iter().map(|&a| s(model[a].id.as_str())))
}

fn obj(pairs: Vec<(&'static str, Value)>) -> Value {
    let map: HashMap<String, Value> = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    Value::from(map)
}

fn count(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn highest_class(model: &Model, assets: impl IntoIterator<Item = AssetId>) -> Value {
    s(assets
        .into_iter()
        .map(|a| model[a].classification)
        .max()
        .map_or("public", Vocab::as_str))
}

/// Every element of a kind, as (target, CEL value, assets at stake).
fn elements(cx: &Context<'_>, kind: RuleTarget) -> Vec<(Target, Value, Vec<AssetId>)> {
    let m = cx.model;
    match kind {
        RuleTarget::Component => cx
            .components()
            .map(|(id, _)| {
                (
                    Target::Component(id),
                    component_value(cx, id),
                    cx.handled(&m[id]),
                )
            })
            .collect(),
        RuleTarget::Flow => cx
            .flows()
            .map(|(id, f)| {
                let mut assets: Vec<AssetId> = cx.carried(f).collect();
                assets.sort();
                assets.dedup();
                let value = obj(vec![
                    ("id", s(f.id.as_str())),
                    ("from", endpoint_value(cx, f.from)),
                    ("to", endpoint_value(cx, f.to)),
                    ("protocol", s(f.protocol.clone().unwrap_or_default())),
                    ("encrypted", Value::Bool(f.encrypted)),
                    ("authentication", s(f.authentication.as_str())),
                    (
                        "authorization",
                        s(f.authorization.map_or("", Vocab::as_str)),
                    ),
                    (
                        "credential",
                        s(f.credential.map_or("", |c| m[c].id.as_str())),
                    ),
                    ("data", ids(m, &f.data)),
                    ("returns", ids(m, &f.returns)),
                    ("classification", highest_class(m, assets.iter().copied())),
                    ("code", Value::Bool(f.code)),
                    ("crosses_boundary", Value::Bool(cx.crosses_boundary(f))),
                    ("tags", strings(&f.tags)),
                ]);
                (Target::Flow(id), value, assets)
            })
            .collect(),
        RuleTarget::Asset => m
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let id = AssetId(i as u32);
                let value = obj(vec![
                    ("id", s(a.id.as_str())),
                    ("kind", s(a.kind.as_str())),
                    ("classification", s(a.classification.as_str())),
                    ("integrity", s(a.integrity.as_str())),
                    ("availability", s(a.availability.as_str())),
                    ("crown_jewel", Value::Bool(a.crown_jewel)),
                    (
                        "records",
                        Value::Int(
                            a.records
                                .map_or(0, |r| i64::try_from(r).unwrap_or(i64::MAX)),
                        ),
                    ),
                    ("tags", strings(&a.tags)),
                    (
                        "stored_by",
                        list(a.stored_by.iter().map(|&c| s(m[c].id.as_str()))),
                    ),
                    (
                        "processed_by",
                        list(a.processed_by.iter().map(|&c| s(m[c].id.as_str()))),
                    ),
                    (
                        "held_by",
                        list(a.held_by.iter().map(|&e| s(m.endpoint_name(e)))),
                    ),
                ]);
                (Target::Asset(id), value, vec![id])
            })
            .collect(),
        RuleTarget::Zone => m
            .zones
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let id = gambit_model::ZoneId(i as u32);
                let value = obj(vec![
                    ("id", s(z.id.as_str())),
                    ("kind", s(z.kind.as_str())),
                    ("parent", s(z.parent.map_or("", |p| m[p].id.as_str()))),
                    ("trust", s(cx.zone_trust(id).as_str())),
                    ("isolated", Value::Bool(z.isolated)),
                    ("tags", strings(&z.tags)),
                    (
                        "components",
                        list(z.components.iter().map(|&c| s(m[c].id.as_str()))),
                    ),
                    (
                        "actors",
                        list(z.actors.iter().map(|&a| s(m[a].id.as_str()))),
                    ),
                ]);
                (Target::Zone(id), value, Vec::new())
            })
            .collect(),
        RuleTarget::Actor => cx
            .actors()
            .map(|(id, a)| (Target::Actor(id), actor_value(cx, a), a.holds.clone()))
            .collect(),
        RuleTarget::Identity => cx
            .identities()
            .map(|(id, x)| {
                let grants = x.grants.iter().map(|g| {
                    let target = match g.target {
                        GrantTarget::Component(c) => m[c].id.as_str(),
                        GrantTarget::Identity(j) => m[j].id.as_str(),
                    };
                    obj(vec![
                        ("access", s(g.access.as_str())),
                        ("target", s(target)),
                    ])
                });
                let value = obj(vec![
                    ("id", s(x.id.as_str())),
                    ("kind", s(x.kind.as_str())),
                    ("privileged", Value::Bool(x.privileged)),
                    ("mfa", Value::Bool(x.mfa)),
                    ("grants", list(grants)),
                    ("tags", strings(&x.tags)),
                    (
                        "runs_on",
                        list(x.runs_on.iter().map(|&c| s(m[c].id.as_str()))),
                    ),
                    ("credentials", ids(m, &x.credentials)),
                ]);
                (Target::Identity(id), value, x.credentials.clone())
            })
            .collect(),
    }
}

fn component_value(cx: &Context<'_>, id: ComponentId) -> Value {
    let m = cx.model;
    let c = &m[id];
    let facts = cx.facts(id);
    let vulns = c.vulnerabilities.iter().map(|v| {
        obj(vec![
            ("id", s(v.id.as_str())),
            ("effect", s(v.effect.as_str())),
            ("kev", Value::Bool(v.kev)),
            ("epss", Value::Float(v.epss.unwrap_or(0.0))),
            (
                "score",
                Value::Float(v.cvss.as_ref().map_or(0.0, |x| x.base_score)),
            ),
            ("status", s(v.status.as_str())),
        ])
    });
    let software = c.software.iter().map(|x| {
        obj(vec![
            ("name", s(x.name.as_str())),
            ("version", s(x.version.clone().unwrap_or_default())),
            ("purl", s(x.purl.clone().unwrap_or_default())),
        ])
    });
    let handled = cx.handled(c);
    obj(vec![
        ("id", s(c.id.as_str())),
        ("kind", s(c.kind.as_str())),
        ("zone", s(m[c.zone].id.as_str())),
        ("zone_trust", s(cx.zone_trust(c.zone).as_str())),
        ("public", Value::Bool(c.public)),
        ("exposure", s(exposure_name(facts.exposure))),
        ("untrusted_input", Value::Bool(facts.untrusted_input)),
        ("controls", strings(&c.controls)),
        ("stores", ids(m, &c.stores)),
        ("processes", ids(m, &c.processes)),
        ("holds", ids(m, &c.holds)),
        ("classification", highest_class(m, handled.iter().copied())),
        (
            "crown_jewel",
            Value::Bool(handled.iter().any(|&a| m[a].crown_jewel)),
        ),
        ("runs_as", s(c.runs_as.map_or("", |i| m[i].id.as_str()))),
        ("authentication", s(c.authentication.as_str())),
        ("encrypted_at_rest", Value::Bool(c.encrypted_at_rest)),
        ("tags", strings(&c.tags)),
        ("owner", s(c.owner.clone().unwrap_or_default())),
        ("vulnerabilities", list(vulns)),
        ("software", list(software)),
        ("flows_in", count(c.flows_in.len())),
        ("flows_out", count(c.flows_out.len())),
    ])
}

pub fn exposure_name(e: crate::context::Exposure) -> &'static str {
    use crate::context::Exposure;
    match e {
        Exposure::Internet => "internet",
        Exposure::Partner => "partner",
        Exposure::Internal => "internal",
        Exposure::Restricted => "restricted",
    }
}

fn actor_value(cx: &Context<'_>, a: &Actor) -> Value {
    let m = cx.model;
    obj(vec![
        ("id", s(a.id.as_str())),
        ("kind", s(a.kind.as_str())),
        ("zone", s(m[a.zone].id.as_str())),
        ("trust", s(a.trust.as_str())),
        ("mfa", Value::Bool(a.mfa)),
        ("human", Value::Bool(cx.is_human(a))),
        ("holds", ids(m, &a.holds)),
        ("tags", strings(&a.tags)),
    ])
}

fn endpoint_value(cx: &Context<'_>, e: Endpoint) -> Value {
    let m = cx.model;
    let (kind, public, controls) = match e {
        Endpoint::Actor(a) => (m[a].kind.as_str(), false, list([])),
        Endpoint::Component(c) => (m[c].kind.as_str(), m[c].public, strings(&m[c].controls)),
    };
    obj(vec![
        ("id", s(m.endpoint_name(e))),
        (
            "type",
            s(if matches!(e, Endpoint::Actor(_)) {
                "actor"
            } else {
                "component"
            }),
        ),
        ("kind", s(kind)),
        ("zone", s(m[m.endpoint_zone(e)].id.as_str())),
        ("trust", s(cx.trust(e).as_str())),
        ("public", Value::Bool(public)),
        ("controls", controls),
    ])
}

/// The variable tables of docs/custom-rules.md, generated from [`fields`] so the
/// documentation never drifts from what conditions may read.
pub fn fields_markdown() -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for target in RuleTarget::ALL {
        let (var, fields) = fields(*target);
        let _ = writeln!(
            s,
            "### `applies_to: {}`, variable `{var}`\n",
            target.as_str()
        );
        let _ = writeln!(s, "| field | meaning |\n|---|---|");
        for f in fields {
            let _ = writeln!(s, "| `{var}.{}` | {} |", f.name, f.doc);
            for sub in f.fields.unwrap_or_default() {
                let _ = writeln!(s, "| `{var}.{}.{}` | {} |", f.name, sub.name, sub.doc);
            }
        }
        s.push('\n');
    }
    s
}
