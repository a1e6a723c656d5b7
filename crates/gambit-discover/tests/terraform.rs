//! Terraform discovery on a committed plan of an AWS shop (61 resources; see
//! fixtures/terraform/README.md): the fragment is a valid model, each mapped type gives its
//! facts, and the hand-written model on top has the attack paths the infrastructure allows.

mod common;

use common::{errors, fixture, load_fragment, paths, with_hand_written};
use gambit_discover::Fragment;
use gambit_discover::fragment::Access;
use gambit_discover::terraform::{self, table};

fn shop() -> Fragment {
    terraform::discover_file(
        &fixture("terraform/shop-plan.json"),
        gambit_model::DEFAULT_MAX_SIZE,
    )
    .unwrap()
}

fn codes_for(f: &Fragment, subject: &str) -> Vec<&'static str> {
    f.findings
        .iter()
        .filter(|x| x.subject == subject)
        .map(|x| x.code)
        .collect()
}

#[test]
fn the_fragment_is_a_valid_model_and_the_same_on_every_run() {
    let f = shop();
    let loaded = load_fragment(&f);
    assert!(errors(&loaded).is_empty(), "{:?}", errors(&loaded));
    assert_eq!(f.to_yaml(), shop().to_yaml());
    assert!(
        f.to_yaml()
            .contains("  # aws_db_instance.orders\n  aws-db-instance.orders: {kind: database")
    );
}

#[test]
fn every_type_of_the_mapping_table_is_in_the_fixture_and_mapped_types_become_elements() {
    let plan = std::fs::read_to_string(fixture("terraform/shop-plan.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&plan).unwrap();
    let types: Vec<&str> = json["planned_values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    let f = shop();
    for row in table::AWS {
        // aws_alb is an alias of aws_lb; the fixture uses aws_lb.
        if row.resource == "aws_alb" {
            continue;
        }
        assert!(
            types.contains(&row.resource),
            "the fixture has no {}",
            row.resource
        );
        let prefix = format!("{}.", gambit_discover::ids::terraform(row.resource));
        let made = f.element_ids().any(|id| id.starts_with(&prefix));
        match row.becomes {
            table::Becomes::Folded => assert!(!made, "{} should fold into others", row.resource),
            _ => assert!(made, "{} made no element", row.resource),
        }
    }
}

#[test]
fn unknown_types_are_reported_once_each_and_are_not_fatal() {
    let f = shop();
    let unknown: Vec<(&str, usize, &str)> = f
        .unknown_types
        .iter()
        .map(|(k, u)| (k.as_str(), u.count, u.first.as_str()))
        .collect();
    assert_eq!(
        unknown,
        [
            (
                "aws_cloudwatch_log_group",
                2,
                "aws_cloudwatch_log_group.api"
            ),
            ("aws_kms_key", 1, "aws_kms_key.main")
        ]
    );
    assert!(f.summary_text().contains("skipped[unknown-type] `aws_cloudwatch_log_group` has no mapping yet: aws_cloudwatch_log_group.api and 1 more"));
}

#[test]
fn exposure_public_ssh_public_bucket_and_internet_facing_load_balancer() {
    let f = shop();
    let c = |id: &str| f.components.get(id).unwrap_or_else(|| panic!("no {id}"));
    assert!(c("aws-instance.bastion").public);
    assert_eq!(codes_for(&f, "aws-instance.bastion"), ["public-ssh"]);
    assert!(c("aws-s3-bucket.assets").public);
    assert_eq!(codes_for(&f, "aws-s3-bucket.assets"), ["public-bucket"]);
    assert!(
        !c("aws-s3-bucket.invoices").public,
        "its public access block is on"
    );
    assert!(c("aws-lb.web").public && c("aws-cloudfront-distribution.cdn").public);
    assert!(!c("aws-db-instance.orders").public);
    assert!(
        c("aws-eks-cluster.tools").public,
        "endpoint open to 0.0.0.0/0"
    );
    assert!(!c("aws-ecs-service.api").public);
    assert!(c("aws-instance.reports").public, "an Elastic IP");
    assert_eq!(codes_for(&f, "aws-instance.reports"), ["public-rdp"]);
    assert!(!c("aws-lb.internal").public);
    assert!(
        c("aws-s3-bucket.press").public,
        "public-read ACL with ACLs not blocked"
    );
    assert!(
        c("aws-lambda-function.thumbnailer").public,
        "a function URL without auth"
    );
    assert!(c("aws-api-gateway-rest-api.partners").public);
    assert_eq!(
        c("aws-rds-cluster.analytics").encrypted_at_rest,
        Some(false)
    );
    assert_eq!(
        c("aws-elasticache-cluster.fragments").zone.as_deref(),
        Some("aws-subnet.data")
    );
}

#[test]
fn placement_and_isolation_follow_subnets_and_security_groups() {
    let f = shop();
    let zone = |id: &str| f.components[id].zone.clone().unwrap();
    assert_eq!(
        zone("aws-db-instance.orders"),
        "aws-subnet.data",
        "through its subnet group"
    );
    assert_eq!(zone("aws-ecs-service.api"), "aws-subnet.private");
    assert_eq!(zone("aws-s3-bucket.assets"), "aws-account");
    assert_eq!(
        f.zones["aws-subnet.private"].parent.as_deref(),
        Some("aws-vpc.main")
    );
    assert_eq!(f.zones["aws-account"].kind, "cloud-account");
    assert!(
        f.zones["aws-subnet.data"].isolated,
        "its groups admit only other groups"
    );
    assert!(!f.zones["aws-subnet.public"].isolated);
    assert!(
        f.components["aws-db-instance.orders"]
            .controls
            .contains("network-policy")
    );
}

#[test]
fn security_group_references_become_flows_even_when_unknown_until_apply() {
    let f = shop();
    let flow = |from: &str, to: &str| f.flows.get(&format!("{from}->{to}"));
    let db =
        flow("aws-ecs-service.api", "aws-db-instance.orders").expect("app → db from the db group");
    assert_eq!(
        (db.protocol.as_deref(), db.authentication.as_deref()),
        (Some("postgres"), Some("password"))
    );
    assert!(
        flow("aws-instance.bastion", "aws-db-instance.orders").is_some(),
        "aws_security_group_rule"
    );
    let cache = flow(
        "aws-ecs-service.api",
        "aws-elasticache-replication-group.sessions",
    )
    .expect("aws_vpc_security_group_ingress_rule");
    assert_eq!(
        cache.authentication.as_deref(),
        Some("none"),
        "no auth_token: Redis lets any caller in"
    );
    assert_eq!(
        flow("aws-lb.web", "aws-ecs-service.api").and_then(|f| f.authentication.as_deref()),
        None,
        "a load balancer passes its callers on; the target's demand decides"
    );
    assert!(
        flow("aws-lb.web", "aws-ecs-service.api").is_some(),
        "target group of the service"
    );
    assert!(flow("aws-cloudfront-distribution.cdn", "aws-lb.web").is_some());
    assert!(flow("aws-cloudfront-distribution.cdn", "aws-s3-bucket.assets").is_some());
    assert!(
        flow(
            "aws-apigatewayv2-api.public",
            "aws-lambda-function.thumbnailer"
        )
        .is_some()
    );
    assert!(flow("aws-ecr-repository.api", "aws-ecs-service.api").is_some_and(|f| f.code));
    assert!(
        flow("aws-lb.internal", "aws-instance.reports").is_some(),
        "target group attachment"
    );
    assert!(
        flow(
            "aws-api-gateway-rest-api.partners",
            "aws-lambda-function.thumbnailer"
        )
        .is_some()
    );
}

#[test]
fn roles_secrets_and_policies_become_runs_as_holds_and_grants() {
    let f = shop();
    let api = &f.components["aws-ecs-service.api"];
    assert_eq!(
        api.runs_as.as_deref(),
        Some("aws-iam-role.api-task"),
        "task role unknown until apply"
    );
    assert!(
        api.holds
            .contains("aws-secretsmanager-secret.db-password.value")
    );
    assert_eq!(
        f.components["aws-instance.bastion"].runs_as.as_deref(),
        Some("aws-iam-role.bastion")
    );
    assert_eq!(
        f.components["aws-lambda-function.thumbnailer"]
            .runs_as
            .as_deref(),
        Some("aws-iam-role.lambda")
    );
    assert_eq!(
        f.components["aws-eks-node-group.tools"].runs_as.as_deref(),
        Some("aws-iam-role.eks-nodes")
    );
    let grants = |id: &str| f.identities[id].grants.clone();
    // From the configuration of an aws_iam_policy_document (the policy is unknown).
    assert_eq!(
        grants("aws-iam-role.api-task").get("aws-s3-bucket.invoices"),
        Some(&Access::Write)
    );
    assert_eq!(
        grants("aws-iam-role.api-task").get("aws-secretsmanager-secret.db-password"),
        Some(&Access::Read)
    );
    // From a known policy JSON with wildcards in the ARN.
    assert_eq!(
        grants("aws-iam-role.lambda").get("aws-secretsmanager-secret.db-password"),
        Some(&Access::Read)
    );
    assert_eq!(
        grants("aws-iam-role.release").get("aws-ecr-repository.api"),
        Some(&Access::Write)
    );
    assert_eq!(
        grants("aws-iam-role.auditor").get("aws-s3-bucket.invoices"),
        Some(&Access::Read)
    );
    let deploy = &f.identities["aws-iam-role.deploy"];
    assert!(deploy.privileged);
    assert_eq!(
        deploy.grants.get("aws-db-instance.orders"),
        Some(&Access::Admin)
    );
    assert_eq!(
        deploy.grants.get("aws-iam-role.api-task"),
        Some(&Access::Assume)
    );
    let bastion = &f.identities["aws-iam-role.bastion"];
    assert_eq!(
        bastion.grants.get("aws-iam-role.deploy"),
        Some(&Access::Assume),
        "iam:PassRole on *"
    );
    assert_eq!(codes_for(&f, "aws-iam-role.bastion"), ["iam-escalation"]);
}

#[test]
fn trust_policies_become_actors_and_broad_oidc_trust_is_untrusted() {
    let f = shop();
    let deploy = &f.actors["aws-iam-role.deploy.oidc"];
    assert_eq!(deploy.trust, "untrusted", "no sub condition");
    assert_eq!(
        codes_for(&f, "aws-iam-role.deploy"),
        ["broad-oidc-trust", "wildcard-admin"]
    );
    assert_eq!(
        f.actors["aws-iam-role.release.oidc"].trust, "partner",
        "one repository and branch"
    );
    let auditor = &f.actors["aws-account.999988887777"];
    assert_eq!(auditor.trust, "partner");
    let credential = auditor.holds.iter().next().unwrap();
    assert_eq!(
        f.assets[credential].grants.as_deref(),
        Some("aws-iam-role.auditor")
    );
}

#[test]
fn the_hand_written_model_on_top_has_the_attack_paths_of_the_real_iam() {
    let f = shop();
    let model = with_hand_written(&fixture("terraform/model.yaml"), &f);
    let db = &model[model.component_id("aws-db-instance.orders").unwrap()];
    assert_eq!(db.stores.len(), 1, "the hand-written database won");
    let found = paths(&model);
    let to_orders: Vec<&String> = found.iter().filter(|p| p.contains(" orders:")).collect();
    assert!(!to_orders.is_empty(), "{found:#?}");
    // Anyone with a GitHub token assumes the deploy role (no `sub` condition), which is
    // admin on the database.
    assert!(
        to_orders
            .iter()
            .any(|p| p.contains("aws-iam-role.deploy.oidc") && p.contains("aws-iam-role.deploy")),
        "{to_orders:#?}"
    );
}

#[test]
fn truncated_and_non_plan_json_get_located_errors() {
    let plan = std::fs::read_to_string(fixture("terraform/shop-plan.json")).unwrap();
    let cut = &plan[..plan.len() / 2];
    let e = terraform::discover("cut.json", cut).unwrap_err();
    assert!(e.message.contains("ends too early"), "{e}");
    assert!(e.line.unwrap() > 100, "{e}");
    let e = terraform::discover(
        "state.json",
        "{\n  \"format_version\": \"1.0\",\n  \"values\": {}\n}",
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (Some(1), Some(1)));
    assert!(
        e.to_string()
            .starts_with("state.json:1:1: not a Terraform plan: it has no `planned_values`"),
        "{e}"
    );
    let e = terraform::discover(
        "v2.json",
        "{\n \"format_version\": \"2.0\", \"planned_values\": {}}",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("format `2.0`"), "{e}");
    let e = terraform::discover("list.json", "[1, 2]").unwrap_err();
    assert!(e.message.contains("not a Terraform plan"), "{e}");
    let e = terraform::discover("bad.json", "{\"a\": tru}").unwrap_err();
    assert_eq!((e.line, e.column), (Some(1), Some(10)), "{e}");
}

#[test]
fn the_mapping_table_in_the_docs_is_the_one_in_the_code() {
    let doc = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/discover.md");
    let text = std::fs::read_to_string(doc).unwrap();
    assert!(
        text.contains(&table::markdown()),
        "docs/discover.md has a stale AWS table; paste `table::markdown()`:\n{}",
        table::markdown()
    );
}

#[test]
fn a_secrets_manager_secret_is_encrypted_at_rest() {
    // Left unsaid, the secret store read as unencrypted: a threat no reviewer keeps.
    let f = shop();
    assert_eq!(
        f.components["aws-secretsmanager-secret.db-password"].encrypted_at_rest,
        Some(true)
    );
}
