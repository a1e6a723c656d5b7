//! Any text loaded, then every diagnostic rendered as text (plain and styled) and JSON,
//! as the CLI prints them: spans at any byte of any text must render, never panic.
//! Run: `cargo fuzz run -s none render_diagnostics`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = gambit_model::load_str(
        "fuzz.yaml",
        text.to_owned(),
        None,
        gambit_model::LoadOptions {
            max_size: 1 << 20,
            ..Default::default()
        },
    );
    for styled in [false, true] {
        let _ = gambit_model::diagnostic::render_text(&loaded.diagnostics, &loaded.sources, styled);
    }
    for d in &loaded.diagnostics {
        let _ = d.to_json(&loaded.sources);
    }
});
