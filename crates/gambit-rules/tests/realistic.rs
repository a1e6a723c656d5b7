//! Three realistic models (25-30 components each, revision-2 keys) read as a security
//! engineer would. Their threat lists are snapshotted (severity, id, what is folded in),
//! so any change to what Gambit reports on them is reviewed; the false positives issue
//! 10 names are asserted gone, and criticals are asserted to be the calibrated ones.

mod common;

use gambit_model::vocab::Severity;
use gambit_rules::Threat;

fn analyse(name: &str) -> Vec<Threat> {
    let path = common::crate_dir().join("tests/realistic").join(name);
    let (_, model) = common::load_file(&path);
    common::run(&model).threats
}

fn listing(threats: &[Threat]) -> String {
    threats
        .iter()
        .map(|t| {
            let also = if t.also.is_empty() {
                String::new()
            } else {
                format!("  (also {})", t.also.join(", "))
            };
            format!("{:<9} {}{also}\n", t.severity.to_string(), t.id)
        })
        .collect()
}

fn assert_absent(threats: &[Threat], gone: &[&str]) {
    for id in gone {
        assert!(
            !threats.iter().any(|t| t.id == *id),
            "{id} is a false positive and must stay gone"
        );
    }
}

#[test]
fn saas_on_aws() {
    let t = analyse("saas-aws.yaml");
    assert_absent(
        &t,
        &[
            "flat-network-lateral-movement@aws-managed",
            "flat-network-lateral-movement@github-org",
            "flat-network-lateral-movement@gitlab-saas",
            "missing-authorization@customer->cognito",
            "missing-authorization@customer->cloudfront",
            "missing-authentication@api",
            "local-only-logs@cognito",
            "local-only-logs@cloudfront",
            "missing-logging@ecr",
            "missing-logging@rds-replica",
            "single-point-of-failure@rds-replica",
            "sql-injection@rds->rds-replica",
            "credential-on-exposed-component@gitlab-ci",
        ],
    );
    assert!(t.iter().all(|t| t.severity != Severity::Critical));
    insta::assert_snapshot!("realistic-saas-aws", listing(&t));
}

#[test]
fn kubernetes_platform() {
    let t = analyse("k8s-platform.yaml");
    assert_absent(
        &t,
        &[
            "sql-injection@keycloak->keycloak-db",
            "sql-injection@grafana->grafana-db",
            "missing-authorization@shopper->ingress-nginx",
            "missing-authentication@ingress-nginx",
            "unencrypted-communication@catalog-api->redis",
            "unencrypted-communication@orders-api->kafka",
            "credential-over-unencrypted-flow@sre->kube-apiserver",
        ],
    );
    let unsigned = t.iter().filter(|t| t.rule == "unsigned-code-flow").count();
    assert!(
        unsigned <= 2,
        "the scheduler's unsigned deploys fold into one threat: {}",
        listing(&t)
    );
    insta::assert_snapshot!("realistic-k8s-platform", listing(&t));
}

#[test]
fn llm_support_agent() {
    let t = analyse("llm-support.yaml");
    assert_absent(
        &t,
        &[
            "unencrypted-communication@email-sender->inbound-mail",
            "unrestricted-egress@agent",
            "missing-logging@idp",
            "missing-logging@support-db",
        ],
    );
    insta::assert_snapshot!("realistic-llm-support", listing(&t));
}
