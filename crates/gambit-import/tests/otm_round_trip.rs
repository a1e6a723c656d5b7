//! Export to OTM then import keeps components, zones, flows, data and their
//! classification, for every example model.

mod common;

use std::path::Path;

use gambit_import::{Format, export_otm, import};
use gambit_model::{LoadOptions, Model};

/// The facts a round trip must keep, one line each, sorted.
fn facts(model: &Model) -> Vec<String> {
    let ids = |list: &[gambit_model::AssetId]| {
        list.iter()
            .map(|a| model[*a].id.clone())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = Vec::new();
    for a in &model.assets {
        out.push(format!(
            "asset {} {} {} {} {} crown={}",
            a.id, a.kind, a.classification, a.integrity, a.availability, a.crown_jewel
        ));
    }
    for z in model.zones.iter().filter(|z| !z.builtin) {
        out.push(format!(
            "zone {} {} parent={:?} trust={} isolated={}",
            z.id,
            z.kind.as_str(),
            z.parent.map(|p| &model[p].id),
            z.trust,
            z.isolated
        ));
    }
    for a in &model.actors {
        out.push(format!(
            "actor {} {} zone={} trust={} mfa={} holds=[{}]",
            a.id,
            a.kind.as_str(),
            model[a.zone].id,
            a.trust,
            a.mfa,
            ids(&a.holds)
        ));
    }
    for c in &model.components {
        out.push(format!(
            "component {} {} zone={} public={} stores=[{}] processes=[{}] holds=[{}] at_rest={}",
            c.id,
            c.kind.as_str(),
            model[c.zone].id,
            c.public,
            ids(&c.stores),
            ids(&c.processes),
            ids(&c.holds),
            c.encrypted_at_rest
        ));
    }
    for f in &model.flows {
        out.push(format!(
            "flow {} {}->{} {:?} encrypted={} auth={:?} data=[{}] returns=[{}] code={}",
            f.id,
            model.endpoint_name(f.from),
            model.endpoint_name(f.to),
            f.protocol,
            f.encrypted,
            f.authentication_written,
            ids(&f.data),
            ids(&f.returns),
            f.code
        ));
    }
    out.sort();
    out
}

fn examples() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.push(dir.join("multi-file/main.yaml"));
    paths.sort();
    paths
}

#[test]
fn every_example_survives_export_and_import() {
    let examples = examples();
    assert!(
        examples.len() >= 5,
        "the examples folder moved: {examples:?}"
    );
    for path in examples {
        let loaded = gambit_model::load_path(&path, LoadOptions::default());
        let original = loaded
            .model
            .unwrap_or_else(|| panic!("{} does not load", path.display()));
        let otm = serde_json::to_string_pretty(&export_otm(&original)).unwrap();
        let imported = import(Format::Otm, "export.otm.json", &otm)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (back, _) = common::load_and_analyze(&path.display().to_string(), &imported.model);
        let facts_before = facts(&original);
        assert!(facts_before.len() > 10, "{}", path.display());
        assert_eq!(facts(&back), facts_before, "{}", path.display());
    }
}

#[test]
fn export_is_deterministic_otm() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme-shop.yaml");
    let model = gambit_model::load_path(&path, LoadOptions::default())
        .model
        .unwrap();
    let otm = export_otm(&model);
    assert_eq!(otm["otmVersion"], "0.2.0");
    assert!(otm["project"]["name"].is_string() && otm["project"]["id"].is_string());
    // Every component's parent is a trust zone that exists; every flow joins components.
    let zones: Vec<&str> = otm["trustZones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["id"].as_str().unwrap())
        .collect();
    let components: Vec<&str> = otm["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for c in otm["components"].as_array().unwrap() {
        assert!(
            zones.contains(&c["parent"]["trustZone"].as_str().unwrap()),
            "{c}"
        );
    }
    for f in otm["dataflows"].as_array().unwrap() {
        assert!(
            components.contains(&f["source"].as_str().unwrap())
                && components.contains(&f["destination"].as_str().unwrap()),
            "{f}"
        );
    }
    // The fields OTM 0.2.0's schema requires of each element.
    for a in otm["assets"].as_array().unwrap() {
        for key in ["confidentiality", "integrity", "availability"] {
            assert!(a["risk"][key].is_number(), "{a}");
        }
        assert!(a["id"].is_string() && a["name"].is_string(), "{a}");
    }
    for z in otm["trustZones"].as_array().unwrap() {
        assert!(
            z["id"].is_string() && z["name"].is_string() && z["risk"]["trustRating"].is_number(),
            "{z}"
        );
    }
    for c in otm["components"].as_array().unwrap() {
        assert!(c["name"].is_string() && c["type"].is_string(), "{c}");
    }
    for f in otm["dataflows"].as_array().unwrap() {
        assert!(f["id"].is_string() && f["name"].is_string(), "{f}");
    }
    assert_eq!(
        serde_json::to_string(&otm).unwrap(),
        serde_json::to_string(&export_otm(&model)).unwrap()
    );
    insta::assert_json_snapshot!("acme_shop_otm", otm);
}
