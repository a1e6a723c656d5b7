//! OWASP Threat Dragon v2 JSON to a Gambit model.
//!
//! Processes and stores become components, actors actors, boundary boxes zones (an
//! element belongs to the smallest box its centre lies in), flows flows; the threats
//! recorded on any of them become recorded threats with their status and mitigation (see
//! [`crate::recorded`]). The mapping table is in docs/import.md.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use crate::draft::{Draft, Element, Entry, Fields, Val};
use crate::ids::{FlowIds, Ids};
use crate::parse::{Source, Text, nullable};
use crate::recorded::{On, Recorded, Recorder, impact_of_severity, stride};
use crate::{ImportError, Warning};

#[derive(Deserialize)]
struct Model {
    #[serde(default)]
    version: Option<Text>,
    #[serde(default, deserialize_with = "nullable")]
    summary: Summary,
    detail: Detail,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Summary {
    title: Option<String>,
    owner: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Detail {
    #[serde(deserialize_with = "nullable")]
    contributors: Vec<Value>,
    reviewer: Option<String>,
    #[serde(deserialize_with = "nullable")]
    diagrams: Vec<Diagram>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Diagram {
    title: Option<String>,
    #[serde(rename = "diagramType")]
    diagram_type: Option<String>,
    #[serde(deserialize_with = "nullable")]
    cells: Vec<Cell>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Cell {
    id: Text,
    shape: Option<String>,
    position: Option<Point>,
    size: Option<Size>,
    source: Option<End>,
    target: Option<End>,
    #[serde(deserialize_with = "nullable")]
    data: Data,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(default)]
struct Point {
    x: f64,
    y: f64,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(default)]
struct Size {
    width: f64,
    height: f64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct End {
    cell: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Data {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    description: Option<String>,
    out_of_scope: bool,
    reason_out_of_scope: Option<String>,
    // processes
    privilege_level: Option<String>,
    handles_card_payment: bool,
    handles_goods_or_services: bool,
    is_web_application: bool,
    // stores
    #[serde(rename = "isALog")]
    is_a_log: bool,
    is_encrypted: bool,
    is_signed: bool,
    stores_credentials: bool,
    stores_inventory: bool,
    // actors
    provides_authentication: bool,
    // flows
    is_bidirectional: bool,
    is_public_network: bool,
    protocol: Option<String>,
    #[serde(deserialize_with = "nullable")]
    threats: Vec<Threat>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Threat {
    title: Option<String>,
    status: Option<String>,
    severity: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    description: Option<String>,
    mitigation: Option<String>,
    score: Option<Text>,
}

/// A placed node: its Gambit id and kind.
struct Node {
    id: String,
    on: On,
}

pub(crate) fn import(src: &Source, warnings: &mut Vec<Warning>) -> Result<Draft, ImportError> {
    let model: Model = src.json()?;
    let mut warn = |at: String, message: String| warnings.push(Warning { at, message });
    let mut draft = Draft {
        name: model.summary.title.clone().filter(|t| !t.trim().is_empty()),
        description: model
            .summary
            .description
            .clone()
            .filter(|d| !d.trim().is_empty()),
        ..Draft::default()
    };
    draft.header.push(format!(
        "Threat Dragon model version {}.",
        model.version.as_ref().map_or("?", Text::as_str)
    ));
    if let Some(owner) = model
        .summary
        .owner
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        draft.header.push(format!("Owner: {owner}"));
    }
    if let Some(reviewer) = model
        .detail
        .reviewer
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        draft.header.push(format!("Reviewer: {reviewer}"));
    }
    for contributor in &model.detail.contributors {
        let name = contributor
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| contributor.to_string(), str::to_owned);
        draft.header.push(format!("Contributor: {name}"));
    }

    let mut ids = Ids::new();
    let mut flow_ids = FlowIds::default();
    let mut recorder = Recorder::new("td");
    for (d, diagram) in model.detail.diagrams.iter().enumerate() {
        let diagram_at = format!("diagrams[{d}]");
        draft.header.push(format!(
            "Diagram {d}: {} ({})",
            diagram.title.as_deref().unwrap_or("untitled"),
            diagram.diagram_type.as_deref().unwrap_or("no type")
        ));
        import_diagram(
            &diagram_at,
            diagram,
            &mut ids,
            &mut flow_ids,
            &mut recorder,
            &mut draft,
            &mut warn,
        );
    }
    (draft.rules, draft.risks) = recorder.finish();
    Ok(draft)
}

fn import_diagram(
    at: &str,
    diagram: &Diagram,
    ids: &mut Ids,
    flow_ids: &mut FlowIds,
    recorder: &mut Recorder,
    draft: &mut Draft,
    warn: &mut impl FnMut(String, String),
) {
    // Boundary boxes first: nodes are placed in them by geometry.
    let mut boxes: Vec<(String, Point, Size)> = Vec::new();
    for (i, cell) in diagram.cells.iter().enumerate() {
        let cell_at = format!("{at}.cells[{i}]");
        if cell.data.kind.as_deref() == Some("tm.BoundaryBox") {
            let name = cell
                .data
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| format!("boundary {}", boxes.len() + 1));
            let id = ids.allocate(&name);
            let mut fields = Fields::default();
            fields.str("kind", "network").opt_str(
                "description",
                Some(&described(&name, cell.data.description.as_deref())),
            );
            draft.zones.push(Element {
                id: id.clone(),
                origin: format!(
                    "from trust boundary box {name:?} ({cell_at}, cell {})",
                    cell.id.0
                ),
                notes: Vec::new(),
                fields,
            });
            if let (Some(p), Some(s)) = (cell.position, cell.size) {
                boxes.push((id, p, s));
            } else {
                warn(
                    cell_at,
                    "a boundary box without position or size contains nothing".into(),
                );
            }
        }
    }
    let zone_of = |centre: Option<Point>| -> Option<String> {
        let c = centre?;
        boxes
            .iter()
            .filter(|(_, p, s)| {
                c.x >= p.x && c.x <= p.x + s.width && c.y >= p.y && c.y <= p.y + s.height
            })
            .min_by(|a, b| (a.2.width * a.2.height).total_cmp(&(b.2.width * b.2.height)))
            .map(|(id, _, _)| id.clone())
    };
    // Nested boxes: a box inside another is its child.
    let parents: Vec<(String, String)> = boxes
        .iter()
        .filter_map(|(id, p, s)| {
            boxes
                .iter()
                .filter(|(other, q, t)| {
                    other != id
                        && q.x <= p.x
                        && q.y <= p.y
                        && q.x + t.width >= p.x + s.width
                        && q.y + t.height >= p.y + s.height
                        && t.width * t.height > s.width * s.height
                })
                .min_by(|a, b| (a.2.width * a.2.height).total_cmp(&(b.2.width * b.2.height)))
                .map(|(parent, _, _)| (id.clone(), parent.clone()))
        })
        .collect();
    for (child, parent) in parents {
        if let Some(zone) = draft.zones.iter_mut().find(|z| z.id == child) {
            zone.fields.0.insert(1, ("parent", Val::Str(parent)));
        }
    }

    let mut nodes: HashMap<&str, Node> = HashMap::new();
    for (i, cell) in diagram.cells.iter().enumerate() {
        let cell_at = format!("{at}.cells[{i}]");
        let data = &cell.data;
        let on = match data.kind.as_deref() {
            Some("tm.Actor") => On::Actor,
            Some("tm.Process" | "tm.Store") => On::Component,
            Some("tm.Boundary") => {
                warn(cell_at, "a trust boundary line does not say which side each element is on; left out (draw a boundary box to make a zone)".into());
                continue;
            }
            Some("tm.Text") => {
                draft.header.push(format!(
                    "Note: {}",
                    data.name.as_deref().unwrap_or_default()
                ));
                continue;
            }
            _ => continue,
        };
        let name = data
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| {
                match data.kind.as_deref() {
                    Some("tm.Actor") => "actor",
                    Some("tm.Store") => "store",
                    _ => "process",
                }
                .to_owned()
            });
        let id = ids.allocate(&name);
        let centre = match (cell.position, cell.size) {
            (Some(p), Some(s)) => Some(Point {
                x: p.x + s.width / 2.0,
                y: p.y + s.height / 2.0,
            }),
            (Some(p), None) => Some(p),
            _ => None,
        };
        let mut element = node(&cell_at, &name, id.clone(), on, cell, zone_of(centre), warn);
        if data.out_of_scope && !data.threats.is_empty() {
            // No rule raises a threat on an element out of scope, so a decision there
            // would be stale: the threats are kept as comments.
            element.notes.extend(data.threats.iter().map(threat_note));
            warn(
                cell_at.clone(),
                format!(
                    "{} threat(s) recorded on an element out of scope; kept as comments",
                    data.threats.len()
                ),
            );
        } else {
            record_threats(&cell_at, &name, on, &id, &data.threats, recorder);
        }
        match on {
            On::Actor => draft.actors.push(element),
            _ => draft.components.push(element),
        }
        nodes.insert(cell.id.as_str(), Node { id, on });
    }

    for (i, cell) in diagram.cells.iter().enumerate() {
        if cell.data.kind.as_deref() != Some("tm.Flow") {
            continue;
        }
        let cell_at = format!("{at}.cells[{i}]");
        let data = &cell.data;
        let name = data.name.clone().unwrap_or_default();
        let end = |e: &Option<End>| {
            e.as_ref()
                .and_then(|e| e.cell.as_ref())
                .and_then(|c| nodes.get(c.as_str()))
        };
        let (Some(from), Some(to)) = (end(&cell.source), end(&cell.target)) else {
            warn(
                cell_at,
                format!("flow {name:?} is not connected to an element at both ends; left out"),
            );
            continue;
        };
        let flow_id = flow_ids.allocate(&from.id, &to.id, &name);
        let target_id = flow_id
            .clone()
            .unwrap_or_else(|| format!("{}->{}", from.id, to.id));
        let mut fields = Fields::default();
        if let Some(id) = flow_id {
            fields.str("id", id);
        }
        fields
            .str("from", from.id.as_str())
            .str("to", to.id.as_str());
        let mut notes = Vec::new();
        if let Some(p) = data.protocol.as_deref().filter(|p| !p.trim().is_empty()) {
            let protocol = protocol_of(p);
            fields.str("protocol", protocol.as_str());
            if protocol != p {
                notes.push(format!("threat dragon protocol: {p}"));
            }
        }
        fields.bool("encrypted", data.is_encrypted);
        fields.opt_str(
            "description",
            Some(described(&name, data.description.as_deref()).as_str()),
        );
        if data.is_public_network {
            notes.push("threat dragon: over a public network".into());
            // A flow over a public network makes its receiving component reachable from
            // the internet.
            let receiver = draft
                .components
                .iter_mut()
                .find(|c| to.on == On::Component && c.id == to.id);
            if let Some(c) = receiver.filter(|c| c.fields.get("public").is_none()) {
                let at = c
                    .fields
                    .0
                    .iter()
                    .position(|(k, _)| *k == "zone")
                    .map_or(1, |p| p + 1);
                c.fields.0.insert(at, ("public", Val::Bool(true)));
            }
        }
        if data.is_bidirectional {
            notes.push(
                "threat dragon: bidirectional (Gambit flows carry replies in `returns`)".into(),
            );
        }
        if data.out_of_scope {
            notes.push(format!("threat dragon: out of scope{}", reason(data)));
            warn(
                cell_at.clone(),
                "a flow has no out_of_scope in Gambit; kept as a comment".into(),
            );
        }
        record_threats(
            &cell_at,
            &name,
            On::Flow,
            &target_id,
            &data.threats,
            recorder,
        );
        draft.flows.push(Entry {
            origin: format!("from flow {name:?} ({cell_at})"),
            notes,
            fields,
        });
    }
}

fn node(
    at: &str,
    name: &str,
    id: String,
    on: On,
    cell: &Cell,
    zone: Option<String>,
    warn: &mut impl FnMut(String, String),
) -> Element {
    let data = &cell.data;
    let mut fields = Fields::default();
    let mut notes = Vec::new();
    let mut tags = Vec::new();
    let store = data.kind.as_deref() == Some("tm.Store");
    if on == On::Actor {
        fields.str("kind", "user");
        if let Some(z) = &zone {
            fields.str("zone", z.as_str());
        }
        if data.provides_authentication {
            notes.push("threat dragon: provides authentication".into());
            warn(
                at.into(),
                "`provides authentication` has no place on a Gambit actor; kept as a comment"
                    .into(),
            );
        }
    } else {
        let is_log = data.is_a_log;
        let kind = match (store, is_log, data.is_web_application) {
            (true, true, _) => "logging",
            (true, false, _) => "database",
            (false, _, true) => "web-app",
            (false, _, false) => "service",
        };
        fields.str("kind", kind);
        if let Some(z) = &zone {
            fields.str("zone", z.as_str());
        }
        fields.flag("encrypted_at_rest", store && data.is_encrypted);
        for (flag, tag) in [
            (data.handles_card_payment, "card-payment"),
            (data.handles_goods_or_services, "goods-or-services"),
            (data.stores_credentials, "stores-credentials"),
            (data.stores_inventory, "inventory"),
            (data.is_signed, "signed"),
        ] {
            if flag {
                tags.push(tag.to_owned());
            }
        }
        if !tags.is_empty() {
            warn(
                at.into(),
                format!(
                    "{} has no place of its own in Gambit (no data assets in Threat Dragon); kept as tags",
                    tags.join(", ")
                ),
            );
        }
        if let Some(level) = data
            .privilege_level
            .as_deref()
            .filter(|l| !l.trim().is_empty())
        {
            notes.push(format!("threat dragon privilege level: {level}"));
            warn(at.into(), "the privilege level has no place in Gambit (identities and grants say what a component may do); kept as a comment".into());
        }
    }
    fields
        .list("tags", tags)
        .flag("out_of_scope", data.out_of_scope);
    let mut description = described(name, data.description.as_deref());
    if data.out_of_scope {
        description.push_str(&format!(". Out of scope{}", reason(data)));
    }
    fields.str("description", description);
    let shape = data
        .kind
        .as_deref()
        .unwrap_or_default()
        .trim_start_matches("tm.")
        .to_ascii_lowercase();
    Element {
        id,
        origin: format!("from {shape} {name:?} ({at}, cell {})", cell.id.0),
        notes,
        fields,
    }
}

fn threat_note(threat: &Threat) -> String {
    format!(
        "threat dragon threat: {} ({}, {}){}",
        threat.title.as_deref().unwrap_or("untitled"),
        threat.status.as_deref().unwrap_or("no status"),
        threat.severity.as_deref().unwrap_or("no severity"),
        threat
            .mitigation
            .as_deref()
            .filter(|m| !m.trim().is_empty())
            .map_or(String::new(), |m| format!("; mitigation: {}", m.trim()))
    )
}

fn record_threats(
    at: &str,
    name: &str,
    on: On,
    target: &str,
    threats: &[Threat],
    recorder: &mut Recorder,
) {
    for (i, threat) in threats.iter().enumerate() {
        let title = threat
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "untitled threat".to_owned());
        let status = match threat
            .status
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("mitigated") => "mitigated",
            Some("notapplicable" | "not applicable" | "n/a") => "false-positive",
            _ => "open",
        };
        let mitigation = threat.mitigation.clone().filter(|m| !m.trim().is_empty());
        let mut extra = Vec::new();
        if let Some(score) = threat.score.as_ref().filter(|s| !s.0.trim().is_empty()) {
            extra.push(("x-score", score.0.clone()));
        }
        if let Some(s) = threat
            .severity
            .as_deref()
            .filter(|s| impact_of_severity(s).is_none() && !s.trim().is_empty())
        {
            extra.push(("x-severity", s.to_owned()));
        }
        recorder.record(
            on,
            target,
            Recorded {
                title,
                description: threat.description.clone().filter(|d| !d.trim().is_empty()),
                stride: threat
                    .kind
                    .as_deref()
                    .and_then(stride)
                    .into_iter()
                    .collect(),
                impact: threat.severity.as_deref().and_then(impact_of_severity),
                justification: if status == "open" {
                    None
                } else {
                    mitigation.clone()
                },
                mitigation,
                status,
                extra,
                origin: format!("from threat {i} on {name:?} ({at})"),
                ..Recorded::default()
            },
        );
    }
}

/// Threat Dragon's free-text protocol as a Gambit protocol name (`HTTP/S` → `https`).
fn protocol_of(p: &str) -> String {
    let lower = p.trim().to_ascii_lowercase();
    match lower.as_str() {
        "http/s" | "http(s)" | "https/tls" => "https".to_owned(),
        _ => crate::ids::slug(&lower),
    }
}

fn reason(data: &Data) -> String {
    data.reason_out_of_scope
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .map_or(String::new(), |r| format!(": {}", r.trim()))
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
