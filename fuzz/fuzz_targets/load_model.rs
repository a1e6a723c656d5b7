//! Any text given to the model loader: it must return diagnostics or a model, never
//! panic, hang or blow up memory; and the fast YAML reader must read it as the full
//! parser does, or leave it to it. Run: `cargo fuzz run -s none load_model`.
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
    // Rendering positions must work for every diagnostic the loader can produce.
    for d in &loaded.diagnostics {
        let _ = d.to_json(&loaded.sources);
    }
    let _ = gambit_model::yaml_to_json(text);
    // The fast YAML reader either leaves a text to the full parser or reads it the same.
    if let Err(difference) = gambit_model::compare_yaml_fast_path(text) {
        panic!("{difference}");
    }
});
