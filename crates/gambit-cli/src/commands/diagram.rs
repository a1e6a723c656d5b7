//! `gambit diagram MODEL [--format dot|mermaid|svg] [--zone ZONE] [--collapse ZONE]...
//! [--focus C [--depth N]] [--path N [--path-only] [--attacker A]...] [-o FILE]`: the data-flow diagram, drawn by gambit-report (SVG laid out in-process).

use gambit_report::diagram::{self, DiagramOptions, Focus};
use gambit_report::highlight::Highlight;

use crate::analysis;
use crate::cli::{DiagramArgs, DiagramFormat};
use crate::error::{CommandResult, Failure, Outcome};
use crate::{input, sink};

/// Above this many components and actors, an SVG collapses its largest zones: a page
/// of more boxes cannot be read.
const AUTO_COLLAPSE: usize = 150;

fn format_of(args: &DiagramArgs) -> DiagramFormat {
    if let Some(f) = args.format {
        return f;
    }
    let ext = args
        .output
        .output
        .as_ref()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("svg") => DiagramFormat::Svg,
        Some("mmd" | "mermaid") => DiagramFormat::Mermaid,
        _ => DiagramFormat::Dot,
    }
}

pub(crate) fn run(args: &DiagramArgs) -> CommandResult {
    let (_loaded, model) = input::model_or_exit(&args.model).map_err(Failure::reported)?;
    let mut options = DiagramOptions::default();
    if let Some(zone) = &args.zone {
        options.focus = Focus::Zone(zone.clone());
    }
    if let Some(n) = args.path {
        let attackers = analysis::attackers(&model, &args.attackers)?;
        let analysis = gambit_graph::Analysis::run(&model, &attackers);
        let paths = analysis.paths(3, None);
        let Some(path) = n.checked_sub(1).and_then(|i| paths.get(i)) else {
            return Err(Failure::bad_input(format!(
                "--path {n}: the model has {} attack path{} (see `gambit paths`)",
                paths.len(),
                if paths.len() == 1 { "" } else { "s" }
            )));
        };
        options.highlight = Highlight::from_path(&model, path);
        if args.path_only {
            options.focus = Focus::Elements(
                options
                    .highlight
                    .elements()
                    .filter(|id| model.lookup(id).is_some())
                    .map(str::to_owned)
                    .collect(),
            );
        }
    }
    let fail = |flag: &str, e: String| Failure::bad_input(format!("{flag}: {e}"));
    if let Some(focus) = &args.focus {
        let ids = diagram::views::neighbourhood(&model, focus, args.depth)
            .map_err(|e| fail("--focus", e))?;
        options.focus = Focus::Elements(ids);
    }
    let mut scene = diagram::Scene::build(&model, &options).map_err(|e| fail("--zone", e))?;
    for zone in &args.collapse {
        scene.collapse(zone).map_err(|e| fail("--collapse", e))?;
    }
    let format = format_of(args);
    if args.collapse.is_empty() && !args.no_collapse && format == DiagramFormat::Svg {
        scene.collapse_to(AUTO_COLLAPSE);
    }
    let text = match format {
        DiagramFormat::Dot => diagram::dot::write(&scene),
        DiagramFormat::Mermaid => diagram::mermaid::write(&scene),
        DiagramFormat::Svg => diagram::svg::write(&scene),
    };
    sink::write_to(args.output.output.as_deref(), |out| {
        out.write_all(text.as_bytes())
    })?;
    Ok(Outcome::Success)
}
