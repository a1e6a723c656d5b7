//! SARIF 2.1.0, for code-scanning services: the rule catalog in `tool.driver.rules`
//! (built-in rules with their documentation, the model's custom rules, and a minimal
//! entry for any other rule a threat names), and one result per threat located at the
//! line and column where its target is written in the model, so reviewers see it on
//! the YAML. Closed threats (mitigated, accepted, false positive) are results with a
//! `suppressions` entry, as SARIF means them to be.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gambit_model::vocab::{Impact, Likelihood, RiskStatus, Severity, Stride, Vocab};
use gambit_model::{ElementId, Model, SourceMap, Span};
use gambit_rules::{Threat, registry, scoring};

use serde::Serialize;

use crate::report::Report;

pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The fingerprint key: the threat id is stable across runs and versions.
pub const FINGERPRINT: &str = "gambitThreatId/v1";

// The SARIF objects Gambit writes. Fields are declared in alphabetical order: the JSON
// keys have always been sorted, and serde writes fields in declaration order.

/// A SARIF log: one run of Gambit over one model.
#[derive(Debug, Serialize)]
pub struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub runs: [Run<'a>; 1],
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run<'a> {
    pub column_kind: &'static str,
    pub properties: RunProperties<'a>,
    pub results: Vec<SarifResult<'a>>,
    pub tool: Tool<'a>,
}

/// What the run says of the model as a whole.
#[derive(Debug, Serialize)]
pub struct RunProperties<'a> {
    pub attack_paths: usize,
    pub crown_jewels_exposed: usize,
    pub digest: &'a str,
    pub model: &'a str,
}

#[derive(Debug, Serialize)]
pub struct Tool<'a> {
    pub driver: Driver<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver<'a> {
    pub name: &'static str,
    pub rules: Vec<ReportingDescriptor>,
    pub semantic_version: &'a str,
    pub version: &'a str,
}

/// A rule of the catalog.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    pub default_configuration: Configuration,
    pub full_description: Text,
    pub help: Help,
    pub id: String,
    pub name: String,
    pub properties: RuleProperties,
    pub short_description: Text,
}

#[derive(Debug, Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Help {
    pub markdown: String,
    pub text: String,
}

/// GitHub code scanning reads `tags`, `security-severity`, `precision` and
/// `problem.severity`; `stride` and `cwe` are Gambit's.
#[derive(Debug, Serialize)]
pub struct RuleProperties {
    pub cwe: Vec<String>,
    pub precision: &'static str,
    #[serde(rename = "problem.severity")]
    pub problem_severity: &'static str,
    #[serde(rename = "security-severity")]
    pub security_severity: &'static str,
    pub stride: Vec<Stride>,
    pub tags: Vec<String>,
}

/// One threat.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult<'a> {
    pub level: &'static str,
    pub locations: [Location<'a>; 1],
    pub message: Text,
    pub partial_fingerprints: Fingerprints<'a>,
    pub properties: ResultProperties<'a>,
    pub rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressions: Option<[Suppression; 1]>,
}

#[derive(Debug, Serialize)]
pub struct Fingerprints<'a> {
    /// Named [`FINGERPRINT`].
    #[serde(rename = "gambitThreatId/v1")]
    pub threat_id: &'a str,
}

#[derive(Debug, Serialize)]
pub struct ResultProperties<'a> {
    pub assets: &'a [String],
    pub impact: Impact,
    pub likelihood: Likelihood,
    pub on_attack_path: bool,
    pub open: bool,
    pub severity: Severity,
    pub status: RiskStatus,
    pub stride: &'a [Stride],
    pub threat: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location<'a> {
    pub logical_locations: [LogicalLocation<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_location: Option<PhysicalLocation>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogicalLocation<'a> {
    pub fully_qualified_name: &'a str,
    pub kind: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub end_column: u32,
    pub end_line: u32,
    pub start_column: u32,
    pub start_line: u32,
}

/// A closed threat (mitigated, accepted, false positive), as SARIF means suppression.
#[derive(Debug, Serialize)]
pub struct Suppression {
    pub justification: String,
    pub kind: &'static str,
    pub status: &'static str,
}

/// The SARIF log, with file locations made relative to `base` (the CLI passes the
/// current directory) where they lie under it, `file://` URIs elsewhere.
pub fn sarif<'a>(
    report: &'a Report,
    model: &Model,
    sources: &SourceMap,
    base: Option<&Path>,
) -> SarifLog<'a> {
    let rules = catalog(report, model);
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let results = report
        .threats
        .iter()
        .map(|t| result(t, index.get(t.rule.as_str()).copied(), model, sources, base))
        .collect();
    SarifLog {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "Gambit",
                    version: &report.gambit_version,
                    semantic_version: &report.gambit_version,
                    rules: rules.iter().map(RuleEntry::descriptor).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
            properties: RunProperties {
                model: &report.model.name,
                digest: &report.model.digest,
                attack_paths: report.summary.attack_paths,
                crown_jewels_exposed: report.summary.crown_jewels_exposed,
            },
        }],
    }
}

/// SARIF's four levels from Gambit's five severities.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Elevated | Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like 0–10 score) for ranking alerts.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Elevated => "6.5",
        Severity::Medium => "5.0",
        Severity::Low => "2.0",
    }
}

struct RuleEntry {
    id: String,
    title: String,
    summary: String,
    help: String,
    stride: Vec<Stride>,
    cwe: Vec<String>,
    severity: Severity,
}

impl RuleEntry {
    fn descriptor(&self) -> ReportingDescriptor {
        let mut tags = vec!["security".to_owned(), "threat-model".to_owned()];
        tags.extend(self.stride.iter().map(|s| s.as_str().to_owned()));
        tags.extend(self.cwe.iter().filter_map(|c| cwe_tag(c)));
        let level = level(self.severity);
        ReportingDescriptor {
            id: self.id.clone(),
            name: pascal_case(&self.id),
            short_description: Text {
                text: self.title.clone(),
            },
            full_description: Text {
                text: self.summary.clone(),
            },
            help: Help {
                text: self.help.clone(),
                markdown: self.help.clone(),
            },
            default_configuration: Configuration { level },
            properties: RuleProperties {
                tags,
                security_severity: security_severity(self.severity),
                precision: "medium",
                problem_severity: match level {
                    "error" => "error",
                    "warning" => "warning",
                    _ => "recommendation",
                },
                stride: self.stride.clone(),
                cwe: self.cwe.clone(),
            },
        }
    }
}

/// `CWE-319` as GitHub's tag `external/cwe/cwe-319`.
fn cwe_tag(cwe: &str) -> Option<String> {
    let n = cwe
        .trim()
        .strip_prefix("CWE-")
        .or_else(|| cwe.trim().strip_prefix("cwe-"))?;
    n.chars()
        .all(|c| c.is_ascii_digit())
        .then(|| format!("external/cwe/cwe-{n}"))
}

fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map_or_else(String::new, |f| {
                f.to_ascii_uppercase().to_string() + cs.as_str()
            })
        })
        .collect()
}

/// Every rule a result can name: the built-in catalog, the model's custom rules, and
/// any other rule a threat comes from (e.g. a `--rules` file), sorted by id.
fn catalog(report: &Report, model: &Model) -> Vec<RuleEntry> {
    let mut rules: BTreeMap<String, RuleEntry> = BTreeMap::new();
    for m in registry::metas() {
        rules.insert(
            m.id.to_owned(),
            RuleEntry {
                id: m.id.to_owned(),
                title: m.title.to_owned(),
                summary: m.summary(),
                help: m.doc(),
                stride: m.stride.to_vec(),
                cwe: m.cwe.iter().map(|s| (*s).to_owned()).collect(),
                severity: scoring::severity(m.likelihood, m.impact),
            },
        );
    }
    for r in &model.rules {
        let description = r.description.clone().unwrap_or_else(|| r.title.clone());
        let mut help = format!(
            "{description}\n\nCondition (CEL, on each {}): `{}`",
            r.applies_to.as_str(),
            r.when
        );
        if let Some(m) = &r.mitigation {
            help.push_str(&format!("\n\nHow to fix: {m}"));
        }
        rules.entry(r.id.clone()).or_insert(RuleEntry {
            id: r.id.clone(),
            title: r.title.clone(),
            summary: description,
            help,
            stride: r.stride.clone(),
            cwe: r.cwe.clone(),
            severity: scoring::severity(r.likelihood, r.impact),
        });
    }
    for t in &report.threats {
        rules.entry(t.rule.clone()).or_insert_with(|| RuleEntry {
            id: t.rule.clone(),
            title: t.title.clone(),
            summary: t.title.clone(),
            help: format!("{}\n\nHow to fix: {}", t.title, t.mitigations.join("; ")),
            stride: t.stride.clone(),
            cwe: t.references.cwe.clone(),
            severity: t.severity,
        });
    }
    rules.into_values().collect()
}

/// Where a threat's target is written: the threat's own span, else the element's.
fn span_of(t: &Threat, model: &Model) -> Option<Span> {
    if t.span != Span::default() {
        return Some(t.span);
    }
    if let Some(f) = model.flows.iter().find(|f| f.id == t.target) {
        return Some(f.span);
    }
    let e: ElementId = model.lookup(&t.target)?;
    let span = model.element_name(e).1;
    (span != Span::default()).then_some(span)
}

fn result<'a>(
    t: &'a Threat,
    rule_index: Option<usize>,
    model: &Model,
    sources: &SourceMap,
    base: Option<&Path>,
) -> SarifResult<'a> {
    let mut message = format!("{}: {}", t.title, t.rationale);
    if !t.mitigations.is_empty() {
        message.push_str(&format!(". Fix: {}", t.mitigations.join("; ")));
    }
    let suppression = (!t.open).then(|| {
        let justification = t
            .decision
            .as_ref()
            .and_then(|d| d.justification.clone())
            .or_else(|| t.status_note.clone())
            .unwrap_or_else(|| format!("status {} in the model's risks:", t.status.as_str()));
        [Suppression {
            kind: "external",
            status: "accepted",
            justification,
        }]
    });
    SarifResult {
        rule_id: &t.rule,
        rule_index,
        level: level(t.severity),
        message: Text { text: message },
        partial_fingerprints: Fingerprints { threat_id: &t.id },
        properties: ResultProperties {
            threat: &t.id,
            severity: t.severity,
            likelihood: t.likelihood,
            impact: t.impact,
            status: t.status,
            open: t.open,
            on_attack_path: t.on_attack_path,
            stride: &t.stride,
            assets: &t.assets,
        },
        locations: [Location {
            logical_locations: [LogicalLocation {
                fully_qualified_name: &t.target,
                kind: t.target_kind,
            }],
            physical_location: span_of(t, model).and_then(|s| physical_location(s, sources, base)),
        }],
        suppressions: suppression,
    }
}

fn physical_location(
    span: Span,
    sources: &SourceMap,
    base: Option<&Path>,
) -> Option<PhysicalLocation> {
    let (_, file) = sources.files().find(|(id, _)| *id == span.file)?;
    let start = file.line_col(span.start);
    let end = file.line_col(span.end.max(span.start));
    let path: PathBuf = file
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(&file.name));
    let (uri, relative) = uri_of(&path, base);
    Some(PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri,
            uri_base_id: relative.then_some("%SRCROOT%"),
        },
        region: Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
        },
    })
}

/// A URI reference for a path: relative (with `/`) to `base` when the file lies under
/// it, else a `file://` URI. Returns whether it is relative.
fn uri_of(path: &Path, base: Option<&Path>) -> (String, bool) {
    let absolute = match base {
        Some(b) if !path.is_absolute() => normalize(&b.join(path)),
        _ => normalize(path),
    };
    match base.and_then(|b| absolute.strip_prefix(normalize(b)).ok()) {
        Some(rel) => (percent_encode(&slashes(rel)), true),
        None if absolute.is_absolute() => (
            format!("file://{}", percent_encode(&slashes(&absolute))),
            false,
        ),
        None => (percent_encode(&slashes(&absolute)), true),
    }
}

/// Removes `.` and folds `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn slashes(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Percent-encodes everything but unreserved characters and `/`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_the_base_and_encoded() {
        let base = Path::new("/repo");
        assert_eq!(
            uri_of(Path::new("/repo/models/a b.yaml"), Some(base)),
            ("models/a%20b.yaml".to_owned(), true)
        );
        assert_eq!(
            uri_of(Path::new("./m.yaml"), Some(base)),
            ("m.yaml".to_owned(), true)
        );
        assert_eq!(
            uri_of(Path::new("crates/x/../../m.yaml"), Some(base)),
            ("m.yaml".to_owned(), true)
        );
        assert_eq!(
            uri_of(Path::new("../up.yaml"), Some(base)),
            ("file:///up.yaml".to_owned(), false)
        );
        assert_eq!(
            uri_of(Path::new("/elsewhere/m.yaml"), Some(base)),
            ("file:///elsewhere/m.yaml".to_owned(), false)
        );
        assert_eq!(
            uri_of(Path::new("<stdin>"), None),
            ("%3Cstdin%3E".to_owned(), true)
        );
    }

    #[test]
    fn cwe_ids_become_github_tags() {
        assert_eq!(cwe_tag("CWE-319").as_deref(), Some("external/cwe/cwe-319"));
        assert_eq!(cwe_tag("not a cwe"), None);
        assert_eq!(
            pascal_case("unencrypted-communication"),
            "UnencryptedCommunication"
        );
    }
}
