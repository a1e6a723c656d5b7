//! A finding's effect in the attack graph, from its CWEs, else its CVSS vector. The table
//! and its reasons are documented in docs/findings.md; a test keeps the two in step.

use gambit_model::vocab::{Effect, Vocab};

/// Each effect and the CWEs that give it. Listed most severe first: a finding with CWEs of
/// several rows takes the first row's effect.
pub const CWE_EFFECTS: &[(&str, &[u32])] = &[
    (
        "code-execution",
        &[
            77, 78, 89, 94, 95, 96, 97, 98, 119, 120, 121, 122, 416, 415, 434, 502, 564, 787, 843,
            917, 1321, 1336,
        ],
    ),
    (
        "privilege-escalation",
        &[250, 266, 268, 269, 270, 272, 274, 276, 279, 281, 648, 732],
    ),
    (
        "auth-bypass",
        &[
            79, 80, 284, 285, 287, 330, 331, 338, 340, 288, 289, 290, 294, 302, 303, 304, 305, 306,
            307, 345, 347, 352, 384, 425, 565, 613, 620, 639, 640, 862, 863, 1275, 1390,
        ],
    ),
    ("ssrf", &[441, 918]),
    (
        "info-disclosure",
        &[
            22, 23, 35, 36, 59, 73, 125, 200, 201, 203, 209, 215, 311, 312, 319, 326, 327, 328,
            359, 497, 532, 538, 548, 552, 611, 668, 922, 1230,
        ],
    ),
    (
        "denial-of-service",
        &[
            369, 400, 401, 404, 405, 407, 409, 476, 617, 674, 770, 772, 789, 834, 835, 1050, 1333,
        ],
    ),
];

/// What decided a finding's effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    Cwe(u32),
    Cvss,
    /// Neither: the language's default for a vulnerability without an effect.
    Default,
}

/// The effect of a finding with these CWEs and CVSS vector, and what decided it.
/// A code-execution weakness exploited locally (CVSS `AV:L`) runs code with the rights of
/// the program it corrupts: a privilege escalation.
pub fn effect_name(cwes: &[u32], vector: Option<&str>) -> (&'static str, Basis) {
    let local = vector.is_some_and(|v| v.split('/').any(|m| m == "AV:L"));
    for (effect, list) in CWE_EFFECTS {
        if let Some(&cwe) = cwes.iter().find(|c| list.contains(c)) {
            if *effect == "code-execution" && local {
                return ("privilege-escalation", Basis::Cwe(cwe));
            }
            return (effect, Basis::Cwe(cwe));
        }
    }
    match vector.and_then(from_cvss) {
        Some(effect) => (effect, Basis::Cvss),
        None => ("code-execution", Basis::Default),
    }
}

/// The model's [`Effect`] of that name. `ssrf` becomes info-disclosure on a model language
/// that has no `ssrf` effect yet (revision 1): the closest step it can derive.
pub fn to_model_effect(name: &str) -> Effect {
    Effect::parse(name)
        .or_else(|| (name == "ssrf").then_some(Effect::InfoDisclosure))
        .unwrap_or(Effect::CodeExecution)
}

/// From the impact metrics: no confidentiality or integrity impact is a denial of service;
/// confidentiality alone a disclosure; high confidentiality and integrity code execution
/// (privilege escalation when the attack vector is local); some integrity impact without
/// both high an authentication bypass.
fn from_cvss(vector: &str) -> Option<&'static str> {
    let metric = |names: &[&str]| {
        vector.split('/').find_map(|part| {
            let (k, v) = part.split_once(':')?;
            names.contains(&k).then_some(v)
        })
    };
    let c = metric(&["C", "VC"])?;
    let i = metric(&["I", "VI"])?;
    let a = metric(&["A", "VA"]).unwrap_or("N");
    let local = metric(&["AV"]) == Some("L");
    Some(match (c, i) {
        ("N", "N") if a != "N" => "denial-of-service",
        ("N", "N") => return None,
        (_, "N") => "info-disclosure",
        ("H", "H") if local => "privilege-escalation",
        ("H", "H") => "code-execution",
        _ => "auth-bypass",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cwes_decide_before_cvss_and_the_most_severe_row_wins() {
        let network_rce = Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        assert_eq!(effect_name(&[918], network_rce), ("ssrf", Basis::Cwe(918)));
        assert_eq!(
            effect_name(&[400, 502], None),
            ("code-execution", Basis::Cwe(502))
        );
        assert_eq!(effect_name(&[22], None).0, "info-disclosure");
        assert_eq!(effect_name(&[862], None).0, "auth-bypass");
        assert_eq!(effect_name(&[269], None).0, "privilege-escalation");
        assert_eq!(effect_name(&[1333], None).0, "denial-of-service");
        let local = Some("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
        assert_eq!(effect_name(&[122], local).0, "privilege-escalation");
    }

    #[test]
    fn cvss_impacts_decide_without_a_known_cwe() {
        let e = |v| effect_name(&[9999], Some(v)).0;
        assert_eq!(
            e("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"),
            "denial-of-service"
        );
        assert_eq!(
            e("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),
            "info-disclosure"
        );
        assert_eq!(
            e("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"),
            "privilege-escalation"
        );
        assert_eq!(
            e("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            "code-execution"
        );
        assert_eq!(
            e("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
            "auth-bypass"
        );
        assert_eq!(
            e("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N"),
            "info-disclosure"
        );
        assert_eq!(effect_name(&[], None), ("code-execution", Basis::Default));
    }

    #[test]
    fn every_table_effect_is_a_documented_effect_and_cwes_are_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (effect, cwes) in CWE_EFFECTS {
            assert!(
                Effect::parse(effect).is_some() || *effect == "ssrf",
                "{effect}"
            );
            for c in *cwes {
                assert!(seen.insert(*c), "CWE-{c} is listed twice");
            }
        }
    }
}
