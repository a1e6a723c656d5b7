//! Load-and-validate time on synthetic enterprise models (see `gambit_model::synth`).
//!
//! `cargo bench -p gambit-model --bench load`. The raw YAML event parse is measured
//! alongside as the baseline, so the ratio says how much the loader adds to the parser.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gambit_model::{LoadOptions, load_str, synth};

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for components in [1_000usize, 10_000] {
        let text = synth::enterprise(components, 1);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("yaml-events-only", components),
            &text,
            |b, text| {
                b.iter(|| gambit_model::count_yaml_events(text));
            },
        );
        group.bench_with_input(
            BenchmarkId::new("load-and-validate", components),
            &text,
            |b, text| {
                b.iter(|| {
                    let loaded = load_str("synth.yaml", text.clone(), None, LoadOptions::default());
                    assert!(loaded.model.is_some());
                    loaded
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
