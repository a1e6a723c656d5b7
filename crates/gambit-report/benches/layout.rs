//! Diagram layout benchmarks on synthetic enterprise models of 50, 200 and 1,000
//! components (about three flows each): the whole SVG (placement, routing, labels), and
//! as the baseline measured in the same run, the placement alone (ranks, columns,
//! barycentre sweeps; no routing). The goal is 200 components under 0.5 s and 1,000
//! under 5 s.
//!
//! Run: `cargo bench -p gambit-report --bench layout -- --warm-up-time 1 --measurement-time 5`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use gambit_model::LoadOptions;
use gambit_report::diagram::{DiagramOptions, Scene, layout, svg};

fn scene_of(components: usize) -> Scene {
    let text = gambit_model::synth::enterprise(components, 15);
    let model = gambit_model::load_str("bench.yaml", text, None, LoadOptions::default())
        .model
        .expect("synthetic model loads");
    Scene::build(&model, &DiagramOptions::default()).expect("builds")
}

fn diagram(c: &mut Criterion) {
    let mut group = c.benchmark_group("diagram");
    group.sample_size(10);
    for components in [50, 200, 1000] {
        let scene = scene_of(components);
        group.bench_with_input(BenchmarkId::new("svg", components), &scene, |b, scene| {
            b.iter(|| svg::write(scene))
        });
        group.bench_with_input(
            BenchmarkId::new("placement", components),
            &scene,
            |b, scene| b.iter(|| layout::place(scene)),
        );
    }
    group.finish();
}

criterion_group!(benches, diagram);
criterion_main!(benches);
