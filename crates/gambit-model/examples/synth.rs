//! Writes a synthetic enterprise model to standard output:
//! `cargo run --release -p gambit-model --features synth --example synth -- 10000 [SEED] > big.yaml`

fn main() {
    let mut args = std::env::args().skip(1);
    let components = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    print!("{}", gambit_model::synth::enterprise(components, seed));
}
