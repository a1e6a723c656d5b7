//! Any text as Kubernetes manifests: a fragment that loads as a model, or an error; never
//! a panic or a hang. Run: `cargo fuzz run -s none discover_kubernetes`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = [("fuzz.yaml".to_owned(), text.to_owned())];
    if let Ok(fragment) = gambit_discover::kubernetes::discover("fuzz.yaml", &files) {
        let loaded = gambit_model::load_str("fragment.yaml", fragment.to_yaml(), None, Default::default());
        assert!(loaded.model.is_some(), "{:?}", loaded.diagnostics);
    }
});
