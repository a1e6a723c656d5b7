//! `gambit exposure MODEL [--attacker A]... [--format text|json]`: which assets each
//! attacker can read or write, with the step count of the shortest path.

use gambit_graph::Analysis;
use gambit_report::attack::{self, ExposureDocument};
use gambit_report::report::SortedKeys;

use crate::analysis;
use crate::cli::{ExposureArgs, PlainFormat};
use crate::error::{CommandResult, Failure, Outcome};
use crate::{input, sink};

pub(crate) fn run(args: &ExposureArgs) -> CommandResult {
    let (_loaded, model) = input::model_or_exit(&args.model).map_err(Failure::reported)?;
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
