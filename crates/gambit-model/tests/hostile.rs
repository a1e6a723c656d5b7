//! Hostile input: every limit of docs/limits.md and every crash, hang and blow-up once
//! found, each with the input that triggered it (generated here when large).

use gambit_model::{LoadOptions, Loaded, load_str};

fn load(text: &str) -> Loaded {
    load_str(
        "hostile.yaml",
        text.to_owned(),
        None,
        LoadOptions::default(),
    )
}

fn rendered(loaded: &Loaded) -> String {
    gambit_model::diagnostic::render_text(&loaded.diagnostics, &loaded.sources, false)
}

fn codes(loaded: &Loaded) -> Vec<&'static str> {
    loaded.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn syntax_errors_at_multi_byte_characters_render() {
    for text in [
        "[]€",
        "gambit: 1\nname: x\n\u{feff}: 3\n",
        "gambit: 1\nname: [a\u{85}\n",
        "gambit: 1\n\u{200b}name: x\n  - b\n",
        "gambit: 1\nname: \"\u{1F600}\n",
        "{\"gambit\": 1, \"name\": \"€€€\"]",
    ] {
        let loaded = load(text);
        assert!(loaded.errors() > 0, "{text:?} should not load");
        let out = rendered(&loaded);
        assert!(out.contains("--> hostile.yaml:"), "{text:?}: {out}");
    }
}

#[test]
fn every_byte_offset_of_a_multi_byte_file_renders() {
    // A span may land anywhere, including inside a character: the renderer snaps it.
    let text = "gambit: 1\nname: €😀ü\n";
    let mut loaded = load(text);
    for start in 0..=text.len() + 2 {
        for len in 0..4 {
            let span = gambit_model::Span::new(gambit_model::FileId(0), start, start + len);
            loaded.diagnostics = vec![gambit_model::Diagnostic::error("test", "x").at(span)];
            let out = rendered(&loaded);
            assert!(out.contains("error[test]"), "{start}+{len}: {out}");
        }
    }
}

#[test]
fn long_lines_are_cut_around_the_span_with_the_true_column() {
    let pad = "y".repeat(100_000);
    let text = format!("{{\"gambit\": 1, \"name\": \"{pad}€\", \"nope\": 1}}");
    let loaded = load(&text);
    let out = rendered(&loaded);
    let column = text[..text.find("\"nope\"").unwrap()].chars().count() + 1;
    assert!(
        out.contains(&format!("--> hostile.yaml:1:{column}\n")),
        "{out}"
    );
    assert!(
        out.contains("\"nope\": 1}"),
        "the span's text is shown: {out}"
    );
    assert!(out.len() < 2_000, "{} bytes rendered", out.len());
    assert_eq!(codes(&loaded), ["unknown-key"]);
}
