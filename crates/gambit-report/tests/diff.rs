//! `diff` of two reports: patching an exploited vulnerability removes exactly the
//! attack paths that used it; an unchanged model diffs empty; threats added, resolved and
//! changed are told apart.

mod common;

use gambit_graph::AttackPath;
use gambit_report::diff::{self, ReportDiff};

fn report_of_text(text: &str) -> gambit_report::Report {
    let loaded = gambit_model::load_str("m.yaml", text.to_owned(), None, Default::default());
    let model = loaded
        .model
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    common::report_of(&model, &loaded.sources)
}

fn uses(path: &AttackPath, via: &str) -> bool {
    path.steps
        .iter()
        .any(|s| s.elements.vulnerability.as_deref() == Some(via))
}

fn json_of(path: &AttackPath) -> String {
    serde_json::to_string(path).expect("JSON")
}

fn acme() -> String {
    std::fs::read_to_string(common::examples_dir().join("acme-shop.yaml")).expect("example")
}

#[test]
fn patching_the_exploited_vulnerability_removes_exactly_the_paths_that_used_it() {
    let before_text = acme();
    let after_text = before_text.replace(
        "        epss: 0.04\n",
        "        epss: 0.04\n        status: fixed\n",
    );
    assert_ne!(before_text, after_text, "the patch applies");
    let (before, after) = (report_of_text(&before_text), report_of_text(&after_text));
    let d = diff::diff(&before, &after);

    let cve = "CVE-2021-23017";
    let best = |r: &gambit_report::Report| -> Vec<AttackPath> { r.best_paths().cloned().collect() };
    let used: Vec<AttackPath> = best(&before).into_iter().filter(|p| uses(p, cve)).collect();
    assert!(!used.is_empty(), "some best path exploits {cve}");
    assert!(best(&before).len() > used.len(), "some best path does not");
    let mut removed: Vec<String> = d.attack_paths.removed.iter().map(json_of).collect();
    // Every best path that did not use it is still there, at some rank.
    for p in best(&before).iter().filter(|p| !uses(p, cve)) {
        let same = |q: &AttackPath| q.goal == p.goal && q.steps == p.steps;
        assert!(after.attack_paths.iter().any(same), "still possible: {p:?}");
    }
    let mut expected: Vec<String> = used.iter().map(json_of).collect();
    removed.sort();
    expected.sort();
    assert_eq!(
        removed, expected,
        "removed = the paths that used the vulnerability"
    );
    assert!(
        d.attack_paths.added.iter().all(|p| !uses(p, cve)),
        "no new path uses it"
    );
    // The goals it served are still reached, another way (the support agent).
    // Every goal they served is now reached another way, or no longer at all.
    for p in &used {
        let still = best(&after).iter().any(|q| q.goal == p.goal);
        let lost = d
            .exposure
            .lost
            .iter()
            .any(|e| e.asset == p.goal.asset && e.access.contains(&p.goal.access));
        assert!(
            still || lost,
            "goal {:?} is either still reached or its exposure is lost",
            p.goal
        );
    }
    let resolved: Vec<&str> = d.threats.resolved.iter().map(|t| t.id.as_str()).collect();
    assert!(
        resolved.contains(&"exploitable-vulnerability@web"),
        "{resolved:?}"
    );
    assert!(d.chokepoints.removed.iter().any(|c| c.fix.contains(cve)));
    let text = diff::text(&d);
    assert!(
        text.contains("- ") && text.contains("exploitable-vulnerability@web"),
        "{text}"
    );
    insta::assert_snapshot!("diff-acme-patch-cve", text);
}

#[test]
fn the_same_model_diffs_empty() {
    let (report, _, _) = common::report("k8s-microservices.yaml");
    let d = diff::diff(&report, &report);
    assert!(d.is_empty());
    assert_eq!(d, ReportDiff::default());
    assert!(diff::text(&d).starts_with("No change"));
    assert_eq!(
        serde_json::to_value(&d).expect("JSON"),
        serde_json::json!({"threats": {"added": [], "resolved": [], "changed": []},
            "attack_paths": {"added": [], "removed": []},
            "exposure": {"gained": [], "lost": []},
            "chokepoints": {"added": [], "removed": []}})
    );
}

#[test]
fn threats_added_resolved_and_changed() {
    let before_text = acme();
    // Exposing the database: new threats and exposure; removing the acceptance of the
    // web->db finding: its status changes.
    let after_text = before_text
        .replace(
            "    kind: database\n    zone: data\n",
            "    kind: database\n    zone: data\n    public: true\n",
        )
        .replace(
            "    status: accepted                # open",
            "    status: open                # open",
        );
    let (before, after) = (report_of_text(&before_text), report_of_text(&after_text));
    let d = diff::diff(&before, &after);
    let added: Vec<&str> = d.threats.added.iter().map(|t| t.id.as_str()).collect();
    assert!(added.contains(&"public-datastore@db"), "{added:?}");
    let changed = d
        .threats
        .changed
        .iter()
        // The accepted unencrypted-communication@web->db is folded into this threat.
        .find(|t| t.id == "credential-over-unencrypted-flow@web->db")
        .expect("the decision change is reported");
    assert_eq!(changed.from.status.to_string(), "accepted");
    assert_eq!(changed.to.status.to_string(), "open");
    let reverse = diff::diff(&after, &before);
    let resolved: Vec<&str> = reverse
        .threats
        .resolved
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    assert!(resolved.contains(&"public-datastore@db"));
    assert_eq!(
        d.exposure.gained.len(),
        reverse.exposure.lost.len(),
        "gained one way is lost the other"
    );
}
