//! Replays the fuzz corpus (tests/fuzz-corpus/, seeds of every format and inputs that once
//! found edge cases): each input is read as a findings file, and as a KEV catalog and an
//! EPSS CSV; what reads is matched and ranked. Nothing may panic. New crashes found by
//! `cargo fuzz run -s none findings` (see fuzz/) are added here as files.

use std::path::Path;

use gambit_findings::{Epss, Kev, Parsed, apply_parsed, render};

#[test]
fn every_corpus_input_reads_or_fails_with_a_message() {
    let model = gambit_model::load_str(
        "model.yaml",
        "gambit: 1\ncomponents:\n  web: {public: true, artifacts: [{image: nginx}, {path: src/}]}\n"
            .to_owned(),
        None,
        gambit_model::LoadOptions::default(),
    )
    .model
    .unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let (mut read, mut failed) = (0, 0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let mut parsed = Parsed::default();
        match parsed.read(&bytes[..], "corpus") {
            Ok(()) => {
                read += 1;
                let report = apply_parsed(&model, parsed, None, None).rank(&[]);
                let _ = render::sarif(&report);
            }
            Err(e) => {
                failed += 1;
                assert!(!e.message.is_empty(), "{}", path.display());
            }
        }
        let _ = Kev::read(&bytes[..], "kev");
        let _ = Epss::read(&bytes[..], "epss");
    }
    assert!(read >= 5 && failed >= 4, "{read} read, {failed} failed");
}

#[test]
fn the_seeds_read_as_their_formats() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let read = |name: &str| {
        let mut p = Parsed::default();
        p.read(&std::fs::read(dir.join(name)).unwrap()[..], name)
            .unwrap();
        p
    };
    assert_eq!(read("trivy-small.json").findings.len(), 1);
    assert_eq!(read("grype-small.json").findings[0].kev, Some(true));
    assert_eq!(read("sarif-small.json").findings.len(), 3);
    assert_eq!(read("cyclonedx-small.json").findings.len(), 2);
    assert_eq!(read("openvex-small.json").vex.len(), 3);
    assert!(Kev::read(&std::fs::read(dir.join("kev-small.json")).unwrap()[..], "k").is_ok());
    assert!(Epss::read(&std::fs::read(dir.join("epss-bad.csv")).unwrap()[..], "e").is_err());
}
