//! What a rule reports, before risk decisions are applied: a [`Finding`], built with a
//! [`FindingBuilder`] that fills likelihood and impact from the model the same way for
//! every rule.

use gambit_model::vocab::{Control, Impact, Likelihood};
use gambit_model::{ActorId, AssetId, ComponentId, Endpoint, FlowId, IdentityId, Model, ZoneId};

use crate::context::{Context, ExposureLevel};
use crate::rule::RuleMeta;
use crate::scoring;

/// What a threat is about: an element or a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Asset(AssetId),
    Zone(ZoneId),
    Actor(ActorId),
    Component(ComponentId),
    Identity(IdentityId),
    Flow(FlowId),
}

impl Target {
    pub fn name(self, model: &Model) -> &str {
        match self {
            Target::Asset(i) => &model[i].id,
            Target::Zone(i) => &model[i].id,
            Target::Actor(i) => &model[i].id,
            Target::Component(i) => &model[i].id,
            Target::Identity(i) => &model[i].id,
            Target::Flow(i) => &model[i].id,
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Target::Asset(_) => "asset",
            Target::Zone(_) => "zone",
            Target::Actor(_) => "actor",
            Target::Component(_) => "component",
            Target::Identity(_) => "identity",
            Target::Flow(_) => "flow",
        }
    }

    pub fn span(self, model: &Model) -> gambit_model::Span {
        match self {
            Target::Asset(i) => model[i].span,
            Target::Zone(i) => model[i].span,
            Target::Actor(i) => model[i].span,
            Target::Component(i) => model[i].span,
            Target::Identity(i) => model[i].span,
            Target::Flow(i) => model[i].span,
        }
    }
}

impl From<Endpoint> for Target {
    fn from(e: Endpoint) -> Self {
        match e {
            Endpoint::Actor(a) => Target::Actor(a),
            Endpoint::Component(c) => Target::Component(c),
        }
    }
}

/// One weak spot found by a rule.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub target: Target,
    pub title: String,
    /// The model facts that made the rule fire.
    pub rationale: String,
    pub assets: Vec<AssetId>,
    pub likelihood: Likelihood,
    pub impact: Impact,
    /// What moved the likelihood away from the rule's default, in words.
    pub factors: Vec<String>,
    pub mitigations: Vec<String>,
    /// The target's exposure, when it has one (components and flows).
    pub exposure: Option<ExposureLevel>,
    /// Ids of the findings folded into this one (see `fold`).
    pub also: Vec<String>,
}

/// Builds a [`Finding`]. By default the likelihood starts at the rule's and moves with
/// the target's exposure (one up from the internet, one down in an isolated or
/// restricted zone), and the impact is the worst of the assets involved (the rule's
/// default when there are none).
pub struct FindingBuilder<'c, 'm> {
    cx: &'c Context<'m>,
    rule: &'static RuleMeta,
    target: Target,
    title: Option<String>,
    rationale: String,
    assets: Vec<AssetId>,
    likelihood: Likelihood,
    exposure: Option<(ExposureLevel, String)>,
    /// Whether exposure moves the likelihood (it is still recorded for DREAD).
    adjust_for_exposure: bool,
    shifts: Vec<(i32, String)>,
    impact: Option<Impact>,
    impact_floor: Option<Impact>,
    mitigations: Vec<String>,
}

impl<'c, 'm> FindingBuilder<'c, 'm> {
    pub(crate) fn new(cx: &'c Context<'m>, rule: &'static RuleMeta, target: Target) -> Self {
        let exposure = match target {
            Target::Component(c) => {
                let f = cx.facts(c);
                let why = f.exposure_reason.clone().unwrap_or_default();
                Some((f.exposure, why))
            }
            Target::Flow(f) => {
                let flow = &cx.model[f];
                let e = cx.flow_exposure(flow);
                let why = match e {
                    ExposureLevel::Internet => "one end is untrusted".to_owned(),
                    ExposureLevel::Restricted => "both ends are in restricted zones".to_owned(),
                    _ => String::new(),
                };
                Some((e, why))
            }
            _ => None,
        };
        FindingBuilder {
            cx,
            rule,
            target,
            title: None,
            rationale: String::new(),
            assets: Vec::new(),
            likelihood: rule.likelihood,
            exposure,
            adjust_for_exposure: true,
            shifts: Vec::new(),
            impact: None,
            impact_floor: None,
            mitigations: Vec::new(),
        }
    }

    /// The facts that made the rule fire, in words; required.
    pub fn because(mut self, rationale: impl Into<String>) -> Self {
        self.rationale = rationale.into();
        self
    }

    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    pub fn assets(mut self, assets: impl IntoIterator<Item = AssetId>) -> Self {
        self.assets.extend(assets);
        self.assets.sort();
        self.assets.dedup();
        self
    }

    /// Replaces the rule's starting likelihood (exposure still applies).
    pub fn likelihood(mut self, l: Likelihood) -> Self {
        self.likelihood = l;
        self
    }

    /// Ignore the target's exposure (the rule already accounted for it).
    pub fn fixed_likelihood(mut self, l: Likelihood) -> Self {
        self.likelihood = l;
        self.adjust_for_exposure = false;
        self
    }

    /// Moves the likelihood by `by` steps, with the reason shown to the user.
    pub fn shift(mut self, by: i32, why: impl Into<String>) -> Self {
        self.shifts.push((by, why.into()));
        self
    }

    /// One step less likely for each of `controls` present on `component` (at most one).
    pub fn lowered_by(mut self, component: ComponentId, controls: &[Control]) -> Self {
        let c = &self.cx.model[component];
        if let Some(present) = controls.iter().find(|&&k| c.has_control(k)) {
            self.shifts.push((-1, format!("{} has {present}", c.id)));
        }
        self
    }

    pub fn impact(mut self, i: Impact) -> Self {
        self.impact = Some(i);
        self
    }

    pub fn impact_at_least(mut self, i: Impact) -> Self {
        self.impact_floor = Some(self.impact_floor.map_or(i, |f| f.max(i)));
        self
    }

    pub fn mitigation(mut self, m: impl Into<String>) -> Self {
        self.mitigations.push(m.into());
        self
    }

    pub fn emit(self, out: &mut Vec<crate::finding::Finding>) {
        out.push(self.build());
    }

    pub fn build(self) -> Finding {
        let mut factors = Vec::new();
        let mut rank = i32::from(scoring::likelihood_rank(self.likelihood));
        if let Some((exposure, why)) = self.exposure.as_ref().filter(|_| self.adjust_for_exposure) {
            match exposure {
                ExposureLevel::Internet => {
                    rank += 1;
                    factors.push(format!("exposed to the internet ({why}): more likely"));
                }
                ExposureLevel::Restricted => {
                    rank -= 1;
                    factors.push(format!(
                        "restricted ({}): less likely",
                        if why.is_empty() {
                            "isolated or restricted zone"
                        } else {
                            why
                        }
                    ));
                }
                _ => {}
            }
        }
        for (by, why) in &self.shifts {
            rank += by;
            let dir = if *by > 0 {
                "more likely"
            } else {
                "less likely"
            };
            factors.push(format!("{why}: {dir}"));
        }
        if let Target::Component(c) = self.target
            && let Some(v) = self.cx.model[c].open_vulnerabilities().find(|v| v.kev)
            && self.rule.id != "exploitable-vulnerability"
        {
            rank += 1;
            factors.push(format!("{} is known exploited (KEV): more likely", v.id));
        }
        let stride = self.rule.stride;
        let from_assets = scoring::assets_impact(self.cx.model, &self.assets, stride);
        let mut impact = self.impact.or(from_assets).unwrap_or(self.rule.impact);
        if let Some(floor) = self.impact_floor {
            impact = impact.max(floor);
        }
        let mut mitigations = self.mitigations;
        mitigations.push(self.rule.fix.to_owned());
        Finding {
            rule: self.rule,
            target: self.target,
            title: self.title.unwrap_or_else(|| self.rule.title.to_owned()),
            rationale: self.rationale,
            assets: self.assets,
            likelihood: scoring::likelihood_from_rank(rank),
            impact,
            factors,
            mitigations,
            exposure: self.exposure.map(|(e, _)| e),
            also: Vec::new(),
        }
    }
}
