//! Drift: what the hand-written model says against what was discovered.
//!
//! Elements are matched by id (discovered ids are stable, and a hand-written element
//! overrides a discovered one by using its id). Three lists come out:
//! - contradictions: the model claims something the infrastructure does not do (a
//!   component it says is not public is reachable from the internet, an isolated zone is
//!   not, a datastore it says is encrypted is not, an identity it calls unprivileged has
//!   every permission, a component it says has `network-policy` is open);
//! - unmodelled: discovered elements, grants and flows the model does not have;
//! - gone: model elements whose id is in the discovery's id scheme but were not found.

use gambit_model::vocab::Control;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use gambit_model::{Endpoint, Model};
use serde::Serialize;

use crate::fragment::{Access, Fragment};

#[derive(Clone, Debug, Default, Serialize)]
pub struct Drift {
    /// What was read ("the Terraform plan plan.json").
    pub source: String,
    pub contradictions: Vec<Item>,
    pub unmodelled: Vec<Item>,
    pub gone: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Item {
    /// The element (or flow) id.
    pub id: String,
    pub message: String,
    /// The resource that shows it, when discovered.
    pub origin: Option<String>,
}

impl Drift {
    /// Contradictions fail CI; the other lists inform.
    pub fn has_contradictions(&self) -> bool {
        !self.contradictions.is_empty()
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Drift between the model and {}:", self.source);
        for (title, items) in [
            (
                "contradictions (the model says otherwise)",
                &self.contradictions,
            ),
            ("exists but not modelled", &self.unmodelled),
            ("modelled but gone", &self.gone),
        ] {
            let _ = writeln!(out, "\n{title}: {}", items.len());
            for i in items {
                let _ = write!(out, "  {}: {}", i.id, i.message);
                if let Some(o) = &i.origin {
                    let _ = write!(out, " [{o}]");
                }
                out.push('\n');
            }
        }
        out
    }
}

/// Compares a resolved model with a fresh discovery. `claims` says which ids the
/// discovery would have produced (so a hand-written `web` is never "gone").
pub fn drift(model: &Model, found: &Fragment, claims: impl Fn(&str) -> bool) -> Drift {
    let mut d = Drift {
        source: found.source.clone(),
        ..Drift::default()
    };
    contradictions(model, found, &mut d);
    unmodelled(model, found, &mut d);
    let discovered: BTreeSet<&str> = found.element_ids().collect();
    let modelled = model
        .zones
        .iter()
        .filter(|z| !z.builtin)
        .map(|z| &z.id)
        .chain(model.components.iter().map(|c| &c.id))
        .chain(model.identities.iter().map(|i| &i.id));
    for id in modelled {
        if claims(id) && !discovered.contains(id.as_str()) {
            d.gone.push(Item {
                id: id.clone(),
                message: "the model has it, but it was not found".to_owned(),
                origin: None,
            });
        }
    }
    d.contradictions.sort();
    d.unmodelled.sort();
    d.gone.sort();
    d
}

fn contradictions(model: &Model, found: &Fragment, d: &mut Drift) {
    let mut say = |id: &str, message: String, origin: &str| {
        d.contradictions.push(Item {
            id: id.to_owned(),
            message,
            origin: Some(origin.to_owned()),
        });
    };
    for c in &model.components {
        let Some(f) = found.components.get(&c.id) else {
            continue;
        };
        if f.public && !c.public {
            say(
                &c.id,
                format!(
                    "the model says `{}` is not public; it is reachable from the internet",
                    c.id
                ),
                &f.origin,
            );
        }
        if c.encrypted_at_rest && f.encrypted_at_rest == Some(false) {
            say(
                &c.id,
                format!("the model says `{}` is encrypted at rest; it is not", c.id),
                &f.origin,
            );
        }
        if c.has_control(Control::NetworkPolicy) && !f.controls.contains("network-policy") {
            say(
                &c.id,
                format!(
                    "the model says `{}` has network-policy; its network rules admit address ranges or nothing guards it",
                    c.id
                ),
                &f.origin,
            );
        }
    }
    for z in &model.zones {
        let Some(f) = found.zones.get(&z.id) else {
            continue;
        };
        if z.isolated && !f.isolated {
            say(
                &z.id,
                format!(
                    "the model says zone `{}` is isolated; its members can reach each other",
                    z.id
                ),
                &f.origin,
            );
        }
    }
    for i in &model.identities {
        let Some(f) = found.identities.get(&i.id) else {
            continue;
        };
        if f.privileged && !i.privileged {
            say(
                &i.id,
                format!(
                    "the model says `{}` is not privileged; it can give itself any permission or has them all",
                    i.id
                ),
                &f.origin,
            );
        }
    }
}

fn unmodelled(model: &Model, found: &Fragment, d: &mut Drift) {
    let mut add = |id: &str, message: String, origin: &str| {
        d.unmodelled.push(Item {
            id: id.to_owned(),
            message,
            origin: Some(origin.to_owned()),
        });
    };
    for (id, z) in &found.zones {
        if model.lookup(id).is_none() {
            add(id, format!("zone ({})", z.kind), &z.origin);
        }
    }
    for (id, c) in &found.components {
        if model.lookup(id).is_none() {
            add(
                id,
                format!(
                    "component ({}{})",
                    c.kind,
                    if c.public { ", public" } else { "" }
                ),
                &c.origin,
            );
        }
    }
    for (id, i) in &found.identities {
        let Some(mi) = model
            .lookup(id)
            .and_then(|_| model.identities.iter().find(|m| &m.id == id))
        else {
            add(id, format!("identity ({})", i.kind), &i.origin);
            continue;
        };
        for (target, access) in &i.grants {
            let has = mi.grants.iter().any(|g| {
                let name = match g.target {
                    gambit_model::GrantTarget::Component(c) => &model[c].id,
                    gambit_model::GrantTarget::Identity(j) => &model[j].id,
                };
                name == target && grant_covers(&g.access.to_string(), *access)
            });
            if !has {
                add(
                    id,
                    format!("grant {} on `{target}`", access.as_str()),
                    &i.origin,
                );
            }
        }
    }
    let flows: BTreeSet<(String, String)> = model
        .flows
        .iter()
        .map(|f| (endpoint(model, f.from), endpoint(model, f.to)))
        .collect();
    for (id, f) in &found.flows {
        let both_modelled = model.lookup(&f.from).is_some() && model.lookup(&f.to).is_some();
        if both_modelled && !flows.contains(&(f.from.clone(), f.to.clone())) {
            add(id, "flow".to_owned(), &f.origin);
        }
    }
}

fn endpoint(model: &Model, e: Endpoint) -> String {
    model.endpoint_name(e).to_owned()
}

/// Does a model grant of `written` access cover a discovered one?
fn grant_covers(written: &str, found: Access) -> bool {
    match found {
        Access::Read => matches!(written, "read" | "write" | "admin"),
        Access::Write => matches!(written, "write" | "admin"),
        Access::Admin => written == "admin",
        Access::Assume => written == "assume",
    }
}
