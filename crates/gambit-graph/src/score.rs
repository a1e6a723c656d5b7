//! The likelihood (0..1) and effort (a positive number, roughly "attacker-days") of each
//! step. The table is documented in docs/attack-graph.md; keep the two in step.

use gambit_model::cvss::{AttackVector, CvssVector};
use gambit_model::vocab::{Control, Vocab};
use gambit_model::{Model, Vulnerability};

use crate::engine::Derivation;
use crate::fact::Fact;
use crate::index::Index;
use crate::rule::{DerivationRule, Via};

/// A step's likelihood and effort.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepScore {
    pub likelihood: f64,
    pub effort: f64,
}

const fn s(likelihood: f64, effort: f64) -> StepScore {
    StepScore { likelihood, effort }
}

/// Likelihood and effort of a step before controls.
fn base(model: &Model, ix: &Index, d: &Derivation) -> StepScore {
    match d.rule {
        DerivationRule::Start
        | DerivationRule::ExecImpliesReach
        | DerivationRule::AdminImpliesExec
        | DerivationRule::Position => s(1.0, 0.0),
        DerivationRule::PublicReach => s(1.0, 0.5),
        DerivationRule::LateralFlow | DerivationRule::LateralZone => s(0.95, 1.0),
        DerivationRule::Exploit
        | DerivationRule::ExploitContent
        | DerivationRule::PrivilegeEscalation
        | DerivationRule::SsrfReach
        | DerivationRule::SsrfMetadata
        | DerivationRule::AuthBypass
        | DerivationRule::InfoDisclosure => match d.via {
            Via::Vuln(v) => {
                let (c, i) = ix.vuln(v);
                exploit(&model[c].vulnerabilities[i])
            }
            _ => s(0.5, 5.0),
        },
        DerivationRule::ForwardReach => s(1.0, 0.5),
        DerivationRule::Feed => s(0.9, 1.0),
        DerivationRule::DelegatedRead | DerivationRule::DelegatedWrite => s(0.9, 1.0),
        DerivationRule::AdminGrant | DerivationRule::Assume | DerivationRule::UseCredential => {
            s(0.95, 1.0)
        }
        DerivationRule::RunsAs => s(1.0, 0.5),
        DerivationRule::CodeFlow => s(0.7, 3.0),
        DerivationRule::PromptInjection => s(0.6, 2.0),
        DerivationRule::HostCredential | DerivationRule::ReadCredential => s(0.9, 1.0),
        DerivationRule::ActorCredential => s(1.0, 0.5),
        DerivationRule::Phishing => s(0.3, 3.0),
        DerivationRule::LocalData => s(1.0, 0.5),
        DerivationRule::GrantData => s(0.95, 1.0),
        DerivationRule::UnauthDatastore => s(0.9, 1.0),
        DerivationRule::UnauthFlow => s(0.8, 1.5),
        DerivationRule::Intercept => s(0.4, 4.0),
        DerivationRule::TaintWrite => s(1.0, 0.5),
        DerivationRule::TaintSend => s(0.9, 1.0),
    }
}

/// CVSS exploitability weights (the 3.1 specification's values; AT is ours).
fn av_weight(av: AttackVector) -> f64 {
    match av {
        AttackVector::Network => 0.85,
        AttackVector::Adjacent => 0.62,
        AttackVector::Local => 0.55,
        AttackVector::Physical => 0.2,
    }
}

/// The easiest possible exploit: AV:N, AC:L, PR:N, UI:N (AT:N).
const EASIEST: f64 = 0.85 * 0.77 * 0.85 * 0.85;

/// Exploitability in (0, 1]: 1 for AV:N/AC:L/PR:N/UI:N.
pub fn exploitability(v: &CvssVector) -> f64 {
    let ac = if v.high_complexity { 0.44 } else { 0.77 };
    let at = if v.attack_requirements { 0.6 } else { 1.0 };
    let pr = match v.privileges_required {
        0 => 0.85,
        1 => 0.62,
        _ => 0.27,
    };
    let ui = if v.user_interaction { 0.62 } else { 0.85 };
    av_weight(v.attack_vector) * ac * at * pr * ui / EASIEST
}

/// An exploit step: from CVSS exploitability, raised by KEV and EPSS.
pub fn exploit(v: &Vulnerability) -> StepScore {
    let x = v.cvss.as_ref().map_or(0.55, exploitability);
    let mut likelihood = 0.9 * x;
    let mut effort = 1.0 + 8.0 * (1.0 - x);
    if let Some(epss) = v.epss.filter(|e| e.is_finite()) {
        let epss = epss.clamp(0.0, 1.0);
        likelihood = likelihood.max(epss);
        effort *= 1.0 - 0.5 * epss;
    }
    if v.kev {
        likelihood = likelihood.max(0.9);
        effort *= 0.5;
    }
    s(likelihood.clamp(0.01, 1.0), effort.max(0.1))
}

/// A control on the component a step acts on: which steps it slows, by how much.
struct Slowdown {
    control: Control,
    applies: fn(DerivationRule) -> bool,
    likelihood_factor: f64,
    extra_effort: f64,
}

/// Steps that send the component a malicious request.
fn exploits(r: DerivationRule) -> bool {
    matches!(
        r,
        DerivationRule::Exploit
            | DerivationRule::UnauthFlow
            | DerivationRule::UnauthDatastore
            | DerivationRule::AuthBypass
            | DerivationRule::InfoDisclosure
            | DerivationRule::SsrfReach
            | DerivationRule::SsrfMetadata
    )
}

/// Steps where content the component consumes does the harm.
fn content(r: DerivationRule) -> bool {
    matches!(
        r,
        DerivationRule::ExploitContent | DerivationRule::PromptInjection
    )
}

const SLOWDOWNS: &[Slowdown] = &[
    Slowdown {
        control: Control::Waf,
        applies: |r| exploits(r) || r == DerivationRule::ExploitContent,
        likelihood_factor: 0.6,
        extra_effort: 2.0,
    },
    Slowdown {
        control: Control::PromptIsolation,
        applies: |r| r == DerivationRule::PromptInjection,
        likelihood_factor: 0.4,
        extra_effort: 3.0,
    },
    Slowdown {
        control: Control::InputValidation,
        applies: |r| exploits(r) || content(r),
        likelihood_factor: 0.8,
        extra_effort: 1.0,
    },
    Slowdown {
        control: Control::ParameterizedQueries,
        applies: exploits,
        likelihood_factor: 0.8,
        extra_effort: 1.0,
    },
    Slowdown {
        control: Control::RateLimiting,
        applies: |r| exploits(r) || r == DerivationRule::DelegatedRead,
        likelihood_factor: 0.9,
        extra_effort: 0.5,
    },
    Slowdown {
        control: Control::Edr,
        applies: |r| {
            matches!(
                r,
                DerivationRule::Exploit
                    | DerivationRule::ExploitContent
                    | DerivationRule::PrivilegeEscalation
                    | DerivationRule::HostCredential
                    | DerivationRule::CodeFlow
            )
        },
        likelihood_factor: 0.7,
        extra_effort: 1.0,
    },
    Slowdown {
        control: Control::Monitoring,
        applies: |r| !r.hidden(),
        likelihood_factor: 0.9,
        extra_effort: 0.5,
    },
    Slowdown {
        control: Control::Logging,
        applies: |r| !r.hidden(),
        likelihood_factor: 0.95,
        extra_effort: 0.0,
    },
    Slowdown {
        control: Control::NetworkPolicy,
        applies: |r| r == DerivationRule::LateralFlow,
        likelihood_factor: 0.7,
        extra_effort: 1.0,
    },
    Slowdown {
        control: Control::EgressFiltering,
        applies: |r| {
            matches!(
                r,
                DerivationRule::LocalData
                    | DerivationRule::HostCredential
                    | DerivationRule::SsrfReach
            )
        },
        likelihood_factor: 0.9,
        extra_effort: 0.5,
    },
    Slowdown {
        control: Control::LeastPrivilege,
        applies: |r| {
            matches!(
                r,
                DerivationRule::RunsAs
                    | DerivationRule::GrantData
                    | DerivationRule::AdminGrant
                    | DerivationRule::DelegatedRead
                    | DerivationRule::DelegatedWrite
            )
        },
        likelihood_factor: 0.8,
        extra_effort: 0.5,
    },
    Slowdown {
        control: Control::SecretsManager,
        applies: |r| r == DerivationRule::HostCredential,
        likelihood_factor: 0.6,
        extra_effort: 1.0,
    },
    Slowdown {
        control: Control::SignedArtifacts,
        applies: |r| r == DerivationRule::CodeFlow,
        likelihood_factor: 0.5,
        extra_effort: 2.0,
    },
    Slowdown {
        control: Control::DependencyPinning,
        applies: |r| r == DerivationRule::CodeFlow,
        likelihood_factor: 0.8,
        extra_effort: 1.0,
    },
    Slowdown {
        control: Control::Mfa,
        applies: |r| matches!(r, DerivationRule::AdminGrant | DerivationRule::GrantData),
        likelihood_factor: 0.5,
        extra_effort: 2.0,
    },
    Slowdown {
        control: Control::EncryptionAtRest,
        applies: |r| r == DerivationRule::LocalData,
        likelihood_factor: 0.95,
        extra_effort: 0.0,
    },
];

/// The controls listed in the likelihood table, for the docs test.
pub fn slowing_controls() -> impl Iterator<Item = &'static str> {
    SLOWDOWNS.iter().map(|s| s.control.as_str())
}

/// The component whose controls apply to a step.
fn acted_on(model: &Model, ix: &Index, head: Fact, d: &Derivation) -> Option<usize> {
    match head {
        Fact::Reach(c) | Fact::Exec(c) | Fact::Admin(c) => Some(c.index()),
        _ => d.via.component(model, ix).map(|c| c.index()),
    }
}

/// Which of the [`SLOWDOWNS`] controls a component has, one bit each (computed once per
/// model so scoring a derivation does no string comparison).
pub fn control_bits(has_control: impl Fn(Control) -> bool) -> u32 {
    SLOWDOWNS
        .iter()
        .enumerate()
        .filter(|(_, sd)| has_control(sd.control))
        .fold(0, |bits, (i, _)| bits | (1 << i))
}

fn apply_controls(bits: u32, rule: DerivationRule, mut step: StepScore) -> StepScore {
    let mut rest = bits;
    while rest != 0 {
        let i = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        let sd = &SLOWDOWNS[i];
        if (sd.applies)(rule) {
            step.likelihood *= sd.likelihood_factor;
            step.effort += sd.extra_effort;
        }
    }
    step
}

/// The likelihood and effort of one derivation's step.
pub fn step(model: &Model, ix: &Index, head: Fact, d: &Derivation) -> StepScore {
    let mut step = base(model, ix, d);
    if d.rule.hidden() {
        return step;
    }
    let mut bits = acted_on(model, ix, head, d).map_or(0, |c| ix.control_bits[c]);
    // Controls on the one call a step goes through count too (a waf rule on one route).
    for via in [d.via, d.via2] {
        if let Via::Flow(f) = via {
            bits |= ix.flow_control_bits[f.index()];
        }
    }
    if bits != 0 {
        step = apply_controls(bits, d.rule, step);
    }
    // An identity with MFA makes using its credential harder (it never blocks: the spec
    // removes only phishing for actor MFA).
    if let (DerivationRule::UseCredential, Fact::ActAs(i)) = (d.rule, head)
        && model[i].mfa
    {
        step.likelihood *= 0.3;
        step.effort += 3.0;
    }
    step
}
