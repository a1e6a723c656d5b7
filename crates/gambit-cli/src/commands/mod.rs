//! One module per command; [`run`] dispatches. Commands never import each other: what
//! they share lives in `crate::analysis`, `crate::cli` and `crate::sink`.

mod analyze;
mod blast_radius;
mod check;
mod chokepoints;
mod diagram;
mod diff;
mod exposure;
mod init;
mod paths;
mod rules;
mod schema;
mod tree;
mod validate;

use crate::cli::{Cli, Command};
use crate::error::CommandResult;

/// Runs a command to its outcome.
pub(crate) fn run(cli: Cli) -> CommandResult {
    match cli.command {
        Command::Init { dir, force } => init::run(&dir, force),
        Command::Validate {
            model,
            format,
            strict,
        } => validate::run(&model, format, strict),
        Command::Schema => schema::run(),
        Command::Analyze(args) => analyze::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Rules { command } => rules::run(command.as_ref()),
        Command::Paths(args) => paths::run(&args),
        Command::Exposure(args) => exposure::run(&args),
        Command::BlastRadius(args) => blast_radius::run(&args),
        Command::Chokepoints(args) => chokepoints::run(&args),
        Command::Tree(args) => tree::run(&args),
        Command::Diagram(args) => diagram::run(&args),
        Command::Diff(args) => diff::run(&args),
    }
}
