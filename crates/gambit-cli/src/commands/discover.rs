//! `gambit discover terraform PLAN.json | kubernetes PATH... [-o FILE]`: writes a model
//! fragment to include from a hand-written model; findings and skipped resource types
//! go to standard error. All the work is in gambit-discover.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use gambit_discover::{Fragment, ReadError};

use crate::{exit, output};

#[derive(Args, Clone)]
pub(crate) struct DiscoverArgs {
    #[command(subcommand)]
    pub source: DiscoverSource,
    /// Write the fragment here instead of to standard output.
    #[arg(short, long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Subcommand, Clone)]
pub(crate) enum DiscoverSource {
    /// From the JSON of `terraform show -json PLANFILE` (AWS resources).
    Terraform {
        plan: PathBuf,
        /// Largest plan accepted, in bytes (suffixes KiB, MiB, GiB).
        #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = crate::cli::parse_size)]
        max_size: u64,
    },
    /// From Kubernetes manifests: files or folders of YAML (also `helm template` and
    /// `kustomize build` output).
    Kubernetes {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

pub(crate) fn run(args: &DiscoverArgs) -> u8 {
    match discover(&args.source) {
        Ok(fragment) => {
            anstream::eprint!("{}", fragment.summary_text());
            let yaml = fragment.to_yaml();
            match &args.output {
                Some(path) => match output::write_atomic(path, yaml.as_bytes()) {
                    Ok(()) => exit::OK,
                    Err(e) => {
                        eprintln!("error: cannot write {}: {e}", path.display());
                        exit::BAD_INPUT
                    }
                },
                None => {
                    anstream::print!("{yaml}");
                    exit::OK
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::BAD_INPUT
        }
    }
}

pub(crate) fn discover(source: &DiscoverSource) -> Result<Fragment, ReadError> {
    match source {
        DiscoverSource::Terraform { plan, max_size } => {
            gambit_discover::terraform::discover_file(plan, *max_size)
        }
        DiscoverSource::Kubernetes { paths } => gambit_discover::kubernetes::discover_paths(paths),
    }
}
