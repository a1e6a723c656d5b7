//! `gambit paths MODEL [--attacker A]... [--to ASSET] [-k N] [--format text|json|dot|mermaid]`:
//! the k best attack paths to each crown-jewel goal. Also holds what the graph commands
//! share: attacker parsing and the output formats.

use clap::{Args, ValueEnum};
use gambit_graph::{Analysis, AttackPath};
use gambit_model::{AttackerSpec, Model};

use crate::cli::ModelArg;
use crate::{exit, output};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlainFormat {
    Text,
    Json,
}

/// Attacker flags shared by the graph commands.
#[derive(Args, Clone)]
pub(crate) struct AttackerArgs {
    /// Who attacks: `internet`, `insider:ACTOR` or `compromised:COMPONENT` (repeatable;
    /// overrides the model's `attackers:`).
    #[arg(long = "attacker", value_name = "A")]
    pub attackers: Vec<String>,
}

#[derive(Args, Clone)]
pub(crate) struct PathsArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub findings: super::findings::FindingsFlags,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    /// Only goals on this asset (read, write, admin on a component storing it).
    #[arg(long, value_name = "ASSET")]
    pub to: Option<String>,
    /// How many paths per goal.
    #[arg(short = 'k', default_value_t = 3)]
    pub k: usize,
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
}

/// The attackers named on the command line, parsed against the model (exit 2 on error).
pub(crate) fn parse_attackers(model: &Model, args: &AttackerArgs) -> Result<Vec<AttackerSpec>, u8> {
    let mut out = Vec::new();
    for text in &args.attackers {
        match AttackerSpec::parse(text, model) {
            Ok(a) => out.push(a),
            Err(e) => {
                eprintln!("error: --attacker {text}: {e}");
                return Err(exit::BAD_INPUT);
            }
        }
    }
    Ok(out)
}

/// An asset id named on the command line (exit 2 when unknown).
pub(crate) fn parse_asset(
    model: &Model,
    flag: &str,
    id: &str,
) -> Result<gambit_model::AssetId, u8> {
    model.asset_id(id).ok_or_else(|| {
        let hint =
            gambit_model::suggest::did_you_mean(id, model.assets.iter().map(|a| a.id.as_str()))
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
        eprintln!("error: {flag} {id}: not an asset of the model{hint}");
        exit::BAD_INPUT
    })
}

pub(crate) fn run(args: &PathsArgs) -> u8 {
    match run_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn run_inner(args: &PathsArgs) -> Result<u8, u8> {
    let (_loaded, model) = super::findings::model_or_exit(&args.model, &args.findings)?;
    let attackers = parse_attackers(&model, &args.attackers)?;
    let to = match &args.to {
        Some(id) => Some(vec![parse_asset(&model, "--to", id)?]),
        None => None,
    };
    let analysis = Analysis::run(&model, &attackers);
    let paths = analysis.paths(args.k.max(1), to.as_deref());
    match args.format {
        GraphFormat::Json => output::print_json(&serde_json::json!({ "attack_paths": paths })),
        GraphFormat::Text => anstream::print!("{}", text(&paths)),
        GraphFormat::Dot => anstream::print!("{}", dot(&paths)),
        GraphFormat::Mermaid => anstream::print!("{}", mermaid(&paths)),
    }
    Ok(exit::OK)
}

fn header(p: &AttackPath) -> String {
    let goal = match &p.goal.component {
        Some(c) => format!("admin {c} (stores {})", p.goal.asset),
        None => format!("{} {}", p.goal.access, p.goal.asset),
    };
    format!(
        "{} -> {goal}  path {}: effort {}, likelihood {}",
        p.attacker, p.rank, p.effort, p.likelihood
    )
}

fn text(paths: &[AttackPath]) -> String {
    if paths.is_empty() {
        return "No attack path reaches a crown jewel.\n".to_owned();
    }
    let mut s = String::new();
    for p in paths {
        s.push_str(&header(p));
        s.push('\n');
        for (i, step) in p.steps.iter().enumerate() {
            s.push_str(&format!(
                "  {:>2}. {:<6} {:<24} {:<10} via {}\n",
                i + 1,
                step.gains,
                step.on,
                step.technique,
                step.via
            ));
        }
        s.push('\n');
    }
    s
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(paths: &[AttackPath]) -> String {
    let mut s = String::from(
        "digraph attack_paths {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for (pi, p) in paths.iter().enumerate() {
        s.push_str(&format!(
            "  subgraph cluster_{pi} {{\n    label=\"{}\";\n",
            quote(&header(p))
        ));
        for (i, step) in p.steps.iter().enumerate() {
            s.push_str(&format!(
                "    p{pi}s{i} [label=\"{}. {} {}\\n{} via {}\"];\n",
                i + 1,
                step.gains,
                quote(&step.on),
                step.technique,
                quote(&step.via)
            ));
            if i > 0 {
                s.push_str(&format!("    p{pi}s{} -> p{pi}s{i};\n", i - 1));
            }
        }
        s.push_str("  }\n");
    }
    s.push_str("}\n");
    s
}

/// Text safe inside a Mermaid quoted label.
pub(crate) fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
}

fn mermaid(paths: &[AttackPath]) -> String {
    let mut s = String::from("flowchart LR\n");
    for (pi, p) in paths.iter().enumerate() {
        s.push_str(&format!(
            "  subgraph path{pi} [\"{}\"]\n",
            mermaid_text(&header(p))
        ));
        for (i, step) in p.steps.iter().enumerate() {
            s.push_str(&format!(
                "    p{pi}s{i}[\"{}. {} {}<br/>{} via {}\"]\n",
                i + 1,
                step.gains,
                mermaid_text(&step.on),
                step.technique,
                mermaid_text(&step.via)
            ));
            if i > 0 {
                s.push_str(&format!("    p{pi}s{} --> p{pi}s{i}\n", i - 1));
            }
        }
        s.push_str("  end\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use gambit_graph::{GoalOut, Step};

    fn sample() -> Vec<AttackPath> {
        vec![AttackPath {
            attacker: "internet".into(),
            goal: GoalOut {
                access: "read",
                asset: "pii".into(),
                component: None,
            },
            likelihood: 0.5,
            effort: 2.5,
            rank: 1,
            steps: vec![
                Step {
                    gains: "exec",
                    on: "web".into(),
                    technique: "T1190",
                    via: "CVE-1".into(),
                    likelihood: 0.5,
                    effort: 2.0,
                },
                Step {
                    gains: "read",
                    on: "pii".into(),
                    technique: "T1005",
                    via: "say \"hi\"".into(),
                    likelihood: 1.0,
                    effort: 0.5,
                },
            ],
        }]
    }

    #[test]
    fn text_numbers_the_steps() {
        let t = text(&sample());
        assert!(t.starts_with("internet -> read pii  path 1: effort 2.5, likelihood 0.5"));
        assert!(t.contains(" 1. exec") && t.contains(" 2. read"));
        assert_eq!(text(&[]), "No attack path reaches a crown jewel.\n");
    }

    #[test]
    fn dot_and_mermaid_escape_quotes_and_chain_steps() {
        let d = dot(&sample());
        assert!(d.contains("p0s0 -> p0s1;"));
        assert!(d.contains("say \\\"hi\\\""));
        let m = mermaid(&sample());
        assert!(m.starts_with("flowchart LR\n"));
        assert!(m.contains("p0s0 --> p0s1"));
        assert!(m.contains("say #quot;hi#quot;") && !m.contains("say \"hi\""));
    }
}
