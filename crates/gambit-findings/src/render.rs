//! The `findings` command's outputs: text for people, JSON (the CLI contract), CSV for
//! spreadsheets and trackers, SARIF to send back to code scanning with the rank as level.

use serde_json::{Value, json};

use crate::rank::{FindingsReport, Row};

/// Where a finding stands, as a SARIF level: on an attack path is an error; open and
/// known exploited or CVSS 7 and up a warning; other open ones a note; closed ones none.
pub fn level(row: &Row) -> &'static str {
    if row.status != "open" {
        "none"
    } else if row.on_attack_path {
        "error"
    } else if row.kev || row.cvss.is_some_and(|c| c >= 7.0) {
        "warning"
    } else {
        "note"
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

/// Plain text: the headline, one line per finding (fix set marked `*`), the unmatched.
pub fn text(report: &FindingsReport) -> String {
    let mut out = String::new();
    out.push_str(&report.headline());
    out.push('\n');
    let s = &report.summary;
    if s.goals_reached_without_findings > 0 {
        out.push_str(&format!(
            "{} attacker goals are reached without any finding: see `gambit chokepoints`\n",
            s.goals_reached_without_findings
        ));
    }
    let id_width = report
        .findings
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(0)
        .max(7);
    let component_width = report
        .findings
        .iter()
        .map(|r| r.component.len())
        .max()
        .unwrap_or(0)
        .max(9);
    if !report.findings.is_empty() {
        out.push_str(&format!(
            "\n{:>5}  {:<id_width$}  {:<component_width$}  {:<20}  {:>3}  {:>4}  {:>4}  {}\n",
            "rank", "finding", "component", "effect", "kev", "epss", "cvss", "goals"
        ));
    }
    for r in &report.findings {
        let mark = if r.fix { "*" } else { " " };
        let goals = if r.on_attack_path {
            r.goals.join(", ")
        } else if r.status != "open" {
            format!("({})", r.status)
        } else {
            "-".to_owned()
        };
        out.push_str(&format!(
            "{:>4}{mark}  {:<id_width$}  {:<component_width$}  {:<20}  {:>3}  {:>4}  {:>4}  {}\n",
            r.rank,
            r.id,
            r.component,
            r.effect,
            if r.kev { "yes" } else { "" },
            r.epss.map(|e| format!("{e:.2}")).unwrap_or_default(),
            r.cvss.map(|c| format!("{c:.1}")).unwrap_or_default(),
            goals,
        ));
    }
    if report.findings.iter().any(|r| r.fix) {
        out.push_str("\n* fixing these cuts every path through a finding\n");
    }
    if !report.unmatched.is_empty() {
        out.push_str(&format!("\nunmatched ({}):\n", report.unmatched.len()));
        for u in &report.unmatched {
            out.push_str(&format!("  {}: {}\n", u.id, u.reason));
        }
    }
    out
}

/// The JSON document of the CLI contract.
pub fn json(report: &FindingsReport) -> Value {
    serde_json::to_value(report).unwrap_or(Value::Null)
}

pub const CSV_COLUMNS: &[&str] = &[
    "rank",
    "id",
    "component",
    "package",
    "status",
    "on_attack_path",
    "fix",
    "goals",
    "kev",
    "epss",
    "cvss",
    "effect",
    "source",
    "matched_by",
    "reason",
];

/// One CSV field: quoted when it holds a comma, quote or line break (RFC 4180); a leading
/// `=`, `+`, `-` or `@` gets a `'` so spreadsheets do not run it as a formula.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn push_row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    let line: Vec<String> = fields.into_iter().map(|f| csv_field(&f)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

/// CSV: ranked findings, then the unmatched ones (no rank, with their reason).
pub fn csv(report: &FindingsReport) -> String {
    let mut out = String::new();
    push_row(&mut out, CSV_COLUMNS.iter().map(|c| (*c).to_owned()));
    for r in &report.findings {
        push_row(
            &mut out,
            [
                r.rank.to_string(),
                r.id.clone(),
                r.component.clone(),
                opt(&r.package),
                r.status.to_owned(),
                r.on_attack_path.to_string(),
                r.fix.to_string(),
                r.goals.join("; "),
                r.kev.to_string(),
                opt(&r.epss),
                opt(&r.cvss),
                r.effect.to_owned(),
                r.source.clone(),
                r.matched_by.clone(),
                String::new(),
            ],
        );
    }
    for u in &report.unmatched {
        let mut fields = vec![String::new(); CSV_COLUMNS.len()];
        fields[1].clone_from(&u.id);
        fields[3] = opt(&u.package);
        fields[12].clone_from(&u.source);
        fields[14].clone_from(&u.reason);
        push_row(&mut out, fields);
    }
    out
}

fn sarif_message(r: &Row) -> String {
    let mut text = format!("{} on {}", r.id, r.component);
    if let Some(p) = &r.package {
        text.push_str(&format!(" ({p})"));
    }
    if r.on_attack_path {
        text.push_str(&format!(
            " lies on an attack path to {} (rank {})",
            r.goals.join(", "),
            r.rank
        ));
    } else {
        text.push_str(&format!(" lies on no attack path (rank {})", r.rank));
    }
    if r.fix {
        text.push_str("; patching it is part of the fewest fixes that cut every path");
    }
    text
}

/// SARIF 2.1.0: one result per ranked finding, level from [`level`], the rank as SARIF's
/// 0 to 100 `rank` (the first finding 100), VEX-closed findings suppressed.
pub fn sarif(report: &FindingsReport) -> Value {
    let n = report.findings.len().max(1) as f64;
    let mut rule_ids: Vec<&str> = report.findings.iter().map(|r| r.id.as_str()).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            let title = report
                .findings
                .iter()
                .find(|r| r.id == *id)
                .and_then(|r| r.title.clone())
                .unwrap_or_else(|| (*id).to_owned());
            json!({"id": id, "shortDescription": {"text": title}})
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|r| {
            let location = match &r.location {
                Some(uri) => json!({"physicalLocation": {"artifactLocation": {"uri": uri}},
                                    "logicalLocations": [{"name": r.component, "kind": "module"}]}),
                None => json!({"logicalLocations": [{"name": r.component, "kind": "module"}]}),
            };
            let mut result = json!({
                "ruleId": r.id,
                "ruleIndex": rule_ids.binary_search(&r.id.as_str()).unwrap_or(0),
                "level": level(r),
                "rank": ((n - (r.rank as f64 - 1.0)) / n * 100.0 * 10.0).round() / 10.0,
                "message": {"text": sarif_message(r)},
                "locations": [location],
                "properties": {
                    "gambitRank": r.rank,
                    "component": r.component,
                    "onAttackPath": r.on_attack_path,
                    "goals": r.goals,
                    "effect": r.effect,
                    "kev": r.kev,
                    "epss": r.epss,
                    "cvss": r.cvss,
                    "fix": r.fix,
                },
            });
            if r.status != "open" {
                result["suppressions"] = json!([{
                    "kind": "external",
                    "justification": format!("VEX: {}", r.status),
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gambit",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/gambit",
                "rules": rules,
            }},
            "results": results,
            "properties": {"summary": report.summary},
        }],
    })
}
