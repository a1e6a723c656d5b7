//! A threat as reported: a finding with its id, severity, detection, the team's decision
//! and optional DREAD ratings. These are the serde types of `analyze --format json`,
//! shared by every output that lists threats.

use gambit_model::vocab::{ComponentKind, Control};
use serde::Serialize;

use gambit_model::vocab::{Impact, Likelihood, RiskStatus, Severity, Stride};
use gambit_model::{Endpoint, Model, Span};

use crate::context::{Context, ExposureLevel};
use crate::finding::{Finding, Target};
use crate::scoring;

/// Fields are declared in alphabetical order because that is the order of the keys of
/// `analyze --format json`, which serializes these types directly.
#[derive(Clone, Debug, Serialize)]
pub struct Threat {
    /// Ids of the threats folded into this one: other rules firing on the same fact, or
    /// this rule on other flows of the same source. `risks:` decisions on them apply here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// Assets at stake.
    pub assets: Vec<String>,
    /// The crown-jewel goals whose best attack path runs through this threat's target
    /// (`"internet: read card-tokens"`); empty when it is on no path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attack_goals: Vec<String>,
    /// The team's decision, from `risks:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    pub detection: Detection,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dread: Option<DreadScore>,
    /// What raised or lowered the likelihood.
    pub factors: Vec<String>,
    /// `RULE@TARGET`, stable across runs and versions.
    pub id: String,
    pub impact: Impact,
    pub likelihood: Likelihood,
    pub mitigations: Vec<String>,
    /// Set by the attack-graph analysis; false until it is attached.
    pub on_attack_path: bool,
    /// Open for `check`: status open or in-progress, or an acceptance past its expiry.
    pub open: bool,
    /// The model facts that made the rule fire.
    pub rationale: String,
    pub references: References,
    pub rule: String,
    pub severity: Severity,
    pub status: RiskStatus,
    /// Why the status is what it is, when a decision applies ("accepted until ...").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_note: Option<String>,
    pub stride: Vec<Stride>,
    pub target: String,
    pub target_kind: &'static str,
    pub title: String,
    /// Where the target is written, for diagnostics and SARIF.
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub exposure: Option<ExposureLevel>,
    /// Most records among the assets at stake.
    #[serde(skip)]
    pub records: Option<u64>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct References {
    pub attack: Vec<String>,
    pub capec: Vec<String>,
    pub cwe: Vec<String>,
}

/// What would notice the threat being exploited.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Detection {
    /// Detective controls the target lacks.
    pub missing: Vec<String>,
    /// Detective controls in place on the target ("web: logging").
    pub present: Vec<String>,
    pub summary: String,
}

/// The team's decision, from `risks:`.
#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    pub expired: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

/// DREAD ratings, 0 to 10 each, and their mean.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DreadScore {
    pub affected_users: u8,
    pub damage: u8,
    pub discoverability: u8,
    pub exploitability: u8,
    pub reproducibility: u8,
    pub score: f64,
}

/// Detective controls looked for on every component a threat touches.
const DETECTIVE: &[Control] = &[
    Control::Logging,
    Control::AuditLogging,
    Control::Monitoring,
    Control::AnomalyDetection,
    Control::Edr,
];
/// Which of them a target is expected to have.
const EXPECTED: &[Control] = &[Control::Logging, Control::Monitoring];
/// Kinds that run code on hosts an attacker can land on, where EDR is expected too.
const HOST_KINDS: &[ComponentKind] = &[
    ComponentKind::Vm,
    ComponentKind::Workstation,
    ComponentKind::Container,
    ComponentKind::K8sCluster,
    ComponentKind::CiCd,
    ComponentKind::Bastion,
    ComponentKind::DesktopApp,
];

impl Threat {
    pub fn from_finding(cx: &Context<'_>, f: Finding) -> Threat {
        let model = cx.model;
        let target = f.target.name(model).to_owned();
        let records = f
            .assets
            .iter()
            .filter_map(|&a| records_at_stake(model, a))
            .max();
        let mut severity = scoring::severity(f.likelihood, f.impact);
        let cap = (severity == Severity::Critical)
            .then(|| scoring::critical_cap(model, &f))
            .flatten();
        let mut factors = f.factors;
        if let Some(why) = cap {
            severity = Severity::High;
            factors.push(format!("rated high, not critical: {why}"));
        }
        Threat {
            id: format!("{}@{}", f.rule.id, target),
            rule: f.rule.id.to_owned(),
            title: f.title,
            stride: f.rule.stride.to_vec(),
            target,
            target_kind: f.target.kind(),
            likelihood: f.likelihood,
            impact: f.impact,
            severity,
            status: RiskStatus::Open,
            open: true,
            status_note: None,
            on_attack_path: false,
            attack_goals: Vec::new(),
            rationale: f.rationale,
            also: f.also,
            factors,
            assets: f.assets.iter().map(|&a| model[a].id.clone()).collect(),
            detection: detection(model, f.target),
            mitigations: f.mitigations,
            references: References {
                cwe: f.rule.cwe.iter().map(|s| (*s).to_owned()).collect(),
                capec: f.rule.capec.iter().map(|s| (*s).to_owned()).collect(),
                attack: f.rule.attack.iter().map(|s| (*s).to_owned()).collect(),
            },
            decision: None,
            dread: None,
            span: f.target.span(model),
            exposure: f.exposure,
            records,
        }
    }
}

/// The records an asset puts at stake: its own, or for a credential the most records
/// on the components its identity may use (following `assume`).
pub fn records_at_stake(model: &Model, asset: gambit_model::AssetId) -> Option<u64> {
    let a = &model[asset];
    let Some(identity) = a
        .grants
        .filter(|_| a.kind == gambit_model::vocab::AssetKind::Credential)
    else {
        return a.records;
    };
    let mut best = a.records;
    let mut seen = vec![identity];
    let mut todo = vec![identity];
    while let Some(i) = todo.pop() {
        for g in &model[i].grants {
            match g.target {
                gambit_model::GrantTarget::Component(c) => {
                    let comp = &model[c];
                    for &x in comp.stores.iter().chain(&comp.processes) {
                        best = best.max(model[x].records);
                    }
                }
                gambit_model::GrantTarget::Identity(j) if !seen.contains(&j) => {
                    seen.push(j);
                    todo.push(j);
                }
                gambit_model::GrantTarget::Identity(_) => {}
            }
        }
    }
    best
}

/// Components whose detective controls matter for a target.
fn watched_components(model: &Model, target: Target) -> Vec<gambit_model::ComponentId> {
    match target {
        Target::Component(c) => vec![c],
        Target::Flow(f) => [model[f].from, model[f].to]
            .into_iter()
            .filter_map(|e| match e {
                Endpoint::Component(c) => Some(c),
                Endpoint::Actor(_) => None,
            })
            .collect(),
        Target::Identity(i) => model[i].runs_on.clone(),
        Target::Asset(a) => model[a].stored_by.clone(),
        Target::Zone(z) => model[z].components.clone(),
        Target::Actor(_) => Vec::new(),
    }
}

pub fn detection(model: &Model, target: Target) -> Detection {
    let mut d = Detection::default();
    let comps = watched_components(model, target);
    for &c in comps.iter().take(8) {
        let comp = &model[c];
        for &k in DETECTIVE {
            if comp.has_control(k) {
                d.present.push(format!("{}: {k}", comp.id));
            }
        }
        let ships = comp.flows_out.iter().any(|&f| {
            matches!(model[f].to, Endpoint::Component(t) if model[t].kind.is_any(&[ComponentKind::Logging, ComponentKind::Monitoring]))
        });
        if ships {
            d.present
                .push(format!("{}: sends logs to a log sink", comp.id));
        }
        let mut expected = EXPECTED.to_vec();
        if comp.kind.is_any(HOST_KINDS) {
            expected.push(Control::Edr);
        }
        for k in expected {
            let covered = comp.has_control(k)
                || (k == Control::Logging && (comp.has_control(Control::AuditLogging) || ships));
            if !covered {
                d.missing.push(format!("{}: {k}", comp.id));
            }
        }
    }
    d.summary = match (d.present.is_empty(), comps.is_empty()) {
        (_, true) => "nothing in the model watches this target".to_owned(),
        (true, false) => "no logging, monitoring or EDR on the components involved: exploitation would go unnoticed".to_owned(),
        (false, false) if d.missing.is_empty() => format!("watched by {}", d.present.join(", ")),
        (false, false) => format!("watched by {}; missing {}", d.present.join(", "), d.missing.join(", ")),
    };
    d
}

/// DREAD from the model (docs/risk.md): damage from impact, reproducibility from
/// likelihood, exploitability and discoverability from exposure, affected users from records.
pub fn dread(t: &Threat) -> DreadScore {
    let damage = match t.impact {
        Impact::Low => 3,
        Impact::Medium => 5,
        Impact::High => 8,
        Impact::VeryHigh => 10,
    };
    let reproducibility = match t.likelihood {
        Likelihood::Unlikely => 3,
        Likelihood::Likely => 5,
        Likelihood::VeryLikely => 8,
        Likelihood::Frequent => 10,
    };
    let by_exposure = |internet, partner, internal, restricted| match t.exposure {
        Some(ExposureLevel::Internet) => internet,
        Some(ExposureLevel::Partner) => partner,
        Some(ExposureLevel::Internal) | None => internal,
        Some(ExposureLevel::Restricted) => restricted,
    };
    let exploitability = by_exposure(9, 6, 4, 2);
    let discoverability = by_exposure(9, 6, 4, 2);
    let affected_users = match t.records {
        None if t.assets.is_empty() => 1,
        None => 3,
        Some(r) if r < 1_000 => 3,
        Some(r) if r < 100_000 => 5,
        Some(r) if r < 1_000_000 => 7,
        Some(_) => 10,
    };
    make_dread(
        damage,
        reproducibility,
        exploitability,
        affected_users,
        discoverability,
    )
}

pub fn make_dread(d: u8, r: u8, e: u8, a: u8, di: u8) -> DreadScore {
    let sum = f64::from(d) + f64::from(r) + f64::from(e) + f64::from(a) + f64::from(di);
    DreadScore {
        damage: d,
        reproducibility: r,
        exploitability: e,
        affected_users: a,
        discoverability: di,
        score: (sum / 5.0 * 10.0).round() / 10.0,
    }
}
