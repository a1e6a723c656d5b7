//! `gambit rules [list | explain RULE]`: the built-in rule catalog.

use clap::Subcommand;
use gambit_rules::registry;

use crate::exit;

#[derive(Subcommand, Clone)]
pub(crate) enum RulesCommand {
    /// One rule a line: id, STRIDE letters, summary.
    List,
    /// A rule's documentation: what it finds, why it matters, an example, how to fix.
    Explain {
        /// The rule id, e.g. `unencrypted-communication` (a threat id `RULE@TARGET` works too).
        rule: String,
    },
}

pub(crate) fn run(command: Option<&RulesCommand>) -> u8 {
    match command {
        None | Some(RulesCommand::List) => list(),
        Some(RulesCommand::Explain { rule }) => explain(rule),
    }
}

fn list() -> u8 {
    let metas = registry::metas();
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
    anstream::print!("{out}");
    exit::OK
}

fn explain(rule: &str) -> u8 {
    let id = rule.split('@').next().unwrap_or(rule);
    match registry::find(id) {
        Some(r) => {
            anstream::print!("{}", gambit_rules::docs::rule_page(r.meta()));
            exit::OK
        }
        None => {
            let hint = registry::suggest(id)
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            eprintln!("error: there is no rule `{id}`{hint}");
            eprintln!("help: `gambit rules list` shows every rule");
            exit::BAD_INPUT
        }
    }
}
