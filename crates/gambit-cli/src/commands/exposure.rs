//! `gambit exposure MODEL [--attacker A]... [--format text|json]`: which assets each
//! attacker can read or write, with the step count of the shortest path.

use gambit_graph::Analysis;
use gambit_report::attack::{self, ExposureDocument};
use gambit_report::report::SortedKeys;

use crate::analysis;
use crate::cli::{ExposureArgs, PlainFormat};
use crate::error::{CommandResult, Outcome};
use crate::sink;

pub(crate) fn run(args: &ExposureArgs) -> CommandResult {
    let (_loaded, model) = analysis::model_with_findings(&args.model, &args.findings)?;
    let attackers = analysis::attackers(&model, &args.attackers)?;
    let exposure = Analysis::run(&model, &attackers).exposure();
    match args.format {
        PlainFormat::Json => sink::print_json(&ExposureDocument {
            exposure: SortedKeys(&exposure),
        })?,
        PlainFormat::Text => sink::print(&attack::exposure_text(&exposure))?,
    }
    Ok(Outcome::Success)
}
