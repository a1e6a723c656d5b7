//! OWASP pytm's JSON (what `TM.load`/`--json` read) to a Gambit model.
//!
//! pytm elements carry open sets of attributes, so the document is read as JSON values:
//! each attribute Gambit has a place for is mapped, and every other one with a value is
//! kept as a comment and reported. The mapping table is in docs/import.md.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::draft::{Draft, Element, Entry, Fields};
use crate::ids::{FlowIds, Ids, slug};
use crate::parse::Source;
use crate::{ImportError, Warning};

/// Attributes every importer reads through the mapping below, never reported as lost.
const CONSUMED: &[&str] = &[
    "__class__",
    "name",
    "description",
    "inBoundary",
    "inScope",
    "isEncrypted",
    "protocol",
    "data",
    "source",
    "sink",
    "note",
    "classification",
    "isCredentials",
    "isPII",
    "type",
    "isAdmin",
    "isSQL",
    "storesLogData",
    "OS",
    "port",
    "dstPort",
];

pub(crate) fn import(src: &Source, warnings: &mut Vec<Warning>) -> Result<Draft, ImportError> {
    let root: Value = src.json()?;
    let Some(root) = root.as_object() else {
        return Err(src.error(
            Some(1),
            Some(1),
            "not a pytm model: the document is not a JSON object".into(),
        ));
    };
    let mut warn = |at: String, message: String| warnings.push(Warning { at, message });
    let mut draft = Draft {
        name: text(root, "name"),
        description: text(root, "description"),
        ..Draft::default()
    };
    draft.header.push("pytm model (JSON).".into());
    for key in root.keys() {
        if !matches!(
            key.as_str(),
            "name" | "description" | "boundaries" | "data" | "elements" | "flows"
        ) && has_value(&root[key])
        {
            draft
                .header
                .push(format!("pytm {key}: {}", flat(&root[key])));
            warn(
                "the model".into(),
                format!("`{key}` has no place in Gambit; kept as a comment"),
            );
        }
    }
    let mut ids = Ids::new();

    // Boundaries: a boundary called Internet is Gambit's built-in `internet` zone.
    // Each boundary's id by position; by name for references (the first of a name wins).
    let mut zones: HashMap<String, String> = HashMap::new();
    let boundaries = list(src, root, "boundaries")?;
    let mut zone_ids = Vec::with_capacity(boundaries.len());
    for b in &boundaries {
        let name = text(b, "name").unwrap_or_else(|| "boundary".into());
        let id = if slug(&name) == "internet" {
            "internet".to_owned()
        } else {
            ids.allocate(&name)
        };
        zones.entry(name).or_insert_with(|| id.clone());
        zone_ids.push(id);
    }
    for (i, (b, id)) in boundaries.iter().zip(zone_ids).enumerate() {
        let at = format!("boundaries[{i}]");
        let name = text(b, "name").unwrap_or_else(|| "boundary".into());
        if id == "internet" {
            continue;
        }
        let mut fields = Fields::default();
        fields.str("kind", "network");
        if let Some(parent) = text(b, "inBoundary") {
            match zones.get(&parent) {
                Some(p) if p != "internet" => {
                    fields.str("parent", p.as_str());
                }
                _ => warn(
                    at.clone(),
                    format!(
                        "nested in `{parent}`, which is not a boundary of the model; left top-level"
                    ),
                ),
            }
        }
        fields.opt_str(
            "description",
            Some(&described(&name, text(b, "description").as_deref())),
        );
        let notes = leftovers(&at, b, &["inBoundary"], &mut warn);
        draft.zones.push(Element {
            id,
            origin: format!("from boundary {name:?}"),
            notes,
            fields,
        });
    }

    // Data.
    let mut assets: HashMap<String, String> = HashMap::new();
    for (i, d) in list(src, root, "data")?.iter().enumerate() {
        let at = format!("data[{i}]");
        let name = text(d, "name").unwrap_or_else(|| "data".into());
        let id = ids.allocate(&name);
        assets.entry(name.clone()).or_insert(id.clone());
        let mut fields = Fields::default();
        if d.get("isCredentials").and_then(Value::as_bool) == Some(true) {
            fields.str("kind", "credential");
        }
        if let Some(c) = text(d, "classification") {
            match classification(&c) {
                Some(v) => {
                    fields.str("classification", v);
                }
                None => warn(
                    at.clone(),
                    format!("classification `{c}` is not one of pytm's; left at Gambit's default"),
                ),
            }
        }
        let mut tags = Vec::new();
        if d.get("isPII").and_then(Value::as_bool) == Some(true) {
            tags.push("pii".to_owned());
        }
        fields.list("tags", tags).opt_str(
            "description",
            Some(&described(&name, text(d, "description").as_deref())),
        );
        let notes = leftovers(&at, d, &[], &mut warn);
        draft.assets.push(Element {
            id,
            origin: format!("from data {name:?}"),
            notes,
            fields,
        });
    }

    // Elements.
    let flows = list(src, root, "flows")?;
    let mut placed: HashMap<String, (String, bool)> = HashMap::new();
    let mut stored: HashMap<String, Vec<String>> = HashMap::new();
    for f in &flows {
        if let Some(sink) = text(f, "sink") {
            let entry = stored.entry(sink).or_default();
            for d in strings(f, "data") {
                if let Some(a) = assets.get(&d).filter(|a| !entry.contains(a)) {
                    entry.push(a.clone());
                }
            }
        }
    }
    for (i, e) in list(src, root, "elements")?.iter().enumerate() {
        let at = format!("elements[{i}]");
        let class = text(e, "__class__").unwrap_or_else(|| "Element".into());
        let name = text(e, "name").unwrap_or_else(|| class.to_ascii_lowercase());
        let id = ids.allocate(&name);
        let actor = matches!(class.as_str(), "Actor" | "ExternalEntity");
        placed.entry(name.clone()).or_insert((id.clone(), actor));
        let zone = text(e, "inBoundary").map(|b| {
            zones.get(&b).cloned().unwrap_or_else(|| {
                warn(
                    at.clone(),
                    format!("in unknown boundary `{b}`; placed in the default zone"),
                );
                String::new()
            })
        });
        let mut fields = Fields::default();
        if actor {
            let kind = match class.as_str() {
                "ExternalEntity" => "external-system",
                _ if e.get("isAdmin").and_then(Value::as_bool) == Some(true) => "admin",
                _ => "user",
            };
            fields.str("kind", kind);
            fields.opt_str("zone", zone.as_deref());
        } else {
            fields.str("kind", component_kind(&class, e));
            fields.opt_str("zone", zone.as_deref());
            let is_store = class == "Datastore";
            if is_store {
                fields.list("stores", stored.remove(&name).unwrap_or_default());
                fields.flag(
                    "encrypted_at_rest",
                    e.get("isEncrypted").and_then(Value::as_bool) == Some(true),
                );
            }
        }
        if e.get("inScope").and_then(Value::as_bool) == Some(false) {
            fields.bool("out_of_scope", true);
        }
        fields.opt_str(
            "description",
            Some(&described(&name, text(e, "description").as_deref())),
        );
        let notes = leftovers(&at, e, &[], &mut warn);
        let element = Element {
            id,
            origin: format!("from {class} {name:?}"),
            notes,
            fields,
        };
        if actor {
            draft.actors.push(element);
        } else {
            draft.components.push(element);
        }
    }

    let mut flow_ids = FlowIds::default();
    for (i, f) in flows.iter().enumerate() {
        let at = format!("flows[{i}]");
        let name = text(f, "name").unwrap_or_default();
        let end = |key: &str| text(f, key).and_then(|n| placed.get(&n).cloned());
        let (Some((from, _)), Some((to, _))) = (end("source"), end("sink")) else {
            warn(
                at,
                format!(
                    "flow {name:?} does not name a source and a sink among the elements; left out"
                ),
            );
            continue;
        };
        let mut fields = Fields::default();
        if let Some(id) = flow_ids.allocate(&from, &to, &name) {
            fields.str("id", id);
        }
        fields.str("from", from.as_str()).str("to", to.as_str());
        if let Some(p) = text(f, "protocol") {
            fields.str("protocol", slug(&p));
        }
        if let Some(encrypted) = f.get("isEncrypted").and_then(Value::as_bool) {
            fields.bool("encrypted", encrypted);
        }
        let data: Vec<String> = strings(f, "data")
            .into_iter()
            .filter_map(|d| {
                let found = assets.get(&d).cloned();
                if found.is_none() {
                    warn(at.clone(), format!("carries unknown data `{d}`; left out"));
                }
                found
            })
            .collect();
        fields.list("data", data);
        let mut description = described(&name, text(f, "description").as_deref());
        if let Some(note) = text(f, "note") {
            description.push_str(&format!(" ({note})"));
        }
        fields.str("description", description);
        let notes = leftovers(&at, f, &[], &mut warn);
        draft.flows.push(Entry {
            origin: format!("from dataflow {name:?}"),
            notes,
            fields,
        });
    }
    Ok(draft)
}

/// A list section of objects; anything else there is an error.
fn list<'a>(
    src: &Source,
    root: &'a Map<String, Value>,
    key: &str,
) -> Result<Vec<&'a Map<String, Value>>, ImportError> {
    match root.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_object().ok_or_else(|| {
                    src.error(
                        src.line_of(&format!("\"{key}\"")),
                        None,
                        format!("`{key}[{i}]` is not a JSON object"),
                    )
                })
            })
            .collect(),
        Some(_) => Err(src.error(
            src.line_of(&format!("\"{key}\"")),
            None,
            format!("`{key}` is not a list"),
        )),
    }
}

/// The attributes of an element that no mapping read, as comments and one warning.
fn leftovers(
    at: &str,
    object: &Map<String, Value>,
    also: &[&str],
    warn: &mut impl FnMut(String, String),
) -> Vec<String> {
    let consumed: HashSet<&str> = CONSUMED.iter().chain(also).copied().collect();
    let lost: Vec<(&String, &Value)> = object
        .iter()
        .filter(|(k, v)| !consumed.contains(k.as_str()) && has_value(v))
        .collect();
    if !lost.is_empty() {
        let keys: Vec<&str> = lost.iter().map(|(k, _)| k.as_str()).collect();
        warn(
            at.to_owned(),
            format!(
                "{} has no place in Gambit; kept as a comment",
                keys.join(", ")
            ),
        );
    }
    lost.into_iter()
        .map(|(k, v)| format!("pytm {k}: {}", flat(v)))
        .collect()
}

fn has_value(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(_) => true,
    }
}

fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        // pytm writes an element reference as the element's name, or as an object with one.
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

fn strings(object: &Map<String, Value>, key: &str) -> Vec<String> {
    match object.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_owned),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn flat(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn classification(c: &str) -> Option<&'static str> {
    let c = c.rsplit('.').next().unwrap_or(c).to_ascii_uppercase();
    Some(match c.as_str() {
        "PUBLIC" => "public",
        "RESTRICTED" => "internal",
        "SENSITIVE" => "confidential",
        "SECRET" | "TOP_SECRET" => "restricted",
        _ => return None,
    })
}

fn component_kind(class: &str, e: &Map<String, Value>) -> &'static str {
    match class {
        "Datastore" => {
            let kind = text(e, "type").unwrap_or_default().to_ascii_uppercase();
            if kind.contains("S3") {
                "object-store"
            } else if kind.contains("FILE") {
                "file-share"
            } else if kind.contains("LDAP") {
                "identity-provider"
            } else if e.get("storesLogData").and_then(Value::as_bool) == Some(true) {
                "logging"
            } else {
                "database"
            }
        }
        "Lambda" => "function",
        "Server" => "web-app",
        _ => "service",
    }
}

fn described(name: &str, description: Option<&str>) -> String {
    match description
        .map(str::trim)
        .filter(|d| !d.is_empty() && *d != name)
    {
        Some(d) => format!("{name}: {d}"),
        None => name.to_owned(),
    }
}
