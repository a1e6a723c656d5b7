//! Smaller views of large diagrams: zones collapsed into one box (by name, and
//! automatically above a size) and a component's neighbourhood.

mod common;
mod geometry;

use gambit_report::diagram::views::{COLLAPSED_KIND, neighbourhood};
use gambit_report::diagram::{self, DiagramOptions, Focus, Scene};

fn saas() -> gambit_model::Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/models/saas-aws.yaml");
    common::load_text(&std::fs::read_to_string(path).expect("the model reads"))
}

fn ids(scene: &Scene) -> Vec<&str> {
    scene.nodes.iter().map(|n| n.id.as_str()).collect()
}

#[test]
fn a_collapsed_zone_is_one_box_and_flows_across_its_border_end_there() {
    let model = saas();
    let mut scene = Scene::build(&model, &DiagramOptions::default()).expect("builds");
    let before = scene.nodes.len();
    scene.collapse("data").expect("data is a zone");
    let members = [
        "main-db",
        "read-replica",
        "session-cache",
        "search-index",
        "documents-bucket",
        "secrets",
    ];
    assert_eq!(scene.nodes.len(), before - members.len() + 1);
    for m in members {
        assert!(
            !ids(&scene).contains(&m),
            "{m} is inside the collapsed zone"
        );
    }
    let zone_node = scene
        .nodes
        .iter()
        .position(|n| n.id == "data")
        .expect("one box for the zone");
    assert_eq!(scene.nodes[zone_node].kind, COLLAPSED_KIND);
    assert!(
        scene.nodes[zone_node]
            .detail
            .contains("6 components, 0 actors")
    );
    // The zone's frame stays, holding only its box.
    let frame = scene
        .zones
        .iter()
        .position(|z| z.id == "data")
        .expect("the frame stays");
    assert_eq!(scene.zones[frame].nodes, vec![zone_node]);
    // public-api -> main-db now ends at the box; main-db -> read-replica is gone.
    let flow = |id: &str| scene.edges.iter().find(|e| e.id == id);
    let into = flow("public-api->main-db").expect("a flow across the border stays");
    assert_eq!(scene.nodes[into.to].id, "data");
    assert!(flow("main-db->read-replica").is_none());
    // Still sorted by id, and every index in range.
    assert!(ids(&scene).windows(2).all(|w| w[0] < w[1]));
    assert!(
        scene
            .edges
            .iter()
            .all(|e| e.from < scene.nodes.len() && e.to < scene.nodes.len())
    );
    let svg = diagram::svg::write(&scene);
    let figures = geometry::from_svg(&svg).figures();
    assert_eq!(figures.through_box, 0, "{figures}");
}

#[test]
fn collapsing_a_parent_zone_drops_its_sub_zones() {
    let model = saas();
    let mut scene = Scene::build(&model, &DiagramOptions::default()).expect("builds");
    scene.collapse("aws-prod").expect("a zone");
    let zones: Vec<&str> = scene.zones.iter().map(|z| z.id.as_str()).collect();
    for gone in ["app", "data", "edge", "workers", "analytics"] {
        assert!(!zones.contains(&gone), "{gone} is inside aws-prod");
    }
    assert!(ids(&scene).contains(&"aws-prod"));
    assert!(ids(&scene).contains(&"repo"), "other zones stay");
}

#[test]
fn an_unknown_zone_to_collapse_is_an_error_with_a_suggestion() {
    let model = saas();
    let mut scene = Scene::build(&model, &DiagramOptions::default()).expect("builds");
    let err = scene.collapse("dta").expect_err("no such zone");
    assert!(
        err.contains("`dta` is not a zone") && err.contains("data"),
        "{err}"
    );
}

#[test]
fn large_diagrams_collapse_their_largest_zones_down_to_a_size() {
    let model = common::load_text(&gambit_model::synth::enterprise(200, 3));
    let mut scene = Scene::build(&model, &DiagramOptions::default()).expect("builds");
    assert!(scene.nodes.len() > 150);
    let collapsed = scene.collapse_to(150);
    assert!(!collapsed.is_empty());
    assert!(scene.nodes.len() <= 150, "{} boxes", scene.nodes.len());
    // A small diagram is left alone.
    let mut small = Scene::build(&saas(), &DiagramOptions::default()).expect("builds");
    assert!(small.collapse_to(150).is_empty());
}

#[test]
fn a_neighbourhood_is_what_lies_within_depth_flows() {
    let model = saas();
    let one = neighbourhood(&model, "billing-service", 1).expect("a component");
    let expected = [
        "billing-service",
        "main-db",
        "notification-service",
        "payment-provider",
        "public-api",
    ];
    assert_eq!(one.iter().map(String::as_str).collect::<Vec<_>>(), expected);
    let zero = neighbourhood(&model, "billing-service", 0).expect("a component");
    assert_eq!(zero.len(), 1);
    let two = neighbourhood(&model, "billing-service", 2).expect("a component");
    assert!(two.contains("job-queue") && two.is_superset(&one));
    let options = DiagramOptions {
        focus: Focus::Elements(one),
        ..DiagramOptions::default()
    };
    let scene = Scene::build(&model, &options).expect("builds");
    assert_eq!(scene.nodes.len(), expected.len());
}

#[test]
fn a_neighbourhood_of_an_unknown_or_wrong_element_is_an_error() {
    let model = saas();
    let err = neighbourhood(&model, "biling-service", 1).expect_err("unknown");
    assert!(err.contains("billing-service"), "{err}");
    let err = neighbourhood(&model, "invoices", 1).expect_err("an asset");
    assert!(err.contains("not a component or an actor"), "{err}");
}

#[test]
fn collapsed_small_diagram_snapshot() {
    let (model, _) = common::load("acme-shop.yaml");
    let mut scene = Scene::build(&model, &DiagramOptions::default()).expect("builds");
    scene.collapse("data").expect("a zone");
    insta::assert_snapshot!("svg-acme-shop-collapsed", diagram::svg::write(&scene));
}
