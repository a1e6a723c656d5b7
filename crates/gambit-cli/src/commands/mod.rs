//! One module per command; [`run`] dispatches.

mod init;
mod schema;
mod validate;
// --- rules command modules ---
pub(crate) mod analyze;
pub(crate) mod check;
pub(crate) mod rules;
// --- end rules command modules ---
// --- graph command modules ---
pub(crate) mod blast_radius;
pub(crate) mod chokepoints;
pub(crate) mod exposure;
pub(crate) mod paths;
pub(crate) mod tree;
// --- end graph command modules ---
// --- report command modules ---
pub(crate) mod diagram;
pub(crate) mod diff;
// --- end report command modules ---
pub(crate) mod findings;

use crate::cli::{Cli, Command};

/// Runs a command and returns its exit code.
pub(crate) fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Init { dir, force } => init::run(&dir, force),
        Command::Validate {
            model,
            format,
            strict,
        } => validate::run(&model, format, strict),
        Command::Schema => schema::run(),
        // --- rules commands ---
        Command::Analyze(args) => analyze::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Rules { command } => rules::run(command.as_ref()),
        // --- end rules commands ---
        // --- graph commands ---
        Command::Paths(args) => paths::run(&args),
        Command::Exposure(args) => exposure::run(&args),
        Command::BlastRadius(args) => blast_radius::run(&args),
        Command::Chokepoints(args) => chokepoints::run(&args),
        Command::Tree(args) => tree::run(&args),
        // --- end graph commands ---
        // --- report commands ---
        Command::Diagram(args) => diagram::run(&args),
        Command::Diff(args) => diff::run(&args),
        // --- end report commands ---
        Command::Findings(args) => findings::run(&args),
    }
}
