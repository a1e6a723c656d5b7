//! `gambit`: threat modeling as code. A thin command line over the library crates: it
//! parses flags, reads input, calls the libraries and prints; it holds no analysis.

mod cli;
mod commands;
mod input;
mod output;
mod render;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes of the CLI contract.
pub(crate) mod exit {
    pub const OK: u8 = 0;
    /// `check` found a threat at or above the level; `validate` found errors.
    pub const FINDINGS: u8 = 1;
    /// The input could not be used.
    pub const BAD_INPUT: u8 = 2;
}

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    args.color.write_global();
    ExitCode::from(commands::run(args))
}
