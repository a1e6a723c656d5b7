//! Replays the importers' fuzz regression corpus (tests/fuzz-corpus/<format>/): inputs
//! written to probe edge cases, and any the fuzz targets in fuzz/ find. Each must give a
//! located error or a model that loads.

use std::path::Path;

use gambit_import::{Format, fuzz_check};

#[test]
fn every_corpus_input_imports_or_fails_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    for (dir, format) in [
        ("threagile", Format::Threagile),
        ("threat_dragon", Format::ThreatDragon),
        ("pytm", Format::Pytm),
        ("otm", Format::Otm),
    ] {
        let mut count = 0;
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let outcome = std::panic::catch_unwind(|| fuzz_check(format, &text));
            assert!(outcome.is_ok(), "{}", path.display());
            count += 1;
        }
        assert!(count >= 3, "{dir}: corpus has {count} inputs");
    }
}
