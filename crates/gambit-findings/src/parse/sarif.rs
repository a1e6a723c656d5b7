//! SARIF 2.1.0 (CodeQL, Semgrep and any SAST tool): `runs[]`, each with its tool, rules and
//! `results[]`. A result is identified by its rule id; its CWEs and `security-severity`
//! come from the rule's properties; its locations are artifact URIs.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Capped, Parsed, each, push};
use crate::finding::{Finding, Format, Scan, clip, parse_cwe};

pub(super) struct Runs<'a> {
    pub parsed: &'a mut Parsed,
    pub file: &'a str,
}

impl<'de> DeserializeSeed<'de> for Runs<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Runs<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("SARIF `runs`, an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Run {
                parsed: &mut *self.parsed,
                file: self.file,
            })?
            .is_some()
        {}
        Ok(())
    }
}

struct Run<'a> {
    parsed: &'a mut Parsed,
    file: &'a str,
}

#[derive(Deserialize, Default)]
struct Tool {
    driver: Option<Component>,
    #[serde(default)]
    extensions: Vec<Component>,
}

#[derive(Deserialize, Default)]
struct Component {
    name: Option<String>,
    #[serde(default)]
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
struct Rule {
    id: String,
    #[serde(rename = "shortDescription")]
    short_description: Option<Message>,
    properties: Option<RuleProperties>,
}

#[derive(Deserialize)]
struct RuleProperties {
    #[serde(default)]
    tags: Capped<String>,
    #[serde(rename = "security-severity")]
    security_severity: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Message {
    text: Option<String>,
}

#[derive(Deserialize)]
struct SarifResult {
    #[serde(rename = "ruleId")]
    rule_id: Option<String>,
    rule: Option<RuleReference>,
    message: Option<Message>,
    #[serde(default)]
    locations: Capped<Location>,
}

#[derive(Deserialize)]
struct RuleReference {
    id: Option<String>,
}

#[derive(Deserialize)]
struct Location {
    #[serde(rename = "physicalLocation")]
    physical: Option<PhysicalLocation>,
}

#[derive(Deserialize)]
struct PhysicalLocation {
    #[serde(rename = "artifactLocation")]
    artifact: Option<ArtifactLocation>,
}

#[derive(Deserialize)]
struct ArtifactLocation {
    uri: Option<String>,
}

#[derive(Deserialize)]
struct Provenance {
    #[serde(rename = "repositoryUri")]
    repository_uri: Option<String>,
}

/// What a run's rules say about its results.
struct RuleFacts {
    cwes: Vec<u32>,
    score: Option<f64>,
    title: Option<String>,
}

impl Rule {
    fn facts(self) -> (String, RuleFacts) {
        let (cwes, score) = match self.properties {
            Some(p) => (
                p.tags
                    .0
                    .iter()
                    .filter(|t| t.to_ascii_lowercase().contains("cwe"))
                    .filter_map(|t| parse_cwe(t))
                    .collect(),
                p.security_severity.and_then(|s| match s {
                    serde_json::Value::String(s) => s.parse().ok(),
                    other => other.as_f64(),
                }),
            ),
            None => (Vec::new(), None),
        };
        let title = self.short_description.and_then(|m| m.text).map(clip);
        (clip(self.id), RuleFacts { cwes, score, title })
    }
}

impl SarifResult {
    fn into_finding(self, scan: u32) -> Finding {
        let id = self
            .rule_id
            .or_else(|| self.rule.and_then(|r| r.id))
            .unwrap_or_else(|| "sarif-result".to_owned());
        let mut f = Finding::new(clip(id), scan);
        f.title = self.message.and_then(|m| m.text).map(clip);
        f.paths = self
            .locations
            .into_vec()
            .into_iter()
            .filter_map(|l| l.physical?.artifact?.uri)
            .map(clip)
            .collect();
        f
    }
}

impl<'de> DeserializeSeed<'de> for Run<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Run<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a SARIF run object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let parsed = self.parsed;
        let start = parsed.findings.len();
        let scan = parsed.scans.len() as u32;
        parsed.scans.push(Scan {
            file: self.file.to_owned(),
            format: Format::Sarif,
            tool: "sarif".to_owned(),
            images: Vec::new(),
            repository: None,
        });
        let mut rules: HashMap<String, RuleFacts> = HashMap::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "tool" => {
                    let tool: Tool = map.next_value()?;
                    if let Some(name) = tool.driver.as_ref().and_then(|d| d.name.clone()) {
                        parsed.scans[scan as usize].tool = clip(name);
                    }
                    let all = tool.driver.into_iter().chain(tool.extensions);
                    rules.extend(all.flat_map(|c| c.rules).map(Rule::facts));
                }
                "results" => {
                    map.next_value_seed(each(|r: SarifResult| push(parsed, r.into_finding(scan))))?
                }
                "versionControlProvenance" => {
                    let list: Capped<Provenance> = map.next_value()?;
                    parsed.scans[scan as usize].repository =
                        list.0.into_iter().find_map(|p| p.repository_uri).map(clip);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        for f in &mut parsed.findings[start..] {
            if let Some(facts) = rules.get(&f.id) {
                f.cwes.clone_from(&facts.cwes);
                f.cvss_score = facts.score;
                if f.title.is_none() {
                    f.title.clone_from(&facts.title);
                }
            }
        }
        Ok(())
    }
}
