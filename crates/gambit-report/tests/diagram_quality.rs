//! Readability of large diagrams, measured on the SVG itself (issue 15): on realistic
//! models of 30 to 200 components, no flow runs through a box that is not its end, no
//! flow label lies on another label or on a box, and crossings stay below what Graphviz
//! `dot` draws for the same graph (its figures are in docs/diagrams.md, measured by the
//! ignored test `graphviz_figures`).

mod common;
mod geometry;

use gambit_report::diagram::{self, DiagramOptions};

/// The realistic test models, with the most crossing pairs allowed: below what Graphviz
/// `dot` draws for the same graph (measured by `graphviz_figures`, recorded in
/// docs/diagrams.md), except where noted.
const MODELS: &[(&str, usize)] = &[
    // dot: 52. Not met yet: ours is 77; the limit guards against getting worse.
    ("saas-aws.yaml", 78),
    // dot: 66.
    ("k8s-platform.yaml", 66),
    // dot: 77.
    ("llm-agent.yaml", 77),
];

fn model_text(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/models")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn figures_of(yaml: &str) -> geometry::Figures {
    let model = common::load_text(yaml);
    let svg = diagram::svg::render(&model, &DiagramOptions::default()).expect("renders");
    geometry::from_svg(&svg).figures()
}

#[test]
fn realistic_models_are_readable() {
    for &(name, limit) in MODELS {
        let f = figures_of(&model_text(name));
        println!("{name}: {f}");
        assert_eq!(f.through_box, 0, "{name}: {f}");
        assert_eq!(f.label_overlaps, 0, "{name}: {f}");
        assert_eq!(f.labels_on_boxes, 0, "{name}: {f}");
        assert!(
            f.crossings < limit,
            "{name}: {f}; at most {} allowed",
            limit - 1
        );
    }
}

/// A generated 200-component enterprise (nine cloud accounts, about 600 flows): still no
/// flow through a box and no label on a label or a box, and fewer crossings than the
/// 2,516 pairs `dot` draws for it.
#[test]
fn two_hundred_components_are_readable() {
    let f = figures_of(&gambit_model::synth::enterprise(200, 15));
    println!("synthetic 200: {f}");
    assert_eq!(f.through_box, 0, "{f}");
    assert_eq!(f.label_overlaps, 0, "{f}");
    assert_eq!(f.labels_on_boxes, 0, "{f}");
    assert!(f.crossings < 2516, "{f}");
}

/// Graphviz `dot` on the DOT export of the same models, measured by the same code.
/// Needs `dot` on the PATH: `cargo test -p gambit-report --test diagram_quality --
/// --ignored --nocapture`.
#[test]
#[ignore = "needs Graphviz; prints the figures docs/diagrams.md records"]
fn graphviz_figures() {
    let mut models: Vec<(String, String)> = MODELS
        .iter()
        .map(|&(name, _)| (name.to_owned(), model_text(name)))
        .collect();
    models.push((
        "synthetic 200".to_owned(),
        gambit_model::synth::enterprise(200, 15),
    ));
    for (name, yaml) in models {
        let model = common::load_text(&yaml);
        let dot = diagram::dot::render(&model, &DiagramOptions::default()).expect("renders");
        let start = std::time::Instant::now();
        let mut child = std::process::Command::new("dot")
            .arg("-Tjson")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("Graphviz `dot` is installed");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(dot.as_bytes())
            .expect("dot reads");
        let out = child.wait_with_output().expect("dot runs");
        let secs = start.elapsed().as_secs_f64();
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let f = geometry::from_graphviz_json(&text).figures();
        println!("dot {name}: {f} ({secs:.2} s)");
        let ours = figures_of(&yaml);
        println!("gambit {name}: {ours}");
    }
}
