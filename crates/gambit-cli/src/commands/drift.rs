//! `gambit drift MODEL --terraform PLAN.json | --kubernetes PATH...`: what the model says
//! and the infrastructure contradicts (exit 1), what exists but is not modelled, what is
//! modelled but gone. The comparison is gambit-discover's.

use crate::cli::{DriftArgs, PlainFormat};
use crate::error::{CommandResult, Failure, Outcome};
use crate::{input, sink};

pub(crate) fn run(args: &DriftArgs) -> CommandResult {
    let (loaded, model) = input::model_or_exit(&args.model).map_err(Failure::reported)?;
    let sources = Some(&loaded.sources);
    let drift = match &args.terraform {
        Some(plan) => {
            gambit_discover::terraform::discover_file(plan, args.model.max_size).map(|f| {
                gambit_discover::drift(&model, &f, gambit_discover::terraform::claims, sources)
            })
        }
        None => gambit_discover::kubernetes::discover_paths(&args.kubernetes).map(|f| {
            gambit_discover::drift(&model, &f, gambit_discover::kubernetes::claims, sources)
        }),
    }
    .map_err(|e| Failure::bad_input(e.to_string()))?;
    match args.format {
        PlainFormat::Json => sink::print_json(&drift)?,
        PlainFormat::Text => sink::print(&drift.to_text())?,
    }
    Ok(if drift.has_contradictions() {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}
