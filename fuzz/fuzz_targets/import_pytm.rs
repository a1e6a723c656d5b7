//! Any text given to the Pytm importer: it must return a located error, or a model
//! that loads without error; never panic, hang or blow up memory.
//! Run: `cargo fuzz run -s none import_pytm`; keep what it finds in
//! crates/gambit-import/tests/fuzz-corpus/pytm/ (replayed by `cargo test`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    gambit_import::fuzz_check(gambit_import::Format::Pytm, text);
});
