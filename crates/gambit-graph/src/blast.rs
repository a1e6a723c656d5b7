//! Blast radius: everything an attacker with code execution on one component reaches.
//! A plain fixpoint with no derivations recorded, over tables built once per model.

use gambit_model::{AssetId, AttackerSpec, ComponentId, IdentityId, Model};
use serde::Serialize;

use crate::engine;
use crate::fact::Fact;
use crate::index::Index;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ComponentAccess<'m> {
    pub id: &'m str,
    pub access: &'static [&'static str],
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AssetAccess<'m> {
    pub asset: &'m str,
    pub access: &'static [&'static str],
}

/// What `compromised:COMPONENT` reaches, listing only what is reached. Borrows ids from
/// the model so that a large radius costs no string copies.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct BlastRadius<'m> {
    pub from: &'m str,
    pub components: Vec<ComponentAccess<'m>>,
    pub identities: Vec<&'m str>,
    pub credentials: Vec<&'m str>,
    pub assets: Vec<AssetAccess<'m>>,
}

/// exec implies reach and admin implies exec, so a component's access is a prefix.
const COMPONENT_ACCESS: [&[&str]; 3] =
    [&["reach"], &["reach", "exec"], &["reach", "exec", "admin"]];

/// Computes the blast radius of code execution on `from`.
pub fn blast_radius<'m>(model: &'m Model, ix: &Index, from: ComponentId) -> BlastRadius<'m> {
    let holds = engine::reachable(model, ix, AttackerSpec::Compromised(from), None);
    let has = |f: Fact| holds[ix.facts.id(f) as usize];
    let mut components = Vec::new();
    for (i, c) in model.components.iter().enumerate() {
        let id = ComponentId(i as u32);
        let level = [Fact::Reach(id), Fact::Exec(id), Fact::Admin(id)]
            .into_iter()
            .take_while(|&f| has(f))
            .count();
        if level > 0 {
            components.push(ComponentAccess {
                id: &c.id,
                access: COMPONENT_ACCESS[level - 1],
            });
        }
    }
    let identities = (0..model.identities.len())
        .filter(|&i| has(Fact::ActAs(IdentityId(i as u32))))
        .map(|i| model.identities[i].id.as_str())
        .collect();
    let mut credentials = Vec::new();
    let mut assets = Vec::new();
    for (i, a) in model.assets.iter().enumerate() {
        let id = AssetId(i as u32);
        if has(Fact::Holds(id)) {
            credentials.push(a.id.as_str());
        }
        let access: &'static [&'static str] = match (has(Fact::Read(id)), has(Fact::Write(id))) {
            (true, true) => &["read", "write"],
            (true, false) => &["read"],
            (false, true) => &["write"],
            (false, false) => continue,
        };
        assets.push(AssetAccess {
            asset: &a.id,
            access,
        });
    }
    BlastRadius {
        from: &model[from].id,
        components,
        identities,
        credentials,
        assets,
    }
}
