//! Any bytes given as a KEV catalog or an EPSS CSV (`--kev`, `--epss`): a value or a
//! located error, never a panic. Run: `cargo fuzz run -s none findings_kev_epss`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = gambit_findings::Kev::read(data, "kev.json");
    let _ = gambit_findings::Epss::read(data, "epss.csv");
});
