//! IAM: which role each compute resource runs as, who may assume each role (trust
//! policies), and what each role may do (inline and attached policies summarised to
//! read / write / admin / assume grants on discovered elements).

use serde_json::Value;

use super::Discoverer;
use crate::fragment::{self, Access};

const ROLE: &[&str] = &["aws_iam_role"];

pub(crate) fn discover(d: &mut Discoverer<'_, '_>) {
    runs_as(d);
    for role in d.of_type("aws_iam_role") {
        trust(d, role);
    }
    policies(d);
    d.grant_flows();
}

fn set_runs_as(d: &mut Discoverer<'_, '_>, component: usize, roles: &[usize]) {
    if let Some(&role) = roles.first() {
        let id = d.ids[role].clone();
        if let Some(c) = d.component(component) {
            c.runs_as = Some(id);
        }
    }
}

fn runs_as(d: &mut Discoverer<'_, '_>) {
    for i in d.of_type("aws_instance") {
        let roles: Vec<usize> = d
            .refs_of(i, &["iam_instance_profile"], &["aws_iam_instance_profile"])
            .into_iter()
            .flat_map(|p| d.refs_of(p, &["role"], ROLE))
            .collect();
        set_runs_as(d, i, &roles);
    }
    for s in d.of_type("aws_ecs_service") {
        let roles: Vec<usize> = d
            .task_definitions(s)
            .into_iter()
            .flat_map(|t| d.refs_of(t, &["task_role_arn"], ROLE))
            .collect();
        set_runs_as(d, s, &roles);
    }
    for (kind, key) in [
        ("aws_lambda_function", "role"),
        ("aws_eks_node_group", "node_role_arn"),
    ] {
        for i in d.of_type(kind) {
            let roles = d.refs_of(i, &[key], ROLE);
            set_runs_as(d, i, &roles);
        }
    }
}

/// A policy document's statements, as JSON values.
fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    }
}

/// A string or a list of strings.
fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_allow(statement: &Value) -> bool {
    statement.get("Effect").and_then(Value::as_str) != Some("Deny")
}

/// Does an Allow statement grant `*` (anyone) access? (bucket policies)
pub(crate) fn allows_anyone(doc: &Value) -> bool {
    statements(doc).iter().any(|s| {
        is_allow(s)
            && match s.get("Principal") {
                Some(Value::String(p)) => p == "*",
                Some(p) => strings(p.get("AWS")).contains(&"*"),
                None => false,
            }
            && s.get("Condition").is_none()
    })
}

/// The role's trust policy: other accounts, `*`, and OIDC/SAML federation become actors
/// holding a credential that grants the role; trusted discovered roles get `assume`.
fn trust(d: &mut Discoverer<'_, '_>, role: usize) {
    let Some(doc) = d
        .value(role, "assume_role_policy")
        .as_str()
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
    else {
        return;
    };
    let role_id = d.ids[role].clone();
    let origin = d.origin(role);
    for s in statements(&doc).into_iter().filter(|s| is_allow(s)) {
        let principal = s.get("Principal");
        let anyone = principal.and_then(Value::as_str) == Some("*");
        for p in strings(principal.and_then(|p| p.get("AWS")))
            .into_iter()
            .chain(anyone.then_some("*"))
        {
            if p == "*" {
                trusting_actor(
                    d,
                    &role_id,
                    "anyone",
                    "untrusted",
                    &origin,
                    "any AWS principal (`Principal: *`)",
                );
                d.f.finding(
                    "public-role-trust",
                    &role_id,
                    &origin,
                    format!("`{origin}` may be assumed by any AWS account"),
                );
            } else if let Some(j) = d
                .plan
                .by_value(p)
                .into_iter()
                .find(|&j| d.plan.resources[j].kind == "aws_iam_role")
            {
                let truster = d.ids[j].clone();
                d.f.grant(&truster, Access::Assume, &role_id);
            } else if let Some(account) = account_of(p) {
                let actor = format!("aws-account.{account}");
                trusting_actor(
                    d,
                    &role_id,
                    &actor,
                    "partner",
                    &origin,
                    &format!("principals of AWS account {account}"),
                );
            }
        }
        for federated in strings(principal.and_then(|p| p.get("Federated"))) {
            federation(d, &role_id, &origin, federated, s.get("Condition"));
        }
    }
}

fn account_of(principal: &str) -> Option<&str> {
    let account = principal
        .strip_prefix("arn:aws:iam::")
        .map_or(principal, |rest| rest.split(':').next().unwrap_or(""));
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// OIDC: the `sub` conditions say which workloads of the issuer may assume the role. No
/// condition, or one whose wildcard spans owners (`*`, `repo:*`), lets anyone with an
/// account at the issuer in: that actor is untrusted, so the internet attacker has it.
fn federation(
    d: &mut Discoverer<'_, '_>,
    role_id: &str,
    origin: &str,
    federated: &str,
    condition: Option<&Value>,
) {
    let issuer = federated
        .rsplit_once("oidc-provider/")
        .map(|(_, host)| host.to_owned())
        .or_else(|| {
            d.plan
                .by_value(federated)
                .first()
                .and_then(|&j| d.value(j, "url").as_str())
                .map(|u| u.trim_start_matches("https://").to_owned())
        })
        .unwrap_or_else(|| federated.to_owned());
    if federated.contains(":saml-provider/") {
        trusting_actor(
            d,
            role_id,
            &format!("{role_id}.saml"),
            "partner",
            origin,
            "users of the SAML identity provider",
        );
        return;
    }
    let subs: Vec<&str> = condition
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(_, test)| test.as_object().into_iter().flatten())
        .filter(|(key, _)| key.ends_with(":sub"))
        .flat_map(|(_, v)| strings(Some(v)))
        .collect();
    let broad = subs.is_empty() || subs.iter().any(|s| broad_subject(s));
    let who = if subs.is_empty() {
        format!("any identity of {issuer} (no `sub` condition)")
    } else {
        format!("identities of {issuer} with subject {}", subs.join(", "))
    };
    let actor = format!("{role_id}.oidc");
    trusting_actor(
        d,
        role_id,
        &actor,
        if broad { "untrusted" } else { "partner" },
        origin,
        &who,
    );
    if broad {
        d.f.finding(
            "broad-oidc-trust",
            role_id,
            origin,
            format!(
                "`{origin}` trusts {who}: anyone who can get a token from the issuer can assume it"
            ),
        );
    }
}

/// A subject pattern whose wildcard comes before the owner is fixed.
fn broad_subject(sub: &str) -> bool {
    let owner = sub.split_once(':').map_or(sub, |(_, rest)| rest);
    let owner = owner.split('/').next().unwrap_or(owner);
    sub == "*" || owner.contains('*') || owner.is_empty()
}

fn trusting_actor(
    d: &mut Discoverer<'_, '_>,
    role_id: &str,
    actor: &str,
    trust: &'static str,
    origin: &str,
    who: &str,
) {
    let credential = format!("{role_id}.trust.{actor}");
    d.f.assets.insert(
        credential.clone(),
        fragment::Asset {
            origin: origin.to_owned(),
            kind: "credential",
            grants: Some(role_id.to_owned()),
            description: Some(format!("the right of {who} to assume the role")),
        },
    );
    let a =
        d.f.actors
            .entry(actor.to_owned())
            .or_insert_with(|| fragment::Actor {
                origin: origin.to_owned(),
                kind: "external-system".to_owned(),
                trust,
                holds: Default::default(),
                description: Some(who.to_owned()),
            });
    if trust == "untrusted" {
        a.trust = "untrusted";
    }
    a.holds.insert(credential);
}

/// A statement's actions and resources; `resources` are indexes of plan resources, or
/// `None` for `*`.
#[derive(Clone)]
struct Statement {
    actions: Vec<String>,
    resources: Option<Vec<usize>>,
}

fn policies(d: &mut Discoverer<'_, '_>) {
    let mut grants: Vec<(usize, Vec<Statement>, String)> = Vec::new();
    for p in d.of_type("aws_iam_role_policy") {
        let roles = d.refs_of(p, &["role"], ROLE);
        let st = document(d, p, "policy");
        for r in roles {
            grants.push((r, st.clone(), d.origin(p)));
        }
    }
    for a in d.of_type("aws_iam_role_policy_attachment") {
        let roles = d.refs_of(a, &["role"], ROLE);
        let arn = d.value(a, "policy_arn").as_str().unwrap_or("");
        let managed = aws_managed(arn);
        let policy = d.refs_of(a, &["policy_arn"], &["aws_iam_policy"]);
        for &r in &roles {
            let st = match (&managed, policy.first()) {
                (Some(actions), _) => vec![Statement {
                    actions: actions.clone(),
                    resources: None,
                }],
                (None, Some(&p)) => document(d, p, "policy"),
                (None, None) => {
                    let (id, origin) = (d.ids[r].clone(), d.origin(a));
                    d.f.finding("unknown-policy", &id, &origin, format!("`{origin}` attaches `{arn}`, which discovery cannot read; its grants are left out"));
                    continue;
                }
            };
            grants.push((r, st, d.origin(a)));
        }
    }
    let roles = d.of_type("aws_iam_role");
    for (role, statements, origin) in grants {
        apply(d, role, &statements, &origin, &roles);
    }
}

/// AWS-managed policies whose meaning is well known, as the actions they allow.
fn aws_managed(arn: &str) -> Option<Vec<String>> {
    let name = arn.strip_prefix("arn:aws:iam::aws:policy/")?;
    let actions: &[&str] = match name.rsplit('/').next().unwrap_or(name) {
        "AdministratorAccess" => &["*"],
        "PowerUserAccess" => &[
            "s3:*",
            "dynamodb:*",
            "sqs:*",
            "sns:*",
            "lambda:*",
            "ec2:*",
            "ecs:*",
            "rds:*",
            "secretsmanager:*",
            "ecr:*",
            "elasticache:*",
        ],
        "ReadOnlyAccess" => &[
            "s3:Get*",
            "dynamodb:Get*",
            "sqs:Receive*",
            "sns:Get*",
            "lambda:Get*",
            "ec2:Describe*",
            "ecs:Describe*",
            "rds:Describe*",
            "ecr:Get*",
            "elasticache:Describe*",
        ],
        _ => return None,
    };
    Some(actions.iter().map(|a| (*a).to_owned()).collect())
}

/// A policy document: its JSON when known at plan time; else the statements of the
/// `aws_iam_policy_document` data source it references, from the configuration.
fn document(d: &mut Discoverer<'_, '_>, i: usize, key: &str) -> Vec<Statement> {
    if let Some(doc) = d
        .value(i, key)
        .as_str()
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
    {
        return statements(&doc)
            .into_iter()
            .filter(|s| is_allow(s))
            .map(|s| Statement {
                actions: actions_of(s),
                resources: resources_of(d, strings(s.get("Resource"))),
            })
            .collect();
    }
    let plan = d.plan;
    let r = &plan.resources[i];
    let mut out = Vec::new();
    for j in plan.refs(r, &[key]) {
        let data = &plan.resources[j];
        if !(data.data && data.kind == "aws_iam_policy_document") {
            continue;
        }
        if let Some(doc) = data
            .values
            .get("json")
            .and_then(Value::as_str)
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
        {
            for s in statements(&doc).into_iter().filter(|s| is_allow(s)) {
                out.push(Statement {
                    actions: actions_of(s),
                    resources: resources_of(d, strings(s.get("Resource"))),
                });
            }
            continue;
        }
        let blocks = data
            .config
            .and_then(|c| c.pointer("/expressions/statement"))
            .and_then(Value::as_array);
        for block in blocks.into_iter().flatten() {
            if block
                .pointer("/effect/constant_value")
                .and_then(Value::as_str)
                == Some("Deny")
            {
                continue;
            }
            let actions = strings(block.pointer("/actions/constant_value"))
                .into_iter()
                .map(str::to_owned)
                .collect();
            let constant = strings(block.pointer("/resources/constant_value"));
            let resources = if constant.contains(&"*") {
                None
            } else {
                let mut found = resources_of(d, constant).unwrap_or_default();
                let references = block
                    .pointer("/resources/references")
                    .and_then(Value::as_array);
                for reference in references.into_iter().flatten().filter_map(Value::as_str) {
                    found.extend(plan.resolve_reference(&data.module, reference));
                }
                Some(found)
            };
            out.push(Statement { actions, resources });
        }
    }
    if out.is_empty() && !plan.refs(r, &[key]).is_empty() {
        let (id, origin) = (d.ids[i].clone(), d.origin(i));
        d.f.finding("unknown-policy", &id, &origin, format!("the policy of `{origin}` is not known until apply and names no policy document discovery can read; its grants are left out"));
    }
    out
}

fn actions_of(s: &Value) -> Vec<String> {
    if s.get("NotAction").is_some() {
        return vec!["*".to_owned()];
    }
    strings(s.get("Action"))
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// `None` for a wildcard resource; else the discovered resources the ARNs (or ARN
/// patterns) name.
fn resources_of(d: &Discoverer<'_, '_>, arns: Vec<&str>) -> Option<Vec<usize>> {
    if arns.contains(&"*") {
        return None;
    }
    let mut found = Vec::new();
    for pattern in arns {
        found.extend(d.plan.arns_matching(pattern.trim_end_matches("/*"), glob));
    }
    Some(found)
}

/// The longest ARN IAM accepts; longer input is not an ARN (and would make matching slow).
const MAX_ARN: usize = 2048;

/// `*` and `?` wildcards, as IAM uses them. Iterative; bounded by [`MAX_ARN`].
fn glob(pattern: &str, text: &str) -> bool {
    if pattern.len() > MAX_ARN || text.len() > MAX_ARN {
        return false;
    }
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Resource types each IAM service prefix acts on.
const SERVICES: &[(&str, &[&str])] = &[
    ("s3", &["aws_s3_bucket"]),
    ("dynamodb", &["aws_dynamodb_table"]),
    ("sqs", &["aws_sqs_queue"]),
    ("sns", &["aws_sns_topic"]),
    ("secretsmanager", &["aws_secretsmanager_secret"]),
    ("rds", &["aws_db_instance", "aws_rds_cluster"]),
    ("rds-db", &["aws_db_instance", "aws_rds_cluster"]),
    ("lambda", &["aws_lambda_function"]),
    ("ecr", &["aws_ecr_repository"]),
    ("ec2", &["aws_instance"]),
    ("ecs", &["aws_ecs_service"]),
    (
        "elasticache",
        &[
            "aws_elasticache_cluster",
            "aws_elasticache_replication_group",
        ],
    ),
    ("eks", &["aws_eks_cluster"]),
];

/// IAM actions that let a principal give itself any permission.
const ESCALATION: &[&str] = &[
    "iam:*",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:AttachUserPolicy",
    "iam:PutUserPolicy",
    "iam:CreateAccessKey",
];

fn access_of(verb: &str) -> Access {
    const READS: &[&str] = &[
        "Get", "List", "Describe", "Query", "Scan", "Receive", "BatchGet", "Select", "Head",
    ];
    if verb == "*" {
        Access::Admin
    } else if READS.iter().any(|r| verb.starts_with(r)) {
        Access::Read
    } else {
        Access::Write
    }
}

fn apply(
    d: &mut Discoverer<'_, '_>,
    role: usize,
    statements: &[Statement],
    origin: &str,
    roles: &[usize],
) {
    let role_id = d.ids[role].clone();
    for s in statements {
        for action in &s.actions {
            let (service, verb) = action.split_once(':').unwrap_or(("*", "*"));
            if action == "*" && s.resources.is_none() {
                if let Some(i) = d.f.identities.get_mut(&role_id) {
                    i.privileged = true;
                }
                let all: Vec<String> = d.f.components.keys().cloned().collect();
                for c in all {
                    d.f.grant(&role_id, Access::Admin, &c);
                }
                assume_all(d, &role_id, roles);
                d.f.finding(
                    "wildcard-admin",
                    &role_id,
                    origin,
                    format!("`{origin}` allows every action on every resource"),
                );
                continue;
            }
            if ESCALATION.iter().any(|e| glob(action, e) || action == e) {
                if let Some(i) = d.f.identities.get_mut(&role_id) {
                    i.privileged = true;
                }
                assume_all(d, &role_id, roles);
                d.f.finding("iam-escalation", &role_id, origin, format!("`{origin}` allows `{action}`, with which the role can grant itself any permission"));
                continue;
            }
            if matches!(action.as_str(), "sts:AssumeRole" | "iam:PassRole" | "sts:*") {
                let targets: Vec<usize> = match &s.resources {
                    None => roles.to_vec(),
                    Some(r) => r.iter().copied().filter(|j| roles.contains(j)).collect(),
                };
                if s.resources.is_none() {
                    d.f.finding(
                        "iam-escalation",
                        &role_id,
                        origin,
                        format!("`{origin}` allows `{action}` on every role"),
                    );
                }
                for t in targets.into_iter().filter(|&t| t != role) {
                    let target = d.ids[t].clone();
                    d.f.grant(&role_id, Access::Assume, &target);
                }
                continue;
            }
            let types: Vec<&str> = SERVICES
                .iter()
                .filter(|(prefix, _)| glob(service, prefix))
                .flat_map(|(_, types)| types.iter().copied())
                .collect();
            let access = if service == "*" {
                Access::Admin
            } else {
                access_of(verb)
            };
            let targets: Vec<usize> = match &s.resources {
                None => d
                    .resources()
                    .filter(|(_, r)| types.contains(&r.kind))
                    .map(|(i, _)| i)
                    .collect(),
                Some(found) => found
                    .iter()
                    .copied()
                    .filter(|&j| service == "*" || types.contains(&d.plan.resources[j].kind))
                    .collect(),
            };
            for t in targets {
                let target = d.ids[t].clone();
                d.f.grant(&role_id, access, &target);
            }
        }
    }
}

fn assume_all(d: &mut Discoverer<'_, '_>, role_id: &str, roles: &[usize]) {
    for &r in roles {
        let target = d.ids[r].clone();
        if target != role_id {
            d.f.grant(role_id, Access::Assume, &target);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn iam_wildcards_match_like_aws() {
        assert!(super::glob(
            "arn:aws:s3:::shop-*",
            "arn:aws:s3:::shop-assets"
        ));
        assert!(super::glob("s3:Get*", "s3:GetObject"));
        assert!(!super::glob("s3:Get*", "s3:PutObject"));
        assert!(super::glob("*", ""));
        // Longer than any ARN: refused at once instead of matched in quadratic time.
        let long = "*a".repeat(super::MAX_ARN);
        assert!(!super::glob(&long, &"a".repeat(super::MAX_ARN + 1)));
    }

    #[test]
    fn oidc_subjects_are_broad_when_the_owner_is_a_wildcard() {
        assert!(super::broad_subject("*"));
        assert!(super::broad_subject("repo:*"));
        assert!(super::broad_subject("repo:*/infra:ref:refs/heads/main"));
        assert!(!super::broad_subject("repo:acme/infra:ref:refs/heads/main"));
        assert!(!super::broad_subject("repo:acme/*"));
    }
}
