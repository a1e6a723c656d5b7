//! The text report of `gambit analyze` and the lines of `gambit check`: for a terminal,
//! coloured through anstyle when the caller says the destination takes colour. Model
//! text goes through [`plain`], so a model can never send escape sequences to a terminal.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use gambit_model::vocab::{Severity, Vocab};
use gambit_rules::Threat;

use crate::escape::plain;
use crate::report::Report;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

fn severity_style(s: Severity) -> Style {
    let colour = match s {
        Severity::Critical => AnsiColor::Magenta,
        Severity::High => AnsiColor::Red,
        Severity::Elevated => AnsiColor::Yellow,
        Severity::Medium => AnsiColor::Cyan,
        Severity::Low => AnsiColor::White,
    };
    BOLD.fg_color(Some(colour.into()))
}

/// Text with `style` when `styled`.
fn paint(styled: bool, style: Style, text: &str) -> String {
    if styled {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_owned()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A number as the JSON report writes it (`2.0`, `0.54`), so text and JSON agree.
fn number(x: f64) -> String {
    serde_json::to_string(&x).unwrap_or_else(|_| x.to_string())
}

/// `gambit analyze` as text: a summary line, the threats grouped by severity (highest
/// first), then the best path to each crown-jewel goal and the choke points. What would
/// detect an attack is said once per target (every time when `verbose`).
pub fn analyze_text(report: &Report, styled: bool, verbose: bool) -> String {
    let mut s = threats_text(report, styled, verbose);
    graph_text(&mut s, report, styled);
    s
}

fn threats_text(report: &Report, styled: bool, verbose: bool) -> String {
    let mut detection_shown: std::collections::HashSet<&str> = Default::default();
    let threats = &report.threats;
    let mut s = String::new();
    let counts = report.summary.threats;
    let open = report.summary.open_threats.total();
    let _ = writeln!(
        s,
        "{}: {} threat{} ({} critical, {} high, {} elevated, {} medium, {} low), {open} open",
        paint(styled, BOLD, &plain(&report.model.name)),
        threats.len(),
        plural(threats.len()),
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
            paint(styled, severity_style(*severity), &heading)
        );
        for t in group {
            let detection = verbose || detection_shown.insert(t.target.as_str());
            write_threat(&mut s, t, styled, detection);
        }
    }
    s
}

fn write_threat(s: &mut String, t: &Threat, styled: bool, detection: bool) {
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
    let _ = writeln!(
        s,
        "  {} {}{path}",
        paint(styled, BOLD, &plain(&t.id)),
        plain(&t.title)
    );
    let stride: Vec<&str> = t.stride.iter().map(|x| x.as_str()).collect();
    let facts = format!(
        "{} {} · likelihood {} × impact {} · {} · {status}",
        t.target_kind,
        t.target,
        t.likelihood,
        t.impact,
        stride.join(", ")
    );
    let _ = writeln!(s, "    {}", paint(styled, DIM, &plain(&facts)));
    let _ = writeln!(s, "    why: {}", plain(&t.rationale));
    if !t.factors.is_empty() {
        let _ = writeln!(s, "    rated: {}", plain(&t.factors.join("; ")));
    }
    if !t.also.is_empty() {
        let _ = writeln!(s, "    also: {}", plain(&t.also.join(", ")));
    }
    if detection {
        let _ = writeln!(s, "    detection: {}", plain(&t.detection.summary));
    }
    if let Some(fix) = t.mitigations.first() {
        let _ = writeln!(s, "    fix: {}", plain(fix));
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
        let refs = format!("refs: {}", refs.join(", "));
        let _ = writeln!(s, "    {}", paint(styled, DIM, &plain(&refs)));
    }
}

/// After the threats: the best path to each crown-jewel goal and the choke points.
fn graph_text(s: &mut String, report: &Report, styled: bool) {
    let best: Vec<_> = report.best_paths().collect();
    let heading = format!(
        "ATTACK PATHS TO CROWN JEWELS ({} goals reached)",
        best.len()
    );
    let _ = writeln!(s, "\n{}", paint(styled, BOLD, &heading));
    if best.is_empty() {
        let _ = writeln!(s, "  none: no attacker reaches a crown jewel");
    }
    for p in best {
        let goal = format!(
            "{} -> {} {}  (effort {}, likelihood {})",
            p.attacker,
            p.goal.access,
            p.goal.asset,
            number(p.effort),
            number(p.likelihood)
        );
        let _ = writeln!(s, "  {}", plain(&goal));
        for (i, step) in p.steps.iter().enumerate() {
            let line = format!(
                "{}. {} {} [{}] via {}",
                i + 1,
                step.gains,
                step.on,
                step.technique,
                step.via
            );
            let _ = writeln!(s, "    {}", plain(&line));
        }
    }
    if !report.chokepoints.is_empty() {
        let heading = "CHOKE POINTS (fix these to cut every path)";
        let _ = writeln!(s, "\n{}", paint(styled, BOLD, heading));
        for c in &report.chokepoints {
            let _ = writeln!(
                s,
                "  {} (cuts {} goal{})",
                plain(&c.fix),
                c.cuts,
                plural(c.cuts)
            );
        }
    }
}

/// The verdict of `gambit check`: the failing threats, one a line, then a summary.
pub struct CheckVerdict<'a> {
    /// The model's name as given on the command line.
    pub name: &'a str,
    /// The threshold, e.g. `high`.
    pub level: Severity,
    /// Whether only threats new since a baseline count.
    pub against_baseline: bool,
    /// All threats of the model.
    pub threats: &'a [Threat],
    /// The open threats at or above the level (and new, with a baseline).
    pub failing: &'a [&'a Threat],
}

/// `gambit check` as text.
pub fn check_text(v: &CheckVerdict<'_>) -> String {
    let mut s = String::new();
    let new = if v.against_baseline { "new " } else { "" };
    let name = plain(v.name);
    if v.failing.is_empty() {
        let decided = v.threats.iter().filter(|t| !t.open).count();
        let _ = writeln!(
            s,
            "{name}: check passed: no {new}open threat at or above {} ({} threats, {decided} decided)",
            v.level.as_str(),
            v.threats.len()
        );
        return s;
    }
    for t in v.failing {
        let note = t
            .status_note
            .as_deref()
            .map(|n| format!(" [{n}]"))
            .unwrap_or_default();
        let line = format!("{:<9} {}  {}{note}", t.severity.as_str(), t.id, t.title);
        let _ = writeln!(s, "{}", plain(&line));
    }
    let _ = writeln!(
        s,
        "{name}: check failed: {} {new}open threat{} at or above {}",
        v.failing.len(),
        plural(v.failing.len()),
        v.level.as_str()
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(name: &str) -> Report {
        let text = format!(
            "gambit: 1\nname: \"{name}\"\ncomponents:\n  web: {{kind: web-app, public: true}}\n  db: {{kind: database}}\nflows:\n  - {{from: web, to: db, protocol: http}}\n"
        );
        let model = gambit_model::load_str("t.yaml", text, None, Default::default())
            .model
            .expect("valid model");
        let today = gambit_rules::parse_date("2026-06-01").expect("a date");
        let threats = gambit_rules::analyze(&model, &gambit_rules::Options::new(today));
        crate::assemble::report(&model, threats, &[])
    }

    #[test]
    fn the_text_report_groups_threats_and_colours_only_when_asked() {
        let r = report("Shop");
        let plain_text = analyze_text(&r, false, false);
        assert!(plain_text.starts_with("Shop: "), "{plain_text}");
        assert!(plain_text.contains("ATTACK PATHS TO CROWN JEWELS"));
        assert!(!plain_text.contains('\u{1b}'));
        let styled = analyze_text(&r, true, false);
        assert!(styled.starts_with("\u{1b}[1mShop\u{1b}[0m: "), "{styled}");
    }

    #[test]
    fn detection_is_said_once_per_target_unless_verbose() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/acme-shop.yaml");
        let text = std::fs::read_to_string(path).expect("the example");
        let model = gambit_model::load_str("acme-shop.yaml", text, None, Default::default())
            .model
            .expect("valid model");
        let today = gambit_rules::parse_date("2026-06-01").expect("a date");
        let threats = gambit_rules::analyze(&model, &gambit_rules::Options::new(today));
        let r = crate::assemble::report(&model, threats, &[]);
        let targets: std::collections::BTreeSet<&str> =
            r.threats.iter().map(|t| t.target.as_str()).collect();
        assert!(
            r.threats.len() > targets.len(),
            "some target has several threats"
        );
        let brief = analyze_text(&r, false, false);
        let verbose = analyze_text(&r, false, true);
        assert_eq!(brief.matches("    detection: ").count(), targets.len());
        assert_eq!(verbose.matches("    detection: ").count(), r.threats.len());
    }

    #[test]
    fn folded_threats_are_named_on_one_line() {
        let mut r = report("Shop");
        r.threats[0].also = vec!["rule-a@web".into(), "rule-b@web".into()];
        let text = analyze_text(&r, false, false);
        assert!(
            text.contains("    also: rule-a@web, rule-b@web\n"),
            "{text}"
        );
    }

    #[test]
    fn model_text_cannot_reach_the_terminal_raw() {
        let r = report("evil\\e[2J\\a name");
        let text = analyze_text(&r, false, false);
        assert!(text.starts_with("evil[2J name: "), "{text}");
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn check_lists_failing_threats_then_the_verdict() {
        let r = report("Shop");
        let failing: Vec<&Threat> = r.threats.iter().take(2).collect();
        let v = CheckVerdict {
            name: "shop.yaml",
            level: Severity::Low,
            against_baseline: true,
            threats: &r.threats,
            failing: &failing,
        };
        let text = check_text(&v);
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.ends_with("shop.yaml: check failed: 2 new open threats at or above low\n"));
        let passed = check_text(&CheckVerdict {
            failing: &[],
            against_baseline: false,
            ..v
        });
        assert!(passed.starts_with("shop.yaml: check passed: no open threat at or above low ("));
    }
}
