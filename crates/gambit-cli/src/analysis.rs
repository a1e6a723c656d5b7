//! What several commands run before their own work: the threat analysis of a model with
//! its custom rules, and the attackers and assets named on the command line. Commands
//! share these through this module, never through each other.

use std::path::Path;

use gambit_model::{AssetId, AttackerSpec, Diagnostic, Loaded, Model, SourceMap};
use gambit_rules::{CustomRules, Options, Scoring, ThreatAnalysis};

use crate::cli::{AttackerArgs, FindingsFlags, ModelArg, ThreatOptions};
use crate::error::Failure;
use crate::progress::Progress;
use crate::{input, render};

/// A model analyzed, with what it was loaded from.
pub(crate) struct Analyzed {
    pub loaded: Loaded,
    pub model: Model,
    pub threats: ThreatAnalysis,
}

/// Loads the model and the custom rules, runs the threat analysis and prints its
/// diagnostics. Any error (in the model, the rules file or a custom rule) is exit 2.
pub(crate) fn threats(
    model_arg: &ModelArg,
    opts: &ThreatOptions,
    scoring: Scoring,
    progress: &Progress,
) -> Result<Analyzed, Failure> {
    let (loaded, model) = progress.suspend(|| model_with_findings(model_arg, &opts.findings))?;
    let extra = match &opts.rules {
        Some(path) => Some(progress.suspend(|| load_rules_file(path, model_arg.max_size))?),
        None => None,
    };
    let mut options = Options::new(opts.today.unwrap_or_else(gambit_rules::today_utc));
    options.scoring = scoring;
    options.sources = Some(&loaded.sources);
    options.extra_rules = extra.as_ref().map(|(rules, _)| rules);
    let threats = gambit_rules::analyze(&model, &options);
    progress.suspend(|| {
        render::print_errors(&threats.diagnostics, &loaded.sources);
        if let Some((_, sources)) = &extra {
            render::print_diagnostics(&threats.extra_rule_diagnostics, sources);
        }
    });
    if threats.has_errors() {
        return Err(Failure::bad_input(format!(
            "{} cannot be analyzed: fix the errors above first",
            model_arg.model.display()
        )));
    }
    Ok(Analyzed {
        loaded,
        model,
        threats,
    })
}

/// Reads a `--rules` file: a YAML document whose `rules:` list has the shape of the
/// model's `rules:` section. It is read by the model loader itself, so its errors have
/// the same positions and wording as a model's.
fn load_rules_file(path: &Path, max_size: u64) -> Result<(CustomRules, SourceMap), Failure> {
    let unusable = || {
        Failure::bad_input(format!(
            "the rules file {} cannot be used: fix the errors above first",
            path.display()
        ))
    };
    let mut loaded = gambit_model::load_path(
        path,
        gambit_model::LoadOptions {
            max_size,
            ..Default::default()
        },
    );
    loaded.diagnostics.retain(|d| d.code != "missing-version");
    render::print_diagnostics(&loaded.diagnostics, &loaded.sources);
    let Some(model) = loaded.model.take() else {
        return Err(unusable());
    };
    if model.rules.is_empty() {
        eprintln!(
            "warning: the rules file {} has no `rules:` entries",
            path.display()
        );
    }
    let (rules, diags) = CustomRules::compile_with(&model.rules, Some(&loaded.sources));
    render::print_diagnostics(&diags, &loaded.sources);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(unusable());
    }
    Ok((rules, loaded.sources))
}

/// The attackers named on the command line, parsed against the model.
pub(crate) fn attackers(model: &Model, args: &AttackerArgs) -> Result<Vec<AttackerSpec>, Failure> {
    args.attackers
        .iter()
        .map(|text| {
            AttackerSpec::parse(text, model)
                .map_err(|e| Failure::bad_input(format!("--attacker {text}: {e}")))
        })
        .collect()
}

/// An asset id named on the command line by `flag`.
pub(crate) fn asset(model: &Model, flag: &str, id: &str) -> Result<AssetId, Failure> {
    model.asset_id(id).ok_or_else(|| {
        let hint =
            gambit_model::suggest::did_you_mean(id, model.assets.iter().map(|a| a.id.as_str()))
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
        Failure::bad_input(format!("{flag} {id}: not an asset of the model{hint}"))
    })
}

/// The model a command names, with the scanner findings of `flags` added to its
/// components as vulnerabilities (exit 2 when a findings file cannot be used).
pub(crate) fn model_with_findings(
    arg: &ModelArg,
    flags: &FindingsFlags,
) -> Result<(Loaded, Model), Failure> {
    let (loaded, model) = input::model_or_exit(arg).map_err(Failure::reported)?;
    if flags.files.is_empty() {
        return Ok((loaded, model));
    }
    Ok((loaded, apply_findings(&model, flags)?.model))
}

/// Reads the findings of `flags` and matches them to the model's components.
pub(crate) fn apply_findings(
    model: &Model,
    flags: &FindingsFlags,
) -> Result<gambit_findings::Applied, Failure> {
    let options = gambit_findings::Options {
        files: flags.files.clone(),
        kev: flags.kev.clone(),
        epss: flags.epss.clone(),
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    gambit_findings::apply(model, &options).map_err(|e| Failure::bad_input(e.to_string()))
}
