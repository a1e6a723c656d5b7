//! Threagile's YAML model (`threagile_version: 1.0.0`) to a Gambit model.
//!
//! Data assets become assets, technical assets components (external entities become
//! actors), trust boundaries zones, communication links flows; shared runtimes become a
//! `runtime:<id>` tag on their components; tracked and individually identified risks become
//! recorded threats (see [`crate::recorded`]). The mapping table is in docs/import.md.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::Value;

use crate::draft::{Draft, Element, Entry, Fields};
use crate::ids::{FlowIds, Ids};
use crate::parse::{Source, Text};
use crate::recorded::{On, Recorded, Recorder, impact_of_severity, stride};
use crate::{ImportError, Warning};

#[derive(Deserialize, Default)]
#[serde(default)]
struct Model {
    threagile_version: Option<Text>,
    title: Option<String>,
    date: Option<Text>,
    author: Option<Value>,
    business_criticality: Option<String>,
    management_summary_comment: Option<String>,
    business_overview: Option<Value>,
    technical_overview: Option<Value>,
    questions: BTreeMap<String, Value>,
    abuse_cases: BTreeMap<String, Value>,
    security_requirements: BTreeMap<String, Value>,
    tags_available: Vec<Text>,
    data_assets: BTreeMap<String, Value>,
    technical_assets: BTreeMap<String, Value>,
    trust_boundaries: BTreeMap<String, Value>,
    shared_runtimes: BTreeMap<String, Value>,
    #[serde(alias = "custom_risk_categories")]
    individual_risk_categories: BTreeMap<String, Value>,
    risk_tracking: BTreeMap<String, Value>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DataAsset {
    id: Text,
    description: Option<String>,
    usage: Option<String>,
    tags: Vec<Text>,
    origin: Option<String>,
    owner: Option<String>,
    quantity: Option<String>,
    confidentiality: Option<String>,
    integrity: Option<String>,
    availability: Option<String>,
    justification_cia_rating: Option<String>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TechnicalAsset {
    id: Text,
    description: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    usage: Option<String>,
    used_as_client_by_human: bool,
    out_of_scope: bool,
    justification_out_of_scope: Option<String>,
    size: Option<String>,
    technology: Option<String>,
    technologies: Vec<String>,
    tags: Vec<Text>,
    internet: bool,
    machine: Option<String>,
    encryption: Option<String>,
    owner: Option<String>,
    confidentiality: Option<String>,
    integrity: Option<String>,
    availability: Option<String>,
    justification_cia_rating: Option<String>,
    multi_tenant: bool,
    redundant: bool,
    custom_developed_parts: bool,
    data_assets_processed: Vec<Text>,
    data_assets_stored: Vec<Text>,
    data_formats_accepted: Vec<String>,
    communication_links: BTreeMap<String, Value>,
    diagram_tweak_order: Option<Value>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Link {
    target: Text,
    description: Option<String>,
    protocol: Option<String>,
    authentication: Option<String>,
    authorization: Option<String>,
    tags: Vec<Text>,
    vpn: bool,
    ip_filtered: bool,
    readonly: bool,
    usage: Option<String>,
    data_assets_sent: Vec<Text>,
    data_assets_received: Vec<Text>,
    diagram_tweak_weight: Option<Value>,
    diagram_tweak_constraint: Option<Value>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TrustBoundary {
    id: Text,
    description: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    tags: Vec<Text>,
    technical_assets_inside: Vec<Text>,
    trust_boundaries_nested: Vec<Text>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SharedRuntime {
    id: Text,
    description: Option<String>,
    tags: Vec<Text>,
    technical_assets_running: Vec<Text>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RiskCategory {
    id: Text,
    description: Option<String>,
    mitigation: Option<String>,
    stride: Option<String>,
    cwe: Option<Text>,
    risks_identified: BTreeMap<String, Value>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct IdentifiedRisk {
    severity: Option<String>,
    exploitation_likelihood: Option<String>,
    exploitation_impact: Option<String>,
    most_relevant_technical_asset: Option<Text>,
    most_relevant_communication_link: Option<Text>,
    most_relevant_data_asset: Option<Text>,
    most_relevant_trust_boundary: Option<Text>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tracking {
    status: Option<String>,
    justification: Option<String>,
    ticket: Option<Text>,
    date: Option<Text>,
    checked_by: Option<String>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

/// What an importer knows about the elements already placed.
struct Placed {
    /// Threagile id → Gambit id, and whether it became an actor.
    technical: HashMap<String, (String, On)>,
    data: HashMap<String, String>,
    /// Threagile link id (`source>title` slug as Threagile computes it) → Gambit flow id.
    links: HashMap<String, String>,
}

pub(crate) fn import(src: &Source, warnings: &mut Vec<Warning>) -> Result<Draft, ImportError> {
    let value = src.yaml()?;
    if !value.is_object() {
        return Err(src.error(
            Some(1),
            Some(1),
            "not a Threagile model: the document is not a mapping".to_owned(),
        ));
    }
    let model: Model = src.part(value, "the model", "")?;
    let mut warn = |at: String, message: String| warnings.push(Warning { at, message });
    let mut draft = Draft {
        name: model.title.clone(),
        ..Draft::default()
    };
    draft.header.push(format!(
        "Threagile model version {}{}.",
        model.threagile_version.as_ref().map_or("?", Text::as_str),
        model
            .date
            .as_ref()
            .map_or(String::new(), |d| format!(", dated {}", d.0))
    ));
    model_level_notes(&model, &mut draft, &mut warn);

    let mut ids = Ids::new();
    let mut placed = Placed {
        technical: HashMap::new(),
        data: HashMap::new(),
        links: HashMap::new(),
    };

    for (title, value) in &model.data_assets {
        let at = format!("data_assets.{title:?}");
        let asset: DataAsset = src.part(value.clone(), &at, title)?;
        let wanted = if asset.id.0.is_empty() {
            title.as_str()
        } else {
            asset.id.as_str()
        };
        let id = ids.allocate(wanted);
        if placed.data.contains_key(asset.id.as_str()) {
            warn(
                at.clone(),
                format!(
                    "a second data asset with id `{}`; references go to the first",
                    asset.id.0
                ),
            );
        } else {
            placed.data.insert(asset.id.0.clone(), id.clone());
        }
        draft
            .assets
            .push(data_asset(&at, title, id, &asset, &mut warn));
    }

    // Technical assets are read once up front: zones and flows refer to them.
    let mut technical = Vec::new();
    for (title, value) in &model.technical_assets {
        let at = format!("technical_assets.{title:?}");
        let asset: TechnicalAsset = src.part(value.clone(), &at, title)?;
        let wanted = if asset.id.0.is_empty() {
            title.as_str()
        } else {
            asset.id.as_str()
        };
        let id = ids.allocate(wanted);
        let on = if asset.kind.as_deref() == Some("external-entity") {
            On::Actor
        } else {
            On::Component
        };
        if placed.technical.contains_key(asset.id.as_str()) {
            warn(
                at.clone(),
                format!(
                    "a second technical asset with id `{}`; references go to the first",
                    asset.id.0
                ),
            );
        } else {
            placed
                .technical
                .insert(asset.id.0.clone(), (id.clone(), on));
        }
        technical.push((title, at, asset, id, on));
    }

    // Zones, and each technical asset's innermost boundary.
    let mut boundaries = Vec::new();
    for (title, value) in &model.trust_boundaries {
        let at = format!("trust_boundaries.{title:?}");
        let boundary: TrustBoundary = src.part(value.clone(), &at, title)?;
        let wanted = if boundary.id.0.is_empty() {
            title.as_str()
        } else {
            boundary.id.as_str()
        };
        let id = ids.allocate(wanted);
        boundaries.push((title, at, id, boundary));
    }
    let zone_of_boundary: HashMap<&str, &str> = boundaries
        .iter()
        .map(|(_, _, id, b)| (b.id.as_str(), id.as_str()))
        .collect();
    let mut parent: HashMap<String, String> = HashMap::new();
    for (_, at, id, boundary) in &boundaries {
        for nested in &boundary.trust_boundaries_nested {
            match zone_of_boundary.get(nested.as_str()) {
                Some(child) if parent.contains_key(*child) => warn(
                    at.clone(),
                    format!(
                        "trust boundary `{}` is nested in two boundaries; a Gambit zone has one parent, kept the first",
                        nested.0
                    ),
                ),
                Some(child) => {
                    parent.insert((*child).to_owned(), id.clone());
                }
                None => warn(
                    at.clone(),
                    format!("nests unknown trust boundary `{}`; left out", nested.0),
                ),
            }
        }
    }
    let mut zone_of_asset: HashMap<&str, (&str, usize)> = HashMap::new();
    for (_, at, id, boundary) in &boundaries {
        let depth = zone_depth(id, &parent);
        for inside in &boundary.technical_assets_inside {
            if !placed.technical.contains_key(inside.as_str()) {
                warn(
                    at.clone(),
                    format!("contains unknown technical asset `{}`; left out", inside.0),
                );
                continue;
            }
            // The innermost boundary wins; two unrelated boundaries cannot both hold it.
            match zone_of_asset.get(inside.as_str()) {
                Some(&(_, d)) if d >= depth => warn(
                    at.clone(),
                    format!(
                        "technical asset `{}` is also inside another boundary; a component sits in one zone, kept the innermost (first)",
                        inside.0
                    ),
                ),
                _ => {
                    zone_of_asset.insert(inside.as_str(), (id.as_str(), depth));
                }
            }
        }
    }
    for (title, at, id, boundary) in &boundaries {
        draft.zones.push(trust_boundary(
            at,
            title,
            id.clone(),
            boundary,
            parent.get(id),
            &mut warn,
        ));
    }

    // Shared runtimes: a tag on each component they run.
    let mut runtime_tags: HashMap<&str, Vec<String>> = HashMap::new();
    for (title, value) in &model.shared_runtimes {
        let at = format!("shared_runtimes.{title:?}");
        let runtime: SharedRuntime = src.part(value.clone(), &at, title)?;
        let tag = format!(
            "runtime:{}",
            crate::ids::slug(if runtime.id.0.is_empty() {
                title
            } else {
                runtime.id.as_str()
            })
        );
        for name in &runtime.technical_assets_running {
            if let Some((key, _)) = placed.technical.get_key_value(name.as_str()) {
                runtime_tags
                    .entry(key.as_str())
                    .or_default()
                    .push(tag.clone());
            } else {
                warn(
                    at.clone(),
                    format!("runs unknown technical asset `{}`; left out", name.0),
                );
            }
        }
        warn(
            at.clone(),
            format!(
                "a shared runtime has no place in Gambit (a component sits in one zone); its components are tagged `{tag}`{}",
                runtime
                    .description
                    .as_deref()
                    .map_or(String::new(), |d| format!(" (\"{}\")", d.trim()))
            ),
        );
        ignored_keys(&at, &runtime.other, &mut warn);
    }

    let mut flow_ids = FlowIds::default();
    for (title, at, asset, id, on) in &technical {
        let (id, on) = (id.clone(), *on);
        let zone = zone_of_asset.get(asset.id.as_str()).map(|(z, _)| *z);
        let tags = runtime_tags.remove(asset.id.as_str()).unwrap_or_default();
        let element = technical_asset(
            at,
            title,
            id.clone(),
            on,
            asset,
            zone,
            tags,
            &placed,
            &mut warn,
        );
        match on {
            On::Actor => draft.actors.push(element),
            _ => draft.components.push(element),
        }
        for (link_title, value) in &asset.communication_links {
            let link_at = format!("{at}.communication_links.{link_title:?}");
            let link: Link = src.part(value.clone(), &link_at, link_title)?;
            let Some((to, _)) = placed.technical.get(link.target.as_str()) else {
                warn(
                    link_at,
                    format!(
                        "targets unknown technical asset `{}`; left out",
                        link.target.0
                    ),
                );
                continue;
            };
            let flow_id = flow_ids.allocate(&id, to, link_title);
            let threagile_link_id = format!("{}>{}", asset.id.0, crate::ids::slug(link_title));
            placed.links.insert(
                threagile_link_id,
                flow_id.clone().unwrap_or_else(|| format!("{id}->{to}")),
            );
            draft.flows.push(communication_link(
                &link_at, link_title, &id, to, flow_id, &link, &placed, &mut warn,
            ));
        }
    }

    let mut recorder = Recorder::new("threagile");
    for (title, value) in &model.individual_risk_categories {
        let at = format!("individual_risk_categories.{title:?}");
        let category: RiskCategory = src.part(value.clone(), &at, title)?;
        ignored_keys(&at, &category.other, &mut warn);
        individual_risks(
            &at,
            title,
            &category,
            &placed,
            &mut recorder,
            &mut warn,
            src,
        )?;
    }
    for (risk_id, value) in &model.risk_tracking {
        let at = format!("risk_tracking.{risk_id:?}");
        let tracking: Tracking = src.part(value.clone(), &at, risk_id)?;
        tracked_risk(
            &at,
            risk_id,
            &tracking,
            &placed,
            &mut recorder,
            &mut warn,
            &mut draft.trailer,
        );
    }
    (draft.rules, draft.risks) = recorder.finish();
    Ok(draft)
}

fn model_level_notes(model: &Model, draft: &mut Draft, warn: &mut impl FnMut(String, String)) {
    let mut description = Vec::new();
    if let Some(overview) = model
        .business_overview
        .as_ref()
        .and_then(|o| o.get("description"))
        .and_then(Value::as_str)
    {
        description.push(overview.trim().to_owned());
    }
    if let Some(overview) = model
        .technical_overview
        .as_ref()
        .and_then(|o| o.get("description"))
        .and_then(Value::as_str)
    {
        description.push(overview.trim().to_owned());
    }
    if !description.is_empty() {
        draft.description = Some(description.join("\n\n"));
    }
    if let Some(author) = &model.author {
        draft.header.push(format!("Author: {}", flat(author)));
    }
    if let Some(c) = &model.business_criticality {
        draft.header.push(format!("Business criticality: {c}"));
        warn(
            "business_criticality".into(),
            "has no place in Gambit (asset ratings carry the value); kept as a comment".into(),
        );
    }
    if let Some(c) = &model.management_summary_comment {
        draft.header.push(format!("Management summary: {c}"));
    }
    for (section, entries) in [
        ("Question", &model.questions),
        ("Abuse case", &model.abuse_cases),
        ("Security requirement", &model.security_requirements),
    ] {
        for (name, answer) in entries {
            draft
                .header
                .push(format!("{section}: {name}: {}", flat(answer)));
        }
        if !entries.is_empty() {
            warn(
                format!("{}s", section.to_ascii_lowercase().replace(' ', "_")),
                format!(
                    "{} {}(s) have no place in Gambit; kept as comments",
                    entries.len(),
                    section.to_ascii_lowercase()
                ),
            );
        }
    }
    ignored_keys("the model", &model.other, warn);
}

fn data_asset(
    at: &str,
    title: &str,
    id: String,
    asset: &DataAsset,
    warn: &mut impl FnMut(String, String),
) -> Element {
    let mut fields = Fields::default();
    if let Some(c) = asset.confidentiality.as_deref() {
        match classification(c) {
            Some(value) => {
                fields.str("classification", value);
            }
            None => warn(
                at.into(),
                format!("unknown confidentiality `{c}`; left at Gambit's default"),
            ),
        }
    }
    for (key, value) in [
        ("integrity", &asset.integrity),
        ("availability", &asset.availability),
    ] {
        if let Some(c) = value.as_deref() {
            match criticality(c) {
                Some(v) => {
                    fields.str(key, v);
                }
                None => warn(
                    at.into(),
                    format!("unknown {key} `{c}`; left at Gambit's default"),
                ),
            }
        }
    }
    fields
        .list("tags", asset.tags.iter().map(|t| t.0.clone()).collect())
        .opt_str("owner", asset.owner.as_deref())
        .opt_str(
            "description",
            Some(&described(title, asset.description.as_deref())),
        );
    let mut notes = Vec::new();
    for (what, value) in [
        ("quantity", &asset.quantity),
        ("origin", &asset.origin),
        ("usage", &asset.usage),
        ("CIA justification", &asset.justification_cia_rating),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            notes.push(format!("threagile {what}: {}", v.trim()));
        }
    }
    if !notes.is_empty() {
        warn(
            at.into(),
            format!(
                "{} has no place in Gambit; kept as a comment",
                lost_list(&notes)
            ),
        );
    }
    ignored_keys(at, &asset.other, warn);
    Element {
        id,
        origin: format!("from data asset {title:?}"),
        notes,
        fields,
    }
}

fn trust_boundary(
    at: &str,
    title: &str,
    id: String,
    boundary: &TrustBoundary,
    parent: Option<&String>,
    warn: &mut impl FnMut(String, String),
) -> Element {
    let kind = boundary.kind.as_deref().unwrap_or("network-on-prem");
    let (gambit_kind, isolated) = match kind {
        "network-on-prem" | "network-dedicated-hoster" => ("network", false),
        "network-virtual-lan" => ("subnet", false),
        "network-cloud-provider" => ("vpc", false),
        "network-cloud-security-group" => ("security-group", false),
        "network-policy-namespace-isolation" => ("namespace", true),
        "execution-environment" => ("environment", false),
        other => {
            warn(
                at.into(),
                format!("unknown trust boundary type `{other}`; imported as a network zone"),
            );
            ("network", false)
        }
    };
    let mut fields = Fields::default();
    fields.str("kind", gambit_kind);
    if let Some(p) = parent {
        fields.str("parent", p.as_str());
    }
    fields
        .flag("isolated", isolated)
        .list("tags", boundary.tags.iter().map(|t| t.0.clone()).collect())
        .opt_str(
            "description",
            Some(&described(title, boundary.description.as_deref())),
        );
    ignored_keys(at, &boundary.other, warn);
    Element {
        id,
        origin: format!("from trust boundary {title:?} (type {kind})"),
        notes: Vec::new(),
        fields,
    }
}

#[allow(clippy::too_many_arguments)]
fn technical_asset(
    at: &str,
    title: &str,
    id: String,
    on: On,
    asset: &TechnicalAsset,
    zone: Option<&str>,
    runtime_tags: Vec<String>,
    placed: &Placed,
    warn: &mut impl FnMut(String, String),
) -> Element {
    let technology = asset
        .technologies
        .first()
        .map(String::as_str)
        .or(asset.technology.as_deref())
        .unwrap_or("unknown-technology");
    let mut fields = Fields::default();
    let mut notes = Vec::new();
    let data = |list: &[Text], warn: &mut dyn FnMut(String, String)| -> Vec<String> {
        list.iter()
            .filter_map(|d| {
                let found = placed.data.get(d.as_str()).cloned();
                if found.is_none() {
                    warn(
                        at.into(),
                        format!("refers to unknown data asset `{}`; left out", d.0),
                    );
                }
                found
            })
            .collect()
    };
    let mut tags: Vec<String> = asset.tags.iter().map(|t| t.0.clone()).collect();
    tags.extend(runtime_tags);
    // Accepted data formats drive Threagile's injection rules; as tags, custom rules
    // can use them (`"accepts:xml" in component.tags`).
    tags.extend(
        asset
            .data_formats_accepted
            .iter()
            .map(|f| format!("accepts:{f}")),
    );
    if on == On::Actor {
        fields
            .str(
                "kind",
                if asset.used_as_client_by_human {
                    "user"
                } else {
                    "external-system"
                },
            )
            .str(
                "zone",
                if asset.internet {
                    "internet"
                } else {
                    zone.unwrap_or("internal")
                },
            );
        let processed = data(&asset.data_assets_processed, warn);
        let stored = data(&asset.data_assets_stored, warn);
        if !processed.is_empty() || !stored.is_empty() {
            notes.push(format!(
                "threagile: this external entity processes [{}] and stores [{}]; actors carry data only on their flows",
                processed.join(", "),
                stored.join(", ")
            ));
        }
        notes.push(format!("threagile technology: {technology}"));
    } else {
        fields.str("kind", component_kind(technology, asset.kind.as_deref()));
        if let Some(z) = zone {
            fields.str("zone", z);
        }
        fields
            .flag("public", asset.internet)
            .list("stores", data(&asset.data_assets_stored, warn))
            .list("processes", data(&asset.data_assets_processed, warn));
        let encryption = asset.encryption.as_deref().unwrap_or("none");
        if encryption != "none" {
            fields.bool("encrypted_at_rest", true);
            if encryption != "transparent" {
                notes.push(format!("threagile encryption: {encryption}"));
            }
        }
    }
    fields.list("tags", tags);
    if on == On::Component {
        fields.opt_str("owner", asset.owner.as_deref());
    } else if let Some(owner) = asset.owner.as_deref().filter(|o| !o.trim().is_empty()) {
        notes.push(format!("threagile owner: {}", owner.trim()));
    }
    fields.flag("out_of_scope", asset.out_of_scope);
    let mut description = described(title, asset.description.as_deref());
    if let Some(why) = asset
        .justification_out_of_scope
        .as_deref()
        .filter(|j| !j.trim().is_empty())
    {
        let stop = if description.ends_with('.') { "" } else { "." };
        description.push_str(&format!("{stop} Out of scope: {}", why.trim()));
    }
    fields.str("description", description);

    for (what, value) in [
        ("size", asset.size.clone()),
        ("machine", asset.machine.clone()),
        ("usage", asset.usage.clone()),
        ("confidentiality", asset.confidentiality.clone()),
        ("integrity", asset.integrity.clone()),
        ("availability", asset.availability.clone()),
        (
            "multi-tenant",
            asset.multi_tenant.then(|| "true".to_owned()),
        ),
        ("redundant", asset.redundant.then(|| "true".to_owned())),
        (
            "custom-developed parts",
            asset.custom_developed_parts.then(|| "true".to_owned()),
        ),
        (
            "used as client by a human",
            (on == On::Component && asset.used_as_client_by_human).then(|| "true".to_owned()),
        ),
    ] {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            notes.push(format!("threagile {what}: {}", v.trim()));
        }
    }
    if asset.technologies.len() > 1 {
        notes.push(format!(
            "threagile technologies: {}",
            asset.technologies.join(", ")
        ));
    }
    let lost: Vec<String> = notes
        .iter()
        .filter(|n| !n.starts_with("threagile technology"))
        .cloned()
        .collect();
    if !lost.is_empty() {
        warn(
            at.into(),
            format!(
                "{} has no place in Gambit; kept as a comment",
                lost_list(&lost)
            ),
        );
    }
    ignored_keys(at, &asset.other, warn);
    let kind_word = if on == On::Actor {
        "technical asset (external entity)"
    } else {
        "technical asset"
    };
    Element {
        id,
        origin: format!("from {kind_word} {title:?} (technology {technology})"),
        notes,
        fields,
    }
}

#[allow(clippy::too_many_arguments)]
fn communication_link(
    at: &str,
    title: &str,
    from: &str,
    to: &str,
    id: Option<String>,
    link: &Link,
    placed: &Placed,
    warn: &mut impl FnMut(String, String),
) -> Entry {
    let mut fields = Fields::default();
    if let Some(id) = id {
        fields.str("id", id);
    }
    fields.str("from", from).str("to", to);
    let protocol = link.protocol.as_deref().unwrap_or("unknown-protocol");
    let (gambit_protocol, encrypted) = protocol_of(protocol);
    if let Some(p) = gambit_protocol {
        fields.str("protocol", p);
    }
    // Say it outright: Threagile knows, and Gambit's defaults differ for some protocols.
    fields.bool("encrypted", encrypted || link.vpn);
    let authentication = link.authentication.as_deref().unwrap_or("none");
    match authentication_of(authentication) {
        Some(a) => {
            fields.str("authentication", a);
            if authentication == "two-factor" {
                warn(
                    at.into(),
                    "two-factor authentication is imported as `password`: in Gambit, MFA is `mfa: true` on the actor or identity".into(),
                );
            }
        }
        None => warn(
            at.into(),
            format!("unknown authentication `{authentication}`; left unsaid"),
        ),
    }
    if let Some(a) = link.authorization.as_deref() {
        match a {
            "none" => fields.str("authorization", "none"),
            "technical-user" => fields.str("authorization", "role"),
            "end-user-identity-propagation" => fields.str("authorization", "user"),
            other => {
                warn(
                    at.into(),
                    format!("unknown authorization `{other}`; left unsaid"),
                );
                &mut fields
            }
        };
    }
    let assets = |list: &[Text]| -> Vec<String> {
        list.iter()
            .filter_map(|d| placed.data.get(d.as_str()).cloned())
            .collect()
    };
    for d in link
        .data_assets_sent
        .iter()
        .chain(&link.data_assets_received)
    {
        if !placed.data.contains_key(d.as_str()) {
            warn(
                at.into(),
                format!("refers to unknown data asset `{}`; left out", d.0),
            );
        }
    }
    fields
        .list("data", assets(&link.data_assets_sent))
        .list("returns", assets(&link.data_assets_received))
        .list("tags", link.tags.iter().map(|t| t.0.clone()).collect())
        .opt_str(
            "description",
            Some(&described(title, link.description.as_deref())),
        );
    let mut notes = Vec::new();
    if link.vpn {
        notes.push("threagile: over a VPN (so marked encrypted)".to_owned());
    }
    if link.ip_filtered {
        notes.push("threagile: IP-filtered".to_owned());
    }
    if link.readonly {
        notes.push("threagile: read-only".to_owned());
    }
    if gambit_protocol.is_none() || gambit_protocol != Some(protocol) {
        notes.push(format!("threagile protocol: {protocol}"));
    }
    if let Some(u) = link.usage.as_deref().filter(|u| *u != "business") {
        notes.push(format!("threagile usage: {u}"));
    }
    let lost: Vec<String> = notes
        .iter()
        .filter(|n| n.contains("IP-filtered") || n.contains("read-only") || n.contains("usage"))
        .cloned()
        .collect();
    if !lost.is_empty() {
        warn(
            at.into(),
            format!(
                "{} has no place in Gambit; kept as a comment",
                lost_list(&lost)
            ),
        );
    }
    ignored_keys(at, &link.other, warn);
    Entry {
        origin: format!("from communication link {title:?}"),
        notes,
        fields,
    }
}

fn individual_risks(
    at: &str,
    title: &str,
    category: &RiskCategory,
    placed: &Placed,
    recorder: &mut Recorder,
    warn: &mut impl FnMut(String, String),
    src: &Source,
) -> Result<(), ImportError> {
    for (risk_title, value) in &category.risks_identified {
        let risk_at = format!("{at}.risks_identified.{risk_title:?}");
        let risk: IdentifiedRisk = src.part(value.clone(), &risk_at, risk_title)?;
        let target = risk
            .most_relevant_technical_asset
            .as_ref()
            .and_then(|t| placed.technical.get(t.as_str()).cloned())
            .or_else(|| {
                risk.most_relevant_communication_link
                    .as_ref()
                    .and_then(|l| placed.links.get(l.as_str()).map(|f| (f.clone(), On::Flow)))
            });
        let Some((target, on)) = target else {
            warn(
                risk_at,
                "names no technical asset or communication link of the model; left out".into(),
            );
            continue;
        };
        recorder.record(
            on,
            &target,
            Recorded {
                key: Some(category.id.0.clone()).filter(|k| !k.is_empty()),
                title: title.to_owned(),
                description: category.description.clone(),
                stride: category
                    .stride
                    .as_deref()
                    .and_then(stride)
                    .into_iter()
                    .collect(),
                likelihood: risk.exploitation_likelihood.as_deref().and_then(likelihood),
                impact: risk
                    .exploitation_impact
                    .as_deref()
                    .and_then(impact_of_severity)
                    .or_else(|| risk.severity.as_deref().and_then(impact_of_severity)),
                mitigation: category.mitigation.clone(),
                cwe: category
                    .cwe
                    .iter()
                    .map(|c| format!("CWE-{}", c.0))
                    .collect(),
                status: "open",
                origin: format!(
                    "from individual risk {:?} ({})",
                    strip_tags(risk_title),
                    category.id.0
                ),
                ..Recorded::default()
            },
        );
        ignored_keys(&risk_at, &risk.other, warn);
    }
    Ok(())
}

fn tracked_risk(
    at: &str,
    risk_id: &str,
    tracking: &Tracking,
    placed: &Placed,
    recorder: &mut Recorder,
    warn: &mut impl FnMut(String, String),
    trailer: &mut Vec<String>,
) {
    let mut parts = risk_id.split('@');
    let category = parts.next().unwrap_or_default();
    // The decision is attached to the first element the id names; wildcards name none.
    let target = parts.find_map(|p| {
        placed
            .technical
            .get(p)
            .cloned()
            .or_else(|| placed.links.get(p).map(|f| (f.clone(), On::Flow)))
    });
    let status = tracking.status.as_deref().unwrap_or("unchecked");
    let gambit_status = match status {
        "unchecked" | "in-discussion" => "open",
        "accepted" => "accepted",
        "in-progress" => "in-progress",
        "mitigated" => "mitigated",
        "false-positive" => "false-positive",
        other => {
            warn(
                at.into(),
                format!("unknown status `{other}`; imported as open"),
            );
            "open"
        }
    };
    let Some((target, on)) = target else {
        warn(
            at.into(),
            format!(
                "the decision ({status}) names no element of the model (only wildcards); Gambit decisions name one threat, so it is kept as a comment"
            ),
        );
        trailer.push(format!(
            "Threagile risk decision {risk_id}: {status}{}{}{}",
            tracking
                .justification
                .as_deref()
                .map_or(String::new(), |j| format!("; {}", j.trim())),
            tracking
                .ticket
                .as_ref()
                .map_or(String::new(), |t| format!("; ticket {}", t.0)),
            tracking
                .date
                .as_ref()
                .map_or(String::new(), |d| format!("; {}", d.0)),
        ));
        return;
    };
    let mut extra = Vec::new();
    if let Some(d) = &tracking.date {
        extra.push(("x-checked-on", d.0.clone()));
    }
    if let Some(by) = &tracking.checked_by {
        extra.push(("x-checked-by", by.clone()));
    }
    if status == "in-discussion" {
        extra.push(("x-threagile-status", status.to_owned()));
    }
    recorder.record(
        on,
        &target,
        Recorded {
            title: category.to_owned(),
            description: Some(format!(
                "Threagile risk category `{category}`, recorded in the model's risk tracking."
            )),
            status: gambit_status,
            justification: tracking.justification.clone(),
            ticket: tracking.ticket.as_ref().map(|t| t.0.clone()),
            extra,
            origin: format!("from risk tracking {risk_id}"),
            ..Recorded::default()
        },
    );
    ignored_keys(at, &tracking.other, warn);
}

fn zone_depth(id: &str, parent: &HashMap<String, String>) -> usize {
    let mut depth = 0;
    let mut at = id;
    while let Some(p) = parent.get(at) {
        depth += 1;
        at = p;
        if depth > parent.len() {
            break; // a cycle; the model loader reports it
        }
    }
    depth
}

fn classification(c: &str) -> Option<&'static str> {
    Some(match c {
        "public" => "public",
        "internal" => "internal",
        "restricted" | "confidential" => "confidential",
        "strictly-confidential" => "restricted",
        _ => return None,
    })
}

fn criticality(c: &str) -> Option<&'static str> {
    Some(match c {
        "archive" => "low",
        "operational" => "medium",
        "important" | "critical" => "high",
        "mission-critical" => "critical",
        _ => return None,
    })
}

fn likelihood(l: &str) -> Option<&'static str> {
    Some(match l {
        "unlikely" => "unlikely",
        "likely" => "likely",
        "very-likely" => "very-likely",
        "frequent" => "frequent",
        _ => return None,
    })
}

fn component_kind(technology: &str, kind: Option<&str>) -> &'static str {
    match technology {
        "browser" => "browser",
        "desktop" | "client-system" | "devops-client" => "desktop-app",
        "mobile-app" => "mobile-app",
        "web-server" | "web-application" | "cms" | "application-server" => "web-app",
        "web-service-rest" | "web-service-soap" | "ejb" => "api",
        "database" | "identity-store-database" => "database",
        "file-server" | "local-file-system" | "block-storage" => "file-share",
        "search-index" | "search-engine" => "search-index",
        "reverse-proxy" => "reverse-proxy",
        "load-balancer" => "load-balancer",
        "gateway" => "api-gateway",
        "waf" => "waf",
        "build-pipeline" => "ci-cd",
        "sourcecode-repository" => "repository",
        "artifact-registry" => "artifact-registry",
        "monitoring" | "ids" | "ips" | "code-inspection-platform" => "monitoring",
        "identity-provider" | "ldap-server" | "identity-store-ldap" => "identity-provider",
        "container-platform" => "k8s-cluster",
        "message-queue" | "stream-processing" => "queue",
        "function" => "function",
        "vault" | "hsm" => "secret-store",
        "iot-device" => "iot-device",
        "ai" => "llm",
        "data-lake" => "object-store",
        "mainframe" => "vm",
        "batch-processing" | "event-listener" | "task" | "scheduler" | "report-engine" => "worker",
        _ if kind == Some("datastore") => "database",
        _ => "service",
    }
}

/// Threagile protocol → (Gambit protocol, encrypted).
fn protocol_of(protocol: &str) -> (Option<&'static str>, bool) {
    let (p, encrypted): (&'static str, bool) = match protocol {
        "http" => ("http", false),
        "https" => ("https", true),
        "ws" => ("ws", false),
        "wss" => ("wss", true),
        "reverse-proxy-web-protocol" => ("http", false),
        "reverse-proxy-web-protocol-encrypted" => ("https", true),
        "mqtt" => ("mqtt", false),
        "jdbc" => ("jdbc", false),
        "jdbc-encrypted" => ("jdbc", true),
        "odbc" => ("odbc", false),
        "odbc-encrypted" => ("odbc", true),
        "sql-access-protocol" => ("sql", false),
        "sql-access-protocol-encrypted" => ("sql", true),
        "nosql-access-protocol" => ("nosql", false),
        "nosql-access-protocol-encrypted" => ("nosql", true),
        "binary" => ("tcp", false),
        "binary-encrypted" => ("tls", true),
        "text" => ("tcp", false),
        "text-encrypted" => ("tls", true),
        "ssh" | "ssh-tunnel" => ("ssh", true),
        "smtp" => ("smtp", false),
        "smtp-encrypted" => ("smtps", true),
        "pop3" => ("pop3", false),
        "pop3-encrypted" => ("pop3s", true),
        "imap" => ("imap", false),
        "imap-encrypted" => ("imaps", true),
        "ftp" => ("ftp", false),
        "ftps" => ("ftps", true),
        "sftp" | "scp" => ("sftp", true),
        "ldap" => ("ldap", false),
        "ldaps" => ("ldaps", true),
        "jms" => ("jms", false),
        "nfs" => ("nfs", false),
        "smb" => ("smb", false),
        "smb-encrypted" => ("smb", true),
        "local-file-access" => ("file", false),
        "nrpe" => ("nrpe", false),
        "xmpp" => ("xmpp", false),
        "iiop" => ("iiop", false),
        "iiop-encrypted" => ("iiop", true),
        "jrmp" => ("jrmp", false),
        "jrmp-encrypted" => ("jrmp", true),
        "in-process-library-call" => ("in-process", false),
        "container-spawning" => ("container-spawning", false),
        _ => return (None, false),
    };
    (Some(p), encrypted)
}

fn authentication_of(a: &str) -> Option<&'static str> {
    Some(match a {
        "none" => "none",
        "credentials" => "password",
        "session-id" => "session",
        "token" => "token",
        "client-certificate" => "mtls",
        "two-factor" => "password",
        "externalized" => "token",
        _ => return None,
    })
}

/// `Title: description`, or the title alone, so the original name survives the slug.
fn described(title: &str, description: Option<&str>) -> String {
    match description
        .map(str::trim)
        .filter(|d| !d.is_empty() && *d != title)
    {
        Some(d) => format!("{title}: {d}"),
        None => title.to_owned(),
    }
}

fn lost_list(notes: &[String]) -> String {
    notes
        .iter()
        .map(|n| {
            n.trim_start_matches("threagile ")
                .split(':')
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn ignored_keys(at: &str, other: &BTreeMap<String, Value>, warn: &mut impl FnMut(String, String)) {
    // Diagram tweaks only steer Threagile's drawing.
    for key in other.keys().filter(|k| !k.starts_with("diagram_tweak")) {
        warn(at.to_owned(), format!("unknown key `{key}`; ignored"));
    }
}

fn flat(value: &Value) -> String {
    match value {
        Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    }
}

fn strip_tags(text: &str) -> String {
    text.replace("<b>", "").replace("</b>", "")
}
