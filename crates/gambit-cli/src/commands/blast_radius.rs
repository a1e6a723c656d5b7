//! `gambit blast-radius MODEL COMPONENT [--format text|json]`: all that an attacker with
//! code execution on COMPONENT reaches.

use gambit_graph::{Index, blast_radius};
use gambit_report::attack;
use gambit_report::report::Sorted;

use crate::cli::{BlastRadiusArgs, PlainFormat};
use crate::error::{CommandResult, Failure, Outcome};
use crate::{input, sink};

pub(crate) fn run(args: &BlastRadiusArgs) -> CommandResult {
    let (_loaded, model) = input::model_or_exit(&args.model).map_err(Failure::reported)?;
    let Some(from) = model.component_id(&args.component) else {
        let hint = gambit_model::suggest::did_you_mean(
            &args.component,
            model.components.iter().map(|c| c.id.as_str()),
        )
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
        return Err(Failure::bad_input(format!(
            "`{}` is not a component of the model{hint}",
            args.component
        )));
    };
    let index = Index::new(&model);
    let radius = blast_radius(&model, &index, from);
    match args.format {
        PlainFormat::Json => sink::print_json(&Sorted(&radius))?,
        PlainFormat::Text => sink::print(&attack::blast_radius_text(&radius))?,
    }
    Ok(Outcome::Success)
}
