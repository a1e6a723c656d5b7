//! `blast-radius --vuln ID`: what exploiting one vulnerability, wherever it is, reaches.
//! Every component with that vulnerability (open) is taken as compromised, the worst case
//! of an exploit (exact for code execution, an upper bound for the other effects), and
//! their blast radii are joined.

use gambit_graph::{Index, blast_radius};
use gambit_model::Model;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Reached {
    pub id: String,
    pub access: Vec<&'static str>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct VulnerabilityBlastRadius {
    pub vulnerability: String,
    /// The components that have it, open.
    pub on: Vec<String>,
    pub components: Vec<Reached>,
    pub identities: Vec<String>,
    pub credentials: Vec<String>,
    pub assets: Vec<Reached>,
}

/// Adds `id` with `access` to a list, or joins the access words of the entry it has.
fn join(into: &mut Vec<Reached>, id: &str, access: &[&'static str]) {
    match into.iter_mut().find(|r| r.id == id) {
        Some(r) => {
            for a in access {
                if !r.access.contains(a) {
                    r.access.push(a);
                }
            }
        }
        None => into.push(Reached {
            id: id.to_owned(),
            access: access.to_vec(),
        }),
    }
}

/// The joined blast radius, or `None` when no component has `id` open.
pub fn vulnerability_blast_radius(model: &Model, id: &str) -> Option<VulnerabilityBlastRadius> {
    let on: Vec<_> = model
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.open_vulnerabilities().any(|v| v.id == id))
        .map(|(i, _)| gambit_model::ComponentId(i as u32))
        .collect();
    if on.is_empty() {
        return None;
    }
    let index = Index::new(model);
    let mut out = VulnerabilityBlastRadius {
        vulnerability: id.to_owned(),
        on: on.iter().map(|&c| model[c].id.clone()).collect(),
        components: Vec::new(),
        identities: Vec::new(),
        credentials: Vec::new(),
        assets: Vec::new(),
    };
    for &c in &on {
        let radius = blast_radius(model, &index, c);
        for r in &radius.components {
            join(&mut out.components, r.id, r.access);
        }
        for r in &radius.assets {
            join(&mut out.assets, r.asset, r.access);
        }
        out.identities
            .extend(radius.identities.iter().map(|s| (*s).to_owned()));
        out.credentials
            .extend(radius.credentials.iter().map(|s| (*s).to_owned()));
    }
    sort_by_model(model, &mut out);
    Some(out)
}

/// Model order for every list, so the output does not depend on which component came first.
fn sort_by_model(model: &Model, out: &mut VulnerabilityBlastRadius) {
    let position = |id: &str| match model.lookup(id) {
        Some(gambit_model::ElementId::Component(c)) => c.index(),
        Some(gambit_model::ElementId::Asset(a)) => a.index(),
        Some(gambit_model::ElementId::Identity(i)) => i.index(),
        _ => usize::MAX,
    };
    out.components.sort_by_key(|r| position(&r.id));
    out.assets.sort_by_key(|r| position(&r.id));
    for list in [&mut out.identities, &mut out.credentials] {
        list.sort_by_key(|id| position(id));
        list.dedup();
    }
    const LEVELS: [&str; 5] = ["reach", "exec", "admin", "read", "write"];
    for r in out.components.iter_mut().chain(out.assets.iter_mut()) {
        r.access.sort_by_key(|a| LEVELS.iter().position(|l| l == a));
    }
}

/// The text form, like `blast-radius COMPONENT`'s.
pub fn text(r: &VulnerabilityBlastRadius) -> String {
    let mut out = format!(
        "Blast radius of exploiting {} on {}:\n",
        r.vulnerability,
        r.on.join(", ")
    );
    out.push_str(&format!("components ({}):\n", r.components.len()));
    for c in &r.components {
        out.push_str(&format!("  {:<28} {}\n", c.id, c.access.join(", ")));
    }
    out.push_str(&format!(
        "identities ({}): {}\n",
        r.identities.len(),
        r.identities.join(", ")
    ));
    out.push_str(&format!(
        "credentials ({}): {}\n",
        r.credentials.len(),
        r.credentials.join(", ")
    ));
    out.push_str(&format!("assets ({}):\n", r.assets.len()));
    for a in &r.assets {
        out.push_str(&format!("  {:<28} {}\n", a.id, a.access.join(", ")));
    }
    out
}
