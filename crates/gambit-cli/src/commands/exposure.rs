//! `gambit exposure MODEL [--attacker A]... [--format text|json]`: which assets each
//! attacker can read or write, with the step count of the shortest path.

use clap::Args;
use gambit_graph::Analysis;

use super::paths::{AttackerArgs, PlainFormat, parse_attackers};
use crate::cli::ModelArg;
use crate::{exit, output};

#[derive(Args, Clone)]
pub(crate) struct ExposureArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub findings: super::findings::FindingsFlags,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

pub(crate) fn run(args: &ExposureArgs) -> u8 {
    let inner = || -> Result<u8, u8> {
        let (_loaded, model) = super::findings::model_or_exit(&args.model, &args.findings)?;
        let attackers = parse_attackers(&model, &args.attackers)?;
        let analysis = Analysis::run(&model, &attackers);
        let exposure = analysis.exposure();
        match args.format {
            PlainFormat::Json => output::print_json(&serde_json::json!({ "exposure": exposure })),
            PlainFormat::Text => {
                if exposure.is_empty() {
                    anstream::println!("No attacker can read or write any asset.");
                }
                for e in &exposure {
                    anstream::println!(
                        "{:<24} {:<28} {:<11} {} step{}{}",
                        e.attacker,
                        e.asset,
                        e.access.join("+"),
                        e.steps,
                        if e.steps == 1 { "" } else { "s" },
                        if e.crown_jewel { "  (crown jewel)" } else { "" }
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
