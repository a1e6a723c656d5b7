//! Prints a report of a model: `cargo run -p gambit-report --example render_report --
//! MODEL [html|markdown|sarif|csv]`. For looking at reports while working on them;
//! users get the same from `gambit analyze --format ...`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: render_report MODEL [html|markdown|sarif|csv]");
        std::process::exit(2);
    };
    let loaded = gambit_model::load_path(std::path::Path::new(path), Default::default());
    let Some(model) = loaded.model else {
        eprintln!("{path}: the model has errors");
        std::process::exit(2);
    };
    let mut options = gambit_rules::Options::new(gambit_rules::today_utc());
    options.sources = Some(&loaded.sources);
    let threats = gambit_rules::analyze(&model, &options);
    let report = gambit_report::assemble::report(&model, threats, &[]);
    let text = match args.get(2).map_or("html", String::as_str) {
        "markdown" => gambit_report::markdown(&report),
        "csv" => gambit_report::csv(&report),
        "sarif" => {
            let log = gambit_report::sarif(&report, &model, &loaded.sources);
            serde_json::to_string_pretty(&log).unwrap_or_default()
        }
        _ => gambit_report::html(&report, &model),
    };
    print!("{text}");
}
