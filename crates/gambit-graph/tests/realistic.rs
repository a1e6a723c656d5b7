//! The three realistic examples (a SaaS on AWS, a Kubernetes platform, an LLM support
//! agent with tools) show the threat a security engineer would name first on an attack
//! path, and one control removes it.

mod common;

use std::path::Path;

use gambit_graph::{Analysis, AttackPath};
use gambit_model::Model;

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn best(model: &Model, access: &str, asset: &str) -> Option<AttackPath> {
    Analysis::run(model, &[])
        .paths(1, None)
        .into_iter()
        .find(|p| p.goal.access == access && p.goal.asset == asset && p.goal.component.is_none())
}

/// `gains on (technique)` per step, the way a reader scans a path.
fn lines(p: &AttackPath) -> Vec<String> {
    p.steps
        .iter()
        .map(|s| format!("{} {} ({})", s.gains, s.on, s.technique))
        .collect()
}

#[test]
fn saas_the_report_worker_is_fed_customer_html_and_leaks_its_role() {
    let text = example("saas-aws.yaml");
    let model = common::load(&text);
    let p = best(&model, "read", "customer-documents").expect("a path to the documents");
    assert_eq!(
        lines(&p),
        [
            "taint report-templates (-)",
            "feed report-renderer (T1204)",
            "act-as renderer-task-role (T1552.005)",
            "reach documents-bucket (T1090)",
            "read customer-documents (T1530)",
        ]
    );
    assert_eq!(
        p.steps[2].elements.vulnerability.as_deref(),
        Some("CVE-2022-35583")
    );
    // The worker is never reachable from the internet: only its input is.
    assert!(!common::has(&model, "internet", "reach report-renderer"));
    // The edge passes the session on: nothing behind CloudFront answers anonymous callers.
    assert!(!common::has(&model, "internet", "read customer-data"));
    // IMDSv2 with a hop limit of one (metadata-protection) removes the path.
    let guarded = common::load(&text.replace(
        "    runs_as: renderer-task-role\n",
        "    runs_as: renderer-task-role\n    controls: [metadata-protection]\n",
    ));
    assert!(best(&guarded, "read", "customer-documents").is_none());
}

#[test]
fn k8s_the_cve_behind_the_ingress_chain_is_on_an_internet_path() {
    let text = example("k8s-platform.yaml");
    let model = common::load(&text);
    let p = best(&model, "read", "sessions").expect("a path to the sessions");
    assert_eq!(
        lines(&p),
        [
            "reach ingress-nginx (T1190)",
            "reach kong (T1090)",
            "reach catalog-svc (T1090)",
            "exec catalog-svc (T1210)",
            "reach session-redis (T1021)",
            "read sessions (T1190)",
        ]
    );
    assert_eq!(
        p.steps[1].via,
        "ingress-nginx->kong (ingress-nginx, an ingress, forwards requests)"
    );
    let secrets = best(&model, "read", "k8s-secrets").expect("the mounted token is used");
    assert!(lines(&secrets).contains(&"act-as catalog-sa (T1078)".to_owned()));
    // No service is marked public to make this work, so no gateway bypass is implied.
    assert!(
        !model
            .components
            .iter()
            .any(|c| c.public && c.id != "ingress-nginx")
    );
    // A network policy on Redis removes the shared-namespace step.
    let policed = common::load(&text.replace(
        "  session-redis: {kind: cache, zone: ns-shop,",
        "  session-redis: {kind: cache, zone: ns-shop, controls: [network-policy],",
    ));
    assert!(best(&policed, "read", "sessions").is_none());
    assert!(common::has(&policed, "internet", "exec catalog-svc"));
}

#[test]
fn llm_agent_an_injected_email_issues_refunds() {
    let text = example("llm-support-agent.yaml");
    let model = common::load(&text);
    let p = best(&model, "write", "payment-refunds").expect("the agent issues refunds");
    assert_eq!(
        lines(&p),
        [
            "taint inbound-mail (-)",
            "feed support-agent (T1204)",
            "exec support-agent (AML.T0051)",
            "write payment-refunds (T1565)",
        ]
    );
    assert_eq!(
        p.steps[3].via,
        "tool-refund (support-agent calls refund-tool with it)"
    );
    assert_eq!(p.steps[3].elements.flow.as_deref(), Some("tool-refund"));
    // Large refunds already need a person: no path writes them.
    assert!(!common::has(&model, "internet", "write large-refunds"));
    // Choke points: approval, never prompt isolation; the required tools stay, and the
    // reads they give are listed as uncuttable with the reason.
    let answer = Analysis::run(&model, &[]).chokepoints();
    assert!(answer.verified);
    let fixes: Vec<&str> = answer.chokepoints.iter().map(|c| c.fix.as_str()).collect();
    assert!(
        fixes.iter().all(|f| f.starts_with("add human-approval")),
        "{fixes:?}"
    );
    assert!(answer.uncuttable.iter().any(|u| {
        u.reason
            .contains("remove flow tool-order-lookup (required)")
    }));
    // Human approval on the refund call removes the path.
    let approved = common::load(&text.replace(
        "authentication: token, data: [payment-refunds]}",
        "authentication: token, data: [payment-refunds], controls: [human-approval]}",
    ));
    assert!(best(&approved, "write", "payment-refunds").is_none());
    // Prompt isolation only lowers the likelihood.
    let isolated = common::load(&text.replace(
        "controls: [logging, output-validation]",
        "controls: [logging, output-validation, prompt-isolation]",
    ));
    let q = best(&isolated, "write", "payment-refunds").expect("still a path");
    assert!(q.likelihood < p.likelihood);
}
