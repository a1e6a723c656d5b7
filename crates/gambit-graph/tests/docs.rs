//! docs/attack-graph.md documents every control that lowers a step's likelihood.

#[test]
fn every_likelihood_control_is_documented() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/attack-graph.md");
    let doc = std::fs::read_to_string(path).expect("docs/attack-graph.md");
    for control in gambit_graph::score::slowing_controls() {
        assert!(
            doc.lines().any(|l| l.starts_with(&format!("| {control} "))),
            "{control} is missing from the likelihood table of docs/attack-graph.md"
        );
    }
}
