//! Every public fixture imports, loads without error and analyzes with every imported
//! decision applied to a threat; the imported text is snapshotted.

mod common;

use common::{fixture, load_and_analyze};
use gambit_import::{Format, import};

fn check(
    format: Format,
    path: &str,
) -> (
    gambit_import::Imported,
    gambit_model::Model,
    gambit_rules::ThreatAnalysis,
) {
    let imported = import(format, path, &fixture(path)).unwrap_or_else(|e| panic!("{e}"));
    let (model, analysis) = load_and_analyze(path, &imported.model);
    (imported, model, analysis)
}

fn warnings(imported: &gambit_import::Imported) -> String {
    imported.warnings.iter().map(|w| format!("{w}\n")).collect()
}

#[test]
fn threagile_example() {
    let (imported, model, analysis) = check(Format::Threagile, "threagile/example-threagile.yaml");
    assert_eq!(model.assets.len(), 12);
    assert_eq!(model.zones.iter().filter(|z| !z.builtin).count(), 5);
    assert_eq!(model.components.len() + model.actors.len(), 14);
    assert_eq!(model.flows.len(), 20);
    // Decisions that name an element are applied to their recorded threat.
    let mut decided: Vec<String> = analysis
        .threats
        .iter()
        .filter(|t| t.decision.is_some())
        .map(|t| format!("{} {}", t.id, t.status))
        .collect();
    decided.sort();
    assert_eq!(
        decided,
        [
            "threagile-ldap-injection@ldap-auth-server mitigated",
            "threagile-something-strange@contract-file-server open",
            "threagile-something-strange@sql-database open",
            "threagile-untrusted-deserialization@erp-system accepted",
        ]
    );
    insta::assert_snapshot!("threagile_example", imported.model);
    insta::assert_snapshot!("threagile_example_warnings", warnings(&imported));
}

#[test]
fn threagile_stub() {
    let (imported, model, _) = check(Format::Threagile, "threagile/stub-threagile.yaml");
    assert_eq!(model.components.len(), 2);
    insta::assert_snapshot!("threagile_stub", imported.model);
}

#[test]
fn threat_dragon_demo_models() {
    for (path, components, actors, flows) in [
        ("threat-dragon/v2-threat-model.json", 6, 1, 9),
        ("threat-dragon/three-tier-web-app.json", 3, 0, 3),
        ("threat-dragon/iot-device.json", 10, 1, 14),
    ] {
        let (imported, model, analysis) = check(Format::ThreatDragon, path);
        assert_eq!(
            (
                model.components.len(),
                model.actors.len(),
                model.flows.len()
            ),
            (components, actors, flows),
            "{path}"
        );
        // Every recorded threat is a threat of the analysis with its human decision.
        let source: serde_json::Value = serde_json::from_str(&fixture(path)).unwrap();
        let recorded = source["detail"]["diagrams"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["cells"].as_array().unwrap())
            .filter(|c| {
                // Flows left out (not connected at both ends) take their threats along;
                // threats on elements out of scope stay as comments.
                let connected = c["source"]["cell"].is_string() && c["target"]["cell"].is_string();
                let out_of_scope =
                    c["data"]["outOfScope"] == true && c["data"]["type"] != "tm.Flow";
                (c["data"]["type"] != "tm.Flow" || connected) && !out_of_scope
            })
            .map(|c| c["data"]["threats"].as_array().map_or(0, Vec::len))
            .sum::<usize>();
        let decided = analysis
            .threats
            .iter()
            .filter(|t| t.rule.starts_with("td-") && t.decision.is_some())
            .count();
        assert_eq!(decided, recorded, "{path}");
        let name = path
            .trim_start_matches("threat-dragon/")
            .trim_end_matches(".json");
        insta::assert_snapshot!(format!("threat_dragon_{name}"), imported.model);
        insta::assert_snapshot!(
            format!("threat_dragon_{name}_warnings"),
            warnings(&imported)
        );
    }
}

#[test]
fn pytm_input() {
    let (imported, model, _) = check(Format::Pytm, "pytm/input.json");
    assert_eq!(
        (
            model.components.len(),
            model.actors.len(),
            model.flows.len()
        ),
        (2, 1, 4)
    );
    // The boundary called Internet is the built-in zone; the datastore stores what flows in.
    assert!(imported.model.contains("zone: internet"));
    insta::assert_snapshot!("pytm_input", imported.model);
    insta::assert_snapshot!("pytm_input_warnings", warnings(&imported));
}

#[test]
fn otm_from_another_tool() {
    let (imported, model, analysis) = check(Format::Otm, "otm/payments.otm.json");
    let zone = |id: &str| {
        model
            .components
            .iter()
            .find(|c| c.id == id)
            .map(|c| model[c.zone].id.clone())
    };
    // The zone called Internet is Gambit's; a component inside a component takes its zone.
    assert_eq!(zone("customer-browser").as_deref(), Some("internet"));
    assert_eq!(zone("card-vault-replica"), zone("card-vault"));
    let cards = model
        .assets
        .iter()
        .find(|a| a.id == "card-numbers")
        .unwrap();
    assert_eq!(
        (cards.classification.to_string(), cards.crown_jewel),
        ("restricted".to_owned(), true)
    );
    assert_eq!(
        model.flows.len(),
        3,
        "the flow into a trust zone is left out"
    );
    let mut decided: Vec<String> = analysis
        .threats
        .iter()
        .filter(|t| t.decision.is_some())
        .map(|t| format!("{} {}", t.id, t.status))
        .collect();
    decided.sort();
    assert_eq!(
        decided,
        [
            "otm-card-data-sniffed-in-transit@customer-browser->payments-api false-positive",
            "otm-request-flooding@payments-api open",
            "otm-sql-injection@payments-api mitigated",
        ]
    );
    insta::assert_snapshot!("otm_payments", imported.model);
    insta::assert_snapshot!("otm_payments_warnings", warnings(&imported));
}
