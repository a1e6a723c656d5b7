//! Compiling a condition: limits, parsing, and checking every name it uses against
//! [`fields`](super::fields), with positions inside the condition.

use cel::common::ast::{EntryExpr, Expr};
use cel::{IdedExpr, Program};
use gambit_model::{CustomRule, Diagnostic, SourceMap, Span};

use super::fields::{Field, fields};

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

pub(super) fn compile_one(
    rule: &CustomRule,
    sources: Option<&SourceMap>,
) -> Result<Program, Vec<Diagnostic>> {
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
