//! Risk scoring: the likelihood × impact matrix, impact from assets, likelihood from
//! exposure. docs/risk.md explains the same rules for users; keep them in step.

use gambit_model::vocab::AssetKind;
use gambit_model::vocab::{Classification, Criticality, Impact, Likelihood, Severity, Stride};
use gambit_model::{Asset, Model};

/// Severity from likelihood and impact. Rows are likelihood (unlikely to frequent),
/// columns impact (low to very-high).
const MATRIX: [[Severity; 4]; 4] = {
    use Severity::{Critical as C, Elevated as E, High as H, Low as L, Medium as M};
    [
        [L, L, M, E], // unlikely
        [L, M, E, H], // likely
        [M, E, H, C], // very-likely
        [M, H, C, C], // frequent
    ]
};

pub fn severity(likelihood: Likelihood, impact: Impact) -> Severity {
    MATRIX[likelihood_rank(likelihood) as usize][impact_rank(impact) as usize]
}

/// Rules whose finding is itself a way in: an outsider can act on it with nothing else
/// first (no prior foothold, no victim to trick, no outage to wait for).
const ENTRY_RULES: &[&str] = &[
    "exploitable-vulnerability",
    "public-datastore",
    "missing-authentication",
    "missing-authorization",
    "unauthenticated-datastore",
    "sql-injection",
    "nosql-injection",
    "command-injection",
    "ldap-injection",
    "xml-external-entity",
    "insecure-deserialization",
    "ssrf",
    "exposed-management-interface",
    "indirect-prompt-injection",
    "prompt-injection",
    "llm-sensitive-data-disclosure",
    "llm-code-execution",
    "credential-in-client-app",
];

/// Why a finding the matrix rates critical is not "fix before the next release", if it
/// is not: critical is kept for a way in that outsiders can use today (an entry rule on
/// a target exposed to the internet) and that puts a crown jewel at stake, or for a
/// known-exploited (KEV) vulnerability reachable from the internet. Everything else the
/// matrix calls critical is reported high (docs/risk.md, "Calibration").
pub fn critical_cap(model: &Model, finding: &crate::finding::Finding) -> Option<&'static str> {
    use crate::context::ExposureLevel;
    use crate::finding::Target;
    if !ENTRY_RULES.contains(&finding.rule.id) {
        return Some("an attacker needs another step first");
    }
    if finding.exposure != Some(ExposureLevel::Internet) {
        return Some("not reachable from the internet");
    }
    if finding.rule.id == "exploitable-vulnerability" {
        let kev = matches!(finding.target, Target::Component(c)
            if model[c].open_vulnerabilities().any(|v| v.kev));
        return (!kev).then_some("not known exploited (KEV)");
    }
    let jewel = finding.assets.iter().any(|&a| model[a].crown_jewel);
    (!jewel).then_some("no crown jewel at stake")
}

pub fn likelihood_rank(l: Likelihood) -> u8 {
    match l {
        Likelihood::Unlikely => 0,
        Likelihood::Likely => 1,
        Likelihood::VeryLikely => 2,
        Likelihood::Frequent => 3,
    }
}

pub fn impact_rank(i: Impact) -> u8 {
    match i {
        Impact::Low => 0,
        Impact::Medium => 1,
        Impact::High => 2,
        Impact::VeryHigh => 3,
    }
}

pub fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Low => 0,
        Severity::Medium => 1,
        Severity::Elevated => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

pub fn likelihood_from_rank(r: i32) -> Likelihood {
    match r {
        i32::MIN..=0 => Likelihood::Unlikely,
        1 => Likelihood::Likely,
        2 => Likelihood::VeryLikely,
        _ => Likelihood::Frequent,
    }
}

pub fn impact_from_rank(r: i32) -> Impact {
    match r {
        i32::MIN..=0 => Impact::Low,
        1 => Impact::Medium,
        2 => Impact::High,
        _ => Impact::VeryHigh,
    }
}

/// Moves a likelihood up (positive) or down (negative) the scale, saturating.
pub fn shift_likelihood(l: Likelihood, by: i32) -> Likelihood {
    likelihood_from_rank(i32::from(likelihood_rank(l)) + by)
}

pub fn confidentiality_impact(c: Classification) -> Impact {
    match c {
        Classification::Public => Impact::Low,
        Classification::Internal => Impact::Medium,
        Classification::Confidential => Impact::High,
        Classification::Restricted => Impact::VeryHigh,
    }
}

pub fn criticality_impact(c: Criticality) -> Impact {
    match c {
        Criticality::Low => Impact::Low,
        Criticality::Medium => Impact::Medium,
        Criticality::High => Impact::High,
        Criticality::Critical => Impact::VeryHigh,
    }
}

/// Records from which a breach of confidential data counts one level worse.
pub const MANY_RECORDS: u64 = 1_000_000;

/// The impact on one asset of a threat in the given STRIDE categories: confidentiality
/// for information disclosure, integrity for tampering and repudiation, availability for
/// denial of service, and the worse of confidentiality and integrity for spoofing and
/// elevation of privilege (they lead to both).
pub fn asset_impact(asset: &Asset, stride: &[Stride]) -> Impact {
    let mut conf = confidentiality_impact(asset.classification);
    if asset.records.is_some_and(|r| r >= MANY_RECORDS)
        && asset.classification >= Classification::Confidential
    {
        conf = impact_from_rank(i32::from(impact_rank(conf)) + 1);
    }
    let integ = criticality_impact(asset.integrity);
    let avail = criticality_impact(asset.availability);
    stride
        .iter()
        .map(|s| match s {
            Stride::InformationDisclosure => conf,
            Stride::Tampering | Stride::Repudiation => integ,
            Stride::DenialOfService => avail,
            Stride::Spoofing | Stride::ElevationOfPrivilege => conf.max(integ),
        })
        .max()
        .unwrap_or(Impact::Low)
}

/// The impact of losing a credential: the worst of its own rating and of everything the
/// identity it grants can read or change (following `assume` grants), very-high for a
/// privileged identity.
pub fn credential_impact(model: &Model, asset: &Asset) -> Impact {
    let own = asset_impact(asset, &[Stride::InformationDisclosure]);
    let Some(identity) = asset.grants else {
        return own;
    };
    own.max(crate::context::identity_reach_impact(model, identity))
}

/// The impact over a set of assets, credentials valued by what they grant; `None` when
/// the set is empty.
pub fn assets_impact(
    model: &Model,
    assets: &[gambit_model::AssetId],
    stride: &[Stride],
) -> Option<Impact> {
    assets
        .iter()
        .map(|&a| {
            let asset = &model[a];
            if asset.kind == AssetKind::Credential {
                credential_impact(model, asset).max(asset_impact(asset, stride))
            } else {
                asset_impact(asset, stride)
            }
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_grows_with_both_axes() {
        assert_eq!(severity(Likelihood::Unlikely, Impact::Low), Severity::Low);
        assert_eq!(
            severity(Likelihood::Likely, Impact::Medium),
            Severity::Medium
        );
        assert_eq!(
            severity(Likelihood::Likely, Impact::High),
            Severity::Elevated
        );
        assert_eq!(
            severity(Likelihood::VeryLikely, Impact::High),
            Severity::High
        );
        assert_eq!(
            severity(Likelihood::VeryLikely, Impact::VeryHigh),
            Severity::Critical
        );
        assert_eq!(
            severity(Likelihood::Frequent, Impact::Low),
            Severity::Medium
        );
        for l in Likelihood::ALL {
            for pair in Impact::ALL.windows(2) {
                assert!(severity(*l, pair[0]) <= severity(*l, pair[1]));
            }
        }
        for i in Impact::ALL {
            for pair in Likelihood::ALL.windows(2) {
                assert!(severity(pair[0], *i) <= severity(pair[1], *i));
            }
        }
    }

    #[test]
    fn shifting_saturates() {
        assert_eq!(
            shift_likelihood(Likelihood::Frequent, 1),
            Likelihood::Frequent
        );
        assert_eq!(
            shift_likelihood(Likelihood::Unlikely, -1),
            Likelihood::Unlikely
        );
        assert_eq!(
            shift_likelihood(Likelihood::Likely, 1),
            Likelihood::VeryLikely
        );
    }
}
