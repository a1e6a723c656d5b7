//! Side tables built once per model so the engine's inner loop is array walks: global
//! numbers for vulnerabilities, grants and host credentials, grants by target, the
//! unencrypted flows touching each zone, and the llm components each asset can taint.

use gambit_model::vocab::Access;
use gambit_model::vocab::Control;
use gambit_model::{
    ActorId, AssetId, ComponentId, Endpoint, FlowId, GrantTarget, IdentityId, Model, ZoneId,
};

use crate::fact::FactSpace;
use crate::rule::Via;

/// Compressed rows: `items[start[k]..start[k + 1]]` belong to key `k`.
#[derive(Clone, Debug, Default)]
pub struct Csr<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Csr<T> {
    /// Builds from (key, item) pairs; `keys` is the number of keys.
    pub fn build(keys: usize, pairs: &[(u32, T)]) -> Self {
        let mut start = vec![0u32; keys + 1];
        for &(k, _) in pairs {
            start[k as usize + 1] += 1;
        }
        for k in 0..keys {
            start[k + 1] += start[k];
        }
        let mut fill = start.clone();
        // Any value will do as filler: every slot is overwritten below.
        let mut items: Vec<T> = match pairs.first() {
            Some(&(_, first)) => vec![first; pairs.len()],
            None => Vec::new(),
        };
        for &(k, item) in pairs {
            let slot = &mut fill[k as usize];
            items[*slot as usize] = item;
            *slot += 1;
        }
        Csr { start, items }
    }

    pub fn row(&self, key: usize) -> &[T] {
        match (self.start.get(key), self.start.get(key + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// A control that, added to a component, removes steps of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ComponentControl {
    /// Only declared flows reach the component: no shared-zone reach.
    NetworkPolicy,
    /// Its SSRF cannot read the cloud metadata service's credentials.
    MetadataProtection,
    /// Its SSRF cannot call out to the metadata service either.
    EgressFiltering,
    /// A person approves its writes to what it calls.
    HumanApproval,
}

impl ComponentControl {
    pub const ALL: [ComponentControl; 4] = [
        ComponentControl::NetworkPolicy,
        ComponentControl::MetadataProtection,
        ComponentControl::EgressFiltering,
        ComponentControl::HumanApproval,
    ];

    /// The control as written in a model.
    pub fn control(self) -> Control {
        match self {
            ComponentControl::NetworkPolicy => Control::NetworkPolicy,
            ComponentControl::MetadataProtection => Control::MetadataProtection,
            ComponentControl::EgressFiltering => Control::EgressFiltering,
            ComponentControl::HumanApproval => Control::HumanApproval,
        }
    }
}

/// A change a team can make that removes derivations: the candidates of `chokepoints`
/// (the spec's list: patch, add a control, isolate a zone, remove access).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fix {
    /// Patch a vulnerability (global vulnerability number).
    Patch(u32),
    /// Make a zone isolated.
    IsolateZone(ZoneId),
    /// Remove a flow: nothing is reached, sent, returned or run through it.
    RemoveFlow(FlowId),
    /// Remove a grant (global grant number).
    RemoveGrant(u32),
    /// Remove a credential from a host (global host-credential number).
    RemoveCredential(u32),
    /// The component's code no longer runs as its identity.
    RemoveRunsAs(ComponentId),
    /// Add a control to a component.
    AddControl(ComponentControl, ComponentId),
    /// Add human-approval to one flow (a person approves the writes it makes).
    AddFlowApproval(FlowId),
    /// Require MFA on an actor.
    RequireMfa(ActorId),
}

/// Per-model tables shared by every attacker and every what-if.
#[derive(Clone, Debug)]
pub struct Index {
    pub facts: FactSpace,
    vuln_base: Vec<u32>,
    vuln_owner: Vec<(ComponentId, u32)>,
    grant_base: Vec<u32>,
    grant_owner: Vec<(IdentityId, u32)>,
    hold_base: Vec<u32>,
    hold_owner: Vec<(ComponentId, AssetId)>,
    /// Grants on a component: (identity, global grant number, access).
    pub grants_on: Csr<(IdentityId, u32, Access)>,
    /// For each asset, the components that receive it (the `to` of a flow carrying it,
    /// the `from` of a flow returning it, a component processing it), and how: tainting
    /// the asset feeds them.
    pub feed_targets: Csr<(ComponentId, Via)>,
    fix_bases: [u32; 10],
    /// Per component: the likelihood-lowering controls it has (see `score`).
    pub control_bits: Vec<u32>,
    /// Per flow: the likelihood-lowering controls on that one call.
    pub flow_control_bits: Vec<u32>,
    /// Integer-only adjacency for the engine.
    pub adj: crate::adjacency::Adjacency,
}

impl Index {
    pub fn new(model: &Model) -> Self {
        let (vuln_base, vuln_owner) = number(
            model.components.iter().map(|c| c.vulnerabilities.len()),
            |o, i| (ComponentId(o), i),
        );
        let (grant_base, grant_owner) =
            number(model.identities.iter().map(|i| i.grants.len()), |o, i| {
                (IdentityId(o), i)
            });
        let (hold_base, hold_raw) =
            number(model.components.iter().map(|c| c.holds.len()), |o, i| {
                (o, i)
            });
        let hold_owner = hold_raw
            .iter()
            .map(|&(c, i)| {
                (
                    ComponentId(c),
                    model.components[c as usize].holds[i as usize],
                )
            })
            .collect();

        let mut grants = Vec::new();
        for (ii, ident) in model.identities.iter().enumerate() {
            for (gi, g) in ident.grants.iter().enumerate() {
                if let GrantTarget::Component(c) = g.target {
                    grants.push((
                        c.0,
                        (IdentityId(ii as u32), grant_base[ii] + gi as u32, g.access),
                    ));
                }
            }
        }
        let grants_on = Csr::build(model.components.len(), &grants);

        // What each component receives, from the adjacency's per-component rows.
        let adj = crate::adjacency::Adjacency::new(model);
        let mut feed = Vec::new();
        for ci in 0..model.components.len() {
            let cid = ComponentId(ci as u32);
            for &a in adj.processes.row(ci) {
                feed.push((a.0, (cid, Via::Processes(cid))));
            }
            for &(f, a) in adj.in_data.row(ci).iter().chain(adj.out_returns.row(ci)) {
                feed.push((a.0, (cid, Via::Flow(f))));
            }
        }
        let feed_targets = Csr::build(model.assets.len(), &feed);

        let nv = vuln_owner.len() as u32;
        let nc = model.components.len() as u32;
        let nz = model.zones.len() as u32;
        let nf = model.flows.len() as u32;
        let ng = grant_owner.len() as u32;
        let nh = hold_raw.len() as u32;
        let na = model.actors.len() as u32;
        let mut fix_bases = [0u32; 10];
        for (k, len) in [nv, nz, nf, ng, nh, nc, 4 * nc, nf, na]
            .into_iter()
            .enumerate()
        {
            fix_bases[k + 1] = fix_bases[k] + len;
        }
        Index {
            facts: FactSpace::new(model),
            vuln_base,
            vuln_owner,
            grant_base,
            grant_owner,
            hold_base,
            hold_owner,
            grants_on,
            feed_targets,
            fix_bases,
            control_bits: model
                .components
                .iter()
                .map(|c| crate::score::control_bits(|id| c.has_control(id)))
                .collect(),
            flow_control_bits: model
                .flows
                .iter()
                .map(|f| crate::score::control_bits(|id| f.has_control(id)))
                .collect(),
            adj,
        }
    }

    /// Whether a team may make this fix: never removing what is `required: true` or a
    /// third party's flow or credential, never changing a third party's component, never
    /// patching what a provider runs (see `fixes::refusal`). Asked only of the fixes on
    /// a proof, so it is not tabulated for every candidate.
    pub fn fix_allowed(&self, model: &Model, id: u32) -> bool {
        crate::fixes::allowed(model, self, self.fix(id))
    }

    /// The component and position of a global vulnerability number.
    pub fn vuln(&self, v: u32) -> (ComponentId, usize) {
        let (c, i) = self.vuln_owner[v as usize];
        (c, i as usize)
    }

    pub fn vuln_number(&self, c: ComponentId, i: usize) -> u32 {
        self.vuln_base[c.index()] + i as u32
    }

    /// The identity and position of a global grant number.
    pub fn grant(&self, g: u32) -> (IdentityId, usize) {
        let (ident, i) = self.grant_owner[g as usize];
        (ident, i as usize)
    }

    pub fn grant_number(&self, ident: IdentityId, i: usize) -> u32 {
        self.grant_base[ident.index()] + i as u32
    }

    /// The host and credential of a global host-credential number.
    pub fn hold(&self, h: u32) -> (ComponentId, AssetId) {
        self.hold_owner[h as usize]
    }

    pub fn hold_number(&self, c: ComponentId, i: usize) -> u32 {
        self.hold_base[c.index()] + i as u32
    }

    /// How many candidate fixes the model has.
    pub fn fix_count(&self) -> usize {
        self.fix_bases[9] as usize
    }

    /// The dense number of a fix.
    pub fn fix_id(&self, fix: Fix) -> u32 {
        let b = &self.fix_bases;
        let nc = (b[7] - b[6]) / 4;
        match fix {
            Fix::Patch(v) => b[0] + v,
            Fix::IsolateZone(z) => b[1] + z.0,
            Fix::RemoveFlow(f) => b[2] + f.0,
            Fix::RemoveGrant(g) => b[3] + g,
            Fix::RemoveCredential(h) => b[4] + h,
            Fix::RemoveRunsAs(c) => b[5] + c.0,
            Fix::AddControl(k, c) => b[6] + k as u32 * nc + c.0,
            Fix::AddFlowApproval(f) => b[7] + f.0,
            Fix::RequireMfa(a) => b[8] + a.0,
        }
    }

    /// The fix with this dense number.
    pub fn fix(&self, id: u32) -> Fix {
        let b = &self.fix_bases;
        let k = (0..9).find(|&k| id < b[k + 1]).unwrap_or(8);
        let i = id - b[k];
        match k {
            0 => Fix::Patch(i),
            1 => Fix::IsolateZone(ZoneId(i)),
            2 => Fix::RemoveFlow(FlowId(i)),
            3 => Fix::RemoveGrant(i),
            4 => Fix::RemoveCredential(i),
            5 => Fix::RemoveRunsAs(ComponentId(i)),
            6 => {
                let nc = (b[7] - b[6]) / 4;
                Fix::AddControl(
                    ComponentControl::ALL[(i / nc) as usize],
                    ComponentId(i % nc),
                )
            }
            7 => Fix::AddFlowApproval(FlowId(i)),
            _ => Fix::RequireMfa(ActorId(i)),
        }
    }
}

/// Numbers the items of each owner consecutively: per-owner bases and (owner, position).
fn number<T>(
    lens: impl Iterator<Item = usize>,
    owner: impl Fn(u32, u32) -> T,
) -> (Vec<u32>, Vec<T>) {
    let mut bases = Vec::new();
    let mut owners = Vec::new();
    let mut next = 0u32;
    for (o, len) in lens.enumerate() {
        bases.push(next);
        for i in 0..len {
            owners.push(owner(o as u32, i as u32));
        }
        next += len as u32;
    }
    (bases, owners)
}

/// True when the endpoint is a component.
pub fn component_of(e: Endpoint) -> Option<ComponentId> {
    match e {
        Endpoint::Component(c) => Some(c),
        Endpoint::Actor(_) => None,
    }
}
