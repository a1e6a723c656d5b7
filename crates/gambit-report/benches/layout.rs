//! Diagram layout benchmarks: placement, routing and labels of the whole SVG, on
//! synthetic enterprise models of 200 and 1,000 components (about three flows each).
//! The goal is 200 components under 0.5 s and 1,000 under 5 s.
//!
//! Run: `cargo bench -p gambit-report --bench layout -- --warm-up-time 1 --measurement-time 5`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use gambit_model::LoadOptions;
use gambit_report::diagram::{DiagramOptions, Scene, svg};

fn layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("diagram_svg");
    group.sample_size(10);
    for components in [200, 1000] {
        let text = gambit_model::synth::enterprise(components, 15);
        let model = gambit_model::load_str("bench.yaml", text, None, LoadOptions::default())
            .model
            .expect("synthetic model loads");
        let scene = Scene::build(&model, &DiagramOptions::default()).expect("builds");
        group.bench_with_input(
            BenchmarkId::from_parameter(components),
            &scene,
            |b, scene| b.iter(|| svg::write(scene)),
        );
    }
    group.finish();
}

criterion_group!(benches, layout);
criterion_main!(benches);
