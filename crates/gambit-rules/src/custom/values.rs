//! The CEL value of each model element, as the documented fields describe it.

use std::collections::HashMap;
use std::sync::Arc;

use cel::Value;
use gambit_model::vocab::{RuleTarget, Vocab};
use gambit_model::{Actor, AssetId, ComponentId, Endpoint, GrantTarget, Model};

use crate::context::Context;
use crate::finding::Target;

fn s(v: impl Into<String>) -> Value {
    Value::String(Arc::new(v.into()))
}

fn list<I: IntoIterator<Item = Value>>(items: I) -> Value {
    Value::List(Arc::new(items.into_iter().collect()))
}

fn strings<'a>(items: impl IntoIterator<Item = &'a String>) -> Value {
    list(items.into_iter().map(|x| s(x.as_str())))
}

fn ids(model: &Model, assets: &[AssetId]) -> Value {
    list(assets.iter().map(|&a| s(model[a].id.as_str())))
}

fn obj(pairs: Vec<(&'static str, Value)>) -> Value {
    let map: HashMap<String, Value> = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    Value::from(map)
}

fn count(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn highest_class(model: &Model, assets: impl IntoIterator<Item = AssetId>) -> Value {
    s(assets
        .into_iter()
        .map(|a| model[a].classification)
        .max()
        .map_or("public", Vocab::as_str))
}

/// Every element of a kind, as (target, CEL value, assets at stake).
pub(super) fn elements(cx: &Context<'_>, kind: RuleTarget) -> Vec<(Target, Value, Vec<AssetId>)> {
    let m = cx.model;
    match kind {
        RuleTarget::Component => cx
            .components()
            .map(|(id, _)| {
                (
                    Target::Component(id),
                    component_value(cx, id),
                    cx.handled(&m[id]),
                )
            })
            .collect(),
        RuleTarget::Flow => cx
            .flows()
            .map(|(id, f)| {
                let mut assets: Vec<AssetId> = cx.carried(f).collect();
                assets.sort();
                assets.dedup();
                let value = obj(vec![
                    ("id", s(f.id.as_str())),
                    ("from", endpoint_value(cx, f.from)),
                    ("to", endpoint_value(cx, f.to)),
                    ("protocol", s(f.protocol.clone().unwrap_or_default())),
                    ("encrypted", Value::Bool(f.encrypted)),
                    ("authentication", s(f.authentication.as_str())),
                    (
                        "authorization",
                        s(f.authorization.map_or("", Vocab::as_str)),
                    ),
                    (
                        "credential",
                        s(f.credential.map_or("", |c| m[c].id.as_str())),
                    ),
                    ("data", ids(m, &f.data)),
                    ("returns", ids(m, &f.returns)),
                    ("classification", highest_class(m, assets.iter().copied())),
                    ("code", Value::Bool(f.code)),
                    ("crosses_boundary", Value::Bool(cx.crosses_boundary(f))),
                    ("tags", strings(&f.tags)),
                ]);
                (Target::Flow(id), value, assets)
            })
            .collect(),
        RuleTarget::Asset => m
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let id = AssetId(i as u32);
                let value = obj(vec![
                    ("id", s(a.id.as_str())),
                    ("kind", s(a.kind.as_str())),
                    ("classification", s(a.classification.as_str())),
                    ("integrity", s(a.integrity.as_str())),
                    ("availability", s(a.availability.as_str())),
                    ("crown_jewel", Value::Bool(a.crown_jewel)),
                    (
                        "records",
                        Value::Int(
                            a.records
                                .map_or(0, |r| i64::try_from(r).unwrap_or(i64::MAX)),
                        ),
                    ),
                    ("tags", strings(&a.tags)),
                    (
                        "stored_by",
                        list(a.stored_by.iter().map(|&c| s(m[c].id.as_str()))),
                    ),
                    (
                        "processed_by",
                        list(a.processed_by.iter().map(|&c| s(m[c].id.as_str()))),
                    ),
                    (
                        "held_by",
                        list(a.held_by.iter().map(|&e| s(m.endpoint_name(e)))),
                    ),
                ]);
                (Target::Asset(id), value, vec![id])
            })
            .collect(),
        RuleTarget::Zone => m
            .zones
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let id = gambit_model::ZoneId(i as u32);
                let value = obj(vec![
                    ("id", s(z.id.as_str())),
                    ("kind", s(z.kind.as_str())),
                    ("parent", s(z.parent.map_or("", |p| m[p].id.as_str()))),
                    ("trust", s(cx.zone_trust(id).as_str())),
                    ("isolated", Value::Bool(z.isolated)),
                    ("tags", strings(&z.tags)),
                    (
                        "components",
                        list(z.components.iter().map(|&c| s(m[c].id.as_str()))),
                    ),
                    (
                        "actors",
                        list(z.actors.iter().map(|&a| s(m[a].id.as_str()))),
                    ),
                ]);
                (Target::Zone(id), value, Vec::new())
            })
            .collect(),
        RuleTarget::Actor => cx
            .actors()
            .map(|(id, a)| (Target::Actor(id), actor_value(cx, a), a.holds.clone()))
            .collect(),
        RuleTarget::Identity => cx
            .identities()
            .map(|(id, x)| {
                let grants = x.grants.iter().map(|g| {
                    let target = match g.target {
                        GrantTarget::Component(c) => m[c].id.as_str(),
                        GrantTarget::Identity(j) => m[j].id.as_str(),
                    };
                    obj(vec![
                        ("access", s(g.access.as_str())),
                        ("target", s(target)),
                    ])
                });
                let value = obj(vec![
                    ("id", s(x.id.as_str())),
                    ("kind", s(x.kind.as_str())),
                    ("privileged", Value::Bool(x.privileged)),
                    ("mfa", Value::Bool(x.mfa)),
                    ("grants", list(grants)),
                    ("tags", strings(&x.tags)),
                    (
                        "runs_on",
                        list(x.runs_on.iter().map(|&c| s(m[c].id.as_str()))),
                    ),
                    ("credentials", ids(m, &x.credentials)),
                ]);
                (Target::Identity(id), value, x.credentials.clone())
            })
            .collect(),
    }
}

fn component_value(cx: &Context<'_>, id: ComponentId) -> Value {
    let m = cx.model;
    let c = &m[id];
    let facts = cx.facts(id);
    let vulns = c.vulnerabilities.iter().map(|v| {
        obj(vec![
            ("id", s(v.id.as_str())),
            ("effect", s(v.effect.as_str())),
            ("kev", Value::Bool(v.kev)),
            ("epss", Value::Float(v.epss.unwrap_or(0.0))),
            (
                "score",
                Value::Float(v.cvss.as_ref().map_or(0.0, |x| x.base_score)),
            ),
            ("status", s(v.status.as_str())),
        ])
    });
    let software = c.software.iter().map(|x| {
        obj(vec![
            ("name", s(x.name.as_str())),
            ("version", s(x.version.clone().unwrap_or_default())),
            ("purl", s(x.purl.clone().unwrap_or_default())),
        ])
    });
    let handled = cx.handled(c);
    obj(vec![
        ("id", s(c.id.as_str())),
        ("kind", s(c.kind.as_str())),
        ("zone", s(m[c.zone].id.as_str())),
        ("zone_trust", s(cx.zone_trust(c.zone).as_str())),
        ("public", Value::Bool(c.public)),
        ("exposure", s(exposure_name(facts.exposure))),
        ("untrusted_input", Value::Bool(facts.untrusted_input)),
        ("controls", strings(&c.controls)),
        ("stores", ids(m, &c.stores)),
        ("processes", ids(m, &c.processes)),
        ("holds", ids(m, &c.holds)),
        ("classification", highest_class(m, handled.iter().copied())),
        (
            "crown_jewel",
            Value::Bool(handled.iter().any(|&a| m[a].crown_jewel)),
        ),
        ("runs_as", s(c.runs_as.map_or("", |i| m[i].id.as_str()))),
        ("authentication", s(c.authentication.as_str())),
        ("encrypted_at_rest", Value::Bool(c.encrypted_at_rest)),
        ("tags", strings(&c.tags)),
        ("owner", s(c.owner.clone().unwrap_or_default())),
        ("vulnerabilities", list(vulns)),
        ("software", list(software)),
        ("flows_in", count(c.flows_in.len())),
        ("flows_out", count(c.flows_out.len())),
    ])
}

pub fn exposure_name(e: crate::context::ExposureLevel) -> &'static str {
    use crate::context::ExposureLevel;
    match e {
        ExposureLevel::Internet => "internet",
        ExposureLevel::Partner => "partner",
        ExposureLevel::Internal => "internal",
        ExposureLevel::Restricted => "restricted",
    }
}

fn actor_value(cx: &Context<'_>, a: &Actor) -> Value {
    let m = cx.model;
    obj(vec![
        ("id", s(a.id.as_str())),
        ("kind", s(a.kind.as_str())),
        ("zone", s(m[a.zone].id.as_str())),
        ("trust", s(a.trust.as_str())),
        ("mfa", Value::Bool(a.mfa)),
        ("human", Value::Bool(cx.is_human(a))),
        ("holds", ids(m, &a.holds)),
        ("tags", strings(&a.tags)),
    ])
}

fn endpoint_value(cx: &Context<'_>, e: Endpoint) -> Value {
    let m = cx.model;
    let (kind, public, controls) = match e {
        Endpoint::Actor(a) => (m[a].kind.as_str(), false, list([])),
        Endpoint::Component(c) => (m[c].kind.as_str(), m[c].public, strings(&m[c].controls)),
    };
    obj(vec![
        ("id", s(m.endpoint_name(e))),
        (
            "type",
            s(if matches!(e, Endpoint::Actor(_)) {
                "actor"
            } else {
                "component"
            }),
        ),
        ("kind", s(kind)),
        ("zone", s(m[m.endpoint_zone(e)].id.as_str())),
        ("trust", s(cx.trust(e).as_str())),
        ("public", Value::Bool(public)),
        ("controls", controls),
    ])
}
