//! `gambit check MODEL --fail-on LEVEL`: the CI gate. Exit 1 when an open threat (open,
//! in progress, or accepted past its expiry) is at or above the level; 0 otherwise.

use std::path::Path;

use gambit_report::baseline::Baseline;
use gambit_report::text::{CheckVerdict, check_text};
use gambit_rules::Scoring;
use gambit_rules::scoring::severity_rank;

use crate::analysis;
use crate::cli::CheckArgs;
use crate::error::{CommandResult, Failure, Outcome};
use crate::progress::Progress;
use crate::sink;

/// Reads a baseline report, within the same size limit as models.
fn read_baseline(path: &Path) -> Result<Baseline, Failure> {
    let read = || -> Result<Baseline, String> {
        let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let text = gambit_model::read_limited(
            file,
            &path.display().to_string(),
            gambit_model::DEFAULT_MAX_SIZE,
        )
        .map_err(|d| d.message)?;
        Baseline::parse(&text)
    };
    read().map_err(|message| Failure::bad_input(format!("baseline {}: {message}", path.display())))
}

pub(crate) fn run(args: &CheckArgs) -> CommandResult {
    let progress = Progress::start("loading the model and finding threats");
    let analyzed = analysis::threats(&args.model, &args.threats, Scoring::Standard, &progress)?;
    drop(progress);
    let baseline = args.baseline.as_deref().map(read_baseline).transpose()?;
    let level = args.fail_on.severity();
    let threats = &analyzed.threats.threats;
    let failing: Vec<_> = threats
        .iter()
        .filter(|t| t.open && severity_rank(t.severity) >= severity_rank(level))
        .filter(|t| baseline.as_ref().is_none_or(|b| b.is_new(t)))
        .collect();
    let name = args.model.model.display().to_string();
    sink::print(&check_text(&CheckVerdict {
        name: &name,
        level,
        against_baseline: baseline.is_some(),
        threats,
        failing: &failing,
    }))?;
    Ok(if failing.is_empty() {
        Outcome::Success
    } else {
        Outcome::Findings
    })
}
