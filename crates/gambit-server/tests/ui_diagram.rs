//! The UI's diagram document for a 200-component model, without a browser: every
//! component is drawn (the UI never collapses a zone, so nothing a person searches for or
//! an attack path lights is hidden), no two boxes overlap, and every element each path
//! highlights is in the drawing. `tests/browser.rs` checks the same page in Chromium.

use std::collections::BTreeSet;
use std::path::Path;

use gambit_server::analysis::{Checked, check};

fn analyzed(name: &str) -> gambit_server::analysis::Analyzed {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    let source = std::fs::read_to_string(&path).unwrap();
    match check(name, source, gambit_model::DEFAULT_MAX_SIZE, &[]) {
        Checked::Valid(a) => *a,
        Checked::Invalid(doc) => panic!("{name} is invalid: {doc}"),
    }
}

/// The value of attribute `name` in the tag starting `tag`, unescaped.
fn attr(tag: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let start = tag.find(&key).map(|i| i + key.len()).expect(name);
    let end = tag[start..].find('"').unwrap();
    unescape(&tag[start..start + end])
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

struct Drawn {
    id: String,
    component: bool,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn nodes(svg: &str) -> Vec<Drawn> {
    svg.split("<g class=\"node ")
        .skip(1)
        .map(|tag| {
            let tag = &tag[..tag.find('>').unwrap()];
            let num = |n: &str| attr(tag, n).parse::<f64>().unwrap();
            Drawn {
                id: attr(tag, "data-id"),
                component: attr(tag, "data-kind") == "component",
                x: num("data-x"),
                y: num("data-y"),
                w: num("data-w"),
                h: num("data-h"),
            }
        })
        .collect()
}

#[test]
fn two_hundred_components_are_all_drawn_apart_and_highlightable() {
    let analyzed = analyzed("saas-multi-region.yaml");
    let model = &analyzed.model;
    assert_eq!(
        model.components.len(),
        200,
        "the example has 200 components"
    );
    let doc = gambit_server::ui::diagram(&analyzed).unwrap();
    let drawn = nodes(&doc.svg);

    let components: BTreeSet<&str> = drawn
        .iter()
        .filter(|n| n.component)
        .map(|n| n.id.as_str())
        .collect();
    let expected: BTreeSet<&str> = model.components.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        components, expected,
        "every component is drawn, and only those"
    );
    assert_eq!(drawn.len(), 200 + model.actors.len(), "and every actor");
    assert!(
        !doc.svg
            .contains(gambit_report::diagram::views::COLLAPSED_KIND),
        "no zone is collapsed"
    );

    for (i, a) in drawn.iter().enumerate() {
        for b in &drawn[i + 1..] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert!(apart, "{} and {} overlap", a.id, b.id);
        }
    }

    let ids: BTreeSet<String> = doc
        .svg
        .split(" data-id=\"")
        .skip(1)
        .map(|s| unescape(&s[..s.find('"').unwrap()]))
        .collect();
    assert!(
        doc.paths.len() >= 10,
        "the example has attack paths to light"
    );
    for path in &doc.paths {
        for id in path.highlight.elements() {
            assert!(
                ids.contains(id),
                "{id} of a path to {} is not drawn",
                path.asset
            );
        }
    }
}
