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
    /// Only threats new since this baseline fail: a JSON file written by
    /// `gambit analyze --format json` (new = not in it, reopened, or more severe).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub threats: ThreatOptions,
}

/// Reads a baseline report, within the same size limit as models.
fn read_baseline(path: &std::path::Path) -> Result<gambit_report::baseline::Baseline, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let text = gambit_model::read_limited(
        file,
        &path.display().to_string(),
        gambit_model::DEFAULT_MAX_SIZE,
    )
    .map_err(|d| d.message)?;
    gambit_report::baseline::Baseline::parse(&text)
}

pub(crate) fn run(args: &CheckArgs) -> u8 {
    let analysed = match analyze::analyse(&args.model, &args.threats, Scoring::Standard) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let baseline = match &args.baseline {
        Some(path) => match read_baseline(path) {
            Ok(b) => Some(b),
            Err(message) => {
                eprintln!("error: baseline {}: {message}", path.display());
                return exit::BAD_INPUT;
            }
        },
        None => None,
    };
    let level = args.fail_on.severity();
    let threats = &analysed.analysis.threats;
    let failing: Vec<_> = threats
        .iter()
        .filter(|t| t.open && severity_rank(t.severity) >= severity_rank(level))
        .filter(|t| baseline.as_ref().is_none_or(|b| b.is_new(t)))
        .collect();
    let decided = threats.iter().filter(|t| !t.open).count();
    let name = args.model.model.display();
    if failing.is_empty() {
        anstream::println!(
            "{name}: check passed: no {}open threat at or above {} ({} threats, {decided} decided)",
            if baseline.is_some() { "new " } else { "" },
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
        "{name}: check failed: {} {}open threat{} at or above {}",
        failing.len(),
        if baseline.is_some() { "new " } else { "" },
        if failing.len() == 1 { "" } else { "s" },
        level.as_str()
    );
    exit::FINDINGS
}
