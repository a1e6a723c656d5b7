//! `gambit analyze MODEL`: the threats of a model, grouped by severity (text) or as the
//! report JSON of the CLI contract. Also the shared pieces of `check`: loading custom
//! rules from `--rules FILE` and running the analysis.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use gambit_model::ast::Date;
use gambit_model::vocab::{Severity, Vocab};
use gambit_model::{Diagnostic, Loaded, Model, SourceMap};
use gambit_rules::{Analysis, CustomRules, Options, Report, Scoring, Threat};

use crate::cli::ModelArg;
use crate::{exit, output, render};

/// Options every threat-analysis command shares.
#[derive(Args, Clone)]
pub(crate) struct ThreatOptions {
    /// Custom rules to add: a YAML file with a top-level `rules:` list (see docs/custom-rules.md).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// The date acceptances are checked against (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = gambit_rules::parse_date)]
    pub today: Option<Date>,
    #[command(flatten)]
    pub findings: crate::commands::findings::FindingsFlags,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AnalyzeFormat {
    /// Threats grouped by severity, then attack paths and choke points.
    Text,
    /// The report document of the CLI contract.
    Json,
    /// Compact, for a pull-request comment.
    Markdown,
    /// One self-contained page: risk matrix, diagram with clickable paths, threat table.
    Html,
    /// SARIF 2.1.0, each result at the line of the model element it concerns.
    Sarif,
    /// One row per threat, for issue trackers.
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScoringArg {
    /// Likelihood × impact only.
    Standard,
    /// Also five DREAD ratings per threat.
    Dread,
}

#[derive(Args, Clone)]
pub(crate) struct AnalyzeArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    pub format: AnalyzeFormat,
    /// Add scores: `dread` adds damage, reproducibility, exploitability, affected users
    /// and discoverability ratings to each threat.
    #[arg(long, value_enum, default_value_t = ScoringArg::Standard)]
    pub scoring: ScoringArg,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub threats: ThreatOptions,
    #[command(flatten)]
    pub attackers: crate::commands::paths::AttackerArgs,
}

/// A model analysed, with what it was loaded from.
pub(crate) struct Analysed {
    pub loaded: Loaded,
    pub model: Model,
    pub analysis: Analysis,
}

pub(crate) fn run(args: &AnalyzeArgs) -> u8 {
    let scoring = match args.scoring {
        ScoringArg::Standard => Scoring::Standard,
        ScoringArg::Dread => Scoring::Dread,
    };
    let analysed = match analyse(&args.model, &args.threats, scoring) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let attackers = match crate::commands::paths::parse_attackers(&analysed.model, &args.attackers)
    {
        Ok(a) => a,
        Err(code) => return code,
    };
    let Analysed {
        loaded,
        model,
        analysis,
    } = analysed;
    let report = gambit_report::assemble::report(&model, analysis, &attackers);
    let render = |format| gambit_report::render(format, &report, &model, &loaded.sources);
    let text = match args.format {
        AnalyzeFormat::Json => {
            serde_json::to_string_pretty(&report.to_json()).unwrap_or_default() + "\n"
        }
        AnalyzeFormat::Markdown => render(gambit_report::Format::Markdown),
        AnalyzeFormat::Html => render(gambit_report::Format::Html),
        AnalyzeFormat::Sarif => render(gambit_report::Format::Sarif),
        AnalyzeFormat::Csv => render(gambit_report::Format::Csv),
        AnalyzeFormat::Text => {
            let styled = args.output.is_none() && render::styled(render::Stream::Stdout);
            let mut text = render_text(&model, &report.threats, styled);
            text.push_str(&render_graph_text(&report, styled));
            text
        }
    };
    let code = emit(args.output.as_deref(), &text);
    // The process ends right after this: freeing a large model and report piece by piece
    // would only delay the exit (a quarter of the run on a 10,000-component model).
    std::mem::forget((loaded, model, report, text));
    code
}

/// After the threats: the best path to each crown-jewel goal and the choke points.
fn render_graph_text(report: &Report, styled: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let best: Vec<&serde_json::Value> = report
        .attack_paths
        .iter()
        .filter(|p| p["rank"].as_u64().is_none_or(|r| r == 1))
        .collect();
    let _ = writeln!(
        s,
        "\n{}",
        paint(
            styled,
            BOLD,
            &format!(
                "ATTACK PATHS TO CROWN JEWELS ({} goals reached)",
                best.len()
            )
        )
    );
    if best.is_empty() {
        let _ = writeln!(s, "  none: no attacker reaches a crown jewel");
    }
    for p in best {
        let goal = &p["goal"];
        let _ = writeln!(
            s,
            "  {} -> {} {}  (effort {}, likelihood {})",
            p["attacker"].as_str().unwrap_or("?"),
            goal["access"].as_str().unwrap_or("?"),
            goal["asset"]
                .as_str()
                .or_else(|| goal["component"].as_str())
                .unwrap_or("?"),
            p["effort"],
            p["likelihood"]
        );
        for (i, step) in p["steps"].as_array().into_iter().flatten().enumerate() {
            let via = step["via"]
                .as_str()
                .map(|v| format!(" via {v}"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "    {}. {} {} [{}]{via}",
                i + 1,
                step["gains"].as_str().unwrap_or("?"),
                step["on"].as_str().unwrap_or("?"),
                step["technique"].as_str().unwrap_or("-")
            );
        }
    }
    if !report.chokepoints.is_empty() {
        let _ = writeln!(
            s,
            "\n{}",
            paint(styled, BOLD, "CHOKE POINTS (fix these to cut every path)")
        );
        for c in &report.chokepoints {
            let _ = writeln!(
                s,
                "  {} (cuts {} goal{})",
                c["fix"].as_str().unwrap_or("?"),
                c["cuts"],
                if c["cuts"].as_u64() == Some(1) {
                    ""
                } else {
                    "s"
                }
            );
        }
    }
    s
}

/// Writes the output to the file (atomically) or standard output.
pub(crate) fn emit(path: Option<&Path>, text: &str) -> u8 {
    match path {
        Some(p) => match output::write_atomic(p, text.as_bytes()) {
            Ok(()) => exit::OK,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", p.display());
                exit::BAD_INPUT
            }
        },
        None => {
            // Raw bytes: the text is already styled (or not) for its destination, and
            // scanning tens of megabytes of JSON for escape codes would double the run.
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => exit::OK,
                // A closed pipe (`| head`) is not an error of ours.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
                Err(e) => {
                    eprintln!("error: cannot write the report: {e}");
                    exit::BAD_INPUT
                }
            }
        }
    }
}

/// Loads the model and the custom rules, runs the analysis and reports diagnostics.
/// Any error (in the model, the rules file or a custom rule) is exit code 2.
pub(crate) fn analyse(
    model_arg: &ModelArg,
    opts: &ThreatOptions,
    scoring: Scoring,
) -> Result<Analysed, u8> {
    let (loaded, model) = crate::commands::findings::model_or_exit(model_arg, &opts.findings)?;
    let extra = match &opts.rules {
        Some(path) => Some(load_rules_file(path, model_arg.max_size)?),
        None => None,
    };
    let (extra, extra_sources) = match extra {
        Some((rules, sources)) => (Some(rules), Some(sources)),
        None => (None, None),
    };
    let mut options = Options::new(opts.today.unwrap_or_else(gambit_rules::today_utc));
    options.scoring = scoring;
    options.sources = Some(&loaded.sources);
    options.extra_rules = extra.as_ref();
    let analysis = gambit_rules::analyze(&model, &options);
    render::print_diagnostics(&analysis.diagnostics, &loaded.sources);
    if let Some(sources) = &extra_sources {
        render::print_diagnostics(&analysis.extra_rule_diagnostics, sources);
    }
    if analysis.has_errors() {
        eprintln!(
            "error: {} cannot be analysed: fix the errors above first",
            model_arg.model.display()
        );
        return Err(exit::BAD_INPUT);
    }
    Ok(Analysed {
        loaded,
        model,
        analysis,
    })
}

/// Reads a `--rules` file: a YAML document whose `rules:` list has the shape of the
/// model's `rules:` section. It is read by the model loader itself, so its errors have
/// the same positions and wording as a model's.
fn load_rules_file(path: &Path, max_size: u64) -> Result<(CustomRules, SourceMap), u8> {
    let mut loaded = gambit_model::load_path(path, gambit_model::LoadOptions { max_size });
    loaded.diagnostics.retain(|d| d.code != "missing-version");
    render::print_diagnostics(&loaded.diagnostics, &loaded.sources);
    let Some(model) = loaded.model.take() else {
        eprintln!(
            "error: the rules file {} cannot be used: fix the errors above first",
            path.display()
        );
        return Err(exit::BAD_INPUT);
    };
    if model.rules.is_empty() {
        eprintln!(
            "warning: the rules file {} has no `rules:` entries",
            path.display()
        );
    }
    let (rules, diags) = CustomRules::compile_with(&model.rules, Some(&loaded.sources));
    render::print_diagnostics(&diags, &loaded.sources);
    if diags.iter().any(Diagnostic::is_error) {
        eprintln!(
            "error: the rules file {} cannot be used: fix the errors above first",
            path.display()
        );
        return Err(exit::BAD_INPUT);
    }
    Ok((rules, loaded.sources))
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "\x1b[1;35m",
        Severity::High => "\x1b[1;31m",
        Severity::Elevated => "\x1b[1;33m",
        Severity::Medium => "\x1b[1;36m",
        Severity::Low => "\x1b[1;37m",
    }
}

/// Paint `text` with an ANSI style when `styled`.
fn paint(styled: bool, style: &str, text: &str) -> String {
    if styled {
        format!("{style}{text}{RESET}")
    } else {
        text.to_owned()
    }
}

/// The text report: a summary line, then threats grouped by severity, highest first.
pub(crate) fn render_text(model: &Model, threats: &[Threat], styled: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let open = threats.iter().filter(|t| t.open).count();
    let counts = gambit_rules::report::SeverityCounts::of(threats);
    let _ = writeln!(
        s,
        "{}: {} threat{} ({} critical, {} high, {} elevated, {} medium, {} low), {open} open",
        paint(styled, BOLD, &model.name),
        threats.len(),
        if threats.len() == 1 { "" } else { "s" },
        counts.critical,
        counts.high,
        counts.elevated,
        counts.medium,
        counts.low
    );
    for severity in Severity::ALL.iter().rev() {
        let group: Vec<&Threat> = threats.iter().filter(|t| t.severity == *severity).collect();
        if group.is_empty() {
            continue;
        }
        let heading = format!("{} ({})", severity.as_str().to_uppercase(), group.len());
        let _ = writeln!(
            s,
            "\n{}",
            paint(styled, severity_color(*severity), &heading)
        );
        for t in group {
            write_threat(&mut s, t, styled);
        }
    }
    s
}

fn write_threat(s: &mut String, t: &Threat, styled: bool) {
    use gambit_model::vocab::Vocab;
    use std::fmt::Write;
    let status = match &t.status_note {
        Some(note) if t.open => format!("{} (open: {note})", t.status.as_str()),
        Some(note) => note.clone(),
        None => t.status.as_str().to_owned(),
    };
    let path = if t.on_attack_path {
        "  [on attack path]"
    } else {
        ""
    };
    let _ = writeln!(s, "  {} {}{path}", paint(styled, BOLD, &t.id), t.title);
    let stride: Vec<&str> = t.stride.iter().map(|x| x.as_str()).collect();
    let _ = writeln!(
        s,
        "    {}",
        paint(
            styled,
            DIM,
            &format!(
                "{} {} · likelihood {} × impact {} · {} · {status}",
                t.target_kind,
                t.target,
                t.likelihood,
                t.impact,
                stride.join(", ")
            )
        )
    );
    let _ = writeln!(s, "    why: {}", t.rationale);
    if !t.factors.is_empty() {
        let _ = writeln!(s, "    rated: {}", t.factors.join("; "));
    }
    let _ = writeln!(s, "    detection: {}", t.detection.summary);
    if let Some(fix) = t.mitigations.first() {
        let _ = writeln!(s, "    fix: {fix}");
    }
    if let Some(d) = &t.dread {
        let _ = writeln!(
            s,
            "    DREAD {:.1}: damage {}, reproducibility {}, exploitability {}, affected users {}, discoverability {}",
            d.score,
            d.damage,
            d.reproducibility,
            d.exploitability,
            d.affected_users,
            d.discoverability
        );
    }
    let refs: Vec<&str> = t
        .references
        .cwe
        .iter()
        .chain(&t.references.capec)
        .chain(&t.references.attack)
        .map(String::as_str)
        .collect();
    if !refs.is_empty() {
        let _ = writeln!(
            s,
            "    {}",
            paint(styled, DIM, &format!("refs: {}", refs.join(", ")))
        );
    }
}
