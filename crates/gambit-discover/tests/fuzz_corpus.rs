//! Replays the fuzz corpus (tests/fixtures/fuzz-corpus/): each input must give a fragment
//! that loads as a model, or a located error; never a panic. New inputs from
//! `cargo fuzz run -s none discover_terraform` / `discover_kubernetes` (see fuzz/) go here.

use std::path::Path;

fn corpus(reader: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz-corpus")
        .join(reader);
    let mut inputs: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            Some((
                p.display().to_string(),
                String::from_utf8(std::fs::read(&p).ok()?).ok()?,
            ))
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no {reader} corpus");
    inputs
}

fn check(name: &str, found: Result<gambit_discover::Fragment, gambit_discover::ReadError>) {
    match found {
        Ok(fragment) => {
            let loaded = gambit_model::load_str(
                "fragment.yaml",
                fragment.to_yaml(),
                None,
                Default::default(),
            );
            assert!(
                loaded.model.is_some(),
                "{name}: the fragment does not load: {:?}",
                loaded.diagnostics
            );
        }
        Err(e) => assert!(e.line.is_some() || !e.message.is_empty(), "{name}: {e}"),
    }
}

#[test]
fn every_terraform_input_reads_or_fails_cleanly() {
    for (name, text) in corpus("terraform") {
        check(&name, gambit_discover::terraform::discover(&name, &text));
    }
}

#[test]
fn every_kubernetes_input_reads_or_fails_cleanly() {
    for (name, text) in corpus("kubernetes") {
        check(
            &name,
            gambit_discover::kubernetes::discover(&name, &[(name.clone(), text)]),
        );
    }
}
