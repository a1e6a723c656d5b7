//! Trivy's JSON report (`trivy image --format json`, schema version 2): `Results[]`, each a
//! target with `Vulnerabilities[]`; `ArtifactName`/`ArtifactType` name what was scanned.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Capped, Parsed, each, push};
use crate::finding::{Finding, clip, parse_cwe};

/// `Metadata`: the image's digests.
#[derive(Deserialize, Default)]
pub(super) struct Metadata {
    #[serde(rename = "RepoDigests", default)]
    repo_digests: Capped<String>,
}

impl Metadata {
    pub fn digests(self) -> impl Iterator<Item = String> {
        self.repo_digests.into_vec().into_iter().map(clip)
    }
}

#[derive(Deserialize)]
struct Vulnerability {
    #[serde(rename = "VulnerabilityID")]
    id: String,
    #[serde(rename = "PkgName")]
    pkg_name: Option<String>,
    #[serde(rename = "InstalledVersion")]
    installed_version: Option<String>,
    #[serde(rename = "PkgIdentifier")]
    pkg_identifier: Option<PkgIdentifier>,
    #[serde(rename = "Title")]
    title: Option<String>,
    #[serde(rename = "CweIDs", default)]
    cwe_ids: Capped<String>,
    /// Keyed by source (`nvd`, `ghsa`, `redhat`, ...).
    #[serde(rename = "CVSS", default)]
    cvss: BTreeMap<String, Cvss>,
}

#[derive(Deserialize)]
struct PkgIdentifier {
    #[serde(rename = "PURL")]
    purl: Option<String>,
}

#[derive(Deserialize)]
struct Cvss {
    #[serde(rename = "V3Vector")]
    v3_vector: Option<String>,
    #[serde(rename = "V3Score")]
    v3_score: Option<f64>,
    #[serde(rename = "V40Vector")]
    v40_vector: Option<String>,
    #[serde(rename = "V40Score")]
    v40_score: Option<f64>,
}

impl Vulnerability {
    fn into_finding(self, scan: u32) -> Finding {
        let mut f = Finding::new(clip(self.id), scan);
        f.title = self.title.map(clip);
        f.purl = self.pkg_identifier.and_then(|p| p.purl).map(clip);
        f.package = self.pkg_name.map(clip);
        f.version = self.installed_version.map(clip);
        f.cwes = self
            .cwe_ids
            .into_vec()
            .iter()
            .filter_map(|c| parse_cwe(c))
            .collect();
        // NVD first, then any other source in name order (the map is sorted).
        let nvd = self.cvss.get("nvd");
        let sources = nvd.into_iter().chain(self.cvss.values());
        for c in sources {
            let (vector, score) = match (&c.v3_vector, &c.v40_vector) {
                (Some(v), _) => (v, c.v3_score),
                (None, Some(v)) => (v, c.v40_score),
                (None, None) => continue,
            };
            f.cvss_vector = Some(clip(vector.clone()));
            f.cvss_score = score;
            break;
        }
        f
    }
}

/// `Results`: visited one target at a time.
pub(super) struct Results<'a> {
    pub parsed: &'a mut Parsed,
    pub scan: u32,
}

impl<'de> DeserializeSeed<'de> for Results<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Results<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("Trivy `Results`, an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Target {
                parsed: &mut *self.parsed,
                scan: self.scan,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// One entry of `Results`: `Target` (a lock file or the image's OS) and its findings.
struct Target<'a> {
    parsed: &'a mut Parsed,
    scan: u32,
}

impl<'de> DeserializeSeed<'de> for Target<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Target<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Trivy result object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let parsed = self.parsed;
        let scan = self.scan;
        let start = parsed.findings.len();
        let mut target: Option<String> = None;
        let mut class: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "Target" => target = map.next_value::<Option<String>>()?.map(clip),
                "Class" => class = map.next_value()?,
                "Vulnerabilities" => map
                    .next_value_seed(each(|v: Vulnerability| push(parsed, v.into_finding(scan))))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // A language package's target is the lock file it was found in: a source path.
        // The OS packages' target names the image, which the scan already records.
        if let (Some(target), false) = (target, class.as_deref() == Some("os-pkgs")) {
            for f in &mut parsed.findings[start..] {
                f.paths.push(target.clone());
            }
        }
        Ok(())
    }
}
