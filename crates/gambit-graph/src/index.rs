//! Side tables built once per model so the engine's inner loop is array walks: global
//! numbers for vulnerabilities, grants and host credentials, grants by target, the
//! unencrypted flows touching each zone, and the llm components each asset can taint.

use gambit_model::vocab::Access;
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

/// A change to the model that removes derivations: the candidates of `chokepoints`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fix {
    /// Patch a vulnerability (global vulnerability number).
    Patch(u32),
    /// Stop exposing a component to the internet.
    ClosePublic(ComponentId),
    /// Make a zone isolated.
    IsolateZone(ZoneId),
    /// Remove a `code: true` flow.
    RemoveCodeFlow(FlowId),
    /// Drop a grant (global grant number).
    DropGrant(u32),
    /// Remove a credential from a host (global host-credential number).
    RemoveCredential(u32),
    /// Require MFA on an actor.
    RequireMfa(ActorId),
    /// Add prompt isolation to an llm component.
    PromptIsolation(ComponentId),
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
    /// For each asset, the llm components (without prompt isolation or human approval)
    /// that consume it, and how.
    pub taint_targets: Csr<(ComponentId, Via)>,
    fix_bases: [u32; 9],
    /// Per component: the likelihood-lowering controls it has (see `score`).
    pub control_bits: Vec<u32>,
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

        let mut taint = Vec::new();
        for (ci, c) in model.components.iter().enumerate() {
            if !c.is_llm() || c.has_control("prompt-isolation") || c.has_control("human-approval") {
                continue;
            }
            let cid = ComponentId(ci as u32);
            for &a in &c.processes {
                taint.push((a.0, (cid, Via::Processes(cid))));
            }
            for &f in &c.flows_in {
                for &a in &model[f].data {
                    taint.push((a.0, (cid, Via::Flow(f))));
                }
            }
            for &f in &c.flows_out {
                for &a in &model[f].returns {
                    taint.push((a.0, (cid, Via::Flow(f))));
                }
            }
        }
        let taint_targets = Csr::build(model.assets.len(), &taint);

        let nv = vuln_owner.len() as u32;
        let nc = model.components.len() as u32;
        let nz = model.zones.len() as u32;
        let nf = model.flows.len() as u32;
        let ng = grant_owner.len() as u32;
        let nh = hold_raw.len() as u32;
        let na = model.actors.len() as u32;
        let mut fix_bases = [0u32; 9];
        for (k, len) in [nv, nc, nz, nf, ng, nh, na, nc].into_iter().enumerate() {
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
            taint_targets,
            fix_bases,
            control_bits: model
                .components
                .iter()
                .map(crate::score::control_bits)
                .collect(),
            adj: crate::adjacency::Adjacency::new(model),
        }
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
        self.fix_bases[8] as usize
    }

    /// The dense number of a fix.
    pub fn fix_id(&self, fix: Fix) -> u32 {
        let b = &self.fix_bases;
        match fix {
            Fix::Patch(v) => b[0] + v,
            Fix::ClosePublic(c) => b[1] + c.0,
            Fix::IsolateZone(z) => b[2] + z.0,
            Fix::RemoveCodeFlow(f) => b[3] + f.0,
            Fix::DropGrant(g) => b[4] + g,
            Fix::RemoveCredential(h) => b[5] + h,
            Fix::RequireMfa(a) => b[6] + a.0,
            Fix::PromptIsolation(c) => b[7] + c.0,
        }
    }

    /// The fix with this dense number.
    pub fn fix(&self, id: u32) -> Fix {
        let b = &self.fix_bases;
        let k = (0..8).find(|&k| id < b[k + 1]).unwrap_or(7);
        let i = id - b[k];
        match k {
            0 => Fix::Patch(i),
            1 => Fix::ClosePublic(ComponentId(i)),
            2 => Fix::IsolateZone(ZoneId(i)),
            3 => Fix::RemoveCodeFlow(FlowId(i)),
            4 => Fix::DropGrant(i),
            5 => Fix::RemoveCredential(i),
            6 => Fix::RequireMfa(ActorId(i)),
            _ => Fix::PromptIsolation(ComponentId(i)),
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
