//! Grype's JSON report (`grype -o json`): `matches[]`, each a vulnerability and the
//! package (`artifact`) it was found in; `source` names what was scanned.

use serde::Deserialize;

use super::Capped;
use crate::finding::{Finding, Scan, clip, parse_cwe};

#[derive(Deserialize)]
pub(super) struct Match {
    vulnerability: Vulnerability,
    #[serde(rename = "relatedVulnerabilities", default)]
    related: Capped<Related>,
    artifact: Artifact,
}

#[derive(Deserialize)]
struct Vulnerability {
    id: String,
    #[serde(default)]
    cvss: Capped<Cvss>,
    #[serde(default)]
    epss: Capped<Epss>,
    #[serde(rename = "knownExploited", default)]
    known_exploited: Capped<serde::de::IgnoredAny>,
    #[serde(default)]
    cwes: Capped<Cwe>,
    description: Option<String>,
}

#[derive(Deserialize)]
struct Related {
    id: String,
    #[serde(default)]
    cvss: Capped<Cvss>,
}

#[derive(Deserialize)]
struct Cvss {
    vector: Option<String>,
    metrics: Option<Metrics>,
}

#[derive(Deserialize)]
struct Metrics {
    #[serde(rename = "baseScore")]
    base_score: Option<f64>,
}

#[derive(Deserialize)]
struct Epss {
    epss: Option<f64>,
}

#[derive(Deserialize)]
struct Cwe {
    cwe: String,
}

#[derive(Deserialize)]
struct Artifact {
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
    #[serde(default)]
    locations: Capped<Location>,
}

#[derive(Deserialize)]
struct Location {
    path: Option<String>,
}

/// The first CVSS 3 or 4 vector of a list, with its score.
fn best_cvss(list: &[Cvss]) -> Option<(String, Option<f64>)> {
    list.iter()
        .filter_map(|c| {
            let v = c.vector.as_ref()?;
            v.starts_with("CVSS:")
                .then(|| (v.clone(), c.metrics.as_ref().and_then(|m| m.base_score)))
        })
        .next()
}

impl Match {
    pub fn into_finding(self, scan: u32) -> Finding {
        let v = self.vulnerability;
        let related = self.related.into_vec();
        let mut f = Finding::new(clip(v.id), scan);
        f.aliases = related
            .iter()
            .filter(|r| r.id != f.id)
            .map(|r| clip(r.id.clone()))
            .collect();
        f.title = v.description.map(clip);
        let own = best_cvss(&v.cvss.0);
        let cvss = own.or_else(|| related.iter().find_map(|r| best_cvss(&r.cvss.0)));
        if let Some((vector, score)) = cvss {
            f.cvss_vector = Some(clip(vector));
            f.cvss_score = score;
        }
        f.epss = v.epss.0.iter().find_map(|e| e.epss);
        // Grype lists the KEV entries of a vulnerability; an empty list says "not in KEV"
        // only when Grype's database had the catalog, so absence stays unknown.
        if !v.known_exploited.0.is_empty() {
            f.kev = Some(true);
        }
        f.cwes = v.cwes.0.iter().filter_map(|c| parse_cwe(&c.cwe)).collect();
        f.purl = self.artifact.purl.filter(|p| !p.is_empty()).map(clip);
        f.package = self.artifact.name.map(clip);
        f.version = self.artifact.version.map(clip);
        f.paths = self
            .artifact
            .locations
            .into_vec()
            .into_iter()
            .filter_map(|l| l.path.map(clip))
            .collect();
        f
    }
}

/// `source`: an image (`target.userInput`, `repoDigests`) or a directory.
#[derive(Deserialize)]
pub(super) struct Source {
    #[serde(rename = "type")]
    kind: Option<String>,
    target: Option<serde_json::Value>,
}

impl Source {
    pub fn describe(self, scan: &mut Scan) {
        if self.kind.as_deref() != Some("image") {
            return;
        }
        let Some(target) = self.target else {
            return;
        };
        let text = |v: &serde_json::Value| v.as_str().map(|s| clip(s.to_owned()));
        if let Some(input) = target.get("userInput").and_then(text) {
            scan.images.push(input);
        }
        for key in ["repoDigests", "tags"] {
            if let Some(list) = target.get(key).and_then(|v| v.as_array()) {
                let kept = list.iter().take(crate::finding::limits::MAX_LIST);
                scan.images.extend(kept.filter_map(text));
            }
        }
    }
}
