//! KEV and EPSS from local files, for findings whose scanner did not say: CISA's Known
//! Exploited Vulnerabilities catalog (JSON) and FIRST's EPSS scores (CSV). No network.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Deserialize;

use crate::finding::Finding;
use crate::parse::FindingsError;

/// Longest EPSS line accepted (a real one is about 40 bytes).
const MAX_LINE: u64 = 4_096;

/// The CVE ids of CISA's catalog.
#[derive(Debug, Default)]
pub struct Kev(HashSet<String>);

/// EPSS probability by CVE id.
#[derive(Debug, Default)]
pub struct Epss(HashMap<String, f64>);

#[derive(Deserialize)]
struct KevCatalog {
    vulnerabilities: Vec<KevEntry>,
}

#[derive(Deserialize)]
struct KevEntry {
    #[serde(rename = "cveID")]
    cve_id: String,
}

fn open(path: &Path) -> Result<(String, std::fs::File), FindingsError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| FindingsError::whole_file(&name, format!("cannot read: {e}")))?;
    Ok((name, file))
}

impl Kev {
    pub fn read_path(path: &Path) -> Result<Self, FindingsError> {
        let (name, file) = open(path)?;
        Self::read(BufReader::new(file), &name)
    }

    /// Reads `known_exploited_vulnerabilities.json`.
    pub fn read(reader: impl Read, name: &str) -> Result<Self, FindingsError> {
        let catalog: KevCatalog = serde_json::from_reader(reader).map_err(|e| FindingsError {
            file: name.to_owned(),
            position: (e.line() > 0).then(|| (e.line(), e.column())),
            message: format!("not a CISA KEV catalog: {e}"),
        })?;
        Ok(Kev(catalog
            .vulnerabilities
            .into_iter()
            .map(|v| v.cve_id)
            .collect()))
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.contains(id)
    }
}

impl Epss {
    pub fn read_path(path: &Path) -> Result<Self, FindingsError> {
        let (name, file) = open(path)?;
        Self::read(BufReader::new(file), &name)
    }

    /// Reads FIRST's `epss_scores-YYYY-MM-DD.csv`: an optional `#model_version:...` comment
    /// line, the header `cve,epss,percentile`, then one CVE a line.
    pub fn read(mut reader: impl BufRead, name: &str) -> Result<Self, FindingsError> {
        let mut scores = HashMap::new();
        let mut line = String::new();
        let mut number = 0;
        loop {
            line.clear();
            number += 1;
            let read = (&mut reader)
                .take(MAX_LINE + 1)
                .read_line(&mut line)
                .map_err(|e| FindingsError::whole_file(name, format!("cannot read: {e}")))?;
            if read == 0 {
                break;
            }
            let at = |message: String| FindingsError {
                file: name.to_owned(),
                position: Some((number, 1)),
                message,
            };
            if read as u64 > MAX_LINE {
                return Err(at(format!("line longer than {MAX_LINE} bytes")));
            }
            let text = line.trim_end();
            if text.is_empty() || text.starts_with('#') || text.starts_with("cve,") {
                continue;
            }
            let mut fields = text.split(',');
            let (Some(cve), Some(score)) = (fields.next(), fields.next()) else {
                return Err(at("expected `cve,epss,percentile`".to_owned()));
            };
            let score: f64 = score
                .parse()
                .ok()
                .filter(|s: &f64| (0.0..=1.0).contains(s))
                .ok_or_else(|| at(format!("`{score}` is not a probability between 0 and 1")))?;
            scores.insert(cve.to_owned(), score);
        }
        Ok(Epss(scores))
    }

    pub fn get(&self, id: &str) -> Option<f64> {
        self.0.get(id).copied()
    }
}

/// Fills KEV and EPSS where the scanner gave none. With a KEV catalog, a finding not in it
/// is known not to be in it.
pub fn enrich(findings: &mut [Finding], kev: Option<&Kev>, epss: Option<&Epss>) {
    for f in findings {
        if f.kev.is_none()
            && let Some(kev) = kev
        {
            let listed = f.names().any(|n| kev.contains(n));
            f.kev = Some(listed);
        }
        if f.epss.is_none()
            && let Some(epss) = epss
        {
            let score = f.names().find_map(|n| epss.get(n));
            f.epss = score;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epss_csv_with_its_comment_header_reads() {
        let text = "#model_version:v2025.03.14,score_date:2026-11-30T00:00:00+0000\n\
                    cve,epss,percentile\nCVE-2021-44228,0.94358,0.99957\nCVE-2024-0001,0.00043,0.1\n";
        let epss = Epss::read(text.as_bytes(), "epss.csv").unwrap();
        assert_eq!(epss.get("CVE-2021-44228"), Some(0.94358));
        assert_eq!(epss.get("CVE-2024-0001"), Some(0.00043));
        assert_eq!(epss.get("CVE-1999-0001"), None);
    }

    #[test]
    fn a_bad_epss_line_is_named() {
        let err =
            Epss::read("cve,epss,percentile\nCVE-1,2.5,0.1\n".as_bytes(), "e.csv").unwrap_err();
        assert_eq!(err.position, Some((2, 1)));
        assert!(err.message.contains("2.5"), "{err}");
        let long = format!("CVE-1,{}\n", "9".repeat(10_000));
        assert!(Epss::read(long.as_bytes(), "e.csv").is_err());
    }

    #[test]
    fn kev_catalog_reads_and_a_wrong_document_is_located() {
        let kev = Kev::read(
            r#"{"title":"CISA Catalog","vulnerabilities":[{"cveID":"CVE-2021-44228","vendorProject":"Apache"}]}"#
                .as_bytes(),
            "kev.json",
        )
        .unwrap();
        assert!(kev.contains("CVE-2021-44228"));
        assert!(!kev.contains("CVE-2021-0001"));
        let err = Kev::read("{\"vulnerabilities\": 3}".as_bytes(), "kev.json").unwrap_err();
        assert_eq!(err.position.map(|p| p.0), Some(1));
    }
}
