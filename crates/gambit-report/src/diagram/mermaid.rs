//! Mermaid `flowchart LR`: one `subgraph` per zone (nested), shapes per kind, labelled
//! links, and classes for public, highlighted and out-of-scope elements. Mermaid ids are
//! the element ids made safe (`c_` components, `a_` actors, `z_` zones, so no id can be
//! a keyword such as `end`), with a numeric suffix should two ids sanitize alike.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

use gambit_model::Model;

use super::dot::{PUBLIC, RED, join_steps, trust_colors};
use super::{DiagramOptions, Node, Scene, Shape};
use crate::escape;

/// The diagram as Mermaid text.
pub fn render(model: &Model, options: &DiagramOptions) -> Result<String, String> {
    Ok(write(&Scene::build(model, options)?))
}

struct Ids {
    nodes: Vec<String>,
    zones: Vec<String>,
}

fn safe_ids(scene: &Scene) -> Ids {
    let mut used: HashSet<String> = HashSet::new();
    let mut make = |prefix: &str, id: &str| {
        let base: String = format!("{prefix}_{id}")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let mut candidate = base.clone();
        let mut n = 2;
        while !used.insert(candidate.clone()) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        candidate
    };
    let zones = scene.zones.iter().map(|z| make("z", &z.id)).collect();
    let nodes = scene
        .nodes
        .iter()
        .map(|n| make(if n.is_actor { "a" } else { "c" }, &n.id))
        .collect();
    Ids { nodes, zones }
}

pub fn write(scene: &Scene) -> String {
    let ids = safe_ids(scene);
    let mut out = String::from("flowchart LR\n");
    let _ = writeln!(out, "  %% {}", scene.title.replace(['\n', '\r'], " "));
    for &root in &scene.roots {
        write_zone(&mut out, scene, &ids, root, 1);
    }
    let mut link_styles: Vec<String> = Vec::new();
    for (i, edge) in scene.edges.iter().enumerate() {
        let mut label = super::dot::transport(edge);
        let data = edge.data_text(3);
        if !data.is_empty() {
            label.push('\n');
            label.push_str(&data);
        }
        if !edge.steps.is_empty() {
            label.push_str(&format!("\nstep {}", join_steps(&edge.steps)));
        }
        let arrow = if edge.encrypted { "-->" } else { "-.->" };
        let _ = writeln!(
            out,
            "  {} {arrow}|\"{}\"| {}",
            ids.nodes[edge.from],
            escape::mermaid(&label),
            ids.nodes[edge.to]
        );
        if edge.highlighted {
            link_styles.push(format!(
                "  linkStyle {i} stroke:{RED},stroke-width:3px,color:{RED}"
            ));
        }
    }
    out.push_str(&link_styles.join("\n"));
    if !link_styles.is_empty() {
        out.push('\n');
    }
    write_classes(&mut out, scene, &ids);
    out
}

fn write_zone(out: &mut String, scene: &Scene, ids: &Ids, zone: usize, depth: usize) {
    let z = &scene.zones[zone];
    let pad = "  ".repeat(depth);
    let title = format!("{} ({})", z.title(), z.badge());
    let _ = writeln!(
        out,
        "{pad}subgraph {}[\"{}\"]",
        ids.zones[zone],
        escape::mermaid(&title)
    );
    let _ = writeln!(out, "{pad}  direction LR");
    for &child in &z.children {
        write_zone(out, scene, ids, child, depth + 1);
    }
    for &n in &z.nodes {
        let _ = writeln!(out, "{pad}  {}", node_decl(&scene.nodes[n], &ids.nodes[n]));
    }
    let _ = writeln!(out, "{pad}end");
}

fn node_decl(node: &Node, id: &str) -> String {
    let mut label = format!("{}\n({})", node.id, node.kind);
    if node.public {
        label.push_str("\npublic");
    }
    if !node.steps.is_empty() {
        label.push_str(&format!("\nstep {}", join_steps(&node.steps)));
    }
    let text = format!("\"{}\"", escape::mermaid(&label));
    let (open, close) = match node.shape {
        Shape::Actor => ("([", "])"),
        Shape::Process => ("(", ")"),
        Shape::Datastore => ("[(", ")]"),
        Shape::Queue => ("[/", "/]"),
        Shape::Gateway => ("{{", "}}"),
        Shape::Ai => ("[\\", "/]"),
        Shape::Pipeline => ("[[", "]]"),
        Shape::Host => ("[", "]"),
        Shape::Client => ("[/", "\\]"),
        Shape::Telemetry => (">", "]"),
    };
    format!("{id}{open}{text}{close}")
}

fn write_classes(out: &mut String, scene: &Scene, ids: &Ids) {
    out.push_str(&format!(
        "  classDef public stroke:{PUBLIC},stroke-width:3px\n"
    ));
    out.push_str("  classDef actor fill:#f1f3f5,stroke:#495057\n");
    out.push_str("  classDef faded stroke-dasharray:4 3,opacity:0.6\n");
    out.push_str(&format!(
        "  classDef hl stroke:{RED},stroke-width:4px,color:{RED}\n"
    ));
    let mut members: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (node, id) in scene.nodes.iter().zip(&ids.nodes) {
        if node.is_actor {
            members.entry("actor").or_default().push(id);
        }
        if node.public {
            members.entry("public").or_default().push(id);
        }
        if node.out_of_scope || node.neighbour {
            members.entry("faded").or_default().push(id);
        }
        if node.highlighted {
            members.entry("hl").or_default().push(id);
        }
    }
    for (class, list) in members {
        let _ = writeln!(out, "  class {} {class}", list.join(","));
    }
    for (zone, id) in scene.zones.iter().zip(&ids.zones) {
        let (fill, stroke) = trust_colors(zone.trust);
        let dash = if zone.isolated {
            ",stroke-dasharray:6 4"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  style {id} fill:{fill},stroke:{stroke},color:{stroke}{dash}"
        );
    }
}
