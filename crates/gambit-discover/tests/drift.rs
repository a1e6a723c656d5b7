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
    let d = drift(&m, &found, terraform::claims, None);
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
    let d = drift(&m, &found, kubernetes::claims, None);
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
    let d = drift(&m, &found, kubernetes::claims, None);
    assert_eq!(d.contradictions.len(), 1);
    assert_eq!(d.contradictions[0].id, "cluster.namespace.monitoring");
    assert_eq!(
        d.gone.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["shop.deployment.old"]
    );
}

/// A hand-written model whose ids are its own: drift recognises its elements by the
/// resource a comment names, by a tag, and by name, and compares them as those.
const OWN_IDS: &str = "gambit: 1
zones:
  aws-subnet.public: {kind: subnet}
components:
  # The orders database: aws_db_instance.orders
  db: {kind: database, zone: aws-subnet.public, encrypted_at_rest: true}
  sessions: {kind: cache}
  api: {kind: container, tags: [aws_ecs_service.api]}
  queue: {kind: database}
flows:
  - {from: api, to: sessions, protocol: rediss, authentication: password}
  - {from: api, to: db, protocol: postgres, authentication: password}
";

#[test]
fn drift_recognises_hand_written_ids_by_comment_tag_and_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.yaml");
    std::fs::write(&path, OWN_IDS).unwrap();
    let loaded = gambit_model::load_path(&path, LoadOptions::default());
    let m = loaded.model.as_ref().unwrap();
    let found = terraform::discover_file(
        &fixture("terraform/shop-plan.json"),
        gambit_model::DEFAULT_MAX_SIZE,
    )
    .unwrap();
    let d = drift(m, &found, terraform::claims, Some(&loaded.sources));
    let matched: Vec<(&str, &str)> = d
        .matched
        .iter()
        .map(|i| (i.id.as_str(), i.message.as_str()))
        .collect();
    assert_eq!(
        matched,
        [
            ("api", "is `aws-ecs-service.api` (named in its tags)"),
            ("db", "is `aws-db-instance.orders` (named in its comment)"),
            (
                "sessions",
                "is `aws-elasticache-replication-group.sessions` (by name)"
            ),
        ],
        "`queue` is no database of the plan: kinds must be alike"
    );
    let contradictions: Vec<&str> = d
        .contradictions
        .iter()
        .map(|i| i.message.as_str())
        .collect();
    assert!(
        contradictions.contains(
            &"the model puts `db` in zone `aws-subnet.public`; it is in `aws-subnet.data`"
        ),
        "{contradictions:#?}"
    );
    assert!(
        contradictions.contains(&"the model says flow `api->sessions` authenticates with password; the infrastructure says none"),
        "the cache has no AUTH token: {contradictions:#?}"
    );
    assert!(
        !contradictions.iter().any(|c| c.contains("api->db")),
        "RDS demands a password, as the model says"
    );
    assert!(
        !d.unmodelled
            .iter()
            .any(|i| i.id == "aws-db-instance.orders"),
        "matched, so modelled"
    );
}
