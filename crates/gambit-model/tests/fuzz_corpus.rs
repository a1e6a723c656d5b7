//! Replays the fuzz regression corpus (tests/fuzz-corpus/): inputs that once found, or
//! were written to probe, edge cases of the loader. Each must load or fail with
//! diagnostics whose positions render, never panic. New crashes found by
//! `cargo fuzz run -s none load_model` or `render_diagnostics` (see fuzz/) are added
//! here as files; each is also rendered as text, as the `render_diagnostics` target does.

use std::path::Path;

#[test]
fn every_corpus_input_loads_or_fails_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let loaded = gambit_model::load_str(
            "corpus.yaml",
            text.clone(),
            None,
            gambit_model::LoadOptions {
                max_size: 1 << 20,
                ..Default::default()
            },
        );
        for styled in [false, true] {
            let text =
                gambit_model::diagnostic::render_text(&loaded.diagnostics, &loaded.sources, styled);
            assert_eq!(
                text.is_empty(),
                loaded.diagnostics.is_empty(),
                "{}",
                path.display()
            );
        }
        for d in &loaded.diagnostics {
            let json = d.to_json(&loaded.sources);
            assert!(json["message"].is_string(), "{}: {json}", path.display());
        }
        assert!(
            loaded.model.is_some() || loaded.errors() > 0,
            "{}: no model and no error",
            path.display()
        );
        let _ = gambit_model::yaml_to_json(&text);
        count += 1;
    }
    assert!(count >= 8, "corpus has {count} inputs");
}
