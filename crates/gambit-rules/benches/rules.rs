//! All built-in rules over a synthetic enterprise of 10,000 components (~30,000 flows).
//! Target: under 0.2 s on 2 cores. Run with `cargo bench -p gambit-rules`.

use criterion::{Criterion, criterion_group, criterion_main};
use gambit_model::{LoadOptions, load_str, synth};
use gambit_rules::context::Context;
use gambit_rules::{Options, analyze, parse_date};

fn rules(c: &mut Criterion) {
    let text = synth::enterprise(10_000, 7);
    let model = load_str("enterprise.yaml", text, None, LoadOptions::default())
        .model
        .expect("the synthetic model loads");
    let today = parse_date("2026-06-01").expect("date");
    let threats = analyze(&model, &Options::new(today)).threats.len();
    eprintln!(
        "synthetic model: {} components, {} flows, {} threats",
        model.components.len(),
        model.flows.len(),
        threats
    );
    let mut group = c.benchmark_group("rules");
    group.sample_size(10);
    group.bench_function("context+all rules, 10k components", |b| {
        b.iter(|| {
            let cx = Context::new(&model);
            gambit_rules::analysis::run_rules(&cx, gambit_rules::registry::RULES).len()
        });
    });
    group.bench_function("analyze (rules, scoring, sorting), 10k components", |b| {
        b.iter(|| analyze(&model, &Options::new(today)).threats.len());
    });
    group.finish();
}

criterion_group!(benches, rules);
criterion_main!(benches);
