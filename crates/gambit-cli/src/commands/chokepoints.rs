//! `gambit chokepoints MODEL [--attacker A]... [--format text|json]`: the smallest set of
//! fixes that cuts every path to crown jewels, ranked.

use clap::Args;
use gambit_graph::Analysis;

use super::paths::{AttackerArgs, PlainFormat, parse_attackers};
use crate::cli::ModelArg;
use crate::{exit, output};

#[derive(Args, Clone)]
pub(crate) struct ChokepointsArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub findings: super::findings::FindingsFlags,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

pub(crate) fn run(args: &ChokepointsArgs) -> u8 {
    let inner = || -> Result<u8, u8> {
        let (_loaded, model) = super::findings::model_or_exit(&args.model, &args.findings)?;
        let attackers = parse_attackers(&model, &args.attackers)?;
        let analysis = Analysis::run(&model, &attackers);
        let answer = analysis.chokepoints();
        match args.format {
            PlainFormat::Json => {
                output::print_json(&serde_json::to_value(&answer).unwrap_or_default())
            }
            PlainFormat::Text => {
                if answer.goals == 0 {
                    anstream::println!("No attacker reaches a crown jewel: nothing to cut.");
                    return Ok(exit::OK);
                }
                anstream::println!(
                    "{} fix{} (cost {}, {}{}) cut {} of {} crown-jewel goal{}:",
                    answer.chokepoints.len(),
                    if answer.chokepoints.len() == 1 {
                        ""
                    } else {
                        "es"
                    },
                    answer.total_cost,
                    answer.method,
                    if answer.verified {
                        ", verified"
                    } else {
                        ", NOT verified"
                    },
                    answer.cut,
                    answer.goals,
                    if answer.goals == 1 { "" } else { "s" },
                );
                for (i, c) in answer.chokepoints.iter().enumerate() {
                    anstream::println!(
                        "  {:>2}. {:<48} cuts {} goal{}, {} path{}",
                        i + 1,
                        c.fix,
                        c.cuts,
                        if c.cuts == 1 { "" } else { "s" },
                        c.paths,
                        if c.paths == 1 { "" } else { "s" }
                    );
                }
                for u in &answer.uncuttable {
                    anstream::println!(
                        "  cannot cut: {} -> {} {}: {}",
                        u.attacker,
                        u.goal.access,
                        u.goal.asset,
                        u.reason
                    );
                }
            }
        }
        Ok(exit::OK)
    };
    match inner() {
        Ok(code) | Err(code) => code,
    }
}
