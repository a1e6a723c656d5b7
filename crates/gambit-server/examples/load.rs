//! A bounded load test on loopback: a server in this process (SQLite in a temporary
//! folder) holding examples/acme-shop.yaml, then 10,000 requests from 50 concurrent
//! clients (keep-alive), a mix of the API's reads and questions. Prints the median,
//! p90, p99 and maximum latency and the throughput. It only talks to 127.0.0.1 and stops
//! by itself.
//!
//! cargo run --release -p gambit-server --example load [REQUESTS] [CLIENTS]

use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let total: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000)
        .min(100_000);
    let clients: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(50)
        .clamp(1, 200);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("gambit.db").display().to_string();
    let token = gambit_server::create_token(&db, "load", gambit_server::Role::Editor, None)
        .expect("a token");
    let (tx, rx) = std::sync::mpsc::channel();
    let server_db = db.clone();
    std::thread::spawn(move || {
        let config = gambit_server::Config {
            rate_limit: 1_000_000,
            ..Default::default()
        };
        gambit_server::serve("127.0.0.1:0".parse().unwrap(), &server_db, config, |addr| {
            tx.send(addr).unwrap();
        })
        .expect("the server runs");
    });
    let url = format!("http://{}", rx.recv().expect("the server listens"));
    let agent = http_agent();
    agent
        .post(&format!("{url}/api/projects"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send(r#"{"name": "shop"}"#)
        .expect("a project");
    let model = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/acme-shop.yaml"
    ))
    .unwrap();
    gambit_server::push(&url, "shop", &token, &model, Some("load"), false).expect("a version");

    let base = format!("{url}/api/projects/shop");
    // The baseline: the same load on /health (no token, no store, no analysis), so the
    // API's figures can be read against the HTTP stack's own on the same machine.
    let failed = phase(
        "baseline, GET /health",
        &[format!("{url}/health")],
        &token,
        total,
        clients,
    ) + phase(
        "API mix (threats, exposure, blast radius, trend, ask)",
        &[
            format!("{base}/models/latest/threats"),
            format!("{base}/models/latest/exposure"),
            format!("{base}/models/latest/blast-radius?component=web"),
            format!("{base}/trend"),
            format!("{base}/ask"),
        ],
        &token,
        total,
        clients,
    );
    std::process::exit(i32::from(failed > 0));
}

/// `total` requests from `clients` threads, round-robin over `targets` (a target ending
/// in `/ask` is a question); prints the latency percentiles; returns the failures.
fn phase(name: &str, targets: &[String], token: &str, total: usize, clients: usize) -> usize {
    let started = Instant::now();
    let per_client = total / clients;
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let targets = targets.to_vec();
            let token = token.to_owned();
            std::thread::spawn(move || {
                let agent = http_agent();
                let mut latencies = Vec::with_capacity(per_client);
                let mut failures = 0usize;
                for i in 0..per_client {
                    let target = &targets[(c + i) % targets.len()];
                    let t = Instant::now();
                    let status = if target.ends_with("/ask") {
                        agent
                            .post(target)
                            .header("Authorization", &format!("Bearer {token}"))
                            .header("Content-Type", "application/json")
                            .send(r#"{"question": "Which assets are exposed?"}"#)
                    } else {
                        agent
                            .get(target)
                            .header("Authorization", &format!("Bearer {token}"))
                            .call()
                    }
                    .map(|mut r| {
                        let _ = r.body_mut().read_to_vec();
                        r.status().as_u16()
                    })
                    .unwrap_or(0);
                    latencies.push(t.elapsed());
                    if status != 200 {
                        failures += 1;
                    }
                }
                (latencies, failures)
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::with_capacity(total);
    let mut failures = 0;
    for h in handles {
        let (l, f) = h.join().expect("a client");
        latencies.extend(l);
        failures += f;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: {} requests, {clients} concurrent, {failures} failed, {:.1} s, {:.0} requests/s; \
         latency ms p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.99)),
        ms(*latencies.last().unwrap())
    );
    failures
}

fn http_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}
