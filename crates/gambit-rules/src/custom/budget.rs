//! How much a condition may cost, decided before it runs.
//!
//! The CEL engine has no step counter and cannot be interrupted, and macros make cost
//! multiply: eight nested `exists` over ten items are 10⁸ steps, and `[[0]].map(a, a + a)`
//! chained doubles a list per link. So before a condition runs on an element, its worst
//! case is estimated from the condition and the element's actual value: the steps it can
//! take and the size of the largest value it can build (one unit per list item, map entry
//! or scalar, plus one per byte of text). A comprehension runs at most once per item of
//! its range, and its accumulator grows at most by its step's size per item. Over either
//! limit, the condition is not run on that element and the rule gets a warning. Real
//! conditions (a few nested macros over an element's lists) estimate in the hundreds.

use cel::common::ast::{EntryExpr, Expr, LiteralValue};
use cel::{IdedExpr, Value};

/// Estimated steps a condition may take on one element.
pub const MAX_STEPS_PER_ELEMENT: u64 = 100_000;
/// Estimated size of the largest value a condition may build on one element.
pub const MAX_VALUE_SIZE: u64 = 100_000;
/// Estimated steps one rule may take over all the elements of its kind.
pub const MAX_STEPS_PER_RULE: u64 = 10_000_000;

/// The worst case of evaluating an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    pub steps: u64,
    /// The size of the largest value built along the way.
    pub size: u64,
}

impl Cost {
    /// Why this cost is over a per-element limit, if it is.
    pub fn overrun(self) -> Option<String> {
        if self.steps > MAX_STEPS_PER_ELEMENT {
            return Some(format!(
                "it could take over {MAX_STEPS_PER_ELEMENT} steps (about {})",
                self.steps
            ));
        }
        (self.size > MAX_VALUE_SIZE).then(|| {
            format!(
                "it could build a value larger than {MAX_VALUE_SIZE} units (about {})",
                self.size
            )
        })
    }
}

/// What is known of a value: its size, and the value itself when it comes straight from
/// the element (so a field's real length is used, not the element's).
#[derive(Clone, Copy)]
struct Known<'v> {
    size: u64,
    /// For a list built by the condition: at most how many items, each at most how large.
    shape: Option<(u64, u64)>,
    value: Option<&'v Value>,
    /// The accumulator of the comprehension being estimated (appending to it is cheap).
    accumulator: bool,
}

impl<'v> Known<'v> {
    fn size(size: u64) -> Self {
        Known {
            size,
            shape: None,
            value: None,
            accumulator: false,
        }
    }

    fn list(size: u64, shape: Option<(u64, u64)>) -> Self {
        Known {
            shape,
            ..Known::size(size)
        }
    }

    fn value(value: &'v Value) -> Self {
        Known {
            size: size_of(value),
            shape: None,
            value: Some(value),
            accumulator: false,
        }
    }

    /// The most an item of this list or map (or character of this string) can weigh, and
    /// how many iterations ranging over it can take.
    fn items(self) -> (u64, u64) {
        match self.value {
            Some(Value::List(items)) => (
                items.len() as u64,
                items.iter().map(size_of).max().unwrap_or(0),
            ),
            Some(Value::Map(map)) => (map.map.len() as u64, self.size),
            _ => self.shape.unwrap_or((self.size, self.size)),
        }
    }
}

/// The size of a value: one per scalar, item or entry, plus the bytes of text.
pub fn size_of(value: &Value) -> u64 {
    match value {
        Value::List(items) => items.iter().map(size_of).fold(1, u64::saturating_add),
        Value::Map(map) => map
            .map
            .iter()
            .map(|(k, v)| {
                let key = match k {
                    cel::objects::Key::String(s) => s.len() as u64,
                    _ => 0,
                };
                size_of(v).saturating_add(key).saturating_add(1)
            })
            .fold(1, u64::saturating_add),
        Value::String(s) => 1 + s.len() as u64,
        Value::Bytes(b) => 1 + b.len() as u64,
        _ => 1,
    }
}

/// The worst case of `expr` when `var` is `value`.
pub fn estimate(expr: &IdedExpr, var: &str, value: &Value) -> Cost {
    let mut scope = vec![(var, Known::value(value))];
    let (steps, known, largest) = walk(expr, &mut scope);
    Cost {
        steps,
        size: largest.max(known.size),
    }
}

/// Steps, what is known of the result, and the largest value built on the way.
fn walk<'e, 'v>(expr: &'e IdedExpr, scope: &mut Vec<(&'e str, Known<'v>)>) -> (u64, Known<'v>, u64)
where
    'e: 'v,
{
    match &expr.expr {
        Expr::Literal(literal) => {
            let size = match literal {
                LiteralValue::String(s) => 1 + s.len() as u64,
                LiteralValue::Bytes(b) => 1 + b.len() as u64,
                _ => 1,
            };
            (1, Known::size(size), size)
        }
        Expr::Ident(name) => {
            let known = scope
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map_or(Known::size(1), |(_, k)| *k);
            (1, known, 0)
        }
        Expr::Select(select) => {
            let (steps, operand, largest) = walk(&select.operand, scope);
            let known = match operand.value {
                Some(Value::Map(map)) if !select.test => map
                    .map
                    .get(&cel::objects::Key::String(std::sync::Arc::new(
                        select.field.clone(),
                    )))
                    .map_or(Known::size(1), Known::value),
                _ if select.test => Known::size(1),
                _ => Known::size(operand.size),
            };
            (steps.saturating_add(1), known, largest)
        }
        Expr::Call(call) => {
            let mut parts = Vec::with_capacity(call.args.len() + 1);
            for arg in call.target.iter().map(|t| &**t).chain(&call.args) {
                parts.push(walk(arg, scope));
            }
            call_cost(&call.func_name, &parts)
        }
        Expr::List(list) => {
            let parts: Vec<_> = list.elements.iter().map(|e| walk(e, scope)).collect();
            let (steps, size, largest) = sum(&parts);
            let item = parts.iter().map(|(_, k, _)| k.size).max().unwrap_or(0);
            let shape = Some((parts.len() as u64, item));
            let size = size.saturating_add(1);
            (
                steps.saturating_add(1),
                Known::list(size, shape),
                largest.max(size),
            )
        }
        Expr::Map(map) => {
            let mut parts = Vec::new();
            for entry in &map.entries {
                if let EntryExpr::MapEntry(m) = &entry.expr {
                    parts.push(walk(&m.key, scope));
                    parts.push(walk(&m.value, scope));
                }
            }
            let (steps, size, largest) = sum(&parts);
            (
                steps.saturating_add(1),
                Known::size(size.saturating_add(1)),
                largest,
            )
        }
        Expr::Struct(strct) => {
            let mut parts = Vec::new();
            for entry in &strct.entries {
                if let EntryExpr::StructField(f) = &entry.expr {
                    parts.push(walk(&f.value, scope));
                }
            }
            let (steps, size, largest) = sum(&parts);
            (
                steps.saturating_add(1),
                Known::size(size.saturating_add(1)),
                largest,
            )
        }
        Expr::Comprehension(c) => {
            let (range_steps, range, range_largest) = walk(&c.iter_range, scope);
            let (init_steps, init, init_largest) = walk(&c.accu_init, scope);
            let (runs, item) = range.items();
            let before = scope.len();
            scope.push((c.iter_var.as_str(), Known::size(item)));
            if let Some(second) = &c.iter_var2 {
                scope.push((second.as_str(), Known::size(item)));
            }
            // What one step adds to an empty accumulator bounds what every step adds.
            let accumulator = |size, shape| Known {
                accumulator: true,
                ..Known::list(size, shape)
            };
            scope.push((c.accu_var.as_str(), accumulator(0, Some((0, 0)))));
            let (_, grown, _) = walk(&c.loop_step, scope);
            let most = init.size.saturating_add(runs.saturating_mul(grown.size));
            let shape = match (init.shape, grown.shape) {
                (Some((len, item)), Some((more, other))) => Some((
                    len.saturating_add(runs.saturating_mul(more)),
                    item.max(other),
                )),
                _ => None,
            };
            scope.pop();
            scope.push((c.accu_var.as_str(), accumulator(most, shape)));
            let (cond_steps, _, cond_largest) = walk(&c.loop_cond, scope);
            let (step_steps, _, step_largest) = walk(&c.loop_step, scope);
            scope.pop();
            scope.push((c.accu_var.as_str(), Known::list(most, shape)));
            let (result_steps, result, result_largest) = walk(&c.result, scope);
            scope.truncate(before);
            let per_run = cond_steps.saturating_add(step_steps).saturating_add(1);
            let steps = range_steps
                .saturating_add(init_steps)
                .saturating_add(runs.saturating_mul(per_run))
                .saturating_add(result_steps);
            let largest = [
                range_largest,
                init_largest,
                cond_largest,
                step_largest,
                result_largest,
                most,
            ]
            .into_iter()
            .max()
            .unwrap_or(0);
            let result = Known {
                accumulator: false,
                value: None,
                ..result
            };
            (steps, result, largest)
        }
        Expr::Unspecified => (1, Known::size(1), 1),
    }
}

/// Steps, total size and largest value of several parts.
fn sum(parts: &[(u64, Known<'_>, u64)]) -> (u64, u64, u64) {
    parts
        .iter()
        .fold((0, 0, 0), |(steps, size, largest), (s, k, l)| {
            (
                steps.saturating_add(*s),
                size.saturating_add(k.size),
                largest.max(*l),
            )
        })
}

/// A function call: its operands' steps, plus one step per unit of the operands it reads
/// (comparing, searching and copying are linear), except logic, which reads booleans, and
/// an accumulator being appended to (the engine appends in place).
fn call_cost<'v>(name: &str, parts: &[(u64, Known<'v>, u64)]) -> (u64, Known<'v>, u64) {
    let (steps, size, largest) = sum(parts);
    let shapes = || parts.iter().map(|(_, k, _)| k.shape);
    match name {
        // Only one branch runs; the condition and the larger branch bound it.
        "_?_:_" => {
            let branch = |i: usize| {
                parts
                    .get(i)
                    .map_or((0, Known::size(0)), |(s, k, _)| (*s, *k))
            };
            let (cond, _) = branch(0);
            let ((a, x), (b, y)) = (branch(1), branch(2));
            let shape = match (x.shape, y.shape) {
                (Some((l1, i1)), Some((l2, i2))) => Some((l1.max(l2), i1.max(i2))),
                _ => None,
            };
            let size = x.size.max(y.size);
            let steps = cond.saturating_add(a.max(b)).saturating_add(1);
            return (steps, Known::list(size, shape), largest);
        }
        "_&&_" | "_||_" | "!_" | "@not_strictly_false" => {
            return (steps.saturating_add(1), Known::size(1), largest);
        }
        _ => {}
    }
    let read = parts
        .iter()
        .filter(|(_, k, _)| !(name == "_+_" && k.accumulator))
        .fold(0u64, |total, (_, k, _)| total.saturating_add(k.size));
    let steps = steps.saturating_add(read).saturating_add(1);
    let result = match name {
        "_+_" => {
            let shape = shapes().try_fold((0u64, 0u64), |(len, item), shape| {
                shape.map(|(l, i)| (len.saturating_add(l), item.max(i)))
            });
            Known::list(size, shape)
        }
        "_[_]" | "_[?_]" | "dyn" | "string" | "bytes" | "optional.of" | "_?._" | "orValue"
        | "value" => Known::size(parts.iter().map(|(_, k, _)| k.size).max().unwrap_or(1)),
        _ => Known::size(1),
    };
    (steps, result, largest.max(result.size))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(condition: &str) -> Cost {
        let program = cel::Program::compile(condition).unwrap();
        let tags: Vec<Value> = (0..10)
            .map(|i| Value::String(std::sync::Arc::new(format!("tag{i}"))))
            .collect();
        let mut fields = std::collections::HashMap::new();
        fields.insert("tags".to_owned(), Value::List(std::sync::Arc::new(tags)));
        fields.insert(
            "kind".to_owned(),
            Value::String(std::sync::Arc::new("api".into())),
        );
        estimate(program.expression(), "component", &Value::from(fields))
    }

    #[test]
    fn ordinary_conditions_are_cheap() {
        for condition in [
            "component.kind == 'api'",
            "'pci' in component.tags",
            "component.tags.exists(t, t.startsWith('x'))",
            "component.tags.map(t, t + '!').filter(t, t.size() > 2).size() > 1",
            "component.tags.exists(a, component.tags.exists(b, a != b && a == b))",
        ] {
            let c = cost(condition);
            assert!(c.overrun().is_none(), "{condition}: {c:?}");
            assert!(c.steps < 5_000, "{condition}: {c:?}");
        }
    }

    #[test]
    fn nested_macros_and_doubling_are_over_budget() {
        let exists = (0..8).fold("true".to_owned(), |inner, i| {
            format!("component.tags.exists(v{i}, {inner})")
        });
        let maps = (0..8).fold("1".to_owned(), |inner, i| {
            format!("component.tags.map(v{i}, {inner})")
        });
        let doubling = format!("[[0]]{}.size() > 0", ".map(a, a + a)".repeat(40));
        let strings = format!("['ab']{}.size() > 0", ".map(a, a + a)".repeat(40));
        for condition in [exists, maps, doubling, strings] {
            let c = cost(&condition);
            assert!(c.overrun().is_some(), "{condition}: {c:?}");
        }
    }

    #[test]
    fn a_fields_own_length_is_used_not_the_elements() {
        // 10 tags: two nested loops are 100 runs, not (size of the component)².
        let c = cost("component.tags.exists(a, component.tags.exists(b, a == b))");
        assert!(c.steps < 5_000, "{c:?}");
    }
}
