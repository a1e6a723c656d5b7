//! `gambit blast-radius MODEL COMPONENT [--format text|json]`: all that an attacker with
//! code execution on COMPONENT reaches; `--vuln ID` instead: what exploiting that
//! vulnerability wherever it is (with `--findings`, wherever a scanner found it) reaches.

use gambit_graph::{Index, blast_radius};
use gambit_model::Model;
use gambit_report::attack;
use gambit_report::report::Sorted;

use crate::analysis;
use crate::cli::{BlastRadiusArgs, PlainFormat};
use crate::error::{CommandResult, Failure, Outcome};
use crate::sink;

pub(crate) fn run(args: &BlastRadiusArgs) -> CommandResult {
    let (_loaded, model) = analysis::model_with_findings(&args.model, &args.findings)?;
    let component = match (&args.component, &args.vuln) {
        (_, Some(vuln)) => return vulnerability_radius(&model, vuln, args.format),
        (Some(component), None) => component,
        (None, None) => return Err(Failure::bad_input("give a COMPONENT or --vuln ID")),
    };
    let Some(from) = model.component_id(component) else {
        let hint = gambit_model::suggest::did_you_mean(
            component,
            model.components.iter().map(|c| c.id.as_str()),
        )
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
        return Err(Failure::bad_input(format!(
            "`{component}` is not a component of the model{hint}"
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

/// `--vuln ID`: the joined blast radius of every component where ID is open.
fn vulnerability_radius(model: &Model, vuln: &str, format: PlainFormat) -> CommandResult {
    let radius =
        gambit_findings::blast::vulnerability_blast_radius(model, vuln).ok_or_else(|| {
            Failure::bad_input(format!(
                "no component has an open vulnerability `{vuln}` (give the scan with --findings)"
            ))
        })?;
    match format {
        PlainFormat::Json => sink::print_json(&radius)?,
        PlainFormat::Text => sink::print(&gambit_findings::blast::text(&radius))?,
    }
    Ok(Outcome::Success)
}
