//! Drift: contradictions, unmodelled and gone, against the committed fixtures.

mod common;

use common::fixture;
use gambit_discover::{drift, kubernetes, terraform};
use gambit_model::{LoadOptions, Model};

fn model(dir: &std::path::Path, text: &str) -> Model {
    let path = dir.join("model.yaml");
    std::fs::write(&path, text).unwrap();
    let loaded = gambit_model::load_path(&path, LoadOptions::default());
    assert!(
        common::errors(&loaded).is_empty(),
        "{:?}",
        common::errors(&loaded)
    );
    loaded.model.unwrap()
}

const HAND_WRITTEN: &str =
    "gambit: 1\nzones:\n  aws-subnet.public: {kind: subnet, isolated: true}\ncomponents:
  aws-s3-bucket.assets: {kind: object-store}
  aws-rds-cluster.analytics: {kind: database, encrypted_at_rest: true}
  aws-instance.retired: {kind: vm}
  web: {kind: web-app}
identities:
  aws-iam-role.deploy: {kind: iam-role}
";

#[test]
fn terraform_drift_names_contradictions_unmodelled_and_gone() {
    let dir = tempfile::tempdir().unwrap();
    let m = model(dir.path(), HAND_WRITTEN);
    let found = terraform::discover_file(
        &fixture("terraform/shop-plan.json"),
        gambit_model::DEFAULT_MAX_SIZE,
    )
    .unwrap();
    let d = drift(&m, &found, terraform::claims);
    let contradictions: Vec<&str> = d.contradictions.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        contradictions,
        [
            "aws-iam-role.deploy",
            "aws-rds-cluster.analytics",
            "aws-s3-bucket.assets",
            "aws-subnet.public"
        ]
    );
    assert!(d.contradictions[2].message.contains(
        "the model says `aws-s3-bucket.assets` is not public; it is reachable from the internet"
    ));
    assert_eq!(
        d.contradictions[2].origin.as_deref(),
        Some("aws_s3_bucket.assets")
    );
    assert!(d.has_contradictions());
    let gone: Vec<&str> = d.gone.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        gone,
        ["aws-instance.retired"],
        "`web` is hand-written, never gone"
    );
    assert!(
        d.unmodelled
            .iter()
            .any(|i| i.id == "aws-db-instance.orders")
    );
    assert!(
        d.unmodelled.iter().any(|i| i.id == "aws-iam-role.deploy"
            && i.message.contains("admin on `aws-s3-bucket.assets`"))
    );
    assert!(
        d.to_text()
            .contains("contradictions (the model says otherwise): 4")
    );
}

#[test]
fn a_model_built_from_the_current_fragment_has_no_drift() {
    let dir = tempfile::tempdir().unwrap();
    let found = kubernetes::discover_paths(&[fixture("kubernetes")]).unwrap();
    std::fs::write(dir.path().join("discovered.yaml"), found.to_yaml()).unwrap();
    let m = model(dir.path(), "gambit: 1\ninclude: [discovered.yaml]\n");
    let d = drift(&m, &found, kubernetes::claims);
    assert!(
        d.contradictions.is_empty() && d.unmodelled.is_empty() && d.gone.is_empty(),
        "{}",
        d.to_text()
    );
}

#[test]
fn kubernetes_drift_finds_a_namespace_that_is_not_isolated() {
    let dir = tempfile::tempdir().unwrap();
    let m = model(
        dir.path(),
        "gambit: 1\nzones:\n  cluster.namespace.monitoring: {kind: namespace, isolated: true}\ncomponents:\n  shop.deployment.old: {kind: container}\n",
    );
    let found = kubernetes::discover_paths(&[fixture("kubernetes")]).unwrap();
    let d = drift(&m, &found, kubernetes::claims);
    assert_eq!(d.contradictions.len(), 1);
    assert_eq!(d.contradictions[0].id, "cluster.namespace.monitoring");
    assert_eq!(
        d.gone.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["shop.deployment.old"]
    );
}
