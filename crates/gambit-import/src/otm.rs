//! Open Threat Model (OTM 0.2.0) JSON: import to a Gambit model, and export from one.
//!
//! OTM has assets, trust zones, components (actors included), dataflows, threats and
//! mitigations. Its ratings are numbers (0–100); Gambit's are words. The export writes
//! both: OTM's numbers for other tools, and the exact Gambit facts under each element's
//! `attributes.gambit`, which the import reads first, so a round trip keeps components,
//! zones, flows, data and their classification. The mapping table is in docs/import.md.

use std::collections::HashMap;

use gambit_model::vocab::{
    AssetKind, Authentication, Authorization, Classification, Criticality, Trust, Vocab,
};
use gambit_model::{Endpoint, Model};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::draft::{Draft, Element, Entry, Fields};
use crate::ids::{FlowIds, Ids, slug};
use crate::parse::{Source, Text, nullable};
use crate::recorded::{On, Recorded, Recorder, stride};
use crate::{ImportError, Warning};

/// The OTM version written and understood.
pub const OTM_VERSION: &str = "0.2.0";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Otm {
    otm_version: Text,
    project: Project,
    #[serde(default, deserialize_with = "nullable")]
    representations: Vec<Value>,
    #[serde(default, deserialize_with = "nullable")]
    assets: Vec<OtmAsset>,
    #[serde(default, deserialize_with = "nullable")]
    trust_zones: Vec<TrustZone>,
    #[serde(default, deserialize_with = "nullable")]
    components: Vec<Component>,
    #[serde(default, deserialize_with = "nullable")]
    dataflows: Vec<Dataflow>,
    #[serde(default, deserialize_with = "nullable")]
    threats: Vec<ThreatDef>,
    #[serde(default, deserialize_with = "nullable")]
    mitigations: Vec<MitigationDef>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Project {
    name: Option<String>,
    id: Option<Text>,
    description: Option<String>,
    owner: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OtmAsset {
    id: Text,
    name: Option<String>,
    description: Option<String>,
    risk: Option<Map<String, Value>>,
    #[serde(deserialize_with = "nullable")]
    attributes: Map<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TrustZone {
    id: Text,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    description: Option<String>,
    risk: Option<Map<String, Value>>,
    parent: Option<Parent>,
    #[serde(deserialize_with = "nullable")]
    attributes: Map<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Parent {
    trust_zone: Option<Text>,
    component: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Component {
    id: Text,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    description: Option<String>,
    parent: Option<Parent>,
    #[serde(deserialize_with = "nullable")]
    assets: AssetInstance,
    #[serde(deserialize_with = "nullable")]
    threats: Vec<ThreatInstance>,
    #[serde(deserialize_with = "nullable")]
    tags: Vec<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    attributes: Map<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AssetInstance {
    #[serde(deserialize_with = "nullable")]
    processed: Vec<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    stored: Vec<Option<String>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Dataflow {
    id: Text,
    name: Option<String>,
    description: Option<String>,
    bidirectional: Option<bool>,
    source: Text,
    destination: Text,
    #[serde(deserialize_with = "nullable")]
    assets: Vec<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    threats: Vec<ThreatInstance>,
    #[serde(deserialize_with = "nullable")]
    tags: Vec<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    attributes: Map<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ThreatInstance {
    threat: Text,
    state: Option<String>,
    #[serde(deserialize_with = "nullable")]
    mitigations: Vec<Option<MitigationInstance>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MitigationInstance {
    mitigation: Option<String>,
    state: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ThreatDef {
    id: Text,
    name: Option<String>,
    description: Option<String>,
    #[serde(deserialize_with = "nullable")]
    categories: Vec<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    cwes: Vec<Option<String>>,
    risk: Option<Map<String, Value>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MitigationDef {
    id: Text,
    name: Option<String>,
    description: Option<String>,
}

/// The Gambit facts an export left under `attributes.gambit`.
fn gambit(attributes: &Map<String, Value>) -> Option<&Map<String, Value>> {
    attributes.get("gambit").and_then(Value::as_object)
}

fn gambit_str<'a>(attributes: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    gambit(attributes)?
        .get(key)?
        .as_str()
        .filter(|s| !s.trim().is_empty())
}

/// A Gambit fact of a closed vocabulary, kept only when Gambit knows the word (attributes
/// are free-form: another tool may have written anything there).
fn gambit_word<V: Vocab>(attributes: &Map<String, Value>, key: &str) -> Option<&'static str> {
    gambit_str(attributes, key)
        .and_then(V::parse)
        .map(V::as_str)
}

fn gambit_bool(attributes: &Map<String, Value>, key: &str) -> bool {
    gambit(attributes)
        .and_then(|g| g.get(key))
        .and_then(Value::as_bool)
        == Some(true)
}

fn gambit_list(attributes: &Map<String, Value>, key: &str) -> Vec<String> {
    gambit(attributes)
        .and_then(|g| g.get(key))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn number(risk: Option<&Map<String, Value>>, key: &str) -> Option<f64> {
    risk?.get(key)?.as_f64()
}

/// A 0–100 rating as one of four levels.
fn level(n: f64, levels: [&str; 4]) -> &str {
    levels[if n < 25.0 {
        0
    } else if n < 50.0 {
        1
    } else if n < 75.0 {
        2
    } else {
        3
    }]
}

pub(crate) fn import(src: &Source, warnings: &mut Vec<Warning>) -> Result<Draft, ImportError> {
    let otm: Otm = src.json()?;
    let mut warn = |at: String, message: String| warnings.push(Warning { at, message });
    let mut draft = Draft {
        name: otm.project.name.clone().filter(|n| !n.trim().is_empty()),
        description: otm
            .project
            .description
            .clone()
            .filter(|d| !d.trim().is_empty()),
        ..Draft::default()
    };
    draft.header.push(format!(
        "Open Threat Model version {}, project {}.",
        otm.otm_version.0,
        otm.project.id.as_ref().map_or("?", Text::as_str)
    ));
    if let Some(owner) = otm
        .project
        .owner
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        draft.header.push(format!("Owner: {owner}"));
    }
    if !otm.representations.is_empty() {
        warn(
            "representations".into(),
            format!(
                "{} diagram representation(s) have no place in Gambit; left out",
                otm.representations.len()
            ),
        );
    }
    let mut ids = Ids::new();
    // Ids from names (other tools use UUIDs); an export's names are its ids.
    let allocate = |ids: &mut Ids, id: &str, name: Option<&str>| {
        ids.allocate(name.filter(|n| !n.trim().is_empty()).unwrap_or(id))
    };

    let mut assets: HashMap<String, String> = HashMap::new();
    for (i, a) in otm.assets.iter().enumerate() {
        let at = format!("assets[{i}]");
        let id = allocate(&mut ids, a.id.as_str(), a.name.as_deref());
        assets.entry(a.id.0.clone()).or_insert_with(|| id.clone());
        let mut fields = Fields::default();
        if let Some(kind) = gambit_word::<AssetKind>(&a.attributes, "kind").filter(|k| *k != "data")
        {
            fields.str("kind", kind);
        }
        let risk = a.risk.as_ref();
        let classification = gambit_word::<Classification>(&a.attributes, "classification")
            .map(str::to_owned)
            .or_else(|| {
                number(risk, "confidentiality").map(|n| {
                    level(n, ["public", "internal", "confidential", "restricted"]).to_owned()
                })
            });
        fields.opt_str("classification", classification.as_deref());
        for key in ["integrity", "availability"] {
            let value = gambit_word::<Criticality>(&a.attributes, key)
                .map(str::to_owned)
                .or_else(|| {
                    number(risk, key)
                        .map(|n| level(n, ["low", "medium", "high", "critical"]).to_owned())
                });
            fields.opt_str(key, value.as_deref());
        }
        if let Some(crown) = gambit(&a.attributes)
            .and_then(|g| g.get("crown_jewel"))
            .and_then(Value::as_bool)
        {
            fields.bool("crown_jewel", crown);
        }
        fields
            .list("tags", gambit_list(&a.attributes, "tags"))
            .opt_str("owner", gambit_str(&a.attributes, "owner"))
            .opt_str(
                "description",
                Some(&described(a.name.as_deref(), &id, a.description.as_deref())),
            );
        draft.assets.push(Element {
            id,
            origin: format!(
                "from asset {:?} ({at})",
                a.name.as_deref().unwrap_or(a.id.as_str())
            ),
            notes: Vec::new(),
            fields,
        });
    }

    // Trust zones. A zone Gambit builds in keeps its meaning and is not declared again.
    let mut zones: HashMap<String, String> = HashMap::new();
    let mut zone_ids = Vec::with_capacity(otm.trust_zones.len());
    for z in &otm.trust_zones {
        let builtin = ["internet", "internal"].iter().find(|b| {
            z.id.as_str() == **b
                || (gambit(&z.attributes).is_none()
                    && z.name.as_deref().map(slug).as_deref() == Some(**b))
        });
        let id = match builtin {
            Some(b) => (*b).to_owned(),
            None => allocate(&mut ids, z.id.as_str(), z.name.as_deref()),
        };
        // References go to the first zone of an id; each zone keeps its own.
        zones.entry(z.id.0.clone()).or_insert_with(|| id.clone());
        zone_ids.push(id);
    }
    for (i, (z, id)) in otm.trust_zones.iter().zip(zone_ids).enumerate() {
        let at = format!("trustZones[{i}]");
        if id == "internet" || id == "internal" {
            continue;
        }
        let mut fields = Fields::default();
        let kind = gambit_str(&z.attributes, "kind")
            .map(str::to_owned)
            .or_else(|| {
                z.kind
                    .as_deref()
                    .map(slug)
                    .filter(|k| gambit_model::vocab::ZONE_KINDS.contains(&k.as_str()))
            })
            .unwrap_or_else(|| "network".into());
        fields.str("kind", kind);
        if let Some(parent) = z.parent.as_ref() {
            match (&parent.trust_zone, &parent.component) {
                (Some(p), _) => match zones
                    .get(p.as_str())
                    .filter(|p| !matches!(p.as_str(), "internet" | "internal"))
                {
                    Some(p) => {
                        fields.str("parent", p.as_str());
                    }
                    None => warn(
                        at.clone(),
                        format!(
                            "parent trust zone `{}` is not a zone Gambit can nest in; left top-level",
                            p.0
                        ),
                    ),
                },
                (None, Some(c)) => warn(
                    at.clone(),
                    format!(
                        "a trust zone inside component `{}` has no place in Gambit; left top-level",
                        c.0
                    ),
                ),
                (None, None) => {}
            }
        }
        let trust = gambit_word::<Trust>(&z.attributes, "trust")
            .map(str::to_owned)
            .or_else(|| {
                number(z.risk.as_ref(), "trustRating").map(|n| {
                    level(n, ["untrusted", "partner", "internal", "restricted"]).to_owned()
                })
            });
        if trust.as_deref() != Some("internal") {
            fields.opt_str("trust", trust.as_deref());
        }
        fields.flag("isolated", gambit_bool(&z.attributes, "isolated"));
        fields.opt_str(
            "description",
            Some(&described(z.name.as_deref(), &id, z.description.as_deref())),
        );
        draft.zones.push(Element {
            id,
            origin: format!(
                "from trust zone {:?} ({at})",
                z.name.as_deref().unwrap_or(z.id.as_str())
            ),
            notes: Vec::new(),
            fields,
        });
    }

    let threat_defs: HashMap<&str, &ThreatDef> =
        otm.threats.iter().map(|t| (t.id.as_str(), t)).collect();
    let mitigation_names: HashMap<&str, String> = otm
        .mitigations
        .iter()
        .map(|m| {
            (
                m.id.as_str(),
                described(m.name.as_deref(), m.id.as_str(), m.description.as_deref()),
            )
        })
        .collect();
    let mut recorder = Recorder::new("otm");

    // Components and actors; a component inside a component sits in its parent's zone.
    let mut endpoints: HashMap<String, String> = HashMap::new();
    let mut component_ids = Vec::with_capacity(otm.components.len());
    for c in &otm.components {
        let id = allocate(&mut ids, c.id.as_str(), c.name.as_deref());
        endpoints
            .entry(c.id.0.clone())
            .or_insert_with(|| id.clone());
        component_ids.push(id);
    }
    let zone_of_component = |c: &Component| -> Option<String> {
        let mut parent = c.parent.as_ref();
        for _ in 0..otm.components.len() + 1 {
            match parent {
                Some(Parent {
                    trust_zone: Some(z),
                    ..
                }) => return zones.get(z.as_str()).cloned(),
                Some(Parent {
                    component: Some(p), ..
                }) => {
                    parent = otm
                        .components
                        .iter()
                        .find(|o| o.id == *p)
                        .and_then(|o| o.parent.as_ref())
                }
                _ => return None,
            }
        }
        None
    };
    for (i, (c, id)) in otm.components.iter().zip(component_ids).enumerate() {
        let at = format!("components[{i}]");
        let actor = gambit_str(&c.attributes, "element") == Some("actor");
        let mut fields = Fields::default();
        let kind = gambit_str(&c.attributes, "kind")
            .map(str::to_owned)
            .unwrap_or_else(|| component_kind(c.kind.as_deref().unwrap_or_default()).to_owned());
        fields.str("kind", kind);
        let zone = zone_of_component(c);
        if zone.as_deref() != Some(if actor { "internet" } else { "internal" }) {
            fields.opt_str("zone", zone.as_deref());
        }
        if c.parent.as_ref().is_some_and(|p| p.component.is_some()) {
            warn(at.clone(), "a component inside a component has no place in Gambit; placed in its parent's zone".into());
        }
        let asset_ids =
            |list: &[Option<String>], warn: &mut dyn FnMut(String, String)| -> Vec<String> {
                list.iter()
                    .flatten()
                    .filter_map(|a| {
                        let found = assets.get(a).cloned();
                        if found.is_none() {
                            warn(
                                at.clone(),
                                format!("refers to unknown asset `{a}`; left out"),
                            );
                        }
                        found
                    })
                    .collect()
            };
        let known = |list: Vec<String>| -> Vec<String> {
            list.into_iter()
                .filter(|a| assets.values().any(|v| v == a))
                .collect()
        };
        let stored = asset_ids(&c.assets.stored, &mut warn);
        let processed = asset_ids(&c.assets.processed, &mut warn);
        if actor {
            if let Some(trust) = gambit_word::<Trust>(&c.attributes, "trust") {
                fields.str("trust", trust);
            }
            fields
                .flag("mfa", gambit_bool(&c.attributes, "mfa"))
                .list("holds", known(gambit_list(&c.attributes, "holds")));
            if !stored.is_empty() || !processed.is_empty() {
                warn(
                    at.clone(),
                    "an actor does not store or process assets in Gambit; left out".into(),
                );
            }
        } else {
            fields
                .flag("public", gambit_bool(&c.attributes, "public"))
                .list("stores", stored)
                .list("processes", processed)
                .list("holds", known(gambit_list(&c.attributes, "holds")))
                .list("controls", gambit_list(&c.attributes, "controls"))
                .flag(
                    "encrypted_at_rest",
                    gambit_bool(&c.attributes, "encrypted_at_rest"),
                );
        }
        fields.list("tags", c.tags.iter().flatten().cloned().collect());
        if !actor {
            fields.opt_str("owner", gambit_str(&c.attributes, "owner"));
        }
        fields
            .flag("out_of_scope", gambit_bool(&c.attributes, "out_of_scope"))
            .opt_str(
                "description",
                Some(&described(c.name.as_deref(), &id, c.description.as_deref())),
            );
        let on = if actor { On::Actor } else { On::Component };
        record_threats(
            &at,
            on,
            &id,
            &c.threats,
            &threat_defs,
            &mitigation_names,
            &mut recorder,
            &mut warn,
        );
        let element = Element {
            id,
            origin: format!(
                "from component {:?} ({at})",
                c.name.as_deref().unwrap_or(c.id.as_str())
            ),
            notes: Vec::new(),
            fields,
        };
        if actor {
            draft.actors.push(element);
        } else {
            draft.components.push(element);
        }
    }

    let mut flow_ids = FlowIds::default();
    for (i, f) in otm.dataflows.iter().enumerate() {
        let at = format!("dataflows[{i}]");
        let (Some(from), Some(to)) = (
            endpoints.get(f.source.as_str()),
            endpoints.get(f.destination.as_str()),
        ) else {
            warn(
                at,
                format!(
                    "dataflow {:?} does not join two components; left out",
                    f.name.as_deref().unwrap_or(f.id.as_str())
                ),
            );
            continue;
        };
        let mut fields = Fields::default();
        // An id an export wrote (gambit's own) is kept when free; other tools' ids are
        // UUIDs, so their flows get Gambit's default ids.
        let own_id = Some(f.id.as_str())
            .filter(|id| gambit(&f.attributes).is_some() && !id.trim().is_empty());
        let flow_id = match own_id {
            Some(id) if flow_ids.claim(id) => id.to_owned(),
            _ => flow_ids
                .allocate(from, to, f.name.as_deref().unwrap_or(f.id.as_str()))
                .unwrap_or_else(|| format!("{from}->{to}")),
        };
        if flow_id != format!("{from}->{to}") {
            fields.str("id", flow_id.as_str());
        }
        fields.str("from", from.as_str()).str("to", to.as_str());
        fields.opt_str("protocol", gambit_str(&f.attributes, "protocol"));
        if let Some(e) = gambit(&f.attributes)
            .and_then(|g| g.get("encrypted"))
            .and_then(Value::as_bool)
        {
            fields.bool("encrypted", e);
        }
        fields
            .opt_str(
                "authentication",
                gambit_word::<Authentication>(&f.attributes, "authentication"),
            )
            .opt_str(
                "authorization",
                gambit_word::<Authorization>(&f.attributes, "authorization"),
            )
            .opt_str(
                "credential",
                gambit_str(&f.attributes, "credential").filter(|c| assets.values().any(|a| a == c)),
            );
        let data: Vec<String> = f
            .assets
            .iter()
            .flatten()
            .filter_map(|a| assets.get(a).cloned())
            .collect();
        let returns: Vec<String> = gambit_list(&f.attributes, "returns")
            .into_iter()
            .filter(|a| assets.values().any(|v| v == a))
            .collect();
        fields
            .list("data", data)
            .list("returns", returns)
            .flag("code", gambit_bool(&f.attributes, "code"))
            .list("tags", f.tags.iter().flatten().cloned().collect())
            .opt_str(
                "description",
                f.description
                    .as_deref()
                    .or(f.name.as_deref().filter(|n| *n != f.id.as_str())),
            );
        let mut notes = Vec::new();
        if f.bidirectional == Some(true) {
            notes.push("otm: bidirectional (Gambit flows carry replies in `returns`)".to_owned());
        }
        record_threats(
            &at,
            On::Flow,
            &flow_id,
            &f.threats,
            &threat_defs,
            &mitigation_names,
            &mut recorder,
            &mut warn,
        );
        draft.flows.push(Entry {
            origin: format!(
                "from dataflow {:?} ({at})",
                f.name.as_deref().unwrap_or(f.id.as_str())
            ),
            notes,
            fields,
        });
    }
    (draft.rules, draft.risks) = recorder.finish();
    Ok(draft)
}

#[allow(clippy::too_many_arguments)]
fn record_threats(
    at: &str,
    on: On,
    target: &str,
    threats: &[ThreatInstance],
    defs: &HashMap<&str, &ThreatDef>,
    mitigations: &HashMap<&str, String>,
    recorder: &mut Recorder,
    warn: &mut impl FnMut(String, String),
) {
    for (i, instance) in threats.iter().enumerate() {
        let def = defs.get(instance.threat.as_str());
        if def.is_none() {
            warn(
                format!("{at}.threats[{i}]"),
                format!(
                    "threat `{}` is not defined under `threats`; kept with its id as title",
                    instance.threat.0
                ),
            );
        }
        let state = instance
            .state
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase()
            .replace(['_', ' '], "-");
        let status = match state.as_str() {
            "mitigated" => "mitigated",
            "accept" | "accepted" => "accepted",
            "not-applicable" | "na" | "n/a" => "false-positive",
            "partly-mitigated" | "partially-mitigated" | "in-progress" => "in-progress",
            _ => "open",
        };
        let applied: Vec<String> = instance
            .mitigations
            .iter()
            .flatten()
            .filter_map(|m| {
                let id = m.mitigation.as_deref()?;
                let name = mitigations
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| id.to_owned());
                Some(match m.state.as_deref() {
                    Some(s) => format!("{name} ({s})"),
                    None => name,
                })
            })
            .collect();
        let mitigation = (!applied.is_empty()).then(|| applied.join("; "));
        let risk = def.and_then(|d| d.risk.as_ref());
        recorder.record(
            on,
            target,
            Recorded {
                key: None,
                title: def
                    .and_then(|d| d.name.clone())
                    .unwrap_or_else(|| instance.threat.0.clone()),
                description: def.and_then(|d| d.description.clone()),
                stride: def
                    .map(|d| {
                        d.categories
                            .iter()
                            .flatten()
                            .filter_map(|c| stride(c))
                            .collect()
                    })
                    .unwrap_or_default(),
                likelihood: number(risk, "likelihood")
                    .map(|n| level(n, ["unlikely", "likely", "very-likely", "frequent"])),
                impact: number(risk, "impact")
                    .map(|n| level(n, ["low", "medium", "high", "very-high"])),
                justification: if status == "open" {
                    None
                } else {
                    mitigation.clone()
                },
                mitigation,
                cwe: def
                    .map(|d| {
                        d.cwes
                            .iter()
                            .flatten()
                            .map(|c| {
                                if c.starts_with("CWE-") {
                                    c.clone()
                                } else {
                                    format!("CWE-{c}")
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                status,
                origin: format!(
                    "from threat {} on {at} ({})",
                    instance.threat.0,
                    instance.state.as_deref().unwrap_or("no state")
                ),
                ..Recorded::default()
            },
        );
    }
}

/// A Gambit component kind for another tool's component type: the type itself when Gambit
/// knows it, else by the words in it (IriusRisk writes types such as `sql-database`).
fn component_kind(otm_type: &str) -> String {
    let t = slug(otm_type);
    if gambit_model::vocab::COMPONENT_KINDS.contains(&t.as_str()) {
        return t;
    }
    let by_word: &[(&str, &str)] = &[
        ("database", "database"),
        ("sql", "database"),
        ("cache", "cache"),
        ("queue", "queue"),
        ("broker", "queue"),
        ("bucket", "object-store"),
        ("storage", "object-store"),
        ("browser", "browser"),
        ("client", "browser"),
        ("mobile", "mobile-app"),
        ("gateway", "api-gateway"),
        ("load-balancer", "load-balancer"),
        ("web-service", "api"),
        ("api", "api"),
        ("web", "web-app"),
        ("function", "function"),
        ("lambda", "function"),
        ("secret", "secret-store"),
        ("vault", "secret-store"),
        ("identity", "identity-provider"),
    ];
    by_word
        .iter()
        .find(|(word, _)| t.contains(word))
        .map_or("service", |(_, kind)| kind)
        .to_owned()
}

fn described(name: Option<&str>, id: &str, description: Option<&str>) -> String {
    let name = name.map(str::trim).filter(|n| !n.is_empty() && *n != id);
    match (name, description.map(str::trim).filter(|d| !d.is_empty())) {
        (Some(n), Some(d)) if n != d => format!("{n}: {d}"),
        (Some(n), _) => n.to_owned(),
        (None, Some(d)) => d.to_owned(),
        (None, None) => String::new(),
    }
}

/// The model as Open Threat Model JSON. OTM's 0–100 ratings are derived from Gambit's
/// words; the exact Gambit facts travel under each element's `attributes.gambit`.
pub fn export_otm(model: &Model) -> Value {
    let assets: Vec<Value> = model
        .assets
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "name": a.id,
                "description": a.description,
                "risk": {
                    "confidentiality": classification_rating(a.classification),
                    "integrity": criticality_rating(a.integrity),
                    "availability": criticality_rating(a.availability),
                },
                "attributes": {"gambit": {
                    "kind": a.kind.to_string(),
                    "classification": a.classification.to_string(),
                    "integrity": a.integrity.to_string(),
                    "availability": a.availability.to_string(),
                    "crown_jewel": a.crown_jewel,
                    "tags": a.tags,
                    "owner": a.owner,
                }},
            })
        })
        .collect();
    let trust_zones: Vec<Value> = model
        .zones
        .iter()
        .map(|z| {
            let mut zone = json!({
                "id": z.id,
                "name": z.id,
                "type": z.kind.as_str(),
                "description": z.description,
                "risk": {"trustRating": trust_rating(z.trust)},
                "attributes": {"gambit": {"kind": z.kind.as_str(), "trust": z.trust.to_string(), "isolated": z.isolated, "builtin": z.builtin}},
            });
            if let Some(p) = z.parent {
                zone["parent"] = json!({"trustZone": model[p].id});
            }
            zone
        })
        .collect();
    let asset_ids = |list: &[gambit_model::AssetId]| -> Vec<&str> {
        list.iter().map(|a| model[*a].id.as_str()).collect()
    };
    let mut components: Vec<Value> = model
        .actors
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "name": a.id,
                "type": a.kind.as_str(),
                "description": a.description,
                "parent": {"trustZone": model[a.zone].id},
                "tags": a.tags,
                "attributes": {"gambit": {"element": "actor", "kind": a.kind.as_str(), "trust": a.trust.to_string(), "mfa": a.mfa, "out_of_scope": a.out_of_scope, "holds": asset_ids(&a.holds)}},
            })
        })
        .collect();
    components.extend(model.components.iter().map(|c| {
        json!({
            "id": c.id,
            "name": c.id,
            "type": c.kind.as_str(),
            "description": c.description,
            "parent": {"trustZone": model[c.zone].id},
            "assets": {"processed": asset_ids(&c.processes), "stored": asset_ids(&c.stores)},
            "tags": c.tags,
            "attributes": {"gambit": {
                "element": "component",
                "kind": c.kind.as_str(),
                "public": c.public,
                "encrypted_at_rest": c.encrypted_at_rest,
                "out_of_scope": c.out_of_scope,
                "owner": c.owner,
                "controls": c.controls,
                "holds": asset_ids(&c.holds),
            }},
        })
    }));
    let endpoint = |e: Endpoint| model.endpoint_name(e).to_owned();
    let dataflows: Vec<Value> = model
        .flows
        .iter()
        .map(|f| {
            json!({
                "id": f.id,
                "name": f.id,
                "description": f.description,
                "bidirectional": false,
                "source": endpoint(f.from),
                "destination": endpoint(f.to),
                "assets": asset_ids(&f.data),
                "tags": f.tags,
                "attributes": {"gambit": {
                    "protocol": f.protocol,
                    "encrypted": f.encrypted,
                    "authentication": f.authentication_written.map(|a| a.to_string()),
                    "authorization": f.authorization.map(|a| a.to_string()),
                    "credential": f.credential.map(|c| model[c].id.clone()),
                    "returns": asset_ids(&f.returns),
                    "code": f.code,
                }},
            })
        })
        .collect();
    json!({
        "otmVersion": OTM_VERSION,
        "project": {
            "name": model.name,
            "id": slug(&model.name),
            "description": model.description,
            "attributes": {"gambit": {"digest": model.digest}},
        },
        "assets": assets,
        "trustZones": trust_zones,
        "components": components,
        "dataflows": dataflows,
    })
}

fn classification_rating(c: Classification) -> u8 {
    match c {
        Classification::Public => 0,
        Classification::Internal => 33,
        Classification::Confidential => 67,
        Classification::Restricted => 100,
    }
}

fn criticality_rating(c: Criticality) -> u8 {
    match c {
        Criticality::Low => 20,
        Criticality::Medium => 40,
        Criticality::High => 70,
        Criticality::Critical => 100,
    }
}

fn trust_rating(t: Trust) -> u8 {
    match t {
        Trust::Untrusted => 0,
        Trust::Partner => 33,
        Trust::Internal => 67,
        Trust::Restricted => 100,
    }
}
