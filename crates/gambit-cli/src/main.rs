//! `gambit`: threat modeling as code. A thin command line over the library crates: it
//! parses flags, reads input, calls the libraries and writes what they render; it holds
//! no analysis and no output format.
//!
//! Modules depend one way: `main` → `commands` (one file per command, none importing
//! another) → `analysis` (what several commands run first), `sink` (where output goes),
//! `input`, `render`, `output` → `cli` (every flag) and `error` (how a command ends).

mod analysis;
mod cli;
mod commands;
mod error;
mod input;
mod output;
mod progress;
mod render;
mod sink;

use std::process::ExitCode;

use clap::Parser;

/// The exit codes, where the modules that speak in codes look for them.
pub(crate) use error::exit;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    args.color.write_global();
    render::set_quiet(args.quiet);
    let code = match commands::run(args) {
        Ok(outcome) => outcome.code(),
        Err(failure) => {
            failure.print();
            failure.code
        }
    };
    render::print_warning_summary();
    ExitCode::from(code)
}
