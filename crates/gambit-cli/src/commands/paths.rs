//! `gambit paths MODEL [--attacker A]... [--to ASSET] [-k N] [--format text|json|dot|mermaid]`:
//! the k best attack paths to each crown-jewel goal.

use gambit_graph::Analysis;
use gambit_report::attack::{self, PathsDocument};
use gambit_report::report::SortedKeys;

use crate::analysis;
use crate::cli::{GraphFormat, PathsArgs};
use crate::error::{CommandResult, Outcome};
use crate::sink;

pub(crate) fn run(args: &PathsArgs) -> CommandResult {
    let (_loaded, model) = analysis::model_with_findings(&args.model, &args.findings)?;
    let attackers = analysis::attackers(&model, &args.attackers)?;
    let to = match &args.to {
        Some(id) => Some(vec![analysis::asset(&model, "--to", id)?]),
        None => None,
    };
    let paths = Analysis::run(&model, &attackers).paths(args.k.max(1), to.as_deref());
    match args.format {
        GraphFormat::Json => sink::print_json(&PathsDocument {
            attack_paths: SortedKeys(&paths),
        })?,
        GraphFormat::Text => sink::print(&attack::paths_text(&paths))?,
        GraphFormat::Dot => sink::print(&attack::paths_dot(&paths))?,
        GraphFormat::Mermaid => sink::print(&attack::paths_mermaid(&paths))?,
    }
    Ok(Outcome::Success)
}
