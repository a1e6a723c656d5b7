//! The false-positive review of discovery: a realistic hand-written model (25 components
//! of its own, crown jewels, people, SaaS) over the discovered cluster, analysed as a user
//! would. Each assertion below names a threat that a discovered fact used to produce and
//! an experienced reviewer would strike, or a real one that must stay.

mod common;

use common::{fixture, paths, with_hand_written};
use gambit_discover::kubernetes;

fn threat_ids() -> (Vec<String>, Vec<String>) {
    let fragment = kubernetes::discover_paths(&[fixture("kubernetes")]).unwrap();
    let model = with_hand_written(&fixture("realistic/kubernetes.yaml"), &fragment);
    let options = gambit_rules::Options::new(gambit_rules::parse_date("2026-12-01").unwrap());
    let analysis = gambit_rules::analyze(&model, &options);
    let ids = analysis.threats.iter().map(|t| t.id.clone()).collect();
    (ids, paths(&model))
}

#[test]
fn discovered_facts_raise_only_threats_a_reviewer_keeps() {
    let (ids, _) = threat_ids();
    let has = |id: &str| ids.iter().any(|t| t == id);
    // A NetworkPolicy admits a connection; it says nothing of authentication. Written as
    // `authentication: none`, it made the database behind it open to anyone who reached it.
    for gone in [
        "unauthenticated-datastore@shop.statefulset.postgres",
        "public-datastore@shop.statefulset.postgres",
        "missing-authentication@shop.statefulset.postgres",
        "missing-authentication@shop.deployment.api",
    ] {
        assert!(!has(gone), "{gone} is back: {ids:#?}");
    }
    // The policy's peer calls the Service; the hand-written flow to it (encrypted, with
    // its password) stands, and no guessed pod-to-pod connection beside it says the
    // password crosses in plain text.
    for gone in [
        "credential-over-unencrypted-flow@shop.deployment.api->shop.statefulset.postgres",
        "credential-over-unencrypted-flow@shop.service.postgres->shop.statefulset.postgres",
    ] {
        assert!(!has(gone), "{gone} is back: {ids:#?}");
    }
    // A ClusterIP Service is kube-proxy's: no rate limiting to add there.
    for gone in [
        "missing-rate-limiting@shop.service.api",
        "missing-rate-limiting@shop.service.web",
        "missing-rate-limiting@monitoring.service.grafana",
    ] {
        assert!(!has(gone), "{gone} is back: {ids:#?}");
    }
    // The token of an account with no RBAC permission opens nothing.
    for gone in [
        "credential-on-exposed-component@monitoring.deployment.grafana",
        "secret-outside-vault@shop.pod.debug",
        "secret-outside-vault@monitoring.daemonset.node-exporter",
    ] {
        assert!(!has(gone), "{gone} is back: {ids:#?}");
    }
    // What a reviewer keeps: Secrets unencrypted in etcd, a host escape that deploys code
    // on the nodes, an origin reachable around its CDN.
    for kept in [
        "unencrypted-at-rest@shop.secrets",
        "unsigned-code-flow@ci.deployment.runner->k8s-cluster.nodes",
        "gateway-bypass@shop.ingress.shop",
    ] {
        assert!(has(kept), "{kept} is missing: {ids:#?}");
    }
}

#[test]
fn the_paths_are_the_ones_the_cluster_allows() {
    let (_, paths) = threat_ids();
    // The privileged CI runner escapes to the node, takes the token of the account bound
    // to `edit` in shop, and execs into the database's pod.
    assert!(
        paths.iter().any(
            |p| p.starts_with("compromised:ci.deployment.runner: read customer-pii:")
                && p.contains("exec k8s-cluster.nodes")
                && p.contains("act-as ci.serviceaccount.cleanup")
        ),
        "{paths:#?}"
    );
    // The internet gets nowhere: the front ends authenticate and nothing discovered says
    // otherwise; a compromised Grafana reaches the flat namespaces but holds nothing.
    assert!(
        !paths.iter().any(|p| p.starts_with("internet:")
            || p.starts_with("compromised:monitoring.deployment.grafana:")),
        "{paths:#?}"
    );
}
