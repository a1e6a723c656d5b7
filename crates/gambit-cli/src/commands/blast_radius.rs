//! `gambit blast-radius MODEL COMPONENT [--format text|json]`: all that an attacker with
//! code execution on COMPONENT reaches.

use clap::Args;
use gambit_graph::{Index, blast_radius};

use super::paths::PlainFormat;
use crate::cli::ModelArg;
use crate::{exit, input, output};

#[derive(Args, Clone)]
pub(crate) struct BlastRadiusArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// The component the attacker executes code on.
    pub component: String,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

pub(crate) fn run(args: &BlastRadiusArgs) -> u8 {
    let inner = || -> Result<u8, u8> {
        let (_loaded, model) = input::model_or_exit(&args.model)?;
        let Some(from) = model.component_id(&args.component) else {
            let hint = gambit_model::suggest::did_you_mean(
                &args.component,
                model.components.iter().map(|c| c.id.as_str()),
            )
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
            eprintln!(
                "error: `{}` is not a component of the model{hint}",
                args.component
            );
            return Err(exit::BAD_INPUT);
        };
        let index = Index::new(&model);
        let radius = blast_radius(&model, &index, from);
        match args.format {
            PlainFormat::Json => {
                output::print_json(&serde_json::to_value(&radius).unwrap_or_default())
            }
            PlainFormat::Text => {
                anstream::println!("Blast radius of code execution on {}:", radius.from);
                anstream::println!("components ({}):", radius.components.len());
                for c in &radius.components {
                    anstream::println!("  {:<28} {}", c.id, c.access.join(", "));
                }
                anstream::println!(
                    "identities ({}): {}",
                    radius.identities.len(),
                    radius.identities.join(", ")
                );
                anstream::println!(
                    "credentials ({}): {}",
                    radius.credentials.len(),
                    radius.credentials.join(", ")
                );
                anstream::println!("assets ({}):", radius.assets.len());
                for a in &radius.assets {
                    anstream::println!("  {:<28} {}", a.asset, a.access.join(", "));
                }
            }
        }
        Ok(exit::OK)
    };
    match inner() {
        Ok(code) | Err(code) => code,
    }
}
