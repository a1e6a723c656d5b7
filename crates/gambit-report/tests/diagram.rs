//! Diagrams of the example models: DOT, Mermaid and SVG snapshots, well-formed SVG with
//! one node per component and actor, zone focus, path overlays, escaping, determinism.

mod common;

use std::collections::BTreeSet;

use gambit_report::diagram::{self, DiagramOptions, Focus};
use gambit_report::highlight::Highlight;
use quick_xml::events::Event;

fn all() -> DiagramOptions {
    DiagramOptions::default()
}

#[test]
fn dot_snapshots() {
    for name in common::EXAMPLES {
        let (model, _) = common::load(name);
        let dot = diagram::dot::render(&model, &all()).expect("renders");
        insta::assert_snapshot!(format!("dot-{}", common::stem(name)), dot);
    }
}

#[test]
fn mermaid_snapshots() {
    for name in common::EXAMPLES {
        let (model, _) = common::load(name);
        let text = diagram::mermaid::render(&model, &all()).expect("renders");
        insta::assert_snapshot!(format!("mermaid-{}", common::stem(name)), text);
    }
}

#[test]
fn svg_snapshots() {
    for name in common::EXAMPLES {
        let (model, _) = common::load(name);
        let svg = diagram::svg::render(&model, &all()).expect("renders");
        insta::assert_snapshot!(format!("svg-{}", common::stem(name)), svg);
    }
}

/// What a well-formed SVG holds: the `data-id`s of its component and actor nodes and of
/// its flows. Panics when the XML is not well formed (quick-xml checks tag balance).
struct Drawn {
    components: Vec<String>,
    actors: Vec<String>,
    flows: Vec<String>,
    highlighted: BTreeSet<String>,
}

fn parse_svg(svg: &str) -> Drawn {
    let mut reader = quick_xml::Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut drawn = Drawn {
        components: Vec::new(),
        actors: Vec::new(),
        flows: Vec::new(),
        highlighted: BTreeSet::new(),
    };
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => {
                depth += 1;
                let attr = |name: &[u8]| {
                    e.try_get_attribute(name)
                        .expect("attributes parse")
                        .map(|a| {
                            a.unescape_value()
                                .expect("attribute unescapes")
                                .into_owned()
                        })
                };
                if e.name().as_ref() == b"g"
                    && let (Some(class), Some(id)) = (attr(b"class"), attr(b"data-id"))
                {
                    let classes: Vec<&str> = class.split_whitespace().collect();
                    if classes.contains(&"node") && classes.contains(&"component") {
                        drawn.components.push(id.clone());
                    }
                    if classes.contains(&"node") && classes.contains(&"actor") {
                        drawn.actors.push(id.clone());
                    }
                    if classes.contains(&"flow") {
                        drawn.flows.push(id.clone());
                    }
                    if classes.contains(&"hl") {
                        drawn.highlighted.insert(id);
                    }
                }
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(_) => {}
            Err(e) => panic!(
                "SVG is not well-formed at {}: {e}",
                reader.buffer_position()
            ),
        }
    }
    assert_eq!(depth, 0, "every tag is closed");
    drawn
}

#[test]
fn svg_is_well_formed_with_one_node_per_component_actor_and_flow() {
    for name in common::EXAMPLES {
        let (model, _) = common::load(name);
        let svg = diagram::svg::render(&model, &all()).expect("renders");
        let drawn = parse_svg(&svg);
        let mut want: Vec<String> = model.components.iter().map(|c| c.id.clone()).collect();
        want.sort();
        assert_eq!(drawn.components, want, "{name}: one node per component");
        let mut actors: Vec<String> = model.actors.iter().map(|a| a.id.clone()).collect();
        actors.sort();
        assert_eq!(drawn.actors, actors, "{name}: one node per actor");
        assert_eq!(
            drawn.flows.len(),
            model.flows.len(),
            "{name}: one arrow per flow"
        );
    }
}

#[test]
fn nodes_never_overlap_and_stay_inside_their_zone() {
    for name in common::EXAMPLES {
        let (model, _) = common::load(name);
        let scene = diagram::Scene::build(&model, &all()).expect("builds");
        let lay = diagram::layout::layout(&scene);
        for (i, a) in lay.nodes.iter().enumerate() {
            for b in &lay.nodes[i + 1..] {
                let apart =
                    a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "{name}: nodes overlap: {a:?} {b:?}");
            }
            let z = lay.zones[scene.nodes[i].zone];
            assert!(
                a.x >= z.x && a.y >= z.y && a.x + a.w <= z.x + z.w && a.y + a.h <= z.y + z.h,
                "{name}: node {} outside its zone",
                scene.nodes[i].id
            );
            assert!(a.x + a.w <= lay.width && a.y + a.h <= lay.height);
        }
    }
}

#[test]
fn zone_boxes_nest_or_stay_apart() {
    for name in common::EXAMPLES {
        let (model, _) = common::load(name);
        let scene = diagram::Scene::build(&model, &all()).expect("builds");
        let lay = diagram::layout::layout(&scene);
        let inside = |a: &diagram::layout::Rect, b: &diagram::layout::Rect| {
            a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h
        };
        for i in 0..scene.zones.len() {
            for j in (i + 1)..scene.zones.len() {
                let (a, b) = (lay.zones[i], lay.zones[j]);
                let apart =
                    a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                let nested = scene.zone_path(i).contains(&j) || scene.zone_path(j).contains(&i);
                if nested {
                    assert!(
                        inside(&a, &b) || inside(&b, &a),
                        "{name}: {} and {} nest",
                        scene.zones[i].id,
                        scene.zones[j].id
                    );
                } else {
                    assert!(
                        apart,
                        "{name}: zones {} and {} overlap",
                        scene.zones[i].id, scene.zones[j].id
                    );
                }
            }
        }
    }
}

#[test]
fn zone_focus_keeps_the_zone_and_its_neighbours() {
    let (model, _) = common::load("acme-shop.yaml");
    let options = DiagramOptions {
        focus: Focus::Zone("data".into()),
        ..Default::default()
    };
    let scene = diagram::Scene::build(&model, &options).expect("builds");
    let names: Vec<(&str, bool)> = scene
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.neighbour))
        .collect();
    assert_eq!(
        names,
        vec![("db", false), ("support-agent", true), ("web", true)]
    );
    let flows: Vec<&str> = scene.edges.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(flows, vec!["support-agent->db", "web->db"]);
    let svg = diagram::svg::write(&scene);
    assert!(
        svg.contains("node component shape-process public faded"),
        "neighbours are faded"
    );
    insta::assert_snapshot!(
        "mermaid-acme-shop-zone-data",
        diagram::mermaid::write(&scene)
    );
}

#[test]
fn zone_focus_on_a_parent_zone_includes_nested_zones() {
    let (model, _) = common::load("acme-shop.yaml");
    let options = DiagramOptions {
        focus: Focus::Zone("aws-prod".into()),
        ..Default::default()
    };
    let scene = diagram::Scene::build(&model, &options).expect("builds");
    let inside: Vec<&str> = scene
        .nodes
        .iter()
        .filter(|n| !n.neighbour)
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(inside, vec!["db", "support-agent", "support-staff", "web"]);
}

#[test]
fn an_unknown_zone_is_an_error_with_a_suggestion() {
    let (model, _) = common::load("acme-shop.yaml");
    let options = DiagramOptions {
        focus: Focus::Zone("dmx".into()),
        ..Default::default()
    };
    let err = diagram::dot::render(&model, &options).expect_err("dmx is not a zone");
    assert!(
        err.contains("`dmx` is not a zone") && err.contains("dmz"),
        "{err}"
    );
    let options = DiagramOptions {
        focus: Focus::Zone("web".into()),
        ..Default::default()
    };
    let err = diagram::dot::render(&model, &options).expect_err("web is a component");
    assert!(err.contains("component"), "{err}");
}

#[test]
fn a_highlighted_path_is_red_and_numbered_in_every_format() {
    let (model, _) = common::load("acme-shop.yaml");
    let step = |gains, on: &str, technique, via: &str| gambit_graph::Step {
        gains,
        on: on.into(),
        technique,
        via: via.into(),
        elements: gambit_graph::StepElements {
            flow: via.contains("->").then(|| via.to_owned()),
            ..Default::default()
        },
        likelihood: 1.0,
        effort: 1.0,
    };
    let path = gambit_graph::AttackPath {
        attacker: "internet".into(),
        goal: gambit_graph::GoalOut {
            access: "read",
            asset: "card-tokens".into(),
            component: None,
        },
        likelihood: 1.0,
        effort: 2.0,
        steps: vec![
            step("exec", "web", "T1190", "CVE-2021-23017"),
            step("reach", "db", "T1021", "web->db"),
        ],
        rank: 1,
    };
    let options = DiagramOptions {
        highlight: Highlight::from_path(&model, &path),
        ..Default::default()
    };
    let svg = diagram::svg::render(&model, &options).expect("renders");
    let drawn = parse_svg(&svg);
    let want: BTreeSet<String> = ["db", "web", "web->db"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(drawn.highlighted, want);
    assert!(svg.contains("gambit-diagram has-hl"));
    assert!(svg.contains(r#"<g class="step-badge">"#));
    let dot = diagram::dot::render(&model, &options).expect("renders");
    assert!(dot.contains("\"web\" -> \"db\" [label=\"postgres (plaintext)\\ncustomer-pii, card-tokens; returns customer-pii\\nstep 2\""), "{dot}");
    let mermaid = diagram::mermaid::render(&model, &options).expect("renders");
    assert!(mermaid.contains("class c_db,c_web hl"), "{mermaid}");
    assert!(mermaid.contains("linkStyle 4 stroke:#e03131"), "{mermaid}");
    insta::assert_snapshot!("svg-acme-shop-path", svg);
}

#[test]
fn focus_on_elements_draws_only_them() {
    let (model, _) = common::load("acme-shop.yaml");
    let options = DiagramOptions {
        focus: Focus::Elements(["web".to_owned(), "db".to_owned()].into()),
        ..Default::default()
    };
    let drawn = parse_svg(&diagram::svg::render(&model, &options).expect("renders"));
    assert_eq!(drawn.components, vec!["db", "web"]);
    assert_eq!(drawn.flows, vec!["web->db"]);
}

const AWKWARD: &str = r#"gambit: 1
name: 'Quotes " and <tags> & ampersands'
zones:
  z.1: {kind: 'net"work'}
  z_1: {kind: network}
components:
  end: {kind: 'web "app" <b>', zone: z.1}
  a.b: {kind: service, zone: z_1}
  a-b: {kind: service, zone: z_1}
flows:
  - {from: end, to: a.b, protocol: 'x"y\z', data: []}
  - {from: a.b, to: a-b, protocol: 'p|q#r'}
"#;

#[test]
fn ids_and_labels_are_escaped() {
    let model = common::load_text(AWKWARD);
    let dot = diagram::dot::render(&model, &all()).expect("renders");
    assert!(dot.contains(r#"label="end\n(web \"app\" <b>)""#), "{dot}");
    assert!(dot.contains(r#"label="x\"y\\z (plaintext)""#), "{dot}");
    let mermaid = diagram::mermaid::render(&model, &all()).expect("renders");
    // `end` is a Mermaid keyword; ids are prefixed, and ids that sanitize alike differ.
    assert!(
        mermaid.contains("c_end(\"end<br/>(web #quot;app#quot; #lt;b#gt;)\")"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("c_a_b(") && mermaid.contains("c_a_b_2("),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("z_z_1[") && mermaid.contains("z_z_1_2["),
        "{mermaid}"
    );
    assert!(mermaid.contains("p#124;q#35;r"), "{mermaid}");
    let svg = diagram::svg::render(&model, &all()).expect("renders");
    let drawn = parse_svg(&svg);
    assert_eq!(drawn.components, vec!["a-b", "a.b", "end"]);
    assert!(svg.contains("Quotes &quot; and &lt;tags&gt; &amp; ampersands"));
}

#[test]
fn output_does_not_depend_on_the_order_the_model_is_written_in() {
    let forward = "gambit: 1\nname: order\nzones:\n  a: {kind: network}\n  b: {kind: network}\ncomponents:\n  x: {kind: api, zone: a}\n  y: {kind: database, zone: b}\n  z: {kind: worker, zone: a}\nflows:\n  - {from: x, to: y, protocol: https}\n  - {from: z, to: y, protocol: postgres}\n";
    let backward = "gambit: 1\nname: order\ncomponents:\n  z: {kind: worker, zone: a}\n  y: {kind: database, zone: b}\n  x: {kind: api, zone: a}\nzones:\n  b: {kind: network}\n  a: {kind: network}\nflows:\n  - {from: z, to: y, protocol: postgres}\n  - {from: x, to: y, protocol: https}\n";
    let (m1, m2) = (common::load_text(forward), common::load_text(backward));
    for render in [
        diagram::dot::render,
        diagram::mermaid::render,
        diagram::svg::render,
    ] {
        assert_eq!(render(&m1, &all()), render(&m2, &all()));
    }
}

#[test]
fn an_empty_model_still_draws() {
    let model = common::load_text("gambit: 1\nname: empty\n");
    let svg = diagram::svg::render(&model, &all()).expect("renders");
    let drawn = parse_svg(&svg);
    assert!(drawn.components.is_empty());
    assert!(
        diagram::dot::render(&model, &all())
            .expect("renders")
            .starts_with("digraph")
    );
}

#[test]
fn fifty_components_lay_out_fast_and_without_overlap() {
    let yaml = gambit_model::synth::enterprise(50, 7);
    let model = common::load_text(&yaml);
    let start = std::time::Instant::now();
    let svg = diagram::svg::render(&model, &all()).expect("renders");
    assert!(start.elapsed().as_secs_f64() < 5.0);
    let drawn = parse_svg(&svg);
    assert_eq!(drawn.components.len(), model.components.len());
}

#[test]
fn synthetic_models_of_any_seed_lay_out_cleanly() {
    for seed in 1..6 {
        let model = common::load_text(&gambit_model::synth::enterprise(
            25 + 10 * seed as usize,
            seed,
        ));
        let scene = diagram::Scene::build(&model, &all()).expect("builds");
        let lay = diagram::layout::layout(&scene);
        for (i, a) in lay.nodes.iter().enumerate() {
            for b in &lay.nodes[i + 1..] {
                let apart =
                    a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "seed {seed}: nodes overlap");
            }
        }
        let drawn = parse_svg(&diagram::svg::write(&scene));
        assert_eq!(drawn.components.len(), model.components.len());
        assert!(diagram::mermaid::write(&scene).starts_with("flowchart LR"));
    }
}

#[test]
fn self_loops_and_actor_to_actor_flows_draw() {
    let model = common::load_text(
        "gambit: 1\nname: loops\nactors:\n  a: {kind: user}\n  b: {kind: partner}\ncomponents:\n  w: {kind: worker}\nflows:\n  - {from: w, to: w, protocol: https, id: w-self}\n  - {from: a, to: b, protocol: smtp}\n  - {from: a, to: w, protocol: https}\n  - {from: w, to: a, protocol: https}\n",
    );
    let svg = diagram::svg::render(&model, &all()).expect("renders");
    let drawn = parse_svg(&svg);
    assert_eq!(drawn.flows.len(), 4);
    assert!(
        diagram::dot::render(&model, &all())
            .expect("renders")
            .contains("\"w\" -> \"w\"")
    );
}
