//! `gambit drift MODEL --terraform PLAN.json | --kubernetes PATH...`: what the model says
//! and the infrastructure contradicts (exit 1), what exists but is not modelled, what is
//! modelled but gone. The comparison is gambit-discover's.

use std::path::PathBuf;

use clap::Args;

use super::paths::PlainFormat;
use crate::cli::ModelArg;
use crate::{exit, input, output};

#[derive(Args, Clone)]
pub(crate) struct DriftArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Compare with this Terraform plan (JSON of `terraform show -json`).
    #[arg(
        long,
        value_name = "PLAN",
        conflicts_with = "kubernetes",
        required_unless_present = "kubernetes"
    )]
    pub terraform: Option<PathBuf>,
    /// Compare with these Kubernetes manifests (files or folders).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub kubernetes: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

pub(crate) fn run(args: &DriftArgs) -> u8 {
    let (_loaded, model) = match input::model_or_exit(&args.model) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let found = match &args.terraform {
        Some(plan) => gambit_discover::terraform::discover_file(plan, args.model.max_size)
            .map(|f| gambit_discover::drift(&model, &f, gambit_discover::terraform::claims)),
        None => gambit_discover::kubernetes::discover_paths(&args.kubernetes)
            .map(|f| gambit_discover::drift(&model, &f, gambit_discover::kubernetes::claims)),
    };
    let drift = match found {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::BAD_INPUT;
        }
    };
    match args.format {
        PlainFormat::Json => output::print_json(&serde_json::to_value(&drift).unwrap_or_default()),
        PlainFormat::Text => anstream::print!("{}", drift.to_text()),
    }
    if drift.has_contradictions() {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
