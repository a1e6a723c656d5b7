//! `layout::layout_for_screen`, the packing `gambit serve`'s UI draws with: a large
//! diagram comes out wider than the page layout's tall column, every box apart and
//! inside its zone; a small diagram is laid out as on a page.

mod common;

use gambit_report::diagram::layout::{self, Layout, Rect};
use gambit_report::diagram::{DiagramOptions, Scene};

fn scene(yaml: &str) -> Scene {
    Scene::build(&common::load_text(yaml), &DiagramOptions::default()).expect("builds")
}

fn inside(inner: &Rect, outer: &Rect) -> bool {
    inner.x >= outer.x
        && inner.y >= outer.y
        && inner.x + inner.w <= outer.x + outer.w
        && inner.y + inner.h <= outer.y + outer.h
}

fn assert_apart_and_nested(scene: &Scene, lay: &Layout) {
    for (i, a) in lay.nodes.iter().enumerate() {
        for (j, b) in lay.nodes.iter().enumerate().skip(i + 1) {
            assert!(
                !a.overlaps(b),
                "{} and {} overlap",
                scene.nodes[i].id,
                scene.nodes[j].id
            );
        }
        let zone = scene.nodes[i].zone;
        assert!(
            inside(a, &lay.zones[zone]),
            "{} is outside its zone {}",
            scene.nodes[i].id,
            scene.zones[zone].id
        );
    }
}

#[test]
fn a_large_diagram_packed_for_a_screen_is_wider_and_keeps_boxes_apart() {
    let scene = scene(&gambit_model::synth::enterprise(200, 7));
    let page = layout::layout(&scene);
    let screen = layout::layout_for_screen(&scene, 1, 6000.0);
    let aspect = |l: &Layout| l.width / l.height;
    assert!(
        aspect(&screen) > 2.0 * aspect(&page),
        "screen {}x{}, page {}x{}",
        screen.width,
        screen.height,
        page.width,
        page.height
    );
    assert!(
        screen.width <= 6000.0 + 200.0,
        "bands wrap at the width asked"
    );
    assert_apart_and_nested(&scene, &screen);
}

#[test]
fn a_small_diagram_is_laid_out_as_on_a_page() {
    let text = "gambit: 1\nname: t\ncomponents:\n  web: {kind: web-app, public: true}\n  api: {kind: api}\n  db: {kind: database}\nflows:\n  - {from: web, to: api, protocol: https, authentication: token}\n  - {from: api, to: db, protocol: postgres, authentication: password}\n";
    let scene = scene(text);
    let screen = layout::layout_for_screen(&scene, 1, 6000.0);
    assert_eq!(screen.nodes, layout::layout(&scene).nodes);
    assert_apart_and_nested(&scene, &screen);
}
