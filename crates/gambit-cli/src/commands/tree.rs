//! `gambit tree MODEL --goal ASSET [--attacker A]... [--format text|json|dot|mermaid]`: the
//! AND/OR attack tree of a goal with its evaluated effort and likelihood.

use gambit_graph::Analysis;
use gambit_report::attack;
use gambit_report::report::Sorted;

use crate::analysis;
use crate::cli::{GraphFormat, TreeArgs};
use crate::error::{CommandResult, Failure, Outcome};
use crate::{input, sink};

pub(crate) fn run(args: &TreeArgs) -> CommandResult {
    let (_loaded, model) = input::model_or_exit(&args.model).map_err(Failure::reported)?;
    let attackers = analysis::attackers(&model, &args.attackers)?;
    let asset = analysis::asset(&model, "--goal", &args.goal)?;
    let tree = Analysis::run(&model, &attackers).tree(asset);
    match args.format {
        GraphFormat::Json => sink::print_json(&Sorted(&tree))?,
        GraphFormat::Text => sink::print(&attack::tree_text(&tree))?,
        GraphFormat::Dot => sink::print(&attack::tree_dot(&tree))?,
        GraphFormat::Mermaid => sink::print(&attack::tree_mermaid(&tree))?,
    }
    Ok(Outcome::Success)
}
