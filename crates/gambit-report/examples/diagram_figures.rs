//! Prints the readability figures of issue 15 (flows through a box, crossing pairs,
//! label on label, label on box) and the layout time of Gambit's SVG for each model
//! given, and with `--dot` those of Graphviz `dot` on the DOT export of the same graph:
//! `cargo run --release -p gambit-report --example diagram_figures -- [--dot] MODEL... synth:200`.
//! `synth:N` is the generated enterprise of N components the quality test uses.

#[path = "../tests/geometry/mod.rs"]
mod geometry;

use std::time::Instant;

use gambit_report::diagram::{self, DiagramOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let with_dot = args.iter().any(|a| a == "--dot");
    for name in args.iter().filter(|a| *a != "--dot") {
        let text = match name.strip_prefix("synth:") {
            Some(n) => gambit_model::synth::enterprise(n.parse().expect("synth:N"), 15),
            None => std::fs::read_to_string(name).expect("the model reads"),
        };
        let Some(model) = gambit_model::load_str(name, text, None, Default::default()).model else {
            eprintln!("{name}: the model has errors");
            continue;
        };
        let options = DiagramOptions::default();
        let start = Instant::now();
        let svg = diagram::svg::render(&model, &options).expect("renders");
        let secs = start.elapsed().as_secs_f64();
        let ours = geometry::from_svg(&svg).figures();
        println!("{name}: gambit {ours} ({:.1} ms)", secs * 1000.0);
        if with_dot {
            let dot = diagram::dot::render(&model, &options).expect("renders");
            let (geometry, secs) = geometry::graphviz(&dot);
            let theirs = geometry.figures();
            println!("{name}: dot {theirs} ({secs:.2} s)");
        }
    }
}
