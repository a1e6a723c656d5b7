//! `gambit check MODEL --fail-on LEVEL`: the CI gate. Exit 1 when an open threat (open,
//! in progress, or accepted past its expiry) is at or above the level; 0 otherwise.

use clap::{Args, ValueEnum};
use gambit_model::vocab::{Severity, Vocab};
use gambit_rules::Scoring;
use gambit_rules::scoring::severity_rank;

use crate::cli::ModelArg;
use crate::commands::analyze::{self, ThreatOptions};
use crate::exit;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Level {
    Low,
    Medium,
    Elevated,
    High,
    Critical,
}

impl Level {
    fn severity(self) -> Severity {
        match self {
            Level::Low => Severity::Low,
            Level::Medium => Severity::Medium,
            Level::Elevated => Severity::Elevated,
            Level::High => Severity::High,
            Level::Critical => Severity::Critical,
        }
    }
}

#[derive(Args, Clone)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Fail when an open threat is at or above this severity.
    #[arg(long, value_enum, default_value_t = Level::High)]
    pub fail_on: Level,
    #[command(flatten)]
    pub threats: ThreatOptions,
}

pub(crate) fn run(args: &CheckArgs) -> u8 {
    let analysed = match analyze::analyse(&args.model, &args.threats, Scoring::Standard) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let level = args.fail_on.severity();
    let threats = &analysed.analysis.threats;
    let failing: Vec<_> = threats
        .iter()
        .filter(|t| t.open && severity_rank(t.severity) >= severity_rank(level))
        .collect();
    let decided = threats.iter().filter(|t| !t.open).count();
    let name = args.model.model.display();
    if failing.is_empty() {
        anstream::println!(
            "{name}: check passed: no open threat at or above {} ({} threats, {decided} decided)",
            level.as_str(),
            threats.len()
        );
        return exit::OK;
    }
    for t in &failing {
        let note = t
            .status_note
            .as_deref()
            .map(|n| format!(" [{n}]"))
            .unwrap_or_default();
        anstream::println!("{:<9} {}  {}{note}", t.severity.as_str(), t.id, t.title);
    }
    anstream::println!(
        "{name}: check failed: {} open threat{} at or above {}",
        failing.len(),
        if failing.len() == 1 { "" } else { "s" },
        level.as_str()
    );
    exit::FINDINGS
}
