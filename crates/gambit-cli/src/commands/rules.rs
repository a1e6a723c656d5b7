//! `gambit rules [list | explain RULE]`: the built-in rule catalog.

use gambit_rules::registry;

use crate::cli::{PlainFormat, RulesCommand};
use crate::error::{CommandResult, Failure, Outcome};
use crate::sink;

pub(crate) fn run(command: Option<&RulesCommand>) -> CommandResult {
    match command {
        None => list(PlainFormat::Text),
        Some(RulesCommand::List { format }) => list(*format),
        Some(RulesCommand::Explain { rule }) => explain(rule),
    }
}

fn list(format: PlainFormat) -> CommandResult {
    let metas = registry::metas();
    if format == PlainFormat::Json {
        crate::output::print_json(&gambit_rules::docs::catalog_json(&metas));
        return Ok(Outcome::Success);
    }
    let width = metas.iter().map(|m| m.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for m in metas {
        out.push_str(&format!(
            "{:<width$}  {:<6}  {}\n",
            m.id,
            m.stride_letters(),
            m.summary()
        ));
    }
    sink::print(&out)?;
    Ok(Outcome::Success)
}

fn explain(rule: &str) -> CommandResult {
    let id = rule.split('@').next().unwrap_or(rule);
    let Some(r) = registry::find(id) else {
        let hint = registry::suggest(id)
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        return Err(Failure::bad_input(format!(
            "there is no rule `{id}`{hint}\nhelp: `gambit rules list` shows every rule"
        )));
    };
    sink::print(&gambit_rules::docs::rule_page(r.meta()))?;
    Ok(Outcome::Success)
}
