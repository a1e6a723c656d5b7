//! `gambit chokepoints MODEL [--attacker A]... [--format text|json]`: the smallest set of
//! fixes that cuts every path to crown jewels, ranked.

use gambit_graph::Analysis;
use gambit_report::attack;
use gambit_report::report::Sorted;

use crate::analysis;
use crate::cli::{ChokepointsArgs, PlainFormat};
use crate::error::{CommandResult, Outcome};
use crate::sink;

pub(crate) fn run(args: &ChokepointsArgs) -> CommandResult {
    let (_loaded, model) = analysis::model_with_findings(&args.model, &args.findings)?;
    let attackers = analysis::attackers(&model, &args.attackers)?;
    let answer = Analysis::run(&model, &attackers).chokepoints();
    match args.format {
        PlainFormat::Json => sink::print_json(&Sorted(&answer))?,
        PlainFormat::Text => sink::print(&attack::chokepoints_text(&answer))?,
    }
    Ok(Outcome::Success)
}
