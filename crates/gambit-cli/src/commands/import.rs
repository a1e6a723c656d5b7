//! `gambit import threagile|threat-dragon|pytm|otm FILE [-o MODEL]`: another tool's model
//! as a Gambit model (gambit-import does the work).

use gambit_import::Format;

use crate::cli::{ImportArgs, ImportFormat};
use crate::error::{CommandResult, Failure, Outcome};
use crate::{render, sink};

pub(crate) fn run(args: &ImportArgs) -> CommandResult {
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
        let file = std::fs::File::open(&args.file)
            .map_err(|e| Failure::bad_input(format!("cannot read {name}: {e}")))?;
        gambit_import::import_reader(format, &name, file)
    };
    let imported = result.map_err(|e| Failure::bad_input(e.to_string()))?;
    if !render::quiet() {
        for w in &imported.warnings {
            eprintln!("warning: {}: {w}", args.file.display());
        }
    }
    sink::write_to(args.output.output.as_deref(), |out| {
        out.write_all(imported.model.as_bytes())
    })?;
    Ok(Outcome::Success)
}
