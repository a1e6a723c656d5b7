//! `gambit analyze MODEL`: the report in any of its formats (rendered by gambit-report).

use gambit_report::{Context, Format};
use gambit_rules::Scoring;

use crate::analysis::{self, Analyzed};
use crate::cli::{AnalyzeArgs, AnalyzeFormat, ScoringArg};
use crate::error::{CommandResult, Outcome};
use crate::progress::Progress;
use crate::{render, sink};

pub(crate) fn run(args: &AnalyzeArgs) -> CommandResult {
    let scoring = match args.scoring {
        ScoringArg::Standard => Scoring::Standard,
        ScoringArg::Dread => Scoring::Dread,
    };
    let progress = Progress::start("loading the model and finding threats");
    let Analyzed {
        loaded,
        model,
        threats,
    } = analysis::threats(&args.model, &args.threats, scoring, &progress)?;
    let attackers = analysis::attackers(&model, &args.attackers)?;
    progress.stage("finding attack paths");
    let report = gambit_report::assemble::report(&model, threats, &attackers);
    progress.stage("writing the report");
    let output = args.output.output.as_deref();
    let format = match args.format {
        AnalyzeFormat::Text => Format::Text {
            styled: output.is_none() && render::styled(render::Stream::Stdout),
            verbose: args.verbose,
        },
        AnalyzeFormat::Json => Format::Json,
        AnalyzeFormat::Markdown => Format::Markdown,
        AnalyzeFormat::Html => Format::Html,
        AnalyzeFormat::Sarif => Format::Sarif,
        AnalyzeFormat::Csv => Format::Csv,
    };
    // SARIF locations are relative to where the command runs.
    let base = std::env::current_dir().ok();
    let cx = Context {
        model: &model,
        sources: &loaded.sources,
        base: base.as_deref(),
    };
    sink::write_to(output, |out| gambit_report::write(format, &report, cx, out))?;
    drop(progress);
    // The process ends right after this: freeing a large model and report piece by piece
    // would only delay the exit (a quarter of the run on a 10,000-component model).
    std::mem::forget((loaded, model, report));
    Ok(Outcome::Success)
}
