//! Baselines: what counts as new since an earlier `analyze --format json`.

mod common;

use gambit_report::baseline::Baseline;

#[test]
fn a_report_is_its_own_baseline_with_nothing_new() {
    let (report, _, _) = common::report("acme-shop.yaml");
    let text = serde_json::to_string(&serde_json::to_value(&report).expect("JSON")).expect("JSON");
    let baseline = Baseline::parse(&text).expect("reads analyze JSON");
    assert_eq!(baseline.len(), report.threats.len());
    assert!(baseline.new_threats(&report.threats).is_empty());
}

#[test]
fn missing_reopened_and_more_severe_threats_are_new() {
    let (report, _, _) = common::report("acme-shop.yaml");
    let mut json = serde_json::to_value(&report).expect("JSON");
    let threats = json["threats"].as_array_mut().expect("threats");
    let open_ids: Vec<String> = report
        .threats
        .iter()
        .filter(|t| t.open)
        .map(|t| t.id.clone())
        .collect();
    let (gone, reopened, rose, fell) = (&open_ids[0], &open_ids[1], &open_ids[2], &open_ids[3]);
    threats.retain(|t| t["id"] != gone.as_str());
    for t in threats.iter_mut() {
        if t["id"] == reopened.as_str() {
            t["open"] = serde_json::json!(false);
            t["status"] = serde_json::json!("accepted");
        }
        if t["id"] == rose.as_str() {
            t["severity"] = serde_json::json!("low");
        }
        if t["id"] == fell.as_str() {
            t["severity"] = serde_json::json!("critical");
        }
    }
    let baseline = Baseline::parse(&json.to_string()).expect("a baseline");
    let mut new: Vec<&str> = baseline
        .new_threats(&report.threats)
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    new.sort();
    let mut want = vec![gone.as_str(), reopened.as_str(), rose.as_str()];
    want.sort();
    assert_eq!(new, want, "{fell} got less severe: not new");
}

#[test]
fn a_closed_threat_that_stays_closed_is_not_new() {
    let (report, _, _) = common::report("acme-shop.yaml");
    let closed = report
        .threats
        .iter()
        .find(|t| !t.open)
        .expect("acme-shop has an accepted threat");
    let baseline = Baseline::parse(&serde_json::to_value(&report).expect("JSON").to_string())
        .expect("a baseline");
    assert!(!baseline.is_new(closed));
    // Without `open`, the status decides.
    let json = serde_json::json!({"threats": [{"id": closed.id, "status": "accepted", "severity": closed.severity.to_string()}]});
    assert!(
        !Baseline::parse(&json.to_string())
            .expect("a baseline")
            .is_new(closed)
    );
}

#[test]
fn malformed_baselines_say_what_is_wrong() {
    assert!(
        Baseline::parse("not json")
            .expect_err("not JSON")
            .contains("not JSON")
    );
    assert!(
        Baseline::parse("{}")
            .expect_err("no threats")
            .contains("analyze --format json")
    );
    let err = Baseline::parse(r#"{"threats": [{"id": 3}]}"#).expect_err("bad id");
    assert!(err.contains("threats[0]"), "{err}");
    assert!(
        Baseline::parse(r#"{"threats": []}"#)
            .expect("empty is fine")
            .is_empty()
    );
}
