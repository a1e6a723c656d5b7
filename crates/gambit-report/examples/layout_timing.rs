//! Times the SVG diagram of synthetic enterprise models of growing size:
//! `cargo run --release -p gambit-report --example layout_timing -- 50 500 2000`.

use std::time::Instant;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    for n in if sizes.is_empty() {
        vec![50, 500]
    } else {
        sizes
    } {
        let yaml = gambit_model::synth::enterprise(n, 7);
        let loaded = gambit_model::load_str("synth.yaml", yaml, None, Default::default());
        let Some(model) = loaded.model else {
            eprintln!("synthetic model of {n} has errors");
            continue;
        };
        let start = Instant::now();
        let svg =
            gambit_report::diagram::svg::render(&model, &Default::default()).unwrap_or_default();
        let svg_time = start.elapsed();
        let start = Instant::now();
        let dot =
            gambit_report::diagram::dot::render(&model, &Default::default()).unwrap_or_default();
        let dot_time = start.elapsed();
        println!(
            "{n:>6} components ({} flows): svg {:>8.1} ms ({} KiB), dot {:>6.1} ms ({} KiB)",
            model.flows.len(),
            svg_time.as_secs_f64() * 1000.0,
            svg.len() / 1024,
            dot_time.as_secs_f64() * 1000.0,
            dot.len() / 1024,
        );
    }
}
