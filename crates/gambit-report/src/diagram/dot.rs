//! Graphviz DOT: one `cluster_` subgraph per zone (nested as the zones are), one node per
//! component or actor with a shape per kind, one edge per flow labelled with protocol,
//! encryption and data.

use std::fmt::Write;

use gambit_model::Model;
use gambit_model::vocab::Trust;

use super::{DiagramOptions, Edge, Node, Scene, Shape};
use crate::escape;

pub(crate) const RED: &str = "#e03131";
pub(crate) const PUBLIC: &str = "#e8590c";

/// The diagram as DOT text.
pub fn render(model: &Model, options: &DiagramOptions) -> Result<String, String> {
    Ok(write(&Scene::build(model, options)?))
}

pub fn write(scene: &Scene) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", escape::dot(&scene.title));
    out.push_str("  graph [rankdir=LR, compound=true, newrank=true, nodesep=0.4, ranksep=0.9, fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("  node [fontname=\"Helvetica\", fontsize=10, style=\"filled\", fillcolor=\"#ffffff\", color=\"#495057\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#495057\"];\n");
    let _ = writeln!(out, "  label={}; labelloc=t;", escape::dot(&scene.title));
    for &root in &scene.roots {
        write_zone(&mut out, scene, root, 1);
    }
    for edge in &scene.edges {
        write_edge(&mut out, scene, edge);
    }
    out.push_str("}\n");
    out
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

pub(crate) fn trust_colors(trust: Trust) -> (&'static str, &'static str) {
    match trust {
        Trust::Untrusted => ("#fff5f5", "#c92a2a"),
        Trust::Partner => ("#fff9db", "#e67700"),
        Trust::Internal => ("#f1f6ff", "#1c5fb4"),
        Trust::Restricted => ("#ebfbee", "#2b8a3e"),
    }
}

fn write_zone(out: &mut String, scene: &Scene, zone: usize, depth: usize) {
    let z = &scene.zones[zone];
    let pad = indent(depth);
    let (fill, stroke) = trust_colors(z.trust);
    let style = if z.isolated {
        "rounded,filled,dashed"
    } else {
        "rounded,filled"
    };
    let _ = writeln!(
        out,
        "{pad}subgraph {} {{",
        escape::dot(&format!("cluster_{}", z.id))
    );
    let label = format!("{}\n({})", z.title(), z.badge());
    let _ = writeln!(
        out,
        "{pad}  label={}; style={}; fillcolor=\"{fill}\"; color=\"{stroke}\"; fontcolor=\"{stroke}\";",
        escape::dot(&label),
        escape::dot(style)
    );
    for &child in &z.children {
        write_zone(out, scene, child, depth + 1);
    }
    for &n in &z.nodes {
        write_node(out, &scene.nodes[n], depth + 1);
    }
    let _ = writeln!(out, "{pad}}}");
}

fn dot_shape(shape: Shape) -> &'static str {
    match shape {
        Shape::Actor => "ellipse",
        Shape::Process => "box",
        Shape::Datastore => "cylinder",
        Shape::Queue => "cds",
        Shape::Gateway => "hexagon",
        Shape::Ai => "octagon",
        Shape::Pipeline => "component",
        Shape::Host => "box3d",
        Shape::Client => "tab",
        Shape::Telemetry => "note",
    }
}

fn write_node(out: &mut String, node: &Node, depth: usize) {
    let mut label = format!("{}\n({})", node.id, node.kind);
    if node.public {
        label.push_str("\npublic");
    }
    if !node.steps.is_empty() {
        label.push_str(&format!("\nstep {}", join_steps(&node.steps)));
    }
    let mut styles = vec!["filled"];
    if node.shape == Shape::Process {
        styles.push("rounded");
    }
    if node.out_of_scope || node.neighbour {
        styles.push("dashed");
    }
    let mut attrs = vec![
        format!("label={}", escape::dot(&label)),
        format!("shape={}", dot_shape(node.shape)),
        format!("style={}", escape::dot(&styles.join(","))),
        format!("tooltip={}", escape::dot(&node.detail)),
    ];
    if node.is_actor {
        attrs.push("fillcolor=\"#f1f3f5\"".to_owned());
    }
    if node.highlighted {
        attrs.push(format!("color=\"{RED}\", fontcolor=\"{RED}\", penwidth=3"));
    } else if node.public {
        attrs.push(format!("color=\"{PUBLIC}\", penwidth=2.5"));
    }
    let _ = writeln!(
        out,
        "{}{} [{}];",
        indent(depth),
        escape::dot(&node.id),
        attrs.join(", ")
    );
}

pub(crate) fn join_steps(steps: &[usize]) -> String {
    steps
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// "https 🔒" or "postgres (plaintext)".
pub(crate) fn transport(edge: &Edge) -> String {
    if edge.encrypted {
        format!("{} 🔒", edge.protocol_text())
    } else {
        format!("{} (plaintext)", edge.protocol_text())
    }
}

fn write_edge(out: &mut String, scene: &Scene, edge: &Edge) {
    let mut label = transport(edge);
    let data = edge.data_text(3);
    if !data.is_empty() {
        label.push('\n');
        label.push_str(&data);
    }
    if !edge.steps.is_empty() {
        label.push_str(&format!("\nstep {}", join_steps(&edge.steps)));
    }
    let mut attrs = vec![
        format!("label={}", escape::dot(&label)),
        format!(
            "tooltip={}",
            escape::dot(&format!(
                "{} (authentication: {})",
                edge.id, edge.authentication
            ))
        ),
    ];
    if !edge.encrypted {
        attrs.push("style=dashed".to_owned());
    }
    if edge.highlighted {
        attrs.push(format!(
            "color=\"{RED}\", fontcolor=\"{RED}\", penwidth=2.5"
        ));
    }
    let _ = writeln!(
        out,
        "  {} -> {} [{}];",
        escape::dot(&scene.nodes[edge.from].id),
        escape::dot(&scene.nodes[edge.to].id),
        attrs.join(", ")
    );
}
