//! SVG rendered in-process from [`super::layout`]: zones as nested rounded boxes tinted
//! by trust, nodes shaped by kind, flows as arrows with labels (a lock for encrypted
//! transport, "plaintext" and a dashed line otherwise), public components ringed in
//! orange, and a highlighted attack path in red with numbered steps.
//!
//! The markup is meant to be scripted: every node is a `<g class="node ...">` with
//! `data-id`, every flow a `<g class="flow ...">` with `data-id`, `data-from`, `data-to`,
//! so the HTML report can highlight any path by toggling the `hl` class.

use std::fmt::Write;

use gambit_model::Model;

use super::dot::{PUBLIC, RED, join_steps, trust_colors};
use super::layout::{self, Layout, Rect, num};
use super::{DiagramOptions, Scene, Shape};
use crate::escape::xml;

/// The diagram as a standalone SVG document.
pub fn render(model: &Model, options: &DiagramOptions) -> Result<String, String> {
    Ok(write(&Scene::build(model, options)?))
}

const STYLE: &str = r##"
.gambit-diagram { font-family: "DejaVu Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; }
.gambit-diagram .title { font-size: 15px; font-weight: 600; fill: #212529; }
.gambit-diagram .zone-title { font-size: 11px; font-weight: 600; }
.gambit-diagram .zone-badge { font-size: 9.5px; font-style: italic; }
.gambit-diagram .node .shape { fill: #ffffff; stroke: #495057; stroke-width: 1.3; }
.gambit-diagram .node.actor .shape { fill: #f1f3f5; }
.gambit-diagram .node.public .shape { stroke: #e8590c; stroke-width: 2.6; }
.gambit-diagram .node.faded { opacity: 0.55; }
.gambit-diagram .node.faded .shape { stroke-dasharray: 4 3; }
.gambit-diagram .node-id { font-size: 12px; font-weight: 600; fill: #212529; }
.gambit-diagram .node-kind { font-size: 10px; fill: #6c757d; }
.gambit-diagram .public-badge rect { fill: #e8590c; }
.gambit-diagram .public-badge text { font-size: 8.5px; fill: #ffffff; font-weight: 600; }
.gambit-diagram .flow-line { fill: none; stroke: #5c677d; stroke-width: 1.4; }
.gambit-diagram .flow.plaintext .flow-line { stroke-dasharray: 6 4; }
.gambit-diagram .flow-label rect { fill: #ffffff; fill-opacity: 0.92; stroke: #dee2e6; }
.gambit-diagram .flow-label text { font-size: 9.5px; fill: #343a40; }
.gambit-diagram .flow.plaintext .transport { fill: #c92a2a; font-weight: 600; }
.gambit-diagram .lock { fill: #2b8a3e; }
.gambit-diagram .legend text { font-size: 10px; fill: #495057; }
.gambit-diagram .step-badge circle, .gambit-diagram .step-badge rect { fill: #e03131; }
.gambit-diagram .step-badge text { font-size: 10px; font-weight: 700; fill: #ffffff; }
.gambit-diagram.has-hl .node:not(.hl), .gambit-diagram.has-hl .flow:not(.hl) { opacity: 0.35; }
.gambit-diagram .node.hl .shape { stroke: #e03131; stroke-width: 3.2; }
.gambit-diagram .node.hl .node-id { fill: #e03131; }
.gambit-diagram .flow.hl .flow-line { stroke: #e03131; stroke-width: 2.8; }
.gambit-diagram .flow.hl .flow-label rect { stroke: #e03131; }
"##;

pub fn write(scene: &Scene) -> String {
    write_laid_out(scene, &layout::layout(scene))
}

/// The SVG of `scene` placed by `lay` (a layout of that scene, e.g.
/// [`layout::layout_for_screen`]).
pub fn write_laid_out(scene: &Scene, lay: &Layout) -> String {
    let mut out = String::new();
    let class = if scene.has_highlight {
        "gambit-diagram has-hl"
    } else {
        "gambit-diagram"
    };
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="{class}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">"##,
        w = num(lay.width),
        h = num(lay.height),
        label = xml(&format!("Data-flow diagram of {}", scene.title)),
    );
    let _ = writeln!(
        out,
        "<title>{}</title>",
        xml(&format!("{}: data flows", scene.title))
    );
    let _ = writeln!(out, "<style>{STYLE}</style>");
    out.push_str("<defs>\n");
    for (id, color) in [("gambit-arrow", "#5c677d"), ("gambit-arrow-hl", RED)] {
        let _ = writeln!(
            out,
            r##"<marker id="{id}" viewBox="0 0 10 10" refX="9.5" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0 0L10 5L0 10z" fill="{color}"/></marker>"##
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
        num(lay.width),
        num(lay.height)
    );
    let _ = writeln!(
        out,
        r##"<text class="title" x="{}" y="{}">{}</text>"##,
        num(layout::MARGIN),
        num(layout::MARGIN + 12.0),
        xml(&scene.title)
    );
    write_zones(&mut out, scene, lay);
    write_flows(&mut out, scene, lay);
    write_nodes(&mut out, scene, lay);
    write_legend(&mut out, lay);
    out.push_str("</svg>\n");
    out
}

fn write_zones(out: &mut String, scene: &Scene, lay: &Layout) {
    out.push_str("<g class=\"zones\">\n");
    // Outer boxes first so inner ones paint over them.
    let mut order: Vec<usize> = (0..scene.zones.len()).collect();
    order.sort_by_key(|&z| (scene.zone_path(z).len(), z));
    for z in order {
        let zone = &scene.zones[z];
        let r = lay.zones[z];
        let (fill, stroke) = trust_colors(zone.trust);
        let dash = if zone.isolated {
            r##" stroke-dasharray="7 4""##
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r##"<g class="zone trust-{trust}" data-id="{id}"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="10" fill="{fill}" fill-opacity="0.75" stroke="{stroke}" stroke-width="1.4"{dash}/><text class="zone-title" x="{tx}" y="{ty}" fill="{stroke}">{title}</text><text class="zone-badge" x="{bx}" y="{ty}" text-anchor="end" fill="{stroke}">{badge}</text></g>"##,
            trust = zone.trust_name(),
            id = xml(&zone.id),
            x = num(r.x),
            y = num(r.y),
            w = num(r.w),
            h = num(r.h),
            tx = num(r.x + 10.0),
            ty = num(r.y + 17.0),
            bx = num(r.x + r.w - 10.0),
            title = xml(&layout::cut(
                &zone.title(),
                ((r.w - 30.0 - zone.badge().chars().count() as f64 * 5.6) / 6.8).max(8.0) as usize
            )),
            badge = xml(&zone.badge()),
        );
    }
    out.push_str("</g>\n");
}

fn write_flows(out: &mut String, scene: &Scene, lay: &Layout) {
    out.push_str("<g class=\"flows\">\n");
    for (edge, geom) in scene.edges.iter().zip(&lay.edges) {
        let mut classes = vec!["flow"];
        classes.push(if edge.encrypted {
            "encrypted"
        } else {
            "plaintext"
        });
        if edge.highlighted {
            classes.push("hl");
        }
        let marker = if edge.highlighted {
            "gambit-arrow-hl"
        } else {
            "gambit-arrow"
        };
        let _ = writeln!(
            out,
            r##"<g class="{}" data-id="{}" data-from="{}" data-to="{}"><title>{}</title><path class="flow-line" d="{}" marker-end="url(#{marker})"/>"##,
            classes.join(" "),
            xml(&edge.id),
            xml(&scene.nodes[edge.from].id),
            xml(&scene.nodes[edge.to].id),
            xml(&format!(
                "{}: {} ({}, authentication {}){}",
                edge.id,
                edge.protocol_text(),
                if edge.encrypted {
                    "encrypted"
                } else {
                    "plaintext"
                },
                edge.authentication,
                if edge.data_text(usize::MAX).is_empty() {
                    String::new()
                } else {
                    format!("; carries {}", edge.data_text(usize::MAX))
                }
            )),
            geom.path,
        );
        if let Some(label) = geom.label {
            write_flow_label(out, edge.encrypted, label, &geom.lines);
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

fn write_flow_label(out: &mut String, encrypted: bool, r: Rect, lines: &[String]) {
    let _ = write!(
        out,
        r##"<g class="flow-label"><rect x="{}" y="{}" width="{}" height="{}" rx="3"/>"##,
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h)
    );
    let lock_w = if encrypted { 11.0 } else { 0.0 };
    for (i, line) in lines.iter().enumerate() {
        let y = r.y + 3.0 + layout::LABEL_LINE * (i as f64 + 1.0) - 2.5;
        let cx = r.x + r.w / 2.0 + if i == 0 { lock_w / 2.0 } else { 0.0 };
        let class = if i == 0 { "transport" } else { "data" };
        if i == 0 && encrypted {
            let text_w = line.chars().count() as f64 * layout::SMALL_CHAR;
            write_lock(out, cx - text_w / 2.0 - 11.0, y - 8.0);
        }
        let _ = write!(
            out,
            r##"<text class="{class}" x="{}" y="{}" text-anchor="middle">{}</text>"##,
            num(cx),
            num(y),
            xml(line)
        );
    }
    out.push_str("</g>");
}

/// A small padlock (a body and a shackle), drawn with paths so no emoji font is needed.
fn write_lock(out: &mut String, x: f64, y: f64) {
    let _ = write!(
        out,
        r##"<path class="lock" d="M{x0} {y0}h8v5.5h-8z M{sx} {y0}v-2a2.2 2.2 0 0 1 4.4 0v2h-1.2v-2a1 1 0 0 0-2 0v2z"><title>encrypted</title></path>"##,
        x0 = num(x),
        y0 = num(y + 3.5),
        sx = num(x + 1.8),
    );
}

fn shape_markup(shape: Shape, r: Rect) -> String {
    let (x, y, w, h) = (r.x, r.y, r.w, r.h);
    let p = |pts: &[(f64, f64)]| {
        pts.iter()
            .map(|(a, b)| format!("{},{}", num(*a), num(*b)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match shape {
        Shape::Actor => rect(r, h / 2.0),
        Shape::Process => rect(r, 9.0),
        Shape::Datastore => {
            let e = 7.0;
            format!(
                r##"<path class="shape" d="M{x0} {y1}a{rx} {e} 0 0 1 {w} 0v{body}a{rx} {e} 0 0 1 -{w} 0z M{x0} {y1}a{rx} {e} 0 0 0 {w} 0"/>"##,
                x0 = num(x),
                y1 = num(y + e),
                rx = num(w / 2.0),
                w = num(w),
                body = num(h - 2.0 * e),
            )
        }
        Shape::Queue => format!(
            r##"{}<path class="shape" d="M{a} {y0}v{h}M{b} {y0}v{h}" fill="none"/>"##,
            rect(r, 3.0),
            a = num(x + 8.0),
            b = num(x + 13.0),
            y0 = num(y),
            h = num(h),
        ),
        Shape::Gateway => format!(
            r##"<polygon class="shape" points="{}"/>"##,
            p(&[
                (x + 12.0, y),
                (x + w - 12.0, y),
                (x + w, y + h / 2.0),
                (x + w - 12.0, y + h),
                (x + 12.0, y + h),
                (x, y + h / 2.0)
            ])
        ),
        Shape::Ai => {
            let c = 12.0;
            format!(
                r##"<polygon class="shape" points="{}"/>"##,
                p(&[
                    (x + c, y),
                    (x + w - c, y),
                    (x + w, y + c),
                    (x + w, y + h - c),
                    (x + w - c, y + h),
                    (x + c, y + h),
                    (x, y + h - c),
                    (x, y + c)
                ])
            )
        }
        Shape::Pipeline => format!(
            r##"{}<rect class="shape" x="{tx}" y="{t1}" width="12" height="7"/><rect class="shape" x="{tx}" y="{t2}" width="12" height="7"/>"##,
            rect(r, 3.0),
            tx = num(x - 6.0),
            t1 = num(y + 11.0),
            t2 = num(y + h - 18.0),
        ),
        Shape::Host => format!(
            r##"<path class="shape" d="M{x1} {y0}l6 -6h{w}v{h}l-6 6"/>{}"##,
            rect(r, 2.0),
            x1 = num(x),
            y0 = num(y),
            w = num(w),
            h = num(h),
        ),
        Shape::Client => format!(
            r##"{}<path class="shape" d="M{x0} {y1}h{w}" fill="none"/>"##,
            rect(r, 6.0),
            x0 = num(x),
            y1 = num(y + 9.0),
            w = num(w),
        ),
        Shape::Telemetry => format!(
            r##"<path class="shape" d="M{x0} {y0}h{a}l12 12v{b}h-{w}z"/>"##,
            x0 = num(x),
            y0 = num(y),
            a = num(w - 12.0),
            b = num(h - 12.0),
            w = num(w),
        ),
    }
}

fn rect(r: Rect, rx: f64) -> String {
    format!(
        r##"<rect class="shape" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"##,
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h),
        num(rx)
    )
}

fn write_nodes(out: &mut String, scene: &Scene, lay: &Layout) {
    out.push_str("<g class=\"nodes\">\n");
    for (node, r) in scene.nodes.iter().zip(&lay.nodes) {
        let mut classes = vec!["node", if node.is_actor { "actor" } else { "component" }];
        let shape_class = format!("shape-{}", node.shape.name());
        classes.push(&shape_class);
        if node.public {
            classes.push("public");
        }
        if node.neighbour || node.out_of_scope {
            classes.push("faded");
        }
        if node.highlighted {
            classes.push("hl");
        }
        let (cx, _) = r.center();
        let chars = ((r.w - 16.0) / layout::ID_CHAR) as usize;
        let _ = write!(
            out,
            r##"<g class="{}" data-id="{}" data-kind="{}" data-x="{}" data-y="{}" data-w="{}" data-h="{}"><title>{}</title>{}<text class="node-id" x="{}" y="{}" text-anchor="middle">{}</text><text class="node-kind" x="{}" y="{}" text-anchor="middle">{}</text>"##,
            classes.join(" "),
            xml(&node.id),
            if node.is_actor { "actor" } else { "component" },
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            xml(&node.detail),
            shape_markup(node.shape, *r),
            num(cx),
            num(r.y + r.h / 2.0 - 1.0),
            xml(&layout::cut(&node.id, chars)),
            num(cx),
            num(r.y + r.h / 2.0 + 13.0),
            xml(&layout::cut(&node.kind, chars + 6)),
        );
        if node.public {
            let _ = write!(
                out,
                r##"<g class="public-badge"><rect x="{}" y="{}" width="38" height="13" rx="6.5"/><text x="{}" y="{}" text-anchor="middle">PUBLIC</text></g>"##,
                num(r.x + r.w - 44.0),
                num(r.y - 7.0),
                num(r.x + r.w - 25.0),
                num(r.y + 2.7)
            );
        }
        if !node.steps.is_empty() {
            write_step_badge(out, r.x, r.y, &join_steps(&node.steps));
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

/// A red disc (or pill, for several steps) with the step numbers, on a node's corner.
fn write_step_badge(out: &mut String, x: f64, y: f64, text: &str) {
    let w = (text.chars().count() as f64 * 6.6 + 10.0).max(20.0);
    let _ = write!(
        out,
        r##"<g class="step-badge"><rect x="{}" y="{}" width="{}" height="20" rx="10"/><text x="{}" y="{}" text-anchor="middle">{}</text></g>"##,
        num(x - 8.0),
        num(y - 10.0),
        num(w),
        num(x - 8.0 + w / 2.0),
        num(y + 4.0),
        xml(text)
    );
}

fn write_legend(out: &mut String, lay: &Layout) {
    let y = lay.legend_y + 14.0;
    let x = layout::MARGIN;
    let _ = write!(out, r##"<g class="legend">"##);
    let _ = write!(
        out,
        r##"<path class="flow-line" d="M{} {y1}h34" stroke="#5c677d" fill="none" marker-end="url(#gambit-arrow)"/>"##,
        num(x),
        y1 = num(y)
    );
    write_lock(out, x + 42.0, y - 5.0);
    let _ = write!(
        out,
        r##"<text x="{}" y="{}">encrypted flow</text>"##,
        num(x + 56.0),
        num(y + 4.0)
    );
    let _ = write!(
        out,
        r##"<path d="M{} {y1}h34" stroke="#5c677d" stroke-dasharray="6 4" fill="none" marker-end="url(#gambit-arrow)"/><text x="{}" y="{}">plaintext flow</text>"##,
        num(x + 150.0),
        num(x + 192.0),
        num(y + 4.0),
        y1 = num(y)
    );
    let _ = write!(
        out,
        r##"<rect x="{}" y="{}" width="26" height="14" rx="4" fill="#ffffff" stroke="{PUBLIC}" stroke-width="2.6"/><text x="{}" y="{}">public (reachable from the internet)</text>"##,
        num(x + 290.0),
        num(y - 7.0),
        num(x + 322.0),
        num(y + 4.0)
    );
    let _ = write!(
        out,
        r##"<rect x="{}" y="{}" width="26" height="14" rx="4" fill="#ffffff" stroke="{RED}" stroke-width="3"/><text x="{}" y="{}">on the highlighted attack path</text>"##,
        num(x + 520.0),
        num(y - 7.0),
        num(x + 552.0),
        num(y + 4.0)
    );
    out.push_str("</g>\n");
}
