//! Malformed and hostile files: a located error naming the file, never a panic or hang.

use gambit_import::{Format, ImportError, MAX_INPUT_BYTES, import};

fn error(format: Format, text: &str) -> ImportError {
    match import(format, "bad.file", text) {
        Ok(imported) => panic!("imported:\n{}", imported.model),
        Err(e) => e,
    }
}

#[test]
fn json_syntax_errors_have_line_and_column() {
    for format in [Format::ThreatDragon, Format::Pytm, Format::Otm] {
        let e = error(format, "{\n  \"summary\": {\"title\": \"x\"},\n  oops\n}");
        assert_eq!(
            (e.file.as_str(), e.line, e.column),
            ("bad.file", Some(3), Some(3)),
            "{format:?}: {e}"
        );
        assert!(
            e.to_string().starts_with("bad.file:3:3: not valid JSON"),
            "{e}"
        );
    }
}

#[test]
fn json_type_errors_have_line_and_column() {
    let e = error(
        Format::ThreatDragon,
        "{\"summary\": {}, \"detail\": {\"diagrams\": [{\"cells\": [{\"data\": {\"outOfScope\": \"maybe\"}}]}]}}",
    );
    assert_eq!(e.line, Some(1));
    assert!(e.to_string().contains("not a threat-dragon model"), "{e}");
    let e = error(Format::Otm, "{\"otmVersion\": \"0.2.0\"}");
    assert!(e.to_string().contains("missing field `project`"), "{e}");
    let e = error(Format::Pytm, "[1, 2]");
    assert!(e.to_string().contains("not a JSON object"), "{e}");
    let e = error(Format::Pytm, "{\"elements\": {\"a\": 1}}");
    assert!(e.to_string().contains("`elements` is not a list"), "{e}");
}

#[test]
fn yaml_errors_have_line_and_column() {
    let e = error(
        Format::Threagile,
        "title: x\ndata_assets:\n  A: [unclosed\n",
    );
    assert!(e.line.is_some() && e.column.is_some(), "{e}");
    assert!(e.to_string().contains("not valid YAML"), "{e}");
    let e = error(
        Format::Threagile,
        "title: x\ntechnical_assets:\n  Web:\n    id: web\n    internet: perhaps\n",
    );
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.to_string().contains("technical_assets.\"Web\""), "{e}");
    let e = error(Format::Threagile, "- a list\n");
    assert!(e.to_string().contains("not a mapping"), "{e}");
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..12 {
        let prev = if i == 0 {
            "a".to_owned()
        } else {
            format!("l{}", i - 1)
        };
        bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    let e = error(Format::Threagile, &bomb);
    assert!(e.to_string().contains("not valid YAML"), "{e}");
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for format in [Format::ThreatDragon, Format::Pytm, Format::Otm] {
        let e = error(format, &deep);
        assert!(e.line.is_some(), "{e}");
    }
    let e = error(Format::Threagile, &format!("a: {deep}"));
    assert!(e.to_string().contains("not valid YAML"), "{e}");
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let big = " ".repeat(MAX_INPUT_BYTES + 1);
    let e = error(Format::Otm, &big);
    assert!(e.to_string().contains("at most"), "{e}");
}

#[test]
fn odd_but_valid_inputs_import_and_load() {
    // Names that slug to nothing or to the same id, self-loops, unknown references.
    let td = r#"{"summary": {"title": "t"}, "detail": {"diagrams": [{"cells": [
        {"id": "a", "data": {"type": "tm.Process", "name": "***"}},
        {"id": "b", "data": {"type": "tm.Process", "name": "Web Server"}},
        {"id": "c", "data": {"type": "tm.Process", "name": "web server"}},
        {"id": "f", "data": {"type": "tm.Flow", "name": "x", "threats": [{"title": "T", "status": "Open"}, {"title": "T", "status": "Mitigated"}]}, "source": {"cell": "b"}, "target": {"cell": "b"}},
        {"id": "g", "data": {"type": "tm.Flow"}, "source": {"cell": "b"}, "target": {"cell": "b"}},
        {"id": "h", "data": {"type": "tm.Flow"}, "source": {"cell": "zzz"}, "target": {"cell": "b"}}
    ]}]}}"#;
    let imported = import(Format::ThreatDragon, "odd.json", td).unwrap();
    let loaded =
        gambit_model::load_str("odd.yaml", imported.model.clone(), None, Default::default());
    assert!(
        loaded.model.is_some(),
        "{:?}\n{}",
        loaded.diagnostics,
        imported.model
    );
    assert!(
        imported.model.contains("  element:") && imported.model.contains("  web-server-2:"),
        "{}",
        imported.model
    );
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("not connected"))
    );
}
