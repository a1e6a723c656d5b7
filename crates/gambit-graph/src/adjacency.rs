//! Compact, integer-only adjacency for the engine's inner loop.
//!
//! The resolved model's structs are large (a component or flow is hundreds of bytes with
//! strings and spans), so walking them in the fixpoint costs a cache miss per touch. These
//! tables hold only what the rules read, as `u32`s in CSR rows, built once per model.

use gambit_model::vocab::Control;
use gambit_model::vocab::{AssetKind, Authentication, Effect};
use gambit_model::{AssetId, ComponentId, Endpoint, FlowId, Model, ZoneId};

use crate::index::Csr;

/// No component / identity.
pub const NONE: u32 = u32::MAX;

/// An outgoing flow: its id, the component it reaches ([`NONE`] for an actor) and
/// whether it carries code.
#[derive(Clone, Copy, Debug)]
pub struct OutEdge {
    pub flow: FlowId,
    pub to: u32,
    pub code: bool,
}

/// What the rules read, per component, per endpoint (components first, then actors) and
/// per zone.
#[derive(Clone, Debug)]
pub struct Adjacency {
    pub zone_of: Vec<ZoneId>,
    /// Open code-execution / privilege-escalation vulnerabilities (position in the
    /// component's list).
    pub exec_vulns: Csr<u32>,
    pub privesc_vulns: Csr<u32>,
    /// Open ssrf / auth-bypass / info-disclosure vulnerabilities.
    pub ssrf_vulns: Csr<u32>,
    pub bypass_vulns: Csr<u32>,
    pub info_vulns: Csr<u32>,
    /// Public components, reached by an attacker on the internet.
    pub public: Vec<ComponentId>,
    /// Per forwarding component: its flows to components that are not `code: true`.
    pub forward_out: Csr<(FlowId, ComponentId)>,
    /// An ssrf on it can read the cloud metadata service (no metadata-protection, no
    /// egress-filtering).
    pub metadata_exposed: Vec<bool>,
    pub is_llm: Vec<bool>,
    pub is_datastore: Vec<bool>,
    /// Per component: what the flows into it return and carry in `data`.
    pub in_returns: Csr<(FlowId, AssetId)>,
    pub in_data: Csr<(FlowId, AssetId)>,
    /// Per component: what its own calls return, and what they carry in `data` when
    /// neither the flow nor the component has human-approval.
    pub out_returns: Csr<(FlowId, AssetId)>,
    pub out_data_unapproved: Csr<(FlowId, AssetId)>,
    /// Reachable means read+write of what it stores: a datastore whose effective
    /// authentication is none.
    pub unauth_datastore: Vec<bool>,
    pub stores: Csr<AssetId>,
    pub processes: Csr<AssetId>,
    /// (position in `holds`, credential).
    pub holds: Csr<(u32, AssetId)>,
    pub runs_as: Vec<u32>,
    /// Inbound flows whose effective authentication is none, and what they return.
    pub unauth_returns: Csr<(FlowId, AssetId)>,
    /// Code flows out of a component into a component.
    pub code_out: Csr<(FlowId, ComponentId)>,
    /// Per endpoint: outgoing flows.
    pub out_edges: Csr<OutEdge>,
    /// Per endpoint: what it sends (data of its outgoing flows, returns of its incoming).
    pub sends: Csr<(FlowId, AssetId)>,
    /// Per endpoint: its zone.
    pub endpoint_zone: Vec<ZoneId>,
    /// Per zone: members reachable through the zone (empty unless a network zone that is
    /// not isolated; members with network-policy left out).
    pub zone_members: Csr<ComponentId>,
    /// Per network zone: (flow, asset) readable by interception from a position in it.
    pub interceptable: Csr<(FlowId, AssetId)>,
    /// Per asset: the identity a credential grants, or [`NONE`].
    pub grants_identity: Vec<u32>,
    pub is_credential: Vec<bool>,
}

fn csr<T: Copy>(keys: usize, rows: impl Iterator<Item = (usize, T)>) -> Csr<T> {
    let pairs: Vec<(u32, T)> = rows.map(|(k, t)| (k as u32, t)).collect();
    Csr::build(keys, &pairs)
}

/// The endpoint number: components first, then actors.
pub fn endpoint(model: &Model, e: Endpoint) -> usize {
    match e {
        Endpoint::Component(c) => c.index(),
        Endpoint::Actor(a) => model.components.len() + a.index(),
    }
}

impl Adjacency {
    pub fn new(model: &Model) -> Self {
        let nc = model.components.len();
        let ne = nc + model.actors.len();
        let comps = || model.components.iter().enumerate();
        let vulns = |effect: Effect| {
            csr(
                nc,
                comps().flat_map(move |(c, comp)| {
                    comp.vulnerabilities
                        .iter()
                        .enumerate()
                        .filter(move |(_, v)| v.is_open() && v.effect == effect)
                        .map(move |(i, _)| (c, i as u32))
                }),
            )
        };
        let flows = || {
            model
                .flows
                .iter()
                .enumerate()
                .map(|(i, f)| (FlowId(i as u32), f))
        };
        let mut interceptable = Vec::new();
        for (f, flow) in flows() {
            if flow.encrypted {
                continue;
            }
            let mut carried: Vec<AssetId> = flow
                .data
                .iter()
                .chain(&flow.returns)
                .chain(&flow.credential)
                .copied()
                .collect();
            carried.sort_unstable();
            carried.dedup();
            let (a, b) = (model.endpoint_zone(flow.from), model.endpoint_zone(flow.to));
            let zones = if a == b { vec![a] } else { vec![a, b] };
            for z in zones.into_iter().filter(|&z| model[z].is_network()) {
                interceptable.extend(carried.iter().map(|&x| (z.index(), (f, x))));
            }
        }
        // One pass over the flows for everything the revision-2 rows read per flow, with
        // the per-component flags looked up in small vectors (the model's structs are
        // large: touching them per flow costs a cache miss each).
        let forwarding: Vec<bool> = model.components.iter().map(|c| c.is_forwarding()).collect();
        let approving: Vec<bool> = model
            .components
            .iter()
            .map(|c| c.has_control(Control::HumanApproval))
            .collect();
        let mut forward_out = Vec::new();
        let (mut in_returns, mut in_data) = (Vec::new(), Vec::new());
        let (mut out_returns, mut out_data_unapproved) = (Vec::new(), Vec::new());
        for (f, fl) in flows() {
            let from = match fl.from {
                Endpoint::Component(p) => Some(p.index()),
                Endpoint::Actor(_) => None,
            };
            let to = match fl.to {
                Endpoint::Component(c) => Some(c),
                Endpoint::Actor(_) => None,
            };
            if let Some(c) = to {
                in_returns.extend(fl.returns.iter().map(|&a| (c.0, (f, a))));
                in_data.extend(fl.data.iter().map(|&a| (c.0, (f, a))));
            }
            let Some(p) = from else { continue };
            let key = p as u32;
            out_returns.extend(fl.returns.iter().map(|&a| (key, (f, a))));
            if !approving[p] && !fl.has_control(Control::HumanApproval) {
                out_data_unapproved.extend(fl.data.iter().map(|&a| (key, (f, a))));
            }
            if let (true, false, Some(c)) = (forwarding[p], fl.code, to) {
                forward_out.push((key, (f, c)));
            }
        }
        Adjacency {
            zone_of: model.components.iter().map(|c| c.zone).collect(),
            exec_vulns: vulns(Effect::CodeExecution),
            privesc_vulns: vulns(Effect::PrivilegeEscalation),
            ssrf_vulns: vulns(Effect::Ssrf),
            bypass_vulns: vulns(Effect::AuthBypass),
            info_vulns: vulns(Effect::InfoDisclosure),
            public: comps()
                .filter(|(_, c)| c.public)
                .map(|(i, _)| ComponentId(i as u32))
                .collect(),
            forward_out: Csr::build(nc, &forward_out),
            metadata_exposed: model
                .components
                .iter()
                .map(|c| {
                    !c.has_control(Control::MetadataProtection)
                        && !c.has_control(Control::EgressFiltering)
                })
                .collect(),
            is_llm: model.components.iter().map(|c| c.is_llm()).collect(),
            is_datastore: model.components.iter().map(|c| c.is_datastore()).collect(),
            in_returns: Csr::build(nc, &in_returns),
            in_data: Csr::build(nc, &in_data),
            out_returns: Csr::build(nc, &out_returns),
            out_data_unapproved: Csr::build(nc, &out_data_unapproved),
            unauth_datastore: model
                .components
                .iter()
                .map(|c| c.effective_authentication == Authentication::None && c.is_datastore())
                .collect(),
            stores: csr(
                nc,
                comps().flat_map(|(c, comp)| comp.stores.iter().map(move |&a| (c, a))),
            ),
            processes: csr(
                nc,
                comps().flat_map(|(c, comp)| comp.processes.iter().map(move |&a| (c, a))),
            ),
            holds: csr(
                nc,
                comps().flat_map(|(c, comp)| {
                    comp.holds
                        .iter()
                        .enumerate()
                        .map(move |(i, &a)| (c, (i as u32, a)))
                }),
            ),
            runs_as: model
                .components
                .iter()
                .map(|c| c.runs_as.map_or(NONE, |i| i.0))
                .collect(),
            unauth_returns: csr(
                nc,
                flows()
                    .filter(|(_, fl)| fl.effective_authentication == Authentication::None)
                    .filter_map(|(f, fl)| match fl.to {
                        Endpoint::Component(c) => Some((c.index(), f, fl)),
                        Endpoint::Actor(_) => None,
                    })
                    .flat_map(|(c, f, fl)| fl.returns.iter().map(move |&a| (c, (f, a)))),
            ),
            code_out: csr(
                nc,
                flows()
                    .filter(|(_, fl)| fl.code)
                    .filter_map(|(f, fl)| match (fl.from, fl.to) {
                        (Endpoint::Component(p), Endpoint::Component(c)) => {
                            Some((p.index(), (f, c)))
                        }
                        _ => None,
                    }),
            ),
            out_edges: csr(
                ne,
                flows().map(|(f, fl)| {
                    let to = match fl.to {
                        Endpoint::Component(c) => c.0,
                        Endpoint::Actor(_) => NONE,
                    };
                    (
                        endpoint(model, fl.from),
                        OutEdge {
                            flow: f,
                            to,
                            code: fl.code,
                        },
                    )
                }),
            ),
            sends: csr(
                ne,
                flows().flat_map(|(f, fl)| {
                    let out = fl
                        .data
                        .iter()
                        .map(move |&a| (endpoint(model, fl.from), (f, a)));
                    let back = fl
                        .returns
                        .iter()
                        .map(move |&a| (endpoint(model, fl.to), (f, a)));
                    out.chain(back)
                }),
            ),
            endpoint_zone: model
                .components
                .iter()
                .map(|c| c.zone)
                .chain(model.actors.iter().map(|a| a.zone))
                .collect(),
            zone_members: csr(
                model.zones.len(),
                model
                    .zones
                    .iter()
                    .enumerate()
                    .filter(|(_, z)| z.is_network() && !z.isolated)
                    .flat_map(|(zi, z)| {
                        z.components
                            .iter()
                            .filter(|&&c| !model[c].has_control(Control::NetworkPolicy))
                            .map(move |&c| (zi, c))
                    }),
            ),
            interceptable: Csr::build(
                model.zones.len(),
                &interceptable
                    .into_iter()
                    .map(|(z, t)| (z as u32, t))
                    .collect::<Vec<_>>(),
            ),
            grants_identity: model
                .assets
                .iter()
                .map(|a| a.grants.map_or(NONE, |i| i.0))
                .collect(),
            is_credential: model
                .assets
                .iter()
                .map(|a| a.kind == AssetKind::Credential)
                .collect(),
        }
    }
}
