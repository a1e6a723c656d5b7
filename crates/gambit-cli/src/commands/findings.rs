//! `gambit findings MODEL --findings FILE... [--kev FILE] [--epss FILE] [--format ...]`:
//! scanner findings ranked by attack path. All logic and rendering is in
//! gambit-findings; this file reads flags and writes.

use crate::analysis;
use crate::cli::{FindingsArgs, FindingsFormat};
use crate::error::{CommandResult, Failure, Outcome};
use crate::{input, sink};

pub(crate) fn run(args: &FindingsArgs) -> CommandResult {
    if args.findings.files.is_empty() {
        return Err(Failure::bad_input("give at least one --findings FILE"));
    }
    let (_loaded, model) = input::model_or_exit(&args.model).map_err(Failure::reported)?;
    let attackers = analysis::attackers(&model, &args.attackers)?;
    let applied = analysis::apply_findings(&model, &args.findings)?;
    let report = applied.rank(&attackers);
    let text = match args.format {
        FindingsFormat::Text => gambit_findings::render::text(&report),
        FindingsFormat::Csv => gambit_findings::render::csv(&report),
        FindingsFormat::Json => pretty(&gambit_findings::render::json(&report)),
        FindingsFormat::Sarif => pretty(&gambit_findings::render::sarif(&report)),
    };
    sink::write_to(args.output.output.as_deref(), |out| {
        out.write_all(text.as_bytes())
    })?;
    Ok(Outcome::Success)
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
