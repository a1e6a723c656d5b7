//! Blast radius: everything an attacker with code execution on one component reaches.
//! A plain fixpoint with no derivations recorded, over tables built once per model.

use gambit_model::{AssetId, AttackerSpec, ComponentId, IdentityId, Model};
use serde::Serialize;

use crate::engine;
use crate::fact::Fact;
use crate::index::Index;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ComponentAccess {
    pub id: String,
    pub access: Vec<&'static str>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AssetAccess {
    pub asset: String,
    pub access: Vec<&'static str>,
}

/// What `compromised:COMPONENT` reaches, listing only what is reached.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct BlastRadius {
    pub from: String,
    pub components: Vec<ComponentAccess>,
    pub identities: Vec<String>,
    pub credentials: Vec<String>,
    pub assets: Vec<AssetAccess>,
}

/// Computes the blast radius of code execution on `from`.
pub fn blast_radius(model: &Model, ix: &Index, from: ComponentId) -> BlastRadius {
    let holds = engine::reachable(model, ix, AttackerSpec::Compromised(from), None);
    let has = |f: Fact| holds[ix.facts.id(f) as usize];
    let mut components = Vec::new();
    for (i, c) in model.components.iter().enumerate() {
        let id = ComponentId(i as u32);
        let access: Vec<&'static str> = [
            ("reach", Fact::Reach(id)),
            ("exec", Fact::Exec(id)),
            ("admin", Fact::Admin(id)),
        ]
        .into_iter()
        .filter(|&(_, f)| has(f))
        .map(|(w, _)| w)
        .collect();
        if !access.is_empty() {
            components.push(ComponentAccess {
                id: c.id.clone(),
                access,
            });
        }
    }
    let identities = (0..model.identities.len())
        .filter(|&i| has(Fact::ActAs(IdentityId(i as u32))))
        .map(|i| model.identities[i].id.clone())
        .collect();
    let mut credentials = Vec::new();
    let mut assets = Vec::new();
    for (i, a) in model.assets.iter().enumerate() {
        let id = AssetId(i as u32);
        if has(Fact::Holds(id)) {
            credentials.push(a.id.clone());
        }
        let access: Vec<&'static str> = [("read", Fact::Read(id)), ("write", Fact::Write(id))]
            .into_iter()
            .filter(|&(_, f)| has(f))
            .map(|(w, _)| w)
            .collect();
        if !access.is_empty() {
            assets.push(AssetAccess {
                asset: a.id.clone(),
                access,
            });
        }
    }
    BlastRadius {
        from: model[from].id.clone(),
        components,
        identities,
        credentials,
        assets,
    }
}
