//! Prints the fragment discovered from a plan: `cargo run -p gambit-discover --example discover PLAN`.
fn main() {
    let path = std::env::args().nth(1).expect("a plan file");
    let text = std::fs::read_to_string(&path).expect("readable");
    match gambit_discover::terraform::discover(&path, &text) {
        Ok(f) => {
            print!("{}", f.to_yaml());
            for finding in &f.findings {
                eprintln!("{}: {} ({})", finding.code, finding.message, finding.subject);
            }
            for (t, u) in &f.unknown_types {
                eprintln!("unknown {t} x{} first {}", u.count, u.first);
            }
        }
        Err(e) => eprintln!("{e}"),
    }
}
