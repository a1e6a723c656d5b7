//! `gambit findings MODEL --findings FILE... [--kev FILE] [--epss FILE] [--format ...]`,
//! and the `--findings` flags every analysing command shares. All logic and rendering is
//! in gambit-findings; this file reads flags and prints.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use gambit_model::{Loaded, Model};

use super::paths::{AttackerArgs, parse_attackers};
use crate::cli::ModelArg;
use crate::{exit, input, output};

/// Scanner findings to add to the model (see docs/findings.md).
#[derive(Args, Clone, Default)]
pub(crate) struct FindingsFlags {
    /// A scanner's findings: SARIF 2.1.0, Trivy or Grype JSON, CycloneDX JSON with
    /// vulnerabilities, or OpenVEX (format detected from content; repeatable).
    #[arg(long = "findings", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// CISA's known_exploited_vulnerabilities.json, for findings that do not say.
    #[arg(long, value_name = "FILE")]
    pub kev: Option<PathBuf>,
    /// FIRST's EPSS scores CSV, for findings that do not say.
    #[arg(long, value_name = "FILE")]
    pub epss: Option<PathBuf>,
}

impl FindingsFlags {
    fn options(&self) -> gambit_findings::Options {
        gambit_findings::Options {
            files: self.files.clone(),
            kev: self.kev.clone(),
            epss: self.epss.clone(),
            progress: std::io::stderr().is_terminal(),
        }
    }
}

/// The model with the findings added (exit 2 when a file cannot be used).
pub(crate) fn apply(model: &Model, flags: &FindingsFlags) -> Result<gambit_findings::Applied, u8> {
    gambit_findings::apply(model, &flags.options()).map_err(|e| {
        eprintln!("error: {e}");
        exit::BAD_INPUT
    })
}

/// [`input::model_or_exit`], then the findings of `flags` added to the model.
pub(crate) fn model_or_exit(arg: &ModelArg, flags: &FindingsFlags) -> Result<(Loaded, Model), u8> {
    let (loaded, model) = input::model_or_exit(arg)?;
    if flags.files.is_empty() {
        return Ok((loaded, model));
    }
    Ok((loaded, apply(&model, flags)?.model))
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FindingsFormat {
    /// The headline, then one line per finding, then the unmatched ones.
    Text,
    /// The document of the CLI contract: summary, findings, unmatched.
    Json,
    /// One row per finding, for spreadsheets and trackers.
    Csv,
    /// SARIF 2.1.0 for code scanning, the rank as level.
    Sarif,
}

#[derive(Args, Clone)]
pub(crate) struct FindingsArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub findings: FindingsFlags,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    #[arg(long, value_enum, default_value_t = FindingsFormat::Text)]
    pub format: FindingsFormat,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(crate) fn run(args: &FindingsArgs) -> u8 {
    let inner = || -> Result<u8, u8> {
        if args.findings.files.is_empty() {
            eprintln!("error: give at least one --findings FILE");
            return Err(exit::BAD_INPUT);
        }
        let (_loaded, model) = input::model_or_exit(&args.model)?;
        let attackers = parse_attackers(&model, &args.attackers)?;
        let applied = apply(&model, &args.findings)?;
        let report = applied.rank(&attackers);
        let text = match args.format {
            FindingsFormat::Text => gambit_findings::render::text(&report),
            FindingsFormat::Csv => gambit_findings::render::csv(&report),
            FindingsFormat::Json => pretty(&gambit_findings::render::json(&report)),
            FindingsFormat::Sarif => pretty(&gambit_findings::render::sarif(&report)),
        };
        match &args.output {
            Some(path) => output::write_atomic(path, text.as_bytes()).map_err(|e| {
                eprintln!("error: cannot write {}: {e}", path.display());
                exit::BAD_INPUT
            })?,
            None => anstream::print!("{text}"),
        }
        Ok(exit::OK)
    };
    match inner() {
        Ok(code) | Err(code) => code,
    }
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
