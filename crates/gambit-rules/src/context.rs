//! The facts rules share, computed once per analysis: who can call each component, which
//! assets carry attacker-controlled content, where logs go. Rules read the model and
//! these facts only; they never mutate anything.

use gambit_model::vocab::ComponentKind;
use gambit_model::vocab::{Access, Authentication, Classification, Impact, Stride, Trust};
use gambit_model::vocab::{ActorKind, Control};
use gambit_model::{
    Actor, AssetId, Component, ComponentId, Endpoint, Flow, FlowId, GrantTarget, IdentityId, Model,
    ZoneId,
};

use crate::finding::{FindingBuilder, Target};
use crate::rule::RuleMeta;
use crate::scoring;

/// How far from the internet a component or flow is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExposureLevel {
    /// Only internal callers, in zones trusted `restricted` or isolated zones.
    Restricted,
    /// Internal callers only.
    Internal,
    /// Partners call it, or it sits in a partner zone.
    Partner,
    /// Public, called by untrusted actors, or in an untrusted zone.
    Internet,
}

/// Derived facts about one component.
#[derive(Clone, Debug)]
pub struct ComponentFacts {
    pub exposure: ExposureLevel,
    /// Why it is exposed, for rationales ("public", "called by customer (untrusted)").
    pub exposure_reason: Option<String>,
    /// It receives content an attacker can shape: it is exposed, or it receives, fetches
    /// or keeps a tainted asset.
    pub untrusted_input: bool,
    /// The first tainted asset it handles, for rationales.
    pub tainted_asset: Option<AssetId>,
    /// It sends to a logging or monitoring component.
    pub ships_logs: bool,
    /// The forwarding components its exposure comes through, when it comes only through
    /// them (empty when it is exposed itself).
    pub exposed_via: Vec<ComponentId>,
}

/// Kinds of human actors (others are systems, bots or organisations).
const NON_HUMAN_ACTORS: &[ActorKind] = &[
    ActorKind::ExternalSystem,
    ActorKind::Service,
    ActorKind::Bot,
    ActorKind::Partner,
];

/// Component kinds that collect logs and events.
const LOG_SINKS: &[ComponentKind] = &[ComponentKind::Logging, ComponentKind::Monitoring];

/// Kinds that are products deployed as they come, not code the team writes.
const OFF_THE_SHELF_KINDS: &[ComponentKind] = &[
    ComponentKind::IdentityProvider,
    ComponentKind::Monitoring,
    ComponentKind::Logging,
    ComponentKind::SecretStore,
    ComponentKind::MessageBroker,
    ComponentKind::ArtifactRegistry,
    ComponentKind::CiCd,
    ComponentKind::Repository,
    ComponentKind::Dns,
    ComponentKind::Firewall,
    ComponentKind::EmailServer,
    ComponentKind::Saas,
    // A jump host runs sshd or RDP for people, not application code of ours.
    ComponentKind::Bastion,
];

pub struct Context<'m> {
    pub model: &'m Model,
    components: Vec<ComponentFacts>,
    tainted: Vec<bool>,
}

impl<'m> Context<'m> {
    pub fn new(model: &'m Model) -> Self {
        let tainted = tainted_assets(model);
        let mut components: Vec<ComponentFacts> = model
            .components
            .iter()
            .map(|c| component_facts(model, c, &tainted))
            .collect();
        expose_behind_forwarders(model, &mut components);
        Context {
            model,
            components,
            tainted,
        }
    }

    /// Starts a finding of `rule` on `target`.
    pub fn finding<'c>(
        &'c self,
        rule: &'static RuleMeta,
        target: Target,
    ) -> FindingBuilder<'c, 'm> {
        FindingBuilder::new(self, rule, target)
    }

    pub fn facts(&self, c: ComponentId) -> &ComponentFacts {
        &self.components[c.index()]
    }

    /// Components in scope, with their ids.
    pub fn components(&self) -> impl Iterator<Item = (ComponentId, &'m Component)> + '_ {
        self.model
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.out_of_scope)
            .map(|(i, c)| (ComponentId(i as u32), c))
    }

    /// Flows whose two ends are in scope.
    pub fn flows(&self) -> impl Iterator<Item = (FlowId, &'m Flow)> + '_ {
        self.model
            .flows
            .iter()
            .enumerate()
            .filter(|(_, f)| self.in_scope(f.from) && self.in_scope(f.to))
            .map(|(i, f)| (FlowId(i as u32), f))
    }

    pub fn actors(&self) -> impl Iterator<Item = (gambit_model::ActorId, &'m Actor)> + '_ {
        self.model
            .actors
            .iter()
            .enumerate()
            .filter(|(_, a)| !a.out_of_scope)
            .map(|(i, a)| (gambit_model::ActorId(i as u32), a))
    }

    pub fn identities(
        &self,
    ) -> impl Iterator<Item = (IdentityId, &'m gambit_model::Identity)> + '_ {
        self.model
            .identities
            .iter()
            .enumerate()
            .map(|(i, x)| (IdentityId(i as u32), x))
    }

    pub fn in_scope(&self, e: Endpoint) -> bool {
        match e {
            Endpoint::Actor(a) => !self.model[a].out_of_scope,
            Endpoint::Component(c) => !self.model[c].out_of_scope,
        }
    }

    /// Whether a component has a control itself, or every forwarding component its
    /// exposure comes through has it (rate limiting at the ingress covers the services
    /// behind it). Cycles of forwarders count as unguarded.
    pub fn guarded_by(&self, c: ComponentId, control: Control) -> bool {
        let mut seen = Vec::new();
        self.guarded_walk(c, control, &mut seen)
    }

    fn guarded_walk(&self, c: ComponentId, control: Control, seen: &mut Vec<ComponentId>) -> bool {
        if self.model[c].has_control(control) {
            return true;
        }
        if seen.contains(&c) {
            return false;
        }
        seen.push(c);
        let via = &self.components[c.index()].exposed_via;
        !via.is_empty() && via.iter().all(|&p| self.guarded_walk(p, control, seen))
    }

    /// The secret store a component reads all of `creds` from at run time (a flow to a
    /// secret-store that returns them), which is what the secrets-manager control means.
    pub fn fetched_from_secret_store(&self, c: ComponentId, creds: &[AssetId]) -> Option<&'m str> {
        let model = self.model;
        model[c].flows_out.iter().find_map(|&f| {
            let flow = &model[f];
            let Endpoint::Component(store) = flow.to else {
                return None;
            };
            (model[store].kind.is(ComponentKind::SecretStore)
                && creds.iter().all(|k| flow.returns.contains(k)))
            .then(|| model[store].id.as_str())
        })
    }

    pub fn is_tainted(&self, a: AssetId) -> bool {
        self.tainted[a.index()]
    }

    pub fn component(&self, e: Endpoint) -> Option<&'m Component> {
        match e {
            Endpoint::Component(c) => Some(&self.model[c]),
            Endpoint::Actor(_) => None,
        }
    }

    pub fn actor(&self, e: Endpoint) -> Option<&'m Actor> {
        match e {
            Endpoint::Actor(a) => Some(&self.model[a]),
            Endpoint::Component(_) => None,
        }
    }

    pub fn name(&self, e: Endpoint) -> &'m str {
        self.model.endpoint_name(e)
    }

    pub fn asset_name(&self, a: AssetId) -> &'m str {
        &self.model[a].id
    }

    /// The trust of an endpoint: an actor's own, a component's zone's.
    pub fn trust(&self, e: Endpoint) -> Trust {
        endpoint_trust(self.model, e)
    }

    pub fn zone_trust(&self, z: ZoneId) -> Trust {
        zone_trust(self.model, z)
    }

    /// An endpoint run by someone outside the organisation.
    pub fn is_untrusted(&self, e: Endpoint) -> bool {
        self.trust(e) == Trust::Untrusted
    }

    /// An endpoint outside the organisation: untrusted or partner.
    pub fn is_external(&self, e: Endpoint) -> bool {
        matches!(self.trust(e), Trust::Untrusted | Trust::Partner)
    }

    /// A component run by someone else: it sits in an untrusted or partner zone that is
    /// not nested in one of our own (internal or restricted) zones. Rules about how we
    /// build and operate components do not apply to it. A sandbox we run inside our own
    /// cloud account is untrusted, but it is still ours.
    pub fn third_party(&self, c: ComponentId) -> bool {
        let zone = self.model[c].zone;
        matches!(self.zone_trust(zone), Trust::Untrusted | Trust::Partner)
            && !self.inside_own_zone(zone)
    }

    fn inside_own_zone(&self, zone: ZoneId) -> bool {
        nested_in_own_zone(self.model, zone)
    }

    /// An endpoint outside the organisation that we neither run nor control: an
    /// untrusted or partner actor, or a third-party component. A flow between two such
    /// endpoints (mail from the internet into a mail provider) is nobody's here to fix.
    pub fn outside_organisation(&self, e: Endpoint) -> bool {
        match e {
            Endpoint::Actor(_) => self.is_external(e),
            Endpoint::Component(c) => self.third_party(c),
        }
    }

    /// A provider runs the component (`managed: true`): its hosts, patching, redundancy
    /// and host logs are theirs, so rules about those skip it; its configuration and
    /// access are still ours.
    pub fn provider_operated(&self, c: &Component) -> bool {
        c.managed
    }

    /// A product whose code we do not write: managed, or a kind that is always bought
    /// or deployed as is (identity providers, monitoring, logging, secret stores,
    /// brokers, registries, CI, jump hosts, forwarding components, datastores replicating to each
    /// other). Injection rules ask about code we write, so they skip these.
    pub fn off_the_shelf(&self, c: &Component) -> bool {
        c.managed || c.is_forwarding() || c.is_datastore() || c.kind.is_any(OFF_THE_SHELF_KINDS)
    }

    /// Whether the component decides what an authenticated caller may do: forwarding
    /// hops pass requests on and sign-in endpoints only prove who the caller is, so
    /// authorization belongs to the service behind them.
    pub fn authorizes_requests(&self, c: &Component) -> bool {
        !c.is_forwarding() && !c.kind.is(ComponentKind::IdentityProvider)
    }

    pub fn is_human(&self, a: &Actor) -> bool {
        !a.kind.is_any(NON_HUMAN_ACTORS)
    }

    pub fn is_log_sink(&self, c: &Component) -> bool {
        c.kind.is_any(LOG_SINKS)
    }

    /// "name (trust)" for rationales.
    pub fn describe(&self, e: Endpoint) -> String {
        format!("{} ({})", self.name(e), self.trust(e))
    }

    /// Whether a flow's two ends sit in different zones.
    pub fn crosses_boundary(&self, f: &Flow) -> bool {
        self.model.endpoint_zone(f.from) != self.model.endpoint_zone(f.to)
    }

    /// The assets a flow carries either way.
    pub fn carried(&self, f: &'m Flow) -> impl Iterator<Item = AssetId> + 'm {
        f.data.iter().chain(f.returns.iter()).copied()
    }

    /// Assets a component keeps or handles, deduplicated, in model order.
    pub fn handled(&self, c: &Component) -> Vec<AssetId> {
        let mut v: Vec<AssetId> = c.stores.iter().chain(&c.processes).copied().collect();
        v.sort();
        v.dedup();
        v
    }

    /// The assets a component stores or processes whose availability is high or critical:
    /// what an outage of the component takes down.
    pub fn availability_critical(&self, c: &Component) -> Vec<AssetId> {
        let mut v = self.handled(c);
        v.retain(|&a| self.model[a].availability >= gambit_model::vocab::Criticality::High);
        v
    }

    /// The confidential or restricted assets a flow sends out, unless its sender strips or
    /// masks data on the way (dlp, data-minimization or tokenization): empty when guarded.
    pub fn unguarded_sensitive_data(&self, f: &gambit_model::Flow) -> Vec<AssetId> {
        const GUARDS: &[Control] = &[
            Control::Dlp,
            Control::DataMinimization,
            Control::Tokenization,
        ];
        let guarded = self
            .component(f.from)
            .is_some_and(|s| GUARDS.iter().any(|&g| s.has_control(g)));
        if guarded {
            return Vec::new();
        }
        self.at_least(f.data.iter().copied(), Classification::Confidential)
    }

    /// Assets at or above a classification, from a list.
    pub fn at_least(
        &self,
        assets: impl IntoIterator<Item = AssetId>,
        min: Classification,
    ) -> Vec<AssetId> {
        let mut v: Vec<AssetId> = assets
            .into_iter()
            .filter(|&a| self.model[a].classification >= min)
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// "a, b (restricted)" style list of asset ids with their classification.
    pub fn list_assets(&self, assets: &[AssetId]) -> String {
        assets
            .iter()
            .map(|&a| format!("{} ({})", self.model[a].id, self.model[a].classification))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The exposure of a flow: the worse of its two ends' trust.
    pub fn flow_exposure(&self, f: &Flow) -> ExposureLevel {
        let worst = [f.from, f.to]
            .into_iter()
            .map(|e| self.trust(e))
            .min()
            .unwrap_or(Trust::Internal);
        match worst {
            Trust::Untrusted => ExposureLevel::Internet,
            Trust::Partner => ExposureLevel::Partner,
            Trust::Internal => ExposureLevel::Internal,
            Trust::Restricted => ExposureLevel::Restricted,
        }
    }

    /// Whether an identity's credential is known to a person (held by an actor).
    pub fn used_by_people(&self, i: IdentityId) -> bool {
        self.model[i].credentials.iter().any(|&k| {
            self.model[k]
                .held_by
                .iter()
                .any(|e| matches!(e, Endpoint::Actor(a) if self.is_human(&self.model[*a])))
        })
    }

    /// The impact of acting as an identity (see [`identity_reach_impact`]).
    pub fn identity_impact(&self, i: IdentityId) -> Impact {
        identity_reach_impact(self.model, i)
    }

    /// Components an identity may write to or administer, directly or through `assume`.
    pub fn writable_by(&self, i: IdentityId) -> Vec<ComponentId> {
        let mut out = Vec::new();
        let mut seen = vec![i];
        let mut todo = vec![i];
        while let Some(id) = todo.pop() {
            for g in &self.model[id].grants {
                match g.target {
                    GrantTarget::Component(c) if g.access != Access::Read => out.push(c),
                    GrantTarget::Identity(j) if !seen.contains(&j) => {
                        seen.push(j);
                        todo.push(j);
                    }
                    _ => {}
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// What the caller behind a flow proved: its effective authentication, which a
    /// forwarding hop carries on from its callers (docs/model-language.md).
    pub fn authentication(&self, f: &Flow) -> Authentication {
        f.effective_authentication
    }

    /// How an attacker gets to read an unencrypted flow: from the internet when either
    /// end is there; otherwise only by first standing in a network zone of one of its
    /// ends (a flow between two of our own network zones), which lowers the likelihood.
    /// `None` when nothing stands in the way.
    pub fn sniffing_needs(&self, f: &Flow) -> Option<String> {
        let zones = [
            self.model.endpoint_zone(f.from),
            self.model.endpoint_zone(f.to),
        ];
        let on_internet = zones
            .iter()
            .any(|&z| z == self.model.internet() || self.zone_trust(z) == Trust::Untrusted);
        if on_internet || zones.iter().any(|&z| !self.model[z].is_network()) {
            return None;
        }
        let mut names: Vec<&str> = zones.iter().map(|&z| self.model[z].id.as_str()).collect();
        names.dedup();
        Some(format!(
            "an attacker must first stand in network zone {}",
            names.join(" or ")
        ))
    }
}

/// Whether a zone has an ancestor trusted internal or restricted (parents are acyclic:
/// the loader rejects cycles; the walk is bounded by the zone count anyway).
fn nested_in_own_zone(model: &Model, zone: ZoneId) -> bool {
    let mut next = model[zone].parent;
    for _ in 0..model.zones.len() {
        let Some(z) = next else { break };
        if matches!(zone_trust(model, z), Trust::Internal | Trust::Restricted) {
            return true;
        }
        next = model[z].parent;
    }
    false
}

pub fn zone_trust(model: &Model, z: ZoneId) -> Trust {
    if z == model.internet() {
        Trust::Untrusted
    } else {
        model[z].trust
    }
}

pub fn endpoint_trust(model: &Model, e: Endpoint) -> Trust {
    match e {
        Endpoint::Actor(a) => model[a].trust,
        Endpoint::Component(c) => zone_trust(model, model[c].zone),
    }
}

/// Assets whose content an attacker shapes: sent by an untrusted endpoint (in a flow's
/// `data`), or received from one (in the `returns` of a flow to it).
fn tainted_assets(model: &Model) -> Vec<bool> {
    let mut tainted = vec![false; model.assets.len()];
    for f in &model.flows {
        if endpoint_trust(model, f.from) == Trust::Untrusted {
            for a in &f.data {
                tainted[a.index()] = true;
            }
        }
        if endpoint_trust(model, f.to) == Trust::Untrusted {
            for a in &f.returns {
                tainted[a.index()] = true;
            }
        }
    }
    tainted
}

fn component_facts(model: &Model, c: &Component, tainted: &[bool]) -> ComponentFacts {
    // An untrusted zone of our own (a sandbox in our account) marks what runs there as
    // untrusted, not as reachable from the internet: its callers decide that.
    let own_untrusted =
        zone_trust(model, c.zone) == Trust::Untrusted && nested_in_own_zone(model, c.zone);
    let mut exposure = match zone_trust(model, c.zone) {
        Trust::Untrusted if own_untrusted => ExposureLevel::Internal,
        Trust::Untrusted => ExposureLevel::Internet,
        Trust::Partner => ExposureLevel::Partner,
        Trust::Internal => ExposureLevel::Internal,
        Trust::Restricted => ExposureLevel::Restricted,
    };
    let mut reason = (exposure == ExposureLevel::Internet)
        .then(|| format!("in zone {} (untrusted)", model[c.zone].id));
    if c.public && exposure < ExposureLevel::Internet {
        exposure = ExposureLevel::Internet;
        reason = Some("public".to_owned());
    }
    for &f in &c.flows_in {
        let from = model[f].from;
        // Code pulled in (packages into CI, images into a cluster) is supply chain, not
        // a caller: it taints what the component handles, it does not expose it.
        if model[f].code {
            continue;
        }
        let level = match endpoint_trust(model, from) {
            Trust::Untrusted => ExposureLevel::Internet,
            Trust::Partner => ExposureLevel::Partner,
            _ => continue,
        };
        if level > exposure {
            exposure = level;
            reason = Some(format!(
                "called by {} ({})",
                model.endpoint_name(from),
                endpoint_trust(model, from)
            ));
        }
    }
    if exposure == ExposureLevel::Restricted && !model[c.zone].isolated {
        // A restricted zone that is not isolated still lets its members reach each other.
        exposure = ExposureLevel::Internal;
    }
    if exposure == ExposureLevel::Internal && model[c.zone].isolated {
        exposure = ExposureLevel::Restricted;
    }
    let inbound = c.flows_in.iter().flat_map(|&f| model[f].data.iter());
    let fetched = c.flows_out.iter().flat_map(|&f| model[f].returns.iter());
    let kept = c.stores.iter().chain(&c.processes);
    let tainted_asset = inbound
        .chain(fetched)
        .chain(kept)
        .copied()
        .find(|a| tainted[a.index()]);
    let ships_logs = c.flows_out.iter().any(|&f| match model[f].to {
        Endpoint::Component(to) => model[to].kind.is_any(LOG_SINKS),
        Endpoint::Actor(_) => false,
    });
    ComponentFacts {
        untrusted_input: exposure >= ExposureLevel::Partner
            || own_untrusted
            || tainted_asset.is_some(),
        exposure,
        exposure_reason: reason,
        tainted_asset,
        ships_logs,
        exposed_via: Vec::new(),
    }
}

/// A component reached through a forwarding component (CDN, load balancer, gateway,
/// ingress) is as exposed as that forwarder: the hop passes outsiders' requests on.
/// ExposureLevel only rises and has four levels, so the worklist ends.
fn expose_behind_forwarders(model: &Model, facts: &mut [ComponentFacts]) {
    let mut todo: Vec<ComponentId> = (0..model.components.len() as u32)
        .map(ComponentId)
        .filter(|&c| model[c].is_forwarding())
        .collect();
    while let Some(p) = todo.pop() {
        let level = facts[p.index()].exposure;
        if level < ExposureLevel::Partner {
            continue;
        }
        for &f in &model[p].flows_out {
            let Endpoint::Component(c) = model[f].to else {
                continue;
            };
            let behind = &mut facts[c.index()];
            if model[f].code || behind.exposure > level {
                continue;
            }
            if behind.exposure == level {
                // Equally exposed through another forwarder: remember it too.
                if !behind.exposed_via.is_empty() && !behind.exposed_via.contains(&p) {
                    behind.exposed_via.push(p);
                }
                continue;
            }
            behind.exposure = level;
            behind.exposure_reason = Some(format!("behind {}", model[p].id));
            behind.exposed_via = vec![p];
            behind.untrusted_input = true;
            if model[c].is_forwarding() {
                todo.push(c);
            }
        }
    }
}

/// What acting as an identity puts at stake: very-high for a privileged identity,
/// otherwise the worst asset on the components it may use (following `assume`).
pub fn identity_reach_impact(model: &Model, identity: IdentityId) -> Impact {
    let mut worst = Impact::Low;
    let mut seen = vec![identity];
    let mut todo = vec![identity];
    while let Some(i) = todo.pop() {
        let id = &model[i];
        if id.privileged {
            return Impact::VeryHigh;
        }
        for g in &id.grants {
            match g.target {
                GrantTarget::Component(c) => {
                    let comp = &model[c];
                    for &a in comp.stores.iter().chain(&comp.processes) {
                        let stride: &[Stride] = match g.access {
                            Access::Read => &[Stride::InformationDisclosure],
                            Access::Write => &[Stride::Tampering],
                            _ => &[Stride::InformationDisclosure, Stride::Tampering],
                        };
                        worst = worst.max(scoring::asset_impact(&model[a], stride));
                    }
                    if g.access == Access::Admin {
                        worst = worst.max(Impact::Medium);
                    }
                }
                GrantTarget::Identity(j) if !seen.contains(&j) => {
                    seen.push(j);
                    todo.push(j);
                }
                GrantTarget::Identity(_) => {}
            }
        }
    }
    worst
}
