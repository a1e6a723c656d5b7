//! The command-line interface: every command and flag, with its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "gambit",
    version,
    about = "Threat modeling as code: check a system model, find its threats and attack paths",
    long_about = "Gambit reads a YAML model of a system (assets, trust zones, actors, components, \
identities and data flows), checks it like a compiler, and finds how an attacker could reach \
what matters.\n\nStart with `gambit init`, then `gambit validate gambit.yaml`.",
    after_help = "Exit codes: 0 success; 1 `validate` found errors; 2 the input could not be used.\n\
Documentation: docs/ in the repository (model language, diagnostics, CLI)."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to color output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn write_global(self) {
        let choice = match self {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Write a commented starter model that passes `validate`.
    Init {
        /// Folder to write `gambit.yaml` into (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing gambit.yaml.
        #[arg(long)]
        force: bool,
    },
    /// Parse and check a model; print every error and warning.
    Validate {
        #[command(flatten)]
        model: ModelArg,
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
        /// Treat warnings as errors (exit 1 when there is any).
        #[arg(long)]
        strict: bool,
    },
    /// Print the JSON Schema of the model format, for editor completion and checking.
    Schema,
    // --- rules commands (gambit-rules): analyze, check, rules ---
    /// Find the threats in a model, rated and explained, grouped by severity.
    Analyze(crate::commands::analyze::AnalyzeArgs),
    /// The CI gate: exit 1 when an open threat is at or above a severity (default high).
    Check(crate::commands::check::CheckArgs),
    /// The rule catalog: `list` (default) or `explain RULE`.
    Rules {
        #[command(subcommand)]
        command: Option<crate::commands::rules::RulesCommand>,
    },
    // --- end rules commands ---
    // --- graph commands (gambit-graph): paths, exposure, blast-radius, chokepoints, tree ---
    /// The k best attack paths to each crown-jewel goal (or to one asset).
    Paths(crate::commands::paths::PathsArgs),
    /// Which assets each attacker can read or write, with the shortest path's length.
    Exposure(crate::commands::exposure::ExposureArgs),
    /// All that an attacker with code execution on a component reaches.
    BlastRadius(crate::commands::blast_radius::BlastRadiusArgs),
    /// The smallest set of fixes that cuts every path to crown jewels.
    Chokepoints(crate::commands::chokepoints::ChokepointsArgs),
    /// The AND/OR attack tree of a goal, with its evaluated effort and likelihood.
    Tree(crate::commands::tree::TreeArgs),
    // --- end graph commands ---
    // --- report commands (gambit-report): diagram, diff ---
    /// The data-flow diagram (DOT, Mermaid, or SVG laid out without Graphviz).
    Diagram(crate::commands::diagram::DiagramArgs),
    /// What changed between two versions of a model: threats, attack paths, exposure,
    /// choke points.
    Diff(crate::commands::diff::DiffArgs),
    // --- end report commands ---
    /// Scanner findings matched to the model's components and ranked by whether they lie
    /// on an attack path to a crown jewel; unmatched ones listed with the reason.
    Findings(crate::commands::findings::FindingsArgs),
}

/// The model to read, shared by every command that reads one.
#[derive(Args, Clone)]
pub(crate) struct ModelArg {
    /// Model file (YAML or JSON), or `-` for standard input.
    pub model: PathBuf,
    /// Largest model accepted, all included files together, in bytes (suffixes KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_size)]
    pub max_size: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagFormat {
    Text,
    Json,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size; write e.g. 512MiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}`; use KiB, MiB or GiB")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{s}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("10"), Ok(10));
        assert_eq!(parse_size("1 GiB"), Ok(1 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
