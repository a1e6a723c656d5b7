//! The Markdown report: compact enough for a pull-request comment. A summary line and
//! counts, the open high and critical threats (marked new when a baseline is given),
//! the shortest path to each crown-jewel goal, and the choke points.

use std::fmt::Write;

use gambit_model::vocab::{Severity, Vocab};
use gambit_rules::Threat;

use gambit_model::Model;

use crate::attack::{goal_label, shortest_paths};
use crate::baseline::Baseline;
use crate::diagram::{DiagramOptions, Focus};
use crate::escape::{markdown_cell as cell, markdown_text as text};
use crate::highlight::Highlight;
use crate::report::Report;

/// What to put in the comment.
#[derive(Clone, Debug)]
pub struct MarkdownOptions {
    /// An earlier report: threats new since it (see [`Baseline::is_new`]) are marked
    /// and listed first. `None`: no baseline, nothing is marked.
    pub baseline: Option<Baseline>,
    /// At most this many threats in the table (the rest are counted).
    pub max_threats: usize,
    /// At most this many attack paths.
    pub max_paths: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            baseline: None,
            max_threats: 25,
            max_paths: 5,
        }
    }
}

/// The report as Markdown with default options.
pub fn markdown(report: &Report) -> String {
    markdown_with(report, &MarkdownOptions::default())
}

pub(crate) fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "🟥",
        Severity::High => "🟧",
        Severity::Elevated => "🟨",
        Severity::Medium => "🟦",
        Severity::Low => "⬜",
    }
}

pub fn markdown_with(report: &Report, options: &MarkdownOptions) -> String {
    markdown_full(report, None, options)
}

/// The report as Markdown, with the shortest path also drawn: a Mermaid diagram of the
/// elements on it (GitHub and GitLab render it in comments), folded in `<details>`.
pub fn markdown_with_model(report: &Report, model: &Model, options: &MarkdownOptions) -> String {
    markdown_full(report, Some(model), options)
}

fn markdown_full(report: &Report, model: Option<&Model>, options: &MarkdownOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Gambit threat model: {}\n",
        text(&report.model.name)
    );
    summary(&mut out, report);
    threats(&mut out, report, options);
    paths(&mut out, report, options.max_paths);
    if let Some(model) = model {
        path_diagram(&mut out, report, model);
    }
    chokepoints(&mut out, report);
    let _ = writeln!(
        out,
        "<sub>Gambit {} · model digest `{}` · run `gambit analyze MODEL` for every threat</sub>",
        text(&report.gambit_version),
        cell(&report.model.digest)
    );
    out
}

fn summary(out: &mut String, report: &Report) {
    let s = &report.summary;
    let open_high = s.open_threats.critical + s.open_threats.high;
    let verdict = if open_high == 0 {
        "✅ no open high or critical threat".to_owned()
    } else {
        format!(
            "❌ **{open_high} open high or critical threat{}**",
            plural(open_high)
        )
    };
    let _ = writeln!(
        out,
        "{verdict} · {} threat{} in all · {} attack path{} · {} crown jewel{} exposed · {} components, {} flows\n",
        s.threats.total(),
        plural(s.threats.total()),
        s.attack_paths,
        plural(s.attack_paths),
        s.crown_jewels_exposed,
        plural(s.crown_jewels_exposed),
        s.components,
        s.flows,
    );
    out.push_str(
        "| | critical | high | elevated | medium | low |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for (label, c) in [("open", &s.open_threats), ("all", &s.threats)] {
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} | {} |",
            c.critical, c.high, c.elevated, c.medium, c.low
        );
    }
    out.push('\n');
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn is_high(t: &Threat) -> bool {
    matches!(t.severity, Severity::High | Severity::Critical)
}

fn threats(out: &mut String, report: &Report, options: &MarkdownOptions) {
    let is_new = |t: &Threat| {
        options
            .baseline
            .as_ref()
            .is_some_and(|b| !b.contains(&t.id))
    };
    let mut listed: Vec<&Threat> = report
        .threats
        .iter()
        .filter(|t| t.open && is_high(t))
        .collect();
    // New first, then as the report sorts them (severity, then id).
    listed.sort_by_key(|t| !is_new(t));
    let heading = if options.baseline.is_some() {
        "### Open high and critical threats (new first)"
    } else {
        "### Open high and critical threats"
    };
    let _ = writeln!(out, "{heading}\n");
    if listed.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    out.push_str("| severity | threat | target | on attack path |\n|---|---|---|---|\n");
    for t in listed.iter().take(options.max_threats) {
        let new = if is_new(t) { "🆕 " } else { "" };
        let _ = writeln!(
            out,
            "| {} {} | {new}**{}**<br>`{}` | `{}` ({}) | {} |",
            severity_icon(t.severity),
            t.severity.as_str(),
            cell(&t.title),
            cell(&t.id),
            cell(&t.target),
            t.target_kind,
            if t.on_attack_path { "⚠️ yes" } else { "no" }
        );
    }
    if listed.len() > options.max_threats {
        let _ = writeln!(out, "\n…and {} more.", listed.len() - options.max_threats);
    }
    out.push('\n');
}

fn paths(out: &mut String, report: &Report, max: usize) {
    out.push_str("### Shortest paths to crown jewels\n\n");
    let best = shortest_paths(report);
    if best.is_empty() {
        out.push_str("No attack path reaches a crown jewel.\n\n");
        return;
    }
    for p in best.iter().take(max) {
        let _ = writeln!(
            out,
            "**{} → {}** ({} step{}, effort {}, likelihood {})\n",
            text(&p.attacker),
            text(&goal_label(p)),
            p.steps.len(),
            plural(p.steps.len()),
            p.effort,
            p.likelihood,
        );
        for (i, s) in p.steps.iter().enumerate() {
            let technique = s.technique;
            let technique = if technique.is_empty() || technique == "-" {
                String::new()
            } else {
                format!(" ({})", cell(technique))
            };
            let _ = writeln!(
                out,
                "{}. {} `{}` via {}{technique}",
                i + 1,
                cell(s.gains),
                cell(&s.on),
                text(&s.via),
            );
        }
        out.push('\n');
    }
    if best.len() > max {
        let _ = writeln!(out, "…and {} more goals reached.\n", best.len() - max);
    }
}

/// The first (shortest) path as a Mermaid diagram of only its elements.
fn path_diagram(out: &mut String, report: &Report, model: &Model) {
    let Some(path) = shortest_paths(report).into_iter().next() else {
        return;
    };
    let highlight = Highlight::from_path(model, path);
    let elements: std::collections::BTreeSet<String> = highlight
        .elements()
        .filter(|id| model.lookup(id).is_some())
        .map(str::to_owned)
        .collect();
    if elements.is_empty() {
        return;
    }
    let options = DiagramOptions {
        focus: Focus::Elements(elements),
        highlight,
    };
    let Ok(mermaid) = crate::diagram::mermaid::render(model, &options) else {
        return;
    };
    let _ = writeln!(
        out,
        "<details><summary>The shortest path on the data-flow diagram</summary>\n\n```mermaid\n{}```\n\n</details>\n",
        mermaid
    );
}

fn chokepoints(out: &mut String, report: &Report) {
    out.push_str("### Choke points\n\n");
    if report.chokepoints.is_empty() {
        out.push_str("None: no attack path to cut.\n\n");
        return;
    }
    out.push_str("Fix these first: together they cut every path to the crown jewels.\n\n");
    out.push_str("| # | fix | kind | cuts |\n|---:|---|---|---:|\n");
    for (i, c) in report.chokepoints.iter().enumerate() {
        let cuts = c.cuts;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {cuts} path{} |",
            i + 1,
            cell(&c.fix),
            cell(c.kind),
            plural(cuts)
        );
    }
    out.push('\n');
}
