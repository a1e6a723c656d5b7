//! Renders a model's diagram to standard output: `cargo run -p gambit-report --example
//! render_diagram -- MODEL [dot|mermaid|svg] [ZONE]`. For looking at layouts while
//! working on them; the CLI's `gambit diagram` is the user-facing command.

use gambit_report::diagram::{self, DiagramOptions, Focus};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: render_diagram MODEL [dot|mermaid|svg] [ZONE]");
        std::process::exit(2);
    };
    let loaded = gambit_model::load_path(std::path::Path::new(path), Default::default());
    let Some(model) = loaded.model else {
        eprintln!("{path}: the model has errors");
        std::process::exit(2);
    };
    let options = DiagramOptions {
        focus: args.get(3).map_or(Focus::All, |z| Focus::Zone(z.clone())),
        ..Default::default()
    };
    let text = match args.get(2).map_or("svg", String::as_str) {
        "dot" => diagram::dot::render(&model, &options),
        "mermaid" => diagram::mermaid::render(&model, &options),
        _ => diagram::svg::render(&model, &options),
    };
    match text {
        Ok(t) => print!("{t}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
