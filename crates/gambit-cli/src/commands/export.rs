//! `gambit export otm MODEL [-o FILE]`: the model as Open Threat Model JSON
//! (gambit-import does the work).

use crate::cli::{ExportArgs, ExportFormat};
use crate::error::{CommandResult, Failure, Outcome};
use crate::{input, sink};

pub(crate) fn run(args: &ExportArgs) -> CommandResult {
    let (_loaded, model) = input::model_or_exit(&args.model).map_err(Failure::reported)?;
    let ExportFormat::Otm = args.format;
    let otm = gambit_import::export_otm(&model);
    sink::write_to(args.output.output.as_deref(), |out| {
        gambit_report::report::write_json(&otm, out)
    })?;
    Ok(Outcome::Success)
}
