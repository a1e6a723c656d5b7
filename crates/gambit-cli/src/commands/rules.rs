//! `gambit rules [list | explain RULE]`: the built-in rule catalog.

use clap::{Subcommand, ValueEnum};
use gambit_rules::registry;

use crate::exit;

#[derive(Subcommand, Clone)]
pub(crate) enum RulesCommand {
    /// One rule a line: id, STRIDE letters, summary.
    List {
        /// `json` prints every rule's metadata as one JSON array.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// A rule's documentation: what it finds, why it matters, an example, how to fix.
    Explain {
        /// The rule id, e.g. `unencrypted-communication` (a threat id `RULE@TARGET` works too).
        rule: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    Text,
    Json,
}

pub(crate) fn run(command: Option<&RulesCommand>) -> u8 {
    match command {
        None => list(ListFormat::Text),
        Some(RulesCommand::List { format }) => list(*format),
        Some(RulesCommand::Explain { rule }) => explain(rule),
    }
}

fn list(format: ListFormat) -> u8 {
    let metas = registry::metas();
    if format == ListFormat::Json {
        crate::output::print_json(&gambit_rules::docs::catalog_json(&metas));
        return exit::OK;
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
