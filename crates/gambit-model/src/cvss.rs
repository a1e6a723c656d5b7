//! CVSS base vectors: validated and scored with the RustSec `cvss` crate, with the
//! exploitability metrics the attack graph needs lifted out.

use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CvssVersion {
    #[serde(rename = "3.0")]
    V30,
    #[serde(rename = "3.1")]
    V31,
    #[serde(rename = "4.0")]
    V40,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AttackVector {
    Network,
    Adjacent,
    Local,
    Physical,
}

/// The base metrics that say how hard a vulnerability is to exploit.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CvssVector {
    pub vector: String,
    pub version: CvssVersion,
    pub base_score: f64,
    pub attack_vector: AttackVector,
    /// AC:H (3.x and 4.0).
    pub high_complexity: bool,
    /// AT:P (4.0 only).
    pub attack_requirements: bool,
    /// PR: 0 none, 1 low, 2 high.
    pub privileges_required: u8,
    /// UI: any user interaction required.
    pub user_interaction: bool,
}

impl CvssVector {
    /// Parses a CVSS 3.0, 3.1 or 4.0 base vector.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parsed = cvss::Cvss::from_str(text).map_err(|e| format!("invalid CVSS vector: {e}"))?;
        let version = match &parsed {
            cvss::Cvss::CvssV30(_) => CvssVersion::V30,
            cvss::Cvss::CvssV31(_) => CvssVersion::V31,
            cvss::Cvss::CvssV40(_) => CvssVersion::V40,
            _ => {
                return Err(
                    "CVSS 2.0 vectors are not supported; give a 3.1 or 4.0 vector".to_owned(),
                );
            }
        };
        let metric = |name: &str| {
            text.split('/')
                .find_map(|part| part.strip_prefix(name).and_then(|v| v.strip_prefix(':')))
        };
        let missing =
            |name: &str| format!("invalid CVSS vector: the base metric {name} is missing");
        let attack_vector = match metric("AV").ok_or_else(|| missing("AV"))? {
            "N" => AttackVector::Network,
            "A" => AttackVector::Adjacent,
            "L" => AttackVector::Local,
            _ => AttackVector::Physical,
        };
        let privileges_required = match metric("PR").ok_or_else(|| missing("PR"))? {
            "N" => 0,
            "L" => 1,
            _ => 2,
        };
        Ok(CvssVector {
            vector: text.to_owned(),
            version,
            base_score: parsed.score(),
            attack_vector,
            high_complexity: metric("AC").ok_or_else(|| missing("AC"))? == "H",
            attack_requirements: metric("AT") == Some("P"),
            privileges_required,
            user_interaction: metric("UI").ok_or_else(|| missing("UI"))? != "N",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_v31_and_v40_base_metrics() {
        let v = CvssVector::parse("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
        assert_eq!(v.version, CvssVersion::V31);
        assert_eq!(v.attack_vector, AttackVector::Network);
        assert!(v.high_complexity);
        assert_eq!(v.privileges_required, 0);
        assert!((v.base_score - 8.1).abs() < 1e-9);

        let v =
            CvssVector::parse("CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
                .unwrap();
        assert_eq!(v.version, CvssVersion::V40);
        assert_eq!(v.attack_vector, AttackVector::Local);
        assert!(v.attack_requirements && v.user_interaction);
        assert_eq!(v.privileges_required, 1);
    }

    #[test]
    fn rejects_malformed_vectors() {
        assert!(CvssVector::parse("CVSS:3.1/AV:X").is_err());
        assert!(CvssVector::parse("high").is_err());
    }
}
