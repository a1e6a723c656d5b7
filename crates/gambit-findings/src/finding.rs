//! A scanner finding as read: what it is, where the scanner saw it, and how bad it is.

use serde::Serialize;

/// The document formats findings are read from (detected from content).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Sarif,
    Trivy,
    Grype,
    Cyclonedx,
    Openvex,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Sarif => "sarif",
            Format::Trivy => "trivy",
            Format::Grype => "grype",
            Format::Cyclonedx => "cyclonedx",
            Format::Openvex => "openvex",
        }
    }
}

/// What one scan looked at: shared by the findings of one Trivy, Grype or CycloneDX
/// document, or of one SARIF run.
#[derive(Clone, Debug)]
pub struct Scan {
    /// The findings file, as given.
    pub file: String,
    pub format: Format,
    /// The scanner's name (SARIF `tool.driver.name`), else the format's.
    pub tool: String,
    /// The scanned image as named, and its digests (`repo@sha256:...`).
    pub images: Vec<String>,
    /// The scanned source repository (SARIF `versionControlProvenance`, Trivy `repository`).
    pub repository: Option<String>,
}

/// Whether a finding still needs fixing, after VEX.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Open,
    /// VEX `not_affected` (and CycloneDX `false_positive`).
    NotAffected,
    /// VEX `fixed`, CycloneDX `resolved`.
    Fixed,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Open => "open",
            State::NotAffected => "not-affected",
            State::Fixed => "fixed",
        }
    }
}

/// One result of a scanner.
#[derive(Clone, Debug)]
pub struct Finding {
    /// CVE, GHSA or the SAST rule id.
    pub id: String,
    /// Other ids of the same vulnerability (a GHSA's CVE), for KEV, EPSS and VEX lookups.
    pub aliases: Vec<String>,
    /// Index into the scans of the same [`crate::parse::Parsed`].
    pub scan: u32,
    pub title: Option<String>,
    pub purl: Option<String>,
    /// Package name and installed version, when the scanner gives them apart from a purl.
    pub package: Option<String>,
    pub version: Option<String>,
    /// Source locations (SARIF artifact URIs, Trivy targets, Grype locations).
    pub paths: Vec<String>,
    pub cwes: Vec<u32>,
    pub cvss_vector: Option<String>,
    pub cvss_score: Option<f64>,
    pub kev: Option<bool>,
    pub epss: Option<f64>,
    pub state: State,
}

impl Finding {
    pub(crate) fn new(id: String, scan: u32) -> Self {
        Finding {
            id,
            aliases: Vec::new(),
            scan,
            title: None,
            purl: None,
            package: None,
            version: None,
            paths: Vec::new(),
            cwes: Vec::new(),
            cvss_vector: None,
            cvss_score: None,
            kev: None,
            epss: None,
            state: State::Open,
        }
    }

    /// The id and its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// What to show as the package: the purl, else `name@version`.
    pub fn package_label(&self) -> Option<String> {
        self.purl.clone().or_else(|| {
            self.package.as_ref().map(|name| match &self.version {
                Some(v) => format!("{name}@{v}"),
                None => name.clone(),
            })
        })
    }
}

/// Caps that keep a hostile findings file from costing more than its own size.
pub mod limits {
    /// Findings kept over all files of one run.
    pub const MAX_FINDINGS: usize = 5_000_000;
    /// Characters kept of any one text (ids, titles, purls, paths).
    pub const MAX_TEXT: usize = 2_048;
    /// Items kept of any per-finding list (CWEs, locations, aliases).
    pub const MAX_LIST: usize = 32;
    /// VEX statements over all files.
    pub const MAX_VEX_STATEMENTS: usize = 1_000_000;
}

/// Cuts `s` to [`limits::MAX_TEXT`] characters.
pub(crate) fn clip(mut s: String) -> String {
    if s.len() > limits::MAX_TEXT {
        let mut end = limits::MAX_TEXT;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
}

/// `CWE-79`, `cwe-079`, `external/cwe/cwe-089` or `79` to 79.
pub(crate) fn parse_cwe(text: &str) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    let digits = match lower.rfind("cwe-") {
        Some(at) => &lower[at + 4..],
        None => lower.as_str(),
    };
    digits.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cwe_spellings_of_several_scanners_parse() {
        assert_eq!(parse_cwe("CWE-79"), Some(79));
        assert_eq!(parse_cwe("external/cwe/cwe-089"), Some(89));
        assert_eq!(parse_cwe("918"), Some(918));
        assert_eq!(parse_cwe("security"), None);
    }

    #[test]
    fn clip_keeps_char_boundaries() {
        let long = "é".repeat(limits::MAX_TEXT);
        let clipped = clip(long);
        assert!(clipped.len() <= limits::MAX_TEXT);
        assert!(clipped.chars().all(|c| c == 'é'));
    }
}
