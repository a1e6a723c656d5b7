//! `gambit import threagile|threat-dragon|pytm|otm FILE [-o MODEL]`: another tool's model
//! as a Gambit model (gambit-import does the work).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use gambit_import::Format;

use crate::{exit, output};

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ImportFormat {
    /// Threagile's YAML model.
    Threagile,
    /// OWASP Threat Dragon v2 JSON.
    ThreatDragon,
    /// OWASP pytm's JSON.
    Pytm,
    /// Open Threat Model JSON.
    Otm,
}

#[derive(Args, Clone)]
pub(crate) struct ImportArgs {
    /// The format of FILE.
    #[arg(value_enum)]
    pub format: ImportFormat,
    /// The model to convert, or `-` for standard input.
    pub file: PathBuf,
    /// Write the Gambit model to MODEL (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "MODEL")]
    pub output: Option<PathBuf>,
    /// Do not list the facts that have no place in Gambit (they stay as comments).
    #[arg(long)]
    pub quiet: bool,
}

pub(crate) fn run(args: &ImportArgs) -> u8 {
    let format = match args.format {
        ImportFormat::Threagile => Format::Threagile,
        ImportFormat::ThreatDragon => Format::ThreatDragon,
        ImportFormat::Pytm => Format::Pytm,
        ImportFormat::Otm => Format::Otm,
    };
    let result = if args.file.as_os_str() == "-" {
        gambit_import::import_reader(format, "<stdin>", std::io::stdin().lock())
    } else {
        let name = args.file.display().to_string();
        match std::fs::File::open(&args.file) {
            Ok(file) => gambit_import::import_reader(format, &name, file),
            Err(e) => {
                eprintln!("error: cannot read {name}: {e}");
                return exit::BAD_INPUT;
            }
        }
    };
    let imported = match result {
        Ok(imported) => imported,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::BAD_INPUT;
        }
    };
    if !args.quiet {
        for w in &imported.warnings {
            eprintln!("warning: {}: {w}", args.file.display());
        }
    }
    output::write_or_print(args.output.as_deref(), &imported.model)
}
