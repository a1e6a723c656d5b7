//! Attack-graph benchmarks over synthetic enterprise models (1k, 10k, 100k components,
//! about three flows per component) and a fully connected 1,000-component network.
//!
//! Run: `cargo bench -p gambit-graph -- --warm-up-time 1 --measurement-time 3`

use std::fmt::Write;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use gambit_graph::{Analysis, ComponentControl, Fix, Index, blast_radius};
use gambit_model::{ComponentId, LoadOptions, Model};

fn load(text: String) -> Model {
    gambit_model::load_str("bench.yaml", text, None, LoadOptions::default())
        .model
        .expect("synthetic model loads")
}

/// A network of `n` components where every component has a flow to every other.
fn clique(n: usize) -> String {
    let mut s = String::with_capacity(n * n * 48);
    s.push_str("gambit: 1\nname: clique\nassets:\n  secret: {classification: restricted}\n");
    s.push_str("zones:\n  net: {kind: network, isolated: true}\ncomponents:\n");
    for i in 0..n {
        // Every component is exploitable, so every one of the n² flows is used.
        let extra = match i {
            0 => ", public: true",
            _ if i == n - 1 => ", stores: [secret]",
            _ => "",
        };
        let _ = writeln!(
            s,
            "  c{i}: {{kind: service, zone: net{extra}, vulnerabilities: [{{id: CVE-{i}, effect: code-execution}}]}}"
        );
    }
    s.push_str("flows:\n");
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let _ = writeln!(
                    s,
                    "  - {{from: c{i}, to: c{j}, protocol: https, authentication: token}}"
                );
            }
        }
    }
    s
}

/// The synthetic enterprise with a code-execution vulnerability on every component: the
/// internet attacker gets everywhere, so every fact and derivation exists (worst case).
fn breached(size: usize) -> String {
    let text = gambit_model::synth::enterprise(size, 7);
    let mut out = String::with_capacity(text.len() * 2);
    let mut in_components = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_components = line == "components:";
        }
        if in_components
            && line.starts_with("  ")
            && line.ends_with('}')
            && !line.contains("vulnerabilities")
        {
            out.push_str(&line[..line.len() - 1]);
            out.push_str(", vulnerabilities: [{id: CVE-9, effect: code-execution}]}\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn first_fix(model: &Model, ix: &Index) -> Vec<Fix> {
    for (c, comp) in model.components.iter().enumerate() {
        if comp.public && !comp.vulnerabilities.is_empty() {
            return vec![Fix::Patch(ix.vuln_number(ComponentId(c as u32), 0))];
        }
    }
    for (c, comp) in model.components.iter().enumerate() {
        if comp.public {
            let c = ComponentId(c as u32);
            return vec![Fix::AddControl(ComponentControl::NetworkPolicy, c)];
        }
    }
    Vec::new()
}

/// Prints how many facts hold and how many derivations the graph keeps, for comparing
/// semantics revisions (docs/performance.md).
fn report_size(size: usize, analysis: &Analysis<'_>) {
    for a in &analysis.attackers {
        let facts = a.graph.holds.iter().filter(|&&h| h).count();
        let derivations = a.graph.derivations.len();
        eprintln!("enterprise-{size}: {facts} facts, {derivations} derivations");
    }
}

fn bench_enterprise(c: &mut Criterion) {
    for size in [1_000usize, 10_000, 100_000] {
        let model = load(gambit_model::synth::enterprise(size, 7));
        let mut g = c.benchmark_group(format!("enterprise-{size}"));
        g.sample_size(10);
        g.bench_function(BenchmarkId::new("derive", size), |b| {
            b.iter(|| Analysis::run(&model, &[]))
        });
        g.bench_function(BenchmarkId::new("index", size), |b| {
            b.iter(|| Index::new(&model))
        });
        let analysis = Analysis::run(&model, &[]);
        report_size(size, &analysis);
        g.bench_function(BenchmarkId::new("paths", size), |b| {
            b.iter(|| analysis.paths(3, None))
        });
        g.bench_function(BenchmarkId::new("exposure", size), |b| {
            b.iter(|| analysis.exposure())
        });
        g.bench_function(BenchmarkId::new("chokepoints", size), |b| {
            b.iter(|| analysis.chokepoints())
        });
        let ix = Index::new(&model);
        let web = model.components.iter().position(|c| c.public).unwrap_or(0);
        g.bench_function(BenchmarkId::new("blast-radius", size), |b| {
            b.iter(|| blast_radius(&model, &ix, ComponentId(web as u32)))
        });
        let fix = first_fix(&model, &ix);
        g.bench_function(BenchmarkId::new("what-if", size), |b| {
            b.iter(|| analysis.exposure_with(&fix))
        });
        g.finish();
    }
}

fn bench_breached(c: &mut Criterion) {
    for size in [1_000usize, 10_000, 100_000] {
        let model = load(breached(size));
        let mut g = c.benchmark_group(format!("breached-{size}"));
        g.sample_size(10);
        g.bench_function(BenchmarkId::new("derive", size), |b| {
            b.iter(|| Analysis::run(&model, &[]))
        });
        let analysis = Analysis::run(&model, &[]);
        g.bench_function(BenchmarkId::new("paths", size), |b| {
            b.iter(|| analysis.paths(3, None))
        });
        g.bench_function(BenchmarkId::new("exposure", size), |b| {
            b.iter(|| analysis.exposure())
        });
        g.bench_function(BenchmarkId::new("chokepoints", size), |b| {
            b.iter(|| analysis.chokepoints())
        });
        let ix = Index::new(&model);
        let lb = model.components.iter().position(|c| c.public).unwrap_or(0);
        g.bench_function(BenchmarkId::new("blast-radius", size), |b| {
            b.iter(|| blast_radius(&model, &ix, ComponentId(lb as u32)))
        });
        let fix = first_fix(&model, &ix);
        g.bench_function(BenchmarkId::new("what-if", size), |b| {
            b.iter(|| analysis.exposure_with(&fix))
        });
        g.finish();
    }
}

fn bench_clique(c: &mut Criterion) {
    let model = load(clique(1_000));
    let mut g = c.benchmark_group("clique-1000");
    g.sample_size(10);
    g.bench_function("derive", |b| b.iter(|| Analysis::run(&model, &[])));
    g.finish();
}

criterion_group!(benches, bench_enterprise, bench_breached, bench_clique);
criterion_main!(benches);
