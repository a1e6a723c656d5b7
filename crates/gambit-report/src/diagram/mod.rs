//! The data-flow diagram. [`Scene::build`] selects and sorts what to draw (every
//! component, actor and flow, or one zone and its neighbours, or only the elements of
//! one attack path); [`dot`], [`mermaid`] and [`svg`] write it. Everything is sorted by
//! id, so a model written in another order gives the same bytes.

pub mod dot;
pub mod layout;
pub mod mermaid;
pub mod svg;
pub mod views;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use gambit_model::vocab::{ComponentKind, Trust, Vocab};
use gambit_model::{ElementId, Endpoint, Kind, Model, ZoneId};

use crate::highlight::Highlight;

/// What part of the model a diagram shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    /// Every component, actor and flow.
    #[default]
    All,
    /// The components and actors of one zone (and its sub-zones), plus those they
    /// exchange flows with, drawn faded.
    Zone(String),
    /// Only these components and actors (e.g. the ones on an attack path) and the flows
    /// between them.
    Elements(BTreeSet<String>),
}

/// How to draw a diagram.
#[derive(Clone, Debug, Default)]
pub struct DiagramOptions {
    pub focus: Focus,
    /// Elements (components, actors, flows) to draw in red, with step numbers.
    pub highlight: Highlight,
}

/// How a node is drawn, from its kind. The same mapping serves DOT, Mermaid and SVG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// People and outside systems.
    Actor,
    /// Services, apps, functions: rounded boxes.
    Process,
    /// Keeps data for others: a cylinder.
    Datastore,
    /// Message queues and streams.
    Queue,
    /// Load balancers, gateways, WAFs: a hexagon.
    Gateway,
    /// LLMs and agents: an octagon.
    Ai,
    /// CI/CD, repositories, registries: where code comes from.
    Pipeline,
    /// VMs, containers, clusters.
    Host,
    /// Browsers, mobile and desktop apps, devices.
    Client,
    /// Logging and monitoring.
    Telemetry,
}

impl Shape {
    /// The shape of a component kind; kinds Gambit does not know are processes.
    pub fn of_kind(kind: &Kind<ComponentKind>) -> Shape {
        use ComponentKind as K;
        match ComponentKind::parse(kind.as_str()) {
            Some(K::Queue) => Shape::Queue,
            Some(
                K::Database
                | K::Cache
                | K::ObjectStore
                | K::FileShare
                | K::SearchIndex
                | K::VectorStore
                | K::SecretStore
                | K::Backup,
            ) => Shape::Datastore,
            Some(K::LoadBalancer | K::ApiGateway | K::Waf | K::IdentityProvider) => Shape::Gateway,
            Some(K::Llm | K::LlmAgent) => Shape::Ai,
            Some(K::CiCd | K::Repository | K::ArtifactRegistry) => Shape::Pipeline,
            Some(K::Vm | K::Container | K::K8sCluster) => Shape::Host,
            Some(K::Browser | K::MobileApp | K::DesktopApp | K::IotDevice) => Shape::Client,
            Some(K::Monitoring | K::Logging) => Shape::Telemetry,
            _ => Shape::Process,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Shape::Actor => "actor",
            Shape::Process => "process",
            Shape::Datastore => "datastore",
            Shape::Queue => "queue",
            Shape::Gateway => "gateway",
            Shape::Ai => "ai",
            Shape::Pipeline => "pipeline",
            Shape::Host => "host",
            Shape::Client => "client",
            Shape::Telemetry => "telemetry",
        }
    }
}

/// A component or an actor, as drawn.
#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub kind: String,
    pub is_actor: bool,
    pub shape: Shape,
    pub public: bool,
    pub out_of_scope: bool,
    /// Outside the focused zone, shown only because a flow links it to the zone.
    pub neighbour: bool,
    /// Index into [`Scene::zones`].
    pub zone: usize,
    /// Step numbers when highlighted (empty: highlighted without a number, or not at all).
    pub highlighted: bool,
    pub steps: Vec<usize>,
    /// A one-line description for tooltips.
    pub detail: String,
}

/// A flow, as drawn.
#[derive(Clone, Debug)]
pub struct Edge {
    pub id: String,
    /// Indices into [`Scene::nodes`].
    pub from: usize,
    pub to: usize,
    pub protocol: String,
    pub encrypted: bool,
    pub data: Vec<String>,
    pub returns: Vec<String>,
    pub code: bool,
    pub authentication: String,
    pub highlighted: bool,
    pub steps: Vec<usize>,
}

impl Edge {
    /// "https", "postgres" or "unspecified protocol".
    pub fn protocol_text(&self) -> &str {
        if self.protocol.is_empty() {
            "unspecified protocol"
        } else {
            &self.protocol
        }
    }

    /// What the flow carries, shortened to `max` names: "customer-pii, card-tokens +1".
    pub fn data_text(&self, max: usize) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut list = |names: &[String], prefix: &str| {
            if names.is_empty() {
                return;
            }
            let shown: Vec<&str> = names.iter().take(max).map(String::as_str).collect();
            let more = names.len().saturating_sub(max);
            let mut text = format!("{prefix}{}", shown.join(", "));
            if more > 0 {
                text.push_str(&format!(" +{more}"));
            }
            parts.push(text);
        };
        list(&self.data, "");
        list(&self.returns, "returns ");
        if self.code {
            parts.push("code".to_owned());
        }
        parts.join("; ")
    }
}

/// A zone box.
#[derive(Clone, Debug)]
pub struct ZoneBox {
    pub id: String,
    pub kind: String,
    pub trust: Trust,
    pub isolated: bool,
    pub builtin: bool,
    /// Index of the enclosing zone box, if it is drawn.
    pub parent: Option<usize>,
    /// Sub-zones and member nodes, sorted by id.
    pub children: Vec<usize>,
    pub nodes: Vec<usize>,
}

impl ZoneBox {
    /// "dmz · network" (built-in zones show their name only).
    pub fn title(&self) -> String {
        if self.builtin || self.kind.is_empty() {
            self.id.clone()
        } else {
            format!("{} · {}", self.id, self.kind)
        }
    }

    /// "untrusted", "isolated", ...: what the box's corner says.
    pub fn badge(&self) -> String {
        let mut words = vec![self.trust.as_str().to_owned()];
        if self.isolated {
            words.push("isolated".to_owned());
        }
        words.join(", ")
    }
}

/// Everything a renderer needs, sorted.
#[derive(Clone, Debug)]
pub struct Scene {
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub zones: Vec<ZoneBox>,
    /// Zone boxes with no drawn parent, sorted by id.
    pub roots: Vec<usize>,
    pub has_highlight: bool,
}

impl Scene {
    /// Selects and sorts what to draw. Fails (with a message naming the closest zone)
    /// when the focus names an unknown zone.
    pub fn build(model: &Model, options: &DiagramOptions) -> Result<Scene, String> {
        let selection = select(model, &options.focus)?;
        let mut endpoints: Vec<(Endpoint, bool)> = selection.into_iter().collect();
        endpoints.sort_by(|a, b| model.endpoint_name(a.0).cmp(model.endpoint_name(b.0)));

        let zone_index = zone_boxes(
            model,
            endpoints.iter().map(|(e, _)| model.endpoint_zone(*e)),
        );
        let mut zones = zone_index.boxes;
        let hl = &options.highlight;
        let mut nodes = Vec::with_capacity(endpoints.len());
        let mut node_of: HashMap<Endpoint, usize> = HashMap::new();
        for (endpoint, neighbour) in endpoints {
            let zone = zone_index.of[&model.endpoint_zone(endpoint)];
            let node = make_node(model, endpoint, neighbour, zone, hl);
            zones[zone].nodes.push(nodes.len());
            node_of.insert(endpoint, nodes.len());
            nodes.push(node);
        }

        let mut edges = Vec::new();
        for flow in &model.flows {
            let (Some(&from), Some(&to)) = (node_of.get(&flow.from), node_of.get(&flow.to)) else {
                continue;
            };
            // Flows between two neighbours belong to another zone's picture.
            if nodes[from].neighbour && nodes[to].neighbour {
                continue;
            }
            let names = |ids: &[gambit_model::AssetId]| -> Vec<String> {
                ids.iter().map(|&a| model[a].id.clone()).collect()
            };
            edges.push(Edge {
                id: flow.id.clone(),
                from,
                to,
                protocol: flow.protocol.clone().unwrap_or_default(),
                encrypted: flow.encrypted,
                data: names(&flow.data),
                returns: names(&flow.returns),
                code: flow.code,
                authentication: flow.authentication.as_str().to_owned(),
                highlighted: hl.contains(&flow.id),
                steps: hl.steps_of(&flow.id),
            });
        }
        edges.sort_by(|a, b| a.id.cmp(&b.id));

        let has_highlight =
            nodes.iter().any(|n| n.highlighted) || edges.iter().any(|e| e.highlighted);
        let roots = zone_index.roots;
        Ok(Scene {
            title: model.name.clone(),
            nodes,
            edges,
            zones,
            roots,
            has_highlight,
        })
    }

    /// The chain of zone boxes from the outermost down to `zone`.
    pub fn zone_path(&self, zone: usize) -> Vec<usize> {
        let mut chain = vec![zone];
        let mut at = zone;
        while let Some(p) = self.zones[at].parent {
            if chain.contains(&p) {
                break;
            }
            chain.push(p);
            at = p;
        }
        chain.reverse();
        chain
    }
}

/// The endpoints to draw, each with whether it is only a neighbour of the focus.
fn select(model: &Model, focus: &Focus) -> Result<BTreeMap<Endpoint, bool>, String> {
    let all = || {
        (0..model.components.len())
            .map(|i| Endpoint::Component(gambit_model::ComponentId(i as u32)))
            .chain(
                (0..model.actors.len()).map(|i| Endpoint::Actor(gambit_model::ActorId(i as u32))),
            )
    };
    let mut chosen: BTreeMap<Endpoint, bool> = BTreeMap::new();
    match focus {
        Focus::All => chosen.extend(all().map(|e| (e, false))),
        Focus::Elements(ids) => {
            chosen.extend(
                all()
                    .filter(|&e| ids.contains(model.endpoint_name(e)))
                    .map(|e| (e, false)),
            );
        }
        Focus::Zone(name) => {
            let zone = zone_named(model, name)?;
            let inside: std::collections::HashSet<Endpoint> = all()
                .filter(|&e| within(model, model.endpoint_zone(e), zone))
                .collect();
            chosen.extend(inside.iter().map(|&e| (e, false)));
            for flow in &model.flows {
                for (here, there) in [(flow.from, flow.to), (flow.to, flow.from)] {
                    if inside.contains(&here) {
                        chosen.entry(there).or_insert(true);
                    }
                }
            }
        }
    }
    Ok(chosen)
}

/// The zone called `name`, or a message with the closest zone id.
pub fn zone_named(model: &Model, name: &str) -> Result<ZoneId, String> {
    match model.lookup(name) {
        Some(ElementId::Zone(z)) => Ok(z),
        Some(other) => Err(format!("`{name}` is a {}, not a zone", other.kind_name())),
        None => {
            let hint = gambit_model::suggest::did_you_mean(
                name,
                model.zones.iter().map(|z| z.id.as_str()),
            )
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
            Err(format!("`{name}` is not a zone of the model{hint}"))
        }
    }
}

/// Whether `zone` is `outer` or nested (at any depth) inside it.
fn within(model: &Model, zone: ZoneId, outer: ZoneId) -> bool {
    let mut at = Some(zone);
    let mut hops = 0;
    while let Some(z) = at {
        if z == outer {
            return true;
        }
        hops += 1;
        if hops > model.zones.len() {
            return false;
        }
        at = model[z].parent;
    }
    false
}

struct ZoneIndex {
    boxes: Vec<ZoneBox>,
    of: HashMap<ZoneId, usize>,
    roots: Vec<usize>,
}

/// Zone boxes for the zones holding drawn nodes and all their ancestors, sorted by id
/// within each parent.
fn zone_boxes(model: &Model, used: impl Iterator<Item = ZoneId>) -> ZoneIndex {
    let mut shown: BTreeSet<ZoneId> = BTreeSet::new();
    for zone in used {
        let mut at = Some(zone);
        while let Some(z) = at {
            if !shown.insert(z) {
                break;
            }
            at = model[z].parent;
        }
    }
    let mut ordered: Vec<ZoneId> = shown.into_iter().collect();
    ordered.sort_by(|a, b| model[*a].id.cmp(&model[*b].id));
    let of: HashMap<ZoneId, usize> = ordered.iter().enumerate().map(|(i, &z)| (z, i)).collect();
    let mut boxes: Vec<ZoneBox> = ordered
        .iter()
        .map(|&z| {
            let zone = &model[z];
            ZoneBox {
                id: zone.id.clone(),
                kind: zone.kind.as_str().to_owned(),
                trust: zone.trust,
                isolated: zone.isolated,
                builtin: zone.builtin,
                parent: zone.parent.and_then(|p| of.get(&p).copied()),
                children: Vec::new(),
                nodes: Vec::new(),
            }
        })
        .collect();
    let mut roots = Vec::new();
    for i in 0..boxes.len() {
        match boxes[i].parent {
            Some(p) => boxes[p].children.push(i),
            None => roots.push(i),
        }
    }
    ZoneIndex { boxes, of, roots }
}

fn make_node(
    model: &Model,
    endpoint: Endpoint,
    neighbour: bool,
    zone: usize,
    hl: &Highlight,
) -> Node {
    let id = model.endpoint_name(endpoint).to_owned();
    let highlighted = hl.contains(&id);
    let steps = hl.steps_of(&id);
    match endpoint {
        Endpoint::Component(c) => {
            let comp = &model[c];
            let mut detail = format!(
                "{} ({}) in zone {}",
                comp.id,
                comp.kind.as_str(),
                model[comp.zone].id
            );
            if comp.public {
                detail.push_str("; public");
            }
            let assets = |ids: &[gambit_model::AssetId]| {
                ids.iter()
                    .map(|&a| model[a].id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if !comp.stores.is_empty() {
                detail.push_str(&format!("; stores {}", assets(&comp.stores)));
            }
            if !comp.processes.is_empty() {
                detail.push_str(&format!("; processes {}", assets(&comp.processes)));
            }
            let open = comp.open_vulnerabilities().count();
            if open > 0 {
                detail.push_str(&format!(
                    "; {open} open vulnerabilit{}",
                    if open == 1 { "y" } else { "ies" }
                ));
            }
            Node {
                id,
                kind: comp.kind.as_str().to_owned(),
                is_actor: false,
                shape: Shape::of_kind(&comp.kind),
                public: comp.public,
                out_of_scope: comp.out_of_scope,
                neighbour,
                zone,
                highlighted,
                steps,
                detail,
            }
        }
        Endpoint::Actor(a) => {
            let actor = &model[a];
            let detail = format!(
                "{} ({}, trust {}) in zone {}",
                actor.id,
                actor.kind.as_str(),
                actor.trust.as_str(),
                model[actor.zone].id
            );
            Node {
                id,
                kind: actor.kind.as_str().to_owned(),
                is_actor: true,
                shape: Shape::Actor,
                public: false,
                out_of_scope: actor.out_of_scope,
                neighbour,
                zone,
                highlighted,
                steps,
                detail,
            }
        }
    }
}

impl ZoneBox {
    /// The trust level's name, for CSS classes.
    pub fn trust_name(&self) -> &'static str {
        self.trust.as_str()
    }
}
