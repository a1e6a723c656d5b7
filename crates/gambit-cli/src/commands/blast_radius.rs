//! `gambit blast-radius MODEL COMPONENT [--format text|json]`: all that an attacker with
//! code execution on COMPONENT reaches; `--vuln ID` instead: what exploiting that
//! vulnerability wherever it is (with `--findings`, wherever a scanner found it) reaches.

use clap::Args;
use gambit_graph::{Index, blast_radius};

use super::paths::PlainFormat;
use crate::cli::ModelArg;
use crate::{exit, output};

#[derive(Args, Clone)]
pub(crate) struct BlastRadiusArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// The component the attacker executes code on.
    #[arg(required_unless_present = "vuln", conflicts_with = "vuln")]
    pub component: Option<String>,
    /// A vulnerability id (e.g. a CVE): every component where it is open is compromised.
    #[arg(long, value_name = "ID")]
    pub vuln: Option<String>,
    #[command(flatten)]
    pub findings: super::findings::FindingsFlags,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

pub(crate) fn run(args: &BlastRadiusArgs) -> u8 {
    let inner = || -> Result<u8, u8> {
        let (_loaded, model) = super::findings::model_or_exit(&args.model, &args.findings)?;
        let component = match (&args.component, &args.vuln) {
            (_, Some(vuln)) => return print_vulnerability_radius(&model, vuln, args.format),
            (Some(component), None) => component,
            (None, None) => unreachable!("clap requires a component or --vuln"),
        };
        let Some(from) = model.component_id(component) else {
            let hint = gambit_model::suggest::did_you_mean(
                component,
                model.components.iter().map(|c| c.id.as_str()),
            )
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
            eprintln!("error: `{component}` is not a component of the model{hint}");
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

/// `--vuln ID`: the joined blast radius of every component where ID is open.
fn print_vulnerability_radius(
    model: &gambit_model::Model,
    vuln: &str,
    format: PlainFormat,
) -> Result<u8, u8> {
    let Some(radius) = gambit_findings::blast::vulnerability_blast_radius(model, vuln) else {
        eprintln!(
            "error: no component has an open vulnerability `{vuln}` (give the scan with --findings)"
        );
        return Err(exit::BAD_INPUT);
    };
    match format {
        PlainFormat::Json => output::print_json(&serde_json::to_value(&radius).unwrap_or_default()),
        PlainFormat::Text => anstream::print!("{}", gambit_findings::blast::text(&radius)),
    }
    Ok(exit::OK)
}
