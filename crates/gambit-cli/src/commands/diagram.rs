//! `gambit diagram MODEL [--format dot|mermaid|svg] [--zone ZONE] [--collapse ZONE]...
//! [--focus C [--depth N]] [--path N [--path-only] [--attacker A]...] [-o FILE]`: the data-flow diagram, drawn by gambit-report (SVG laid out in-process).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use gambit_report::diagram::{self, DiagramOptions, Focus};
use gambit_report::highlight::Highlight;

use crate::cli::ModelArg;
use crate::{exit, input, output};

/// Above this many components and actors, an SVG collapses its largest zones: a page
/// of more boxes cannot be read.
const AUTO_COLLAPSE: usize = 150;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagramFormat {
    Dot,
    Mermaid,
    Svg,
}

#[derive(Args, Clone)]
pub(crate) struct DiagramArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Output format. Without it: from the -o file's extension (.svg, .dot/.gv,
    /// .mmd/.mermaid), else dot.
    #[arg(long, value_enum)]
    pub format: Option<DiagramFormat>,
    /// Draw only this zone (and its sub-zones), with the elements it exchanges flows
    /// with drawn faded: for large models.
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,
    /// Draw this zone (with its sub-zones) as one box with counts of what it holds
    /// (repeatable). Without it, an SVG of more than 150 components and actors collapses
    /// its largest zones until it draws at most 150 boxes (--no-collapse keeps them all).
    #[arg(long, value_name = "ZONE")]
    pub collapse: Vec<String>,
    /// Never collapse a zone on its own, however large the diagram.
    #[arg(long, conflicts_with = "collapse")]
    pub no_collapse: bool,
    /// Draw only this component or actor and what lies within --depth flows of it.
    #[arg(long, value_name = "C", conflicts_with_all = ["zone", "path_only"])]
    pub focus: Option<String>,
    /// With --focus: how many flows away to draw.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "focus")]
    pub depth: usize,
    /// Highlight attack path N (1-based, in the order `gambit paths MODEL` lists them
    /// with the same --attacker flags):
    /// its components and flows in red, with numbered steps.
    #[arg(long, value_name = "N")]
    pub path: Option<usize>,
    /// With --path: draw only the path's components and actors.
    #[arg(long, requires = "path")]
    pub path_only: bool,
    /// With --path: the attackers whose paths are numbered, as for `gambit paths`.
    #[command(flatten)]
    pub attackers: crate::commands::paths::AttackerArgs,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(crate) fn run(args: &DiagramArgs) -> u8 {
    match run_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn format_of(args: &DiagramArgs) -> DiagramFormat {
    if let Some(f) = args.format {
        return f;
    }
    let ext = args
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

fn run_inner(args: &DiagramArgs) -> Result<u8, u8> {
    let (_loaded, model) = input::model_or_exit(&args.model)?;
    let mut options = DiagramOptions::default();
    if let Some(zone) = &args.zone {
        options.focus = Focus::Zone(zone.clone());
    }
    if let Some(n) = args.path {
        let attackers = crate::commands::paths::parse_attackers(&model, &args.attackers)?;
        let analysis = gambit_graph::Analysis::run(&model, &attackers);
        let paths = analysis.paths(3, None);
        let Some(path) = n.checked_sub(1).and_then(|i| paths.get(i)) else {
            eprintln!(
                "error: --path {n}: the model has {} attack path{} (see `gambit paths`)",
                paths.len(),
                if paths.len() == 1 { "" } else { "s" }
            );
            return Err(exit::BAD_INPUT);
        };
        let json = serde_json::to_value(path).unwrap_or(serde_json::Value::Null);
        options.highlight = Highlight::from_path(&model, &json);
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
    let fail = |flag: &str, e: String| {
        eprintln!("error: {flag}: {e}");
        exit::BAD_INPUT
    };
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
    match &args.output {
        Some(path) => output::write_atomic(path, text.as_bytes()).map_err(|e| {
            eprintln!("error: cannot write {}: {e}", path.display());
            exit::BAD_INPUT
        })?,
        None => anstream::print!("{text}"),
    }
    Ok(exit::OK)
}
