//! `gambit diagram MODEL [--format dot|mermaid|svg] [--zone ZONE] [--path N [--path-only]
//! [--attacker A]...] [-o FILE]`: the data-flow diagram, drawn by gambit-report (SVG laid out in-process).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use gambit_report::diagram::{self, DiagramOptions, Focus};
use gambit_report::highlight::Highlight;

use crate::cli::ModelArg;
use crate::{exit, input, output};

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
    let rendered = match format_of(args) {
        DiagramFormat::Dot => diagram::dot::render(&model, &options),
        DiagramFormat::Mermaid => diagram::mermaid::render(&model, &options),
        DiagramFormat::Svg => diagram::svg::render(&model, &options),
    };
    let text = rendered.map_err(|e| {
        eprintln!("error: --zone: {e}");
        exit::BAD_INPUT
    })?;
    match &args.output {
        Some(path) => output::write_atomic(path, text.as_bytes()).map_err(|e| {
            eprintln!("error: cannot write {}: {e}", path.display());
            exit::BAD_INPUT
        })?,
        None => anstream::print!("{text}"),
    }
    Ok(exit::OK)
}
