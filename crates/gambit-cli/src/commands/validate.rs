//! `gambit validate MODEL`: every error and warning, then a one-line verdict.

use crate::cli::{DiagFormat, ModelArg};
use crate::error::{CommandResult, Failure, Outcome, exit};
use crate::input;

pub(crate) fn run(arg: &ModelArg, format: DiagFormat, strict: bool) -> CommandResult {
    let mut loaded = input::load(arg);
    // The model's custom rules and `risks:` are part of it: their errors (a CEL condition
    // naming an unknown field) and warnings (a decision on a threat no rule raises) belong
    // here, with their positions, not only in `analyze`. Only they give diagnostics, so a
    // model with neither skips the threat analysis (most of a large validate's time).
    if let Some(model) = &loaded.model
        && (!model.rules.is_empty() || !model.risks.is_empty())
    {
        let mut options = gambit_rules::Options::new(gambit_rules::today_utc());
        options.sources = Some(&loaded.sources);
        let analysis = gambit_rules::analyze(model, &options);
        loaded.diagnostics.extend(analysis.diagnostics);
        gambit_model::diagnostic::sort(&mut loaded.diagnostics);
    }
    let failed = loaded.errors() > 0 || (strict && loaded.warnings() > 0);
    if let Some(mut json) = input::report(&loaded, format) {
        json["valid"] = (!failed).into();
        if let Some(model) = &loaded.model {
            json["model"] = serde_json::json!({
                "name": model.name,
                "digest": model.digest,
                "components": model.components.len(),
                "flows": model.flows.len(),
                "crown_jewels": model.crown_jewels().count(),
            });
        }
        crate::output::print_json(&json);
    } else {
        let counts = match (loaded.errors(), loaded.warnings()) {
            (0, 0) => String::new(),
            (e, w) => format!(" ({e} error{}, {w} warning{})", plural(e), plural(w)),
        };
        let name = if arg.model.as_os_str() == "-" {
            "<stdin>".into()
        } else {
            arg.model.display().to_string()
        };
        match &loaded.model {
            Some(m) if !failed => anstream::println!(
                "{name}: valid{counts}: {} components, {} flows, {} crown jewel{}",
                m.components.len(),
                m.flows.len(),
                m.crown_jewels().count(),
                plural(m.crown_jewels().count())
            ),
            _ => anstream::println!("{name}: invalid{counts}"),
        }
    }
    if input::unreadable(&loaded) {
        return Err(Failure::reported(exit::BAD_INPUT));
    }
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
