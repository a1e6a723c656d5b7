//! Any bytes given as a findings file: SARIF, Trivy, Grype, CycloneDX and OpenVEX are told
//! apart by their keys, so this one entry point reaches every parser (the corpus in
//! crates/gambit-findings/tests/fuzz-corpus/ seeds each format). Reading must return
//! findings or a located error, and matching and ranking what was read must work, never
//! panic, hang or blow up memory. Run: `cargo fuzz run -s none findings`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parsed = gambit_findings::Parsed::default();
    if parsed.read(data, "fuzz.json").is_err() {
        return;
    }
    let model = gambit_model::load_str(
        "model.yaml",
        "gambit: 1\ncomponents:\n  web: {public: true, artifacts: [{image: nginx}, {path: src/}]}\n  db: {kind: database, stores: [pii]}\nassets:\n  pii: {classification: restricted}\nflows:\n  - {from: web, to: db, protocol: postgres, authentication: none}\n".to_owned(),
        None,
        gambit_model::LoadOptions::default(),
    )
    .model
    .expect("the fuzz model loads");
    let report = gambit_findings::apply_parsed(&model, parsed, None, None).rank(&[]);
    let _ = gambit_findings::render::sarif(&report);
    let _ = gambit_findings::render::csv(&report);
});
