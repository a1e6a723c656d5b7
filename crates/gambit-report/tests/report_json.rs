//! The report's JSON: the keys of the CLI contract, written straight from the typed
//! report in the key order the contract has always had, and the graph results attached.

mod common;

use gambit_graph::{AttackPath, Exposure, GoalOut};
use gambit_report::{GraphResults, Report};
use gambit_rules::{Options, Scoring, analyze};

fn today() -> gambit_model::ast::Date {
    gambit_rules::parse_date("2026-06-01").expect("valid date")
}

fn json_of(report: &Report) -> serde_json::Value {
    serde_json::to_value(report).expect("JSON")
}

fn streamed(report: &Report) -> String {
    let mut out = Vec::new();
    report.write_json(&mut out).expect("writes");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn the_streamed_json_has_every_key_in_sorted_order_as_before() {
    for name in common::EXAMPLES {
        let (report, _, _) = common::report(name);
        let text = streamed(&report);
        assert!(text.ends_with("}\n"), "one document and a newline");
        // A document of sorted maps, pretty-printed, is the form the report always had.
        let sorted: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let canonical = serde_json::to_string_pretty(&sorted).expect("JSON") + "\n";
        assert!(
            text == canonical,
            "{name}: the streamed report differs from its sorted form"
        );
    }
}

#[test]
fn the_report_has_the_keys_of_the_cli_contract_and_takes_graph_results() {
    let (model, _) = common::load("acme-shop.yaml");
    let analysis = analyze(&model, &Options::new(today()));
    let target = analysis.threats[0].target.clone();
    let mut report = Report::new(&model, analysis);
    let json = json_of(&report);
    for key in [
        "gambit_version",
        "model",
        "summary",
        "threats",
        "attack_paths",
        "exposure",
        "chokepoints",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    for key in [
        "components",
        "flows",
        "threats",
        "attack_paths",
        "crown_jewels_exposed",
    ] {
        assert!(json["summary"].get(key).is_some(), "missing summary.{key}");
    }
    let t = &json["threats"][0];
    for key in [
        "id",
        "rule",
        "title",
        "stride",
        "target",
        "target_kind",
        "likelihood",
        "impact",
        "severity",
        "status",
        "on_attack_path",
        "rationale",
        "mitigations",
        "references",
    ] {
        assert!(t.get(key).is_some(), "missing threats[].{key}");
    }
    assert_eq!(t["on_attack_path"], false);
    assert_eq!(
        report.summary.threats.total(),
        report.threats.len(),
        "every threat counted once"
    );

    let exposure = |asset: &str, steps| Exposure {
        attacker: "internet".into(),
        asset: asset.into(),
        access: vec!["read"],
        steps,
        crown_jewel: false,
    };
    let graph = GraphResults {
        attack_paths: vec![AttackPath {
            attacker: "internet".into(),
            goal: GoalOut {
                access: "read",
                asset: "card-tokens".into(),
                component: None,
            },
            likelihood: 0.5,
            effort: 1.0,
            steps: vec![],
            rank: 1,
        }],
        exposure: vec![exposure("card-tokens", 2), exposure("support-inbox", 1)],
        chokepoints: vec![],
        on_attack_path: [(
            target.clone(),
            vec!["internet: read card-tokens".to_owned()],
        )]
        .into_iter()
        .collect(),
    };
    report.attach_graph(&model, graph);
    assert_eq!(report.summary.attack_paths, 1);
    assert_eq!(
        report.summary.crown_jewels_exposed, 1,
        "card-tokens is a crown jewel, support-inbox is not"
    );
    assert!(report.threats[0].on_attack_path);
    assert_eq!(
        report.threats[0].attack_goals,
        vec!["internet: read card-tokens"]
    );
    let first_off = report
        .threats
        .iter()
        .position(|t| !t.on_attack_path)
        .expect("some threat is off every path");
    assert!(
        report.threats[first_off..]
            .iter()
            .all(|t| !t.on_attack_path),
        "threats on a path rank first"
    );
    let json = json_of(&report);
    assert_eq!(json["attack_paths"][0]["goal"]["asset"], "card-tokens");
    assert_eq!(
        json["threats"][0]["attack_goals"][0],
        "internet: read card-tokens"
    );
}

#[test]
fn the_json_report_of_a_small_model() {
    let model = common::load_text(
        r#"
gambit: 1
name: Snapshot Shop
assets:
  orders: {classification: confidential, records: 50000}
  db-pass: {kind: credential, grants: app}
actors:
  buyer: {kind: customer}
components:
  web: {kind: web-app, public: true, holds: [db-pass], controls: [logging, rate-limiting, csrf-protection]}
  db: {kind: database, stores: [orders], encrypted_at_rest: true}
identities:
  app: {kind: database-user, grants: [{access: write, target: db}]}
flows:
  - {from: buyer, to: web, protocol: https, authentication: session, authorization: user}
  - {from: web, to: db, protocol: postgres, authentication: password, credential: db-pass, data: [orders]}
risks:
  - threat: unencrypted-communication@web->db
    status: accepted
    owner: platform
    expires: 2026-12-31
"#,
    );
    let mut options = Options::new(today());
    options.scoring = Scoring::Dread;
    let report = Report::new(&model, analyze(&model, &options));
    let mut json = json_of(&report);
    json["gambit_version"] = "[version]".into();
    insta::assert_json_snapshot!("report-small-model", json);
}
