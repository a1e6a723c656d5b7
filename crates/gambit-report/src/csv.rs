//! CSV: one row per threat, for importing into issue trackers. RFC 4180 (CRLF line ends,
//! fields quoted when needed, quotes doubled); list fields joined with "; ".

use gambit_model::vocab::Vocab;
use gambit_rules::Threat;

use crate::report::Report;

use crate::escape::csv_field;

pub const COLUMNS: &[&str] = &[
    "id",
    "rule",
    "title",
    "severity",
    "likelihood",
    "impact",
    "status",
    "target",
    "target_kind",
    "stride",
    "cwe",
    "on_attack_path",
    "rationale",
    "mitigations",
];

pub fn csv(report: &Report) -> String {
    let mut out = String::new();
    push_row(&mut out, COLUMNS.iter().map(|c| (*c).to_owned()));
    for t in &report.threats {
        push_row(&mut out, row(t).into_iter());
    }
    out
}

fn row(t: &Threat) -> Vec<String> {
    vec![
        t.id.clone(),
        t.rule.clone(),
        t.title.clone(),
        t.severity.as_str().to_owned(),
        t.likelihood.as_str().to_owned(),
        t.impact.as_str().to_owned(),
        t.status.as_str().to_owned(),
        t.target.clone(),
        t.target_kind.to_owned(),
        t.stride
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        t.references.cwe.join("; "),
        t.on_attack_path.to_string(),
        t.rationale.clone(),
        t.mitigations.join("; "),
    ]
}

fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    let line: Vec<String> = fields.map(|f| csv_field(&f)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}
