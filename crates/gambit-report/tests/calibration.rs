//! Severity calibration that needs the attack graph: the weakness a best path to a crown
//! jewel actually uses (the CVE exploited, the agent injected, the open datastore read)
//! is critical; a weakness that only sits on the path's components keeps its rating.

mod common;

use gambit_model::vocab::Severity;

fn severity_of(example: &str, id: &str) -> (Severity, bool) {
    let (model, sources) = common::load(example);
    let report = common::report_of(&model, &sources);
    let t = report
        .threats
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("{example} raises {id}"));
    (t.severity, t.on_attack_path)
}

#[test]
fn the_main_threat_of_each_realistic_system_is_critical() {
    for (example, id) in [
        ("saas-aws.yaml", "exploitable-vulnerability@report-renderer"),
        ("k8s-platform.yaml", "exploitable-vulnerability@catalog-svc"),
        (
            "k8s-platform.yaml",
            "unauthenticated-datastore@session-redis",
        ),
        (
            "llm-support-agent.yaml",
            "indirect-prompt-injection@support-agent",
        ),
        ("acme-shop.yaml", "exploitable-vulnerability@web"),
    ] {
        assert_eq!(
            severity_of(example, id),
            (Severity::Critical, true),
            "{example}: {id}"
        );
    }
}

#[test]
fn weaknesses_that_only_sit_on_a_path_keep_their_rating() {
    let (severity, on_path) = severity_of("k8s-platform.yaml", "missing-logging@catalog-svc");
    assert!(on_path);
    assert_eq!(severity, Severity::High);
}

#[test]
fn the_summary_counts_the_raised_severities() {
    let (model, sources) = common::load("saas-aws.yaml");
    let report = common::report_of(&model, &sources);
    let critical = report
        .threats
        .iter()
        .filter(|t| t.severity == Severity::Critical)
        .count();
    assert_eq!(report.summary.threats.critical, critical);
    assert!(critical >= 1);
}
