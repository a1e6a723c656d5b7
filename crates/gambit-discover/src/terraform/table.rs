//! The AWS mapping: one row per resource type, the single source of the element each
//! type becomes (docs/discover.md prints this table; a test keeps it fresh). A type not
//! listed is reported once as unknown. GCP and Azure add their own tables of this shape.

/// What a resource type becomes in the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Becomes {
    /// A component of this kind; `managed` when the provider runs it.
    Component { kind: &'static str, managed: bool },
    /// A network zone of this kind.
    Zone { kind: &'static str },
    /// An identity of this kind.
    Identity { kind: &'static str },
    /// No element of its own: it adds facts to others (the text says which).
    Folded,
}

pub struct Mapping {
    pub resource: &'static str,
    pub becomes: Becomes,
    /// The facts read from it, for the documentation.
    pub reads: &'static str,
}

use Becomes::{Component as C, Folded, Identity as I, Zone as Z};

const fn row(resource: &'static str, becomes: Becomes, reads: &'static str) -> Mapping {
    Mapping {
        resource,
        becomes,
        reads,
    }
}

pub const AWS: &[Mapping] = &[
    row(
        "aws_instance",
        C {
            kind: "vm",
            managed: false,
        },
        "subnet, security groups, public IP, instance profile → `runs_as`",
    ),
    row("aws_eip", Folded, "makes its instance public"),
    row(
        "aws_ecs_service",
        C {
            kind: "container",
            managed: false,
        },
        "subnets, security groups, `assign_public_ip`, task role → `runs_as`, task secrets → `holds`, load balancer target groups → flows",
    ),
    row(
        "aws_ecs_task_definition",
        Folded,
        "task role, secrets and images of the services that run it",
    ),
    row("aws_ecs_cluster", Folded, "grouping only"),
    row(
        "aws_lambda_function",
        C {
            kind: "function",
            managed: false,
        },
        "VPC subnets and security groups, role → `runs_as`, secrets named in its environment → `holds`",
    ),
    row(
        "aws_lambda_function_url",
        Folded,
        "`authorization_type: NONE` makes its function public",
    ),
    row(
        "aws_eks_cluster",
        C {
            kind: "k8s-cluster",
            managed: true,
        },
        "public endpoint open to 0.0.0.0/0",
    ),
    row(
        "aws_eks_node_group",
        C {
            kind: "vm",
            managed: false,
        },
        "subnets, node role → `runs_as`",
    ),
    row(
        "aws_lb",
        C {
            kind: "load-balancer",
            managed: true,
        },
        "`internal: false` → public; subnets, security groups",
    ),
    row(
        "aws_alb",
        C {
            kind: "load-balancer",
            managed: true,
        },
        "as `aws_lb`",
    ),
    row(
        "aws_lb_listener",
        Folded,
        "connects a load balancer to its target groups",
    ),
    row(
        "aws_lb_target_group",
        Folded,
        "protocol of the forwarded flows",
    ),
    row(
        "aws_lb_target_group_attachment",
        Folded,
        "load balancer → target flows",
    ),
    row(
        "aws_cloudfront_distribution",
        C {
            kind: "cdn",
            managed: true,
        },
        "public; origins → flows",
    ),
    row(
        "aws_api_gateway_rest_api",
        C {
            kind: "api-gateway",
            managed: true,
        },
        "public",
    ),
    row(
        "aws_api_gateway_integration",
        Folded,
        "gateway → Lambda flows",
    ),
    row(
        "aws_apigatewayv2_api",
        C {
            kind: "api-gateway",
            managed: true,
        },
        "public",
    ),
    row(
        "aws_apigatewayv2_integration",
        Folded,
        "gateway → Lambda flows",
    ),
    row(
        "aws_db_instance",
        C {
            kind: "database",
            managed: true,
        },
        "`publicly_accessible`, `storage_encrypted`, subnet group, security groups",
    ),
    row(
        "aws_rds_cluster",
        C {
            kind: "database",
            managed: true,
        },
        "as `aws_db_instance`",
    ),
    row("aws_db_subnet_group", Folded, "subnets of its databases"),
    row(
        "aws_dynamodb_table",
        C {
            kind: "database",
            managed: true,
        },
        "always encrypted at rest",
    ),
    row(
        "aws_s3_bucket",
        C {
            kind: "object-store",
            managed: true,
        },
        "public when its public access block is off and a policy or ACL grants `*`",
    ),
    row(
        "aws_s3_bucket_public_access_block",
        Folded,
        "whether its bucket may be public",
    ),
    row(
        "aws_s3_bucket_policy",
        Folded,
        "`Principal: *` makes its bucket public",
    ),
    row(
        "aws_s3_bucket_acl",
        Folded,
        "`public-read`/`public-read-write` make its bucket public",
    ),
    row(
        "aws_sqs_queue",
        C {
            kind: "queue",
            managed: true,
        },
        "",
    ),
    row(
        "aws_sns_topic",
        C {
            kind: "queue",
            managed: true,
        },
        "",
    ),
    row(
        "aws_elasticache_cluster",
        C {
            kind: "cache",
            managed: true,
        },
        "subnet group, security groups, `at_rest_encryption_enabled`, `auth_token` (flows in need a password)",
    ),
    row(
        "aws_elasticache_replication_group",
        C {
            kind: "cache",
            managed: true,
        },
        "as `aws_elasticache_cluster`",
    ),
    row(
        "aws_elasticache_subnet_group",
        Folded,
        "subnets of its caches",
    ),
    row(
        "aws_secretsmanager_secret",
        C {
            kind: "secret-store",
            managed: true,
        },
        "stores a credential asset `ID.value`; always encrypted at rest",
    ),
    row(
        "aws_secretsmanager_secret_version",
        Folded,
        "its secret's value",
    ),
    row(
        "aws_ecr_repository",
        C {
            kind: "artifact-registry",
            managed: true,
        },
        "`code: true` flows to the services whose images it holds",
    ),
    row(
        "aws_vpc",
        Z { kind: "vpc" },
        "a network zone in the account zone",
    ),
    row(
        "aws_subnet",
        Z { kind: "subnet" },
        "a network zone in its VPC; isolated when its members' security groups admit only other security groups",
    ),
    row(
        "aws_security_group",
        Folded,
        "ingress: open to 0.0.0.0/0 or ::/0 → exposure per port; from another group → flows",
    ),
    row("aws_security_group_rule", Folded, "as inline ingress rules"),
    row(
        "aws_vpc_security_group_ingress_rule",
        Folded,
        "as inline ingress rules",
    ),
    row("aws_internet_gateway", Folded, "routing is not modelled"),
    row("aws_nat_gateway", Folded, "routing is not modelled"),
    row("aws_route_table", Folded, "routing is not modelled"),
    row(
        "aws_route_table_association",
        Folded,
        "routing is not modelled",
    ),
    row(
        "aws_iam_role",
        I { kind: "iam-role" },
        "trust policy: services, accounts, OIDC providers (with `sub` conditions), `*`",
    ),
    row(
        "aws_iam_role_policy",
        Folded,
        "inline policy → grants of its role",
    ),
    row(
        "aws_iam_policy",
        Folded,
        "policy document of the roles it is attached to",
    ),
    row(
        "aws_iam_role_policy_attachment",
        Folded,
        "attached policy → grants of its role (AWS-managed AdministratorAccess, PowerUserAccess, ReadOnlyAccess understood)",
    ),
    row(
        "aws_iam_instance_profile",
        Folded,
        "the role of its instances",
    ),
    row(
        "aws_iam_openid_connect_provider",
        Folded,
        "the issuer of the roles that trust it",
    ),
];

/// The row of a resource type.
pub fn mapping(resource: &str) -> Option<&'static Mapping> {
    AWS.iter().find(|m| m.resource == resource)
}

/// The table as Markdown, as docs/discover.md prints it.
pub fn markdown() -> String {
    let mut out = String::from("| resource type | becomes | facts read |\n|---|---|---|\n");
    for m in AWS {
        let becomes = match m.becomes {
            C {
                kind,
                managed: true,
            } => format!("component `{kind}`, managed"),
            C { kind, .. } => format!("component `{kind}`"),
            Z { kind } => format!("zone `{kind}`"),
            I { kind } => format!("identity `{kind}`"),
            Folded => "(facts on others)".to_owned(),
        };
        out.push_str(&format!("| `{}` | {becomes} | {} |\n", m.resource, m.reads));
    }
    out
}
