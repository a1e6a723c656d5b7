//! The resolved model: every reference checked and replaced by a dense integer id,
//! every default and derived value filled in, and adjacency lists ready for analysis.
//!
//! A [`Model`] is immutable once built. Analyses index its vectors with the typed ids
//! (`model.components[id]`), never look names up in a loop, and keep their own state in
//! side tables of the same length.

use foldhash::HashMap;
use std::marker::PhantomData;
use std::ops::Index;

use crate::ast::Date;
use crate::cvss::CvssVector;
use crate::source::Span;
use crate::vocab::{
    Access, ActorKind, AssetKind, Authentication, Authorization, Classification, ComponentKind,
    Control, Criticality, Effect, IdentityKind, Impact, Likelihood, RiskStatus, RuleTarget, Stride,
    Trust, Vocab, VulnStatus, ZoneKind,
};

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident => $elem:ident in $field:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl Index<$name> for Model {
            type Output = $elem;
            fn index(&self, id: $name) -> &$elem {
                &self.$field[id.index()]
            }
        }
    )+};
}

ids! {
    AssetId => Asset in assets;
    ZoneId => Zone in zones;
    ActorId => Actor in actors;
    ComponentId => Component in components;
    IdentityId => Identity in identities;
    FlowId => Flow in flows;
}

/// Turns a vector position into a typed id.
pub(crate) fn id_of<T: From<u32>>(i: usize) -> T {
    T::from(u32::try_from(i).expect("fewer than 4 billion elements"))
}

macro_rules! from_u32 {
    ($($name:ident),+) => {$(impl From<u32> for $name { fn from(v: u32) -> Self { $name(v) } })+};
}
from_u32!(AssetId, ZoneId, ActorId, ComponentId, IdentityId, FlowId);

/// Any element that has an id in the model's one namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElementId {
    Asset(AssetId),
    Zone(ZoneId),
    Actor(ActorId),
    Component(ComponentId),
    Identity(IdentityId),
}

impl ElementId {
    pub fn kind_name(self) -> &'static str {
        match self {
            ElementId::Asset(_) => "asset",
            ElementId::Zone(_) => "zone",
            ElementId::Actor(_) => "actor",
            ElementId::Component(_) => "component",
            ElementId::Identity(_) => "identity",
        }
    }
}

/// The end of a flow: an actor or a component.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    Actor(ActorId),
    Component(ComponentId),
}

/// A word from an open vocabulary `V`: one the project documents, or the user's own.
/// Code compares it with the documented words only through `V`, so a misspelt kind in
/// analysis code is a compile error rather than a rule that never fires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kind<V> {
    text: String,
    vocabulary: PhantomData<V>,
}

impl<V: Vocab> Kind<V> {
    pub fn new(text: impl Into<String>) -> Self {
        Kind {
            text: text.into(),
            vocabulary: PhantomData,
        }
    }
    pub fn is(&self, word: V) -> bool {
        self.text == word.as_str()
    }
    pub fn is_any(&self, words: &[V]) -> bool {
        words.iter().any(|&w| self.is(w))
    }
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

#[derive(Clone, Debug)]
pub struct Model {
    pub name: String,
    pub description: Option<String>,
    /// `sha256:` of the source text of every file, in load order.
    pub digest: String,
    pub assets: Vec<Asset>,
    pub zones: Vec<Zone>,
    pub actors: Vec<Actor>,
    pub components: Vec<Component>,
    pub identities: Vec<Identity>,
    pub flows: Vec<Flow>,
    pub controls: Vec<ControlDef>,
    pub attackers: Vec<AttackerSpec>,
    pub risks: Vec<RiskDecision>,
    pub rules: Vec<CustomRule>,
    pub(crate) ids: HashMap<String, ElementId>,
}

impl Model {
    /// A copy of this model with `added` vulnerabilities appended to their components
    /// (scanner findings, for instance). The model itself stays as it is: analyses hold
    /// references into it.
    pub fn with_vulnerabilities(
        &self,
        added: impl IntoIterator<Item = (ComponentId, Vulnerability)>,
    ) -> Model {
        let mut model = self.clone();
        for (component, vulnerability) in added {
            model.components[component.index()]
                .vulnerabilities
                .push(vulnerability);
        }
        model
    }

    /// The element with this id, in any section.
    pub fn lookup(&self, id: &str) -> Option<ElementId> {
        self.ids.get(id).copied()
    }

    pub fn component_id(&self, id: &str) -> Option<ComponentId> {
        match self.lookup(id)? {
            ElementId::Component(c) => Some(c),
            _ => None,
        }
    }

    pub fn asset_id(&self, id: &str) -> Option<AssetId> {
        match self.lookup(id)? {
            ElementId::Asset(a) => Some(a),
            _ => None,
        }
    }

    pub fn actor_id(&self, id: &str) -> Option<ActorId> {
        match self.lookup(id)? {
            ElementId::Actor(a) => Some(a),
            _ => None,
        }
    }

    /// The built-in zone `internet`.
    pub fn internet(&self) -> ZoneId {
        ZoneId(0)
    }

    /// The built-in zone `internal`.
    pub fn internal(&self) -> ZoneId {
        ZoneId(1)
    }

    /// Whether an endpoint belongs to a third party: an actor, or a component in a zone
    /// whose trust is untrusted or partner. Choke points never remove a third party's
    /// flows or credentials: only that party could.
    pub fn is_third_party(&self, e: Endpoint) -> bool {
        match e {
            Endpoint::Actor(_) => true,
            Endpoint::Component(c) => {
                matches!(self[self[c].zone].trust, Trust::Untrusted | Trust::Partner)
            }
        }
    }

    pub fn endpoint_name(&self, e: Endpoint) -> &str {
        match e {
            Endpoint::Actor(a) => &self[a].id,
            Endpoint::Component(c) => &self[c].id,
        }
    }

    pub fn endpoint_zone(&self, e: Endpoint) -> ZoneId {
        match e {
            Endpoint::Actor(a) => self[a].zone,
            Endpoint::Component(c) => self[c].zone,
        }
    }

    pub fn crown_jewels(&self) -> impl Iterator<Item = AssetId> + '_ {
        self.assets
            .iter()
            .enumerate()
            .filter(|(_, a)| a.crown_jewel)
            .map(|(i, _)| id_of(i))
    }

    /// The id and span of any element, for messages.
    pub fn element_name(&self, e: ElementId) -> (&str, Span) {
        match e {
            ElementId::Asset(i) => (&self[i].id, self[i].span),
            ElementId::Zone(i) => (&self[i].id, self[i].span),
            ElementId::Actor(i) => (&self[i].id, self[i].span),
            ElementId::Component(i) => (&self[i].id, self[i].span),
            ElementId::Identity(i) => (&self[i].id, self[i].span),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Asset {
    pub id: String,
    pub span: Span,
    pub kind: AssetKind,
    pub classification: Classification,
    pub integrity: Criticality,
    pub availability: Criticality,
    pub crown_jewel: bool,
    pub records: Option<u64>,
    /// For a credential: the identity it grants.
    pub grants: Option<IdentityId>,
    pub tags: Vec<String>,
    pub owner: Option<String>,
    pub description: Option<String>,
    // Derived: who has it.
    pub stored_by: Vec<ComponentId>,
    pub processed_by: Vec<ComponentId>,
    pub held_by: Vec<Endpoint>,
}

#[derive(Clone, Debug)]
pub struct Zone {
    pub id: String,
    pub span: Span,
    pub kind: Kind<ZoneKind>,
    pub parent: Option<ZoneId>,
    pub trust: Trust,
    pub isolated: bool,
    pub builtin: bool,
    pub tags: Vec<String>,
    pub description: Option<String>,
    // Derived.
    pub children: Vec<ZoneId>,
    pub components: Vec<ComponentId>,
    pub actors: Vec<ActorId>,
}

impl Zone {
    /// A network zone is a place where members can open connections to each other;
    /// an administrative zone (cloud account, tenant, region, ...) only groups things
    /// for ownership. Unknown kinds count as network zones.
    pub fn is_network(&self) -> bool {
        !self.kind.is_any(crate::vocab::ADMINISTRATIVE_ZONE_KINDS)
    }
}

#[derive(Clone, Debug)]
pub struct Actor {
    pub id: String,
    pub span: Span,
    pub kind: Kind<ActorKind>,
    pub zone: ZoneId,
    pub trust: Trust,
    pub mfa: bool,
    pub holds: Vec<AssetId>,
    pub out_of_scope: bool,
    pub tags: Vec<String>,
    pub description: Option<String>,
    pub flows_out: Vec<FlowId>,
    pub flows_in: Vec<FlowId>,
}

#[derive(Clone, Debug)]
pub struct Component {
    pub id: String,
    pub span: Span,
    pub kind: Kind<ComponentKind>,
    pub zone: ZoneId,
    pub public: bool,
    pub stores: Vec<AssetId>,
    pub processes: Vec<AssetId>,
    pub holds: Vec<AssetId>,
    pub runs_as: Option<IdentityId>,
    /// Control ids, sorted.
    pub controls: Vec<String>,
    pub software: Vec<Software>,
    pub vulnerabilities: Vec<Vulnerability>,
    /// Where scanners see it (images, repositories, paths, packages).
    pub artifacts: Vec<Artifact>,
    pub encrypted_at_rest: bool,
    /// What it demands of callers: as written, or derived from its inbound flows' own
    /// authentication (revision 1; see `effective_authentication`).
    pub authentication: Authentication,
    pub authentication_derived: bool,
    /// What a caller must present to use it: as written, or the weakest effective
    /// authentication of its inbound flows (none without inbound flows). Rules and the
    /// attack graph ask this when they ask whether a component is authenticated.
    pub effective_authentication: Authentication,
    /// A provider runs it: hosts, patching, redundancy and host logs are theirs.
    pub managed: bool,
    pub tags: Vec<String>,
    pub owner: Option<String>,
    pub out_of_scope: bool,
    pub description: Option<String>,
    pub flows_out: Vec<FlowId>,
    pub flows_in: Vec<FlowId>,
}

impl Component {
    pub fn has_control(&self, control: Control) -> bool {
        self.controls
            .binary_search_by(|c| c.as_str().cmp(control.as_str()))
            .is_ok()
    }

    /// Database, cache, object store and the other kinds that keep data for others.
    pub fn is_datastore(&self) -> bool {
        self.kind.is_any(crate::vocab::DATASTORE_KINDS)
    }

    pub fn is_llm(&self) -> bool {
        self.kind
            .is_any(&[ComponentKind::Llm, ComponentKind::LlmAgent])
    }

    /// Load balancers, gateways, CDNs and the other kinds that pass requests on.
    pub fn is_forwarding(&self) -> bool {
        self.kind.is_any(crate::vocab::FORWARDING_KINDS)
    }

    /// Whether the model states an authentication other than none for it, so it
    /// checks callers itself instead of passing theirs on.
    pub fn states_authentication(&self) -> bool {
        !self.authentication_derived && self.authentication != Authentication::None
    }

    pub fn open_vulnerabilities(&self) -> impl Iterator<Item = &Vulnerability> {
        self.vulnerabilities.iter().filter(|v| v.is_open())
    }
}

#[derive(Clone, Debug)]
pub struct Software {
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
}

/// One place a scanner sees a component, from `artifacts:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Artifact {
    /// `registry/repository`, optionally with `:tag` or `@sha256:digest`.
    Image(String),
    /// A source repository such as `github.com/acme/orders`.
    Repository(String),
    /// A source path prefix such as `services/orders/`.
    Path(String),
    /// A package URL or a bare package name.
    Package(String),
}

#[derive(Clone, Debug)]
pub struct Vulnerability {
    pub id: String,
    pub span: Span,
    pub cvss: Option<CvssVector>,
    /// Default: code-execution when no effect is written.
    pub effect: Effect,
    pub kev: bool,
    pub epss: Option<f64>,
    pub status: VulnStatus,
    pub description: Option<String>,
}

impl Vulnerability {
    pub fn is_open(&self) -> bool {
        self.status == VulnStatus::Open
    }
}

#[derive(Clone, Debug)]
pub struct Identity {
    pub id: String,
    pub span: Span,
    pub kind: Kind<IdentityKind>,
    pub privileged: bool,
    pub mfa: bool,
    pub grants: Vec<Grant>,
    pub tags: Vec<String>,
    pub description: Option<String>,
    // Derived.
    /// Credentials that grant this identity.
    pub credentials: Vec<AssetId>,
    /// Components whose code runs as this identity.
    pub runs_on: Vec<ComponentId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantTarget {
    Component(ComponentId),
    Identity(IdentityId),
}

#[derive(Clone, Debug)]
pub struct Grant {
    pub access: Access,
    pub target: GrantTarget,
    pub span: Span,
    /// The business needs it: choke points never propose removing it.
    pub required: bool,
}

#[derive(Clone, Debug)]
pub struct Flow {
    pub id: String,
    pub span: Span,
    pub from: Endpoint,
    pub to: Endpoint,
    pub protocol: Option<String>,
    pub encrypted: bool,
    /// `None` when the model does not say; it then counts as no authentication.
    pub authentication_written: Option<Authentication>,
    /// A flow of a `discovered: true` file that does not say how its caller
    /// authenticates: the infrastructure showed the reach, not the authentication. It does
    /// not lower what its target demands, and its effective authentication is what the
    /// target demands (docs/discover.md, "What discovery says and does not say").
    pub authentication_unknown: bool,
    /// A flow of a `discovered: true` file that does not state `encrypted`: out of a
    /// forwarding component it passes its callers' connection on, so it is encrypted when
    /// the flows entering the chain are (its protocol's default when none is known).
    pub encryption_unknown: bool,
    pub authentication: Authentication,
    /// What the caller behind this flow proved: its own authentication, except on a flow
    /// out of a forwarding component that states none, which carries its callers'
    /// (see docs/model-language.md, "Derived values").
    pub effective_authentication: Authentication,
    pub authorization: Option<Authorization>,
    pub credential: Option<AssetId>,
    pub data: Vec<AssetId>,
    pub returns: Vec<AssetId>,
    pub code: bool,
    /// Controls on this one call, sorted.
    pub controls: Vec<String>,
    /// The business needs it: choke points never propose removing it.
    pub required: bool,
    pub tags: Vec<String>,
    pub description: Option<String>,
}

impl Flow {
    pub fn has_control(&self, control: Control) -> bool {
        self.controls
            .binary_search_by(|c| c.as_str().cmp(control.as_str()))
            .is_ok()
    }

    /// Whether it carries its callers' authentication on: it leaves a forwarding
    /// component and states no authentication other than none.
    pub fn forwards_callers(&self, components: &[Component]) -> bool {
        matches!(self.from, Endpoint::Component(p) if components[p.index()].is_forwarding())
            && matches!(
                self.authentication_written,
                None | Some(Authentication::None)
            )
    }
}

#[derive(Clone, Debug)]
pub struct ControlDef {
    pub id: String,
    pub span: Span,
    pub description: Option<String>,
    pub mitigates: Vec<String>,
}

/// Who attacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttackerSpec {
    Internet,
    Insider(ActorId),
    Compromised(ComponentId),
}

impl AttackerSpec {
    pub fn name(self, model: &Model) -> String {
        match self {
            AttackerSpec::Internet => "internet".to_owned(),
            AttackerSpec::Insider(a) => format!("insider:{}", model[a].id),
            AttackerSpec::Compromised(c) => format!("compromised:{}", model[c].id),
        }
    }

    /// Parses `internet`, `insider:ACTOR` or `compromised:COMPONENT` against a model.
    pub fn parse(text: &str, model: &Model) -> Result<Self, String> {
        let known_actors = || model.actors.iter().map(|a| a.id.as_str());
        let known_components = || model.components.iter().map(|c| c.id.as_str());
        if text == "internet" {
            return Ok(AttackerSpec::Internet);
        }
        if let Some(actor) = text.strip_prefix("insider:") {
            return model
                .actor_id(actor)
                .map(AttackerSpec::Insider)
                .ok_or_else(|| {
                    let dym = crate::suggest::did_you_mean(actor, known_actors())
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default();
                    format!("`{actor}` is not an actor{dym}")
                });
        }
        if let Some(comp) = text.strip_prefix("compromised:") {
            return model
                .component_id(comp)
                .map(AttackerSpec::Compromised)
                .ok_or_else(|| {
                    let dym = crate::suggest::did_you_mean(comp, known_components())
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default();
                    format!("`{comp}` is not a component{dym}")
                });
        }
        Err(format!(
            "`{text}` is not an attacker: write `internet`, `insider:ACTOR` or `compromised:COMPONENT`"
        ))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct DreadOverride {
    pub damage: Option<u8>,
    pub reproducibility: Option<u8>,
    pub exploitability: Option<u8>,
    pub affected_users: Option<u8>,
    pub discoverability: Option<u8>,
}

/// A team's decision on a threat, from `risks:`.
#[derive(Clone, Debug)]
pub struct RiskDecision {
    pub threat: String,
    pub span: Span,
    pub status: RiskStatus,
    pub justification: Option<String>,
    pub owner: Option<String>,
    pub ticket: Option<String>,
    pub expires: Option<Date>,
    pub dread: DreadOverride,
}

/// A rule written in the model or a `--rules` file; its condition is compiled by the rules crate.
#[derive(Clone, Debug)]
pub struct CustomRule {
    pub id: String,
    pub span: Span,
    pub title: String,
    pub description: Option<String>,
    pub applies_to: RuleTarget,
    pub when: String,
    pub when_span: Span,
    pub stride: Vec<Stride>,
    pub likelihood: Likelihood,
    pub impact: Impact,
    pub mitigation: Option<String>,
    pub cwe: Vec<String>,
}
