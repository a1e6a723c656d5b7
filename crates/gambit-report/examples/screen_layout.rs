//! Times a model's SVG diagram laid out for a page (`gambit diagram --no-collapse`) and
//! for a screen (as `gambit serve`'s UI draws it: one item a column, bands 420 px wide
//! per square root of the boxes, unless WIDTH is given), median of five runs each:
//! `cargo run --release -p gambit-report --example screen_layout -- MODEL [WIDTH]`.

use std::time::{Duration, Instant};

use gambit_report::diagram::{DiagramOptions, Scene, layout, svg};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: screen_layout MODEL [WIDTH]");
        std::process::exit(2);
    };
    let loaded = gambit_model::load_path(std::path::Path::new(path), Default::default());
    let Some(model) = loaded.model else {
        eprintln!("{path}: the model has errors");
        std::process::exit(2);
    };
    let scene = Scene::build(&model, &DiagramOptions::default()).expect("the whole model");
    let width = args
        .get(2)
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| (420.0 * (scene.nodes.len() as f64).sqrt()).max(1500.0));
    let page = || svg::write(&scene);
    let screen = || svg::write_laid_out(&scene, &layout::layout_for_screen(&scene, 1, width));
    for (name, draw) in [("page", &page as &dyn Fn() -> String), ("screen", &screen)] {
        let mut runs = Vec::new();
        let mut text = String::new();
        for _ in 0..5 {
            let start = Instant::now();
            text = draw();
            runs.push(start.elapsed());
        }
        let size = text
            .split_once("viewBox=\"0 0 ")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map_or("?", |(size, _)| size);
        println!(
            "{name:>6}: {} boxes, {} flows: {size} px, {} KiB, layout and SVG {:.0} ms",
            scene.nodes.len(),
            scene.edges.len(),
            text.len() / 1024,
            median(runs).as_secs_f64() * 1000.0,
        );
    }
}
