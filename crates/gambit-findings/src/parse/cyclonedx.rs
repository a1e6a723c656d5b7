//! CycloneDX 1.5/1.6 JSON with `vulnerabilities`: each affects components by `bom-ref`,
//! resolved to package URLs through `components`; `analysis.state` is the embedded VEX.

use std::collections::HashMap;

use serde::Deserialize;

use super::{Capped, state_of};
use crate::finding::{Finding, Scan, clip, limits};

#[derive(Deserialize)]
pub(super) struct Component {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    purl: Option<String>,
    name: Option<String>,
    version: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Nested components (serde_json's recursion limit bounds the depth).
    #[serde(default)]
    components: Capped<Component>,
}

impl Component {
    /// Records `bom-ref -> purl` for this component and those nested in it.
    pub fn collect_refs(self, refs: &mut HashMap<String, String>) {
        if let (Some(r), Some(p)) = (self.bom_ref, self.purl)
            && refs.len() < limits::MAX_FINDINGS
        {
            refs.insert(clip(r), clip(p));
        }
        for child in self.components.into_vec() {
            child.collect_refs(refs);
        }
    }
}

#[derive(Deserialize)]
pub(super) struct Metadata {
    component: Option<Component>,
}

impl Metadata {
    /// The BOM's subject: a container image names the scan's image.
    pub fn describe(self, scan: &mut Scan, refs: &mut HashMap<String, String>) {
        let Some(subject) = self.component else {
            return;
        };
        if subject.kind.as_deref() == Some("container")
            && let Some(name) = &subject.name
        {
            let image = match &subject.version {
                Some(v) if v.starts_with("sha256:") => format!("{name}@{v}"),
                Some(v) => format!("{name}:{v}"),
                None => name.clone(),
            };
            scan.images.push(clip(image));
        }
        subject.collect_refs(refs);
    }
}

#[derive(Deserialize)]
pub(super) struct Vulnerability {
    id: String,
    #[serde(default)]
    ratings: Capped<Rating>,
    #[serde(default)]
    cwes: Capped<u32>,
    #[serde(default)]
    affects: Capped<Affect>,
    analysis: Option<Analysis>,
    description: Option<String>,
}

#[derive(Deserialize)]
struct Rating {
    score: Option<f64>,
    method: Option<String>,
    vector: Option<String>,
}

#[derive(Deserialize)]
struct Affect {
    #[serde(rename = "ref")]
    reference: String,
}

#[derive(Deserialize)]
struct Analysis {
    state: Option<String>,
}

impl Rating {
    /// The vector with its `CVSS:x.y/` prefix (CycloneDX may leave it to `method`).
    fn vector(&self) -> Option<String> {
        let v = self.vector.as_ref()?;
        if v.starts_with("CVSS:") {
            return Some(v.clone());
        }
        let version = match self.method.as_deref()? {
            "CVSSv31" => "3.1",
            "CVSSv3" => "3.0",
            "CVSSv4" => "4.0",
            _ => return None,
        };
        Some(format!("CVSS:{version}/{v}"))
    }
}

impl Vulnerability {
    /// One finding per affected component (the `ref` is resolved at the document's end).
    pub fn into_findings(self, scan: u32) -> Vec<Finding> {
        let mut base = Finding::new(clip(self.id), scan);
        base.title = self.description.map(clip);
        base.cwes = self.cwes.into_vec();
        if let Some((vector, score)) = self
            .ratings
            .0
            .iter()
            .find_map(|r| r.vector().map(|v| (v, r.score)))
        {
            base.cvss_vector = Some(clip(vector));
            base.cvss_score = score;
        } else {
            base.cvss_score = self.ratings.0.iter().find_map(|r| r.score);
        }
        if let Some(state) = self
            .analysis
            .and_then(|a| a.state)
            .and_then(|s| state_of(&s))
        {
            base.state = state;
        }
        self.affects
            .into_vec()
            .into_iter()
            .map(|a| {
                let mut f = base.clone();
                f.purl = Some(clip(a.reference));
                f
            })
            .collect()
    }
}

/// Turns a finding's `bom-ref` (kept in `purl` while reading) into the component's purl;
/// a reference to no known component is kept as a package name.
pub(super) fn resolve_ref(f: &mut Finding, refs: &HashMap<String, String>) {
    let Some(reference) = f.purl.take() else {
        return;
    };
    if let Some(purl) = refs.get(&reference) {
        f.purl = Some(purl.clone());
    } else if reference.starts_with("pkg:") {
        f.purl = Some(reference);
    } else {
        f.package = Some(reference);
    }
}
