//! `gambit export otm MODEL [-o FILE]`: the model as Open Threat Model JSON
//! (gambit-import does the work).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::cli::ModelArg;
use crate::{input, output};

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    /// Open Threat Model 0.2.0 JSON.
    Otm,
}

#[derive(Args, Clone)]
pub(crate) struct ExportArgs {
    /// The format to write.
    #[arg(value_enum)]
    pub format: ExportFormat,
    #[command(flatten)]
    pub model: ModelArg,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(crate) fn run(args: &ExportArgs) -> u8 {
    let (_loaded, model) = match input::model_or_exit(&args.model) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let ExportFormat::Otm = args.format;
    let otm = gambit_import::export_otm(&model);
    let text = serde_json::to_string_pretty(&otm).expect("JSON values always serialize") + "\n";
    output::write_or_print(args.output.as_deref(), &text)
}
