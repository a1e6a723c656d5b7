//! `gambit discover terraform`: a model fragment from a Terraform plan (AWS).
//!
//! Two passes over the plan's resources: every mapped resource first becomes its element
//! ([`table::AWS`]), then each type adds its facts (placement, exposure, reach, roles,
//! secrets, forwarding). References go through [`plan::Plan::refs`], which follows the
//! configuration when a value is unknown until apply.

mod iam;
mod network;
pub mod plan;
pub mod table;

use serde_json::Value;

use crate::error::ReadError;
use crate::fragment::{self, Access, Fragment};
use crate::ids;
use plan::{Plan, Resource};
use table::Becomes;

/// The administrative zone every discovered AWS element sits in (directly or through its
/// VPC): one per plan.
pub const ACCOUNT_ZONE: &str = "aws-account";

/// Reads a plan file (at most `max_size` bytes; plans of large estates run to tens of
/// megabytes).
pub fn discover_file(path: &std::path::Path, max_size: u64) -> Result<Fragment, ReadError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| ReadError::new(&name, format!("cannot read it: {e}")))?;
    let text = gambit_model::read_limited(file, &name, max_size)
        .map_err(|d| ReadError::new(&name, d.message))?;
    discover(&name, &text)
}

/// Reads a plan's JSON text; `file` names it in errors and in the fragment's header.
pub fn discover(file: &str, text: &str) -> Result<Fragment, ReadError> {
    let raw: plan::RawPlan = serde_json::from_str(text).map_err(|e| {
        let what = if e.is_eof() {
            "the JSON ends too early (a truncated file?)".to_owned()
        } else if e.is_data() {
            format!("not a Terraform plan: {e}; write one with `terraform show -json PLANFILE`")
        } else {
            format!("invalid JSON: {e}")
        };
        ReadError::new(file, strip_position(&what)).at(e.line().max(1), e.column().max(1))
    })?;
    let plan = Plan::read(file, text, &raw)?;
    let mut d = Discoverer {
        plan: &plan,
        f: Fragment::new(format!("the Terraform plan {file}")),
        ids: plan
            .resources
            .iter()
            .map(|r| ids::terraform(&r.address))
            .collect(),
    };
    d.elements();
    d.facts();
    iam::discover(&mut d);
    network::discover(&mut d);
    d.f.finish();
    Ok(d.f)
}

/// `registry/path:tag` or `registry/path@sha256:…` → `registry/path`.
pub fn image_repository(image: &str) -> &str {
    let image = image.split('@').next().unwrap_or(image);
    match image.rfind(':') {
        Some(colon) if !image[colon..].contains('/') => &image[..colon],
        _ => image,
    }
}

/// serde_json appends " at line L column C"; the error carries the place itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

pub(crate) struct Discoverer<'a, 'p> {
    pub plan: &'a Plan<'p>,
    pub f: Fragment,
    /// Element id per resource index.
    pub ids: Vec<String>,
}

impl<'p> Discoverer<'_, 'p> {
    pub fn resources(&self) -> impl Iterator<Item = (usize, &Resource<'p>)> {
        self.plan
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.data)
    }

    pub fn of_type(&self, kind: &'static str) -> Vec<usize> {
        self.resources()
            .filter(|(_, r)| r.kind == kind)
            .map(|(i, _)| i)
            .collect()
    }

    pub fn origin(&self, i: usize) -> String {
        self.plan.resources[i].address.clone()
    }

    /// The resources `path` of resource `i` points at, of one of `types`.
    pub fn refs_of(&self, i: usize, path: &[&str], types: &[&str]) -> Vec<usize> {
        self.plan
            .refs(&self.plan.resources[i], path)
            .into_iter()
            .filter(|&j| types.contains(&self.plan.resources[j].kind))
            .collect()
    }

    pub fn value(&self, i: usize, key: &str) -> &'p Value {
        self.plan.resources[i]
            .values
            .get(key)
            .unwrap_or(&Value::Null)
    }

    pub fn flag(&self, i: usize, key: &str) -> Option<bool> {
        self.value(i, key).as_bool()
    }

    /// What names resource `i` besides its address, for drift's matching: its name in
    /// the configuration and the known values people call it by.
    fn names(&self, i: usize) -> std::collections::BTreeSet<String> {
        const NAMING: &[&str] = &[
            "name",
            "identifier",
            "cluster_identifier",
            "bucket",
            "function_name",
            "dns_name",
            "endpoint",
            "address",
        ];
        let r = &self.plan.resources[i];
        let local = plan::base_address(&r.address)
            .rsplit('.')
            .next()
            .unwrap_or("");
        let tag = self.value(i, "tags").get("Name").and_then(Value::as_str);
        NAMING
            .iter()
            .filter_map(|k| self.value(i, k).as_str())
            .chain(tag)
            .chain([local])
            .filter(|n| !n.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    }

    pub fn component(&mut self, i: usize) -> Option<&mut fragment::Component> {
        self.f.components.get_mut(&self.ids[i])
    }

    fn elements(&mut self) {
        let mut account_needed = false;
        for i in 0..self.plan.resources.len() {
            let r = &self.plan.resources[i];
            if r.data {
                continue;
            }
            let Some(mapping) = table::mapping(r.kind) else {
                let (kind, address) = (r.kind, r.address.clone());
                self.f.unknown(kind, &address);
                continue;
            };
            let origin = r.address.clone();
            let id = self.ids[i].clone();
            account_needed = true;
            match mapping.becomes {
                Becomes::Component { kind, managed } => {
                    let names = self.names(i);
                    self.f.components.insert(
                        id,
                        fragment::Component {
                            origin,
                            kind: kind.to_owned(),
                            zone: Some(ACCOUNT_ZONE.to_owned()),
                            managed,
                            names,
                            ..Default::default()
                        },
                    );
                }
                Becomes::Zone { kind } => {
                    self.f.zones.insert(
                        id,
                        fragment::Zone {
                            origin,
                            kind: kind.to_owned(),
                            parent: Some(ACCOUNT_ZONE.to_owned()),
                            isolated: false,
                        },
                    );
                }
                Becomes::Identity { kind } => {
                    self.f.identities.insert(
                        id,
                        fragment::Identity {
                            origin,
                            kind: kind.to_owned(),
                            ..Default::default()
                        },
                    );
                }
                Becomes::Folded => {}
            }
        }
        if account_needed {
            self.f.zones.insert(
                ACCOUNT_ZONE.to_owned(),
                fragment::Zone {
                    origin: "the AWS provider's account".to_owned(),
                    kind: "cloud-account".to_owned(),
                    parent: None,
                    isolated: false,
                },
            );
        }
    }

    /// Per-type facts other than IAM and security groups.
    fn facts(&mut self) {
        for i in self.of_type("aws_subnet") {
            if let Some(&vpc) = self.refs_of(i, &["vpc_id"], &["aws_vpc"]).first() {
                let parent = self.ids[vpc].clone();
                if let Some(z) = self.f.zones.get_mut(&self.ids[i]) {
                    z.parent = Some(parent);
                }
            }
        }
        self.placement();
        self.secrets();
        self.exposure();
        self.forwarding();
        self.images();
    }

    /// Where each component sits: its (first) subnet.
    fn placement(&mut self) {
        const SUBNET: &[&str] = &["aws_subnet"];
        let direct: &[(&str, &[&str])] = &[
            ("aws_instance", &["subnet_id"]),
            ("aws_ecs_service", &["network_configuration", "subnets"]),
            ("aws_lambda_function", &["vpc_config", "subnet_ids"]),
            ("aws_eks_node_group", &["subnet_ids"]),
            ("aws_eks_cluster", &["vpc_config", "subnet_ids"]),
            ("aws_lb", &["subnets"]),
            ("aws_alb", &["subnets"]),
        ];
        for (kind, path) in direct {
            for i in self.of_type(kind) {
                let subnets = self.refs_of(i, path, SUBNET);
                self.place(i, &subnets);
            }
        }
        let grouped: &[(&str, &str, &str)] = &[
            (
                "aws_db_instance",
                "db_subnet_group_name",
                "aws_db_subnet_group",
            ),
            (
                "aws_rds_cluster",
                "db_subnet_group_name",
                "aws_db_subnet_group",
            ),
            (
                "aws_elasticache_cluster",
                "subnet_group_name",
                "aws_elasticache_subnet_group",
            ),
            (
                "aws_elasticache_replication_group",
                "subnet_group_name",
                "aws_elasticache_subnet_group",
            ),
        ];
        for (kind, key, group_type) in grouped {
            for i in self.of_type(kind) {
                let subnets: Vec<usize> = self
                    .refs_of(i, &[key], &[group_type])
                    .into_iter()
                    .flat_map(|g| self.refs_of(g, &["subnet_ids"], SUBNET))
                    .collect();
                self.place(i, &subnets);
            }
        }
    }

    fn place(&mut self, i: usize, subnets: &[usize]) {
        if let Some(&s) = subnets.iter().min() {
            let zone = self.ids[s].clone();
            if let Some(c) = self.component(i) {
                c.zone = Some(zone);
            }
        }
    }

    /// Secrets Manager secrets store a credential; tasks and functions that name one
    /// hold it.
    fn secrets(&mut self) {
        for i in self.of_type("aws_secretsmanager_secret") {
            let asset = format!("{}.value", self.ids[i]);
            self.f.assets.insert(
                asset.clone(),
                fragment::Asset {
                    origin: self.origin(i),
                    kind: "credential",
                    grants: None,
                    description: Some(
                        "the secret's value; say what it grants in a hand-written asset of this id"
                            .to_owned(),
                    ),
                },
            );
            if let Some(c) = self.component(i) {
                c.stores.insert(asset);
            }
        }
        const SECRET: &[&str] = &["aws_secretsmanager_secret"];
        for s in self.of_type("aws_ecs_service") {
            let held: Vec<usize> = self
                .task_definitions(s)
                .into_iter()
                .flat_map(|t| self.container_refs(t, "secrets", "valueFrom", SECRET))
                .collect();
            self.hold_secrets(s, &held);
        }
        for l in self.of_type("aws_lambda_function") {
            let held = self.refs_of(l, &["environment", "variables"], SECRET);
            let mut more = Vec::new();
            for v in self
                .value(l, "environment")
                .as_array()
                .into_iter()
                .flatten()
            {
                for value in v
                    .get("variables")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let named = value
                        .1
                        .as_str()
                        .map(|s| self.plan.by_value(s))
                        .unwrap_or_default();
                    more.extend(
                        named
                            .into_iter()
                            .filter(|&j| SECRET.contains(&self.plan.resources[j].kind)),
                    );
                }
            }
            self.hold_secrets(l, &[held, more].concat());
        }
    }

    fn hold_secrets(&mut self, component: usize, secrets: &[usize]) {
        let assets: Vec<String> = secrets
            .iter()
            .map(|&s| format!("{}.value", self.ids[s]))
            .collect();
        if let Some(c) = self.component(component) {
            c.holds.extend(assets);
        }
    }

    pub fn task_definitions(&self, service: usize) -> Vec<usize> {
        self.refs_of(service, &["task_definition"], &["aws_ecs_task_definition"])
    }

    /// Resources named inside `container_definitions` (a JSON string): by value when the
    /// JSON is known, else by the configuration's references (`jsonencode` of values
    /// unknown at plan time), filtered to `types`.
    pub fn container_refs(&self, task: usize, list: &str, key: &str, types: &[&str]) -> Vec<usize> {
        let mut found = Vec::new();
        if let Some(Ok(defs)) = self
            .value(task, "container_definitions")
            .as_str()
            .map(serde_json::from_str::<Value>)
        {
            for container in defs.as_array().into_iter().flatten() {
                for entry in container
                    .get(list)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(v) = entry.get(key).and_then(Value::as_str) {
                        found.extend(self.lookup_arn(v));
                    }
                }
            }
        } else {
            found = self.refs_of(task, &["container_definitions"], types);
        }
        found.retain(|&j| types.contains(&self.plan.resources[j].kind));
        found
    }

    /// A resource by a value that may carry a suffix (`…:secret:db-AbCd:password::`).
    fn lookup_arn(&self, value: &str) -> Vec<usize> {
        let mut v = value;
        loop {
            let found = self.plan.by_value(v);
            if !found.is_empty() {
                return found;
            }
            match v.rfind([':', '/']) {
                Some(cut) => v = &v[..cut],
                None => return Vec::new(),
            }
        }
    }

    /// Public addresses, public buckets and databases, function URLs.
    fn exposure(&mut self) {
        for i in self.of_type("aws_instance") {
            let public = self.flag(i, "associate_public_ip_address") == Some(true)
                || self
                    .value(i, "public_ip")
                    .as_str()
                    .is_some_and(|ip| !ip.is_empty());
            self.set_public_address(i, public);
        }
        for e in self.of_type("aws_eip") {
            for i in self.refs_of(e, &["instance"], &["aws_instance"]) {
                self.set_public_address(i, true);
            }
        }
        for i in self.of_type("aws_ecs_service") {
            let public = self
                .value(i, "network_configuration")
                .as_array()
                .into_iter()
                .flatten()
                .any(|n| n.get("assign_public_ip").and_then(Value::as_bool) == Some(true));
            self.set_public_address(i, public);
        }
        for kind in ["aws_lb", "aws_alb"] {
            for i in self.of_type(kind) {
                let internet_facing = self.flag(i, "internal") != Some(true);
                self.set_public_address(i, internet_facing);
            }
        }
        for kind in [
            "aws_cloudfront_distribution",
            "aws_api_gateway_rest_api",
            "aws_apigatewayv2_api",
        ] {
            for i in self.of_type(kind) {
                self.set_public_address(i, true);
            }
        }
        for kind in ["aws_db_instance", "aws_rds_cluster"] {
            for i in self.of_type(kind) {
                let public = self.flag(i, "publicly_accessible") == Some(true);
                let encrypted = self.flag(i, "storage_encrypted").unwrap_or(false);
                self.set_public_address(i, public);
                if let Some(c) = self.component(i) {
                    c.encrypted_at_rest = Some(encrypted);
                }
                if public {
                    let (id, origin) = (self.ids[i].clone(), self.origin(i));
                    self.f.finding(
                        "public-database",
                        &id,
                        &origin,
                        format!(
                            "`{origin}` is publicly accessible: it has an address on the internet"
                        ),
                    );
                }
            }
        }
        // Both always encrypt at rest (KMS); left unsaid, a secret store read as
        // unencrypted, a threat no reviewer keeps.
        for kind in ["aws_dynamodb_table", "aws_secretsmanager_secret"] {
            for i in self.of_type(kind) {
                if let Some(c) = self.component(i) {
                    c.encrypted_at_rest = Some(true);
                }
            }
        }
        for kind in [
            "aws_elasticache_cluster",
            "aws_elasticache_replication_group",
        ] {
            for i in self.of_type(kind) {
                let encrypted = self.flag(i, "at_rest_encryption_enabled").unwrap_or(false);
                if let Some(c) = self.component(i) {
                    c.encrypted_at_rest = Some(encrypted);
                }
            }
        }
        for u in self.of_type("aws_lambda_function_url") {
            if self.value(u, "authorization_type").as_str() == Some("NONE") {
                for l in self.refs_of(u, &["function_name"], &["aws_lambda_function"]) {
                    self.set_public_address(l, true);
                    let (id, origin) = (self.ids[l].clone(), self.origin(u));
                    self.f.finding("public-function-url", &id, &origin, format!("`{origin}` lets anyone on the internet call the function without authentication"));
                }
            }
        }
        for i in self.of_type("aws_eks_cluster") {
            let vpc = self.value(i, "vpc_config");
            let public = vpc.as_array().into_iter().flatten().any(|v| {
                v.get("endpoint_public_access").and_then(Value::as_bool) != Some(false)
                    && v.get("public_access_cidrs")
                        .and_then(Value::as_array)
                        .is_none_or(|c| c.iter().any(|x| x == "0.0.0.0/0"))
            });
            self.set_public_address(i, public);
        }
        self.buckets();
    }

    /// Records that a component has an address on the internet. Whether that makes it
    /// `public` is decided by its security groups (see `network`).
    fn set_public_address(&mut self, i: usize, public: bool) {
        if let Some(c) = self.component(i) {
            c.public |= public;
        }
    }

    fn buckets(&mut self) {
        const BUCKET: &[&str] = &["aws_s3_bucket"];
        let mut block_off = Vec::new();
        for p in self.of_type("aws_s3_bucket_public_access_block") {
            let off = [
                "block_public_policy",
                "restrict_public_buckets",
                "block_public_acls",
                "ignore_public_acls",
            ]
            .iter()
            .any(|k| self.flag(p, k) == Some(false));
            if off {
                block_off.extend(self.refs_of(p, &["bucket"], BUCKET));
            }
        }
        let mut grants_anyone = Vec::new();
        for p in self.of_type("aws_s3_bucket_policy") {
            let doc = self
                .value(p, "policy")
                .as_str()
                .and_then(|s| serde_json::from_str::<Value>(s).ok());
            if doc.as_ref().is_some_and(iam::allows_anyone) {
                grants_anyone.extend(
                    self.refs_of(p, &["bucket"], BUCKET)
                        .into_iter()
                        .map(|b| (b, p)),
                );
            }
        }
        for a in self.of_type("aws_s3_bucket_acl") {
            if matches!(
                self.value(a, "acl").as_str(),
                Some("public-read" | "public-read-write")
            ) {
                grants_anyone.extend(
                    self.refs_of(a, &["bucket"], BUCKET)
                        .into_iter()
                        .map(|b| (b, a)),
                );
            }
        }
        for (bucket, by) in grants_anyone {
            if block_off.contains(&bucket) {
                self.set_public_address(bucket, true);
                let (id, origin) = (self.ids[bucket].clone(), self.origin(by));
                self.f.finding("public-bucket", &id, &origin, format!("`{origin}` grants `*` access to the bucket and its public access block is off"));
            }
        }
    }

    /// Load balancers, CloudFront and API gateways forward to what they front.
    fn forwarding(&mut self) {
        const TG: &[&str] = &["aws_lb_target_group"];
        const LB: &[&str] = &["aws_lb", "aws_alb"];
        let mut lb_of_tg: Vec<(usize, usize)> = Vec::new();
        for l in self.of_type("aws_lb_listener") {
            let lbs = self.refs_of(l, &["load_balancer_arn"], LB);
            let tgs = self.refs_of(l, &["default_action", "target_group_arn"], TG);
            for &lb in &lbs {
                lb_of_tg.extend(tgs.iter().map(|&tg| (tg, lb)));
            }
        }
        let mut targets: Vec<(usize, usize)> = Vec::new(); // (target group, target)
        for a in self.of_type("aws_lb_target_group_attachment") {
            let tgs = self.refs_of(a, &["target_group_arn"], TG);
            let to = self.refs_of(a, &["target_id"], &["aws_instance", "aws_lambda_function"]);
            for &tg in &tgs {
                targets.extend(to.iter().map(|&t| (tg, t)));
            }
        }
        for s in self.of_type("aws_ecs_service") {
            for tg in self.refs_of(s, &["load_balancer", "target_group_arn"], TG) {
                targets.push((tg, s));
            }
        }
        for (tg, target) in targets {
            let protocol = self
                .value(tg, "protocol")
                .as_str()
                .unwrap_or("http")
                .to_ascii_lowercase();
            for &(_, lb) in lb_of_tg.iter().filter(|(t, _)| *t == tg) {
                self.forward(lb, target, &protocol, tg);
            }
        }
        for c in self.of_type("aws_cloudfront_distribution") {
            let origins = self.refs_of(
                c,
                &["origin", "domain_name"],
                &[
                    "aws_lb",
                    "aws_alb",
                    "aws_s3_bucket",
                    "aws_apigatewayv2_api",
                    "aws_api_gateway_rest_api",
                ],
            );
            for o in origins {
                self.forward(c, o, "https", c);
            }
        }
        for (kind, api_key, uri_key) in [
            ("aws_apigatewayv2_integration", "api_id", "integration_uri"),
            ("aws_api_gateway_integration", "rest_api_id", "uri"),
        ] {
            for g in self.of_type(kind) {
                let apis = self.refs_of(
                    g,
                    &[api_key],
                    &["aws_apigatewayv2_api", "aws_api_gateway_rest_api"],
                );
                let backends =
                    self.refs_of(g, &[uri_key], &["aws_lambda_function", "aws_lb", "aws_alb"]);
                for &api in &apis {
                    for &b in &backends {
                        self.forward(api, b, "https", g);
                    }
                }
            }
        }
    }

    fn forward(&mut self, from: usize, to: usize, protocol: &str, origin: usize) {
        let flow = fragment::Flow {
            origin: self.origin(origin),
            from: self.ids[from].clone(),
            to: self.ids[to].clone(),
            protocol: Some(protocol.to_owned()),
            encrypted: None,
            // A load balancer, CDN or gateway passes its callers on; whether the target
            // checks them is the target's (or the hand-written model's) to say.
            authentication: None,
            code: false,
        };
        self.f.flow(flow);
    }

    /// Registries whose images a task runs deliver code to its services.
    fn images(&mut self) {
        const ECR: &[&str] = &["aws_ecr_repository"];
        for s in self.of_type("aws_ecs_service") {
            let mut repos = Vec::new();
            for t in self.task_definitions(s) {
                let known = self
                    .value(t, "container_definitions")
                    .as_str()
                    .and_then(|j| serde_json::from_str::<Value>(j).ok());
                match known {
                    Some(defs) => {
                        for c in defs.as_array().into_iter().flatten() {
                            let image = c.get("image").and_then(Value::as_str).unwrap_or("");
                            let repo = image_repository(image);
                            for j in self.plan.by_value(repo) {
                                if self.plan.resources[j].kind == "aws_ecr_repository" {
                                    repos.push((j, t));
                                }
                            }
                        }
                    }
                    None => repos.extend(
                        self.refs_of(t, &["container_definitions"], ECR)
                            .into_iter()
                            .map(|j| (j, t)),
                    ),
                }
            }
            for (repo, task) in repos {
                self.f.flow(fragment::Flow {
                    origin: self.origin(task),
                    from: self.ids[repo].clone(),
                    to: self.ids[s].clone(),
                    protocol: Some("https".to_owned()),
                    encrypted: None,
                    authentication: Some("iam".to_owned()),
                    code: true,
                });
            }
        }
    }

    /// A flow for each grant a component's role has on another component: the call the
    /// grant exists for (IAM calls are authenticated and encrypted).
    pub fn grant_flows(&mut self) {
        let mut flows = Vec::new();
        for (cid, c) in &self.f.components {
            let Some(role) = &c.runs_as else { continue };
            let Some(identity) = self.f.identities.get(role) else {
                continue;
            };
            for (target, access) in &identity.grants {
                if *access != Access::Assume && self.f.components.contains_key(target) {
                    flows.push(fragment::Flow {
                        origin: format!("{} (IAM grant of {role})", identity.origin),
                        from: cid.clone(),
                        to: target.clone(),
                        protocol: Some("https".to_owned()),
                        encrypted: None,
                        authentication: Some("iam".to_owned()),
                        code: false,
                    });
                }
            }
        }
        for f in flows {
            self.f.flow(f);
        }
    }
}

/// Is `id` one that Terraform discovery produces? (For drift's "modelled but gone".)
pub fn claims(id: &str) -> bool {
    id.starts_with("aws-") || id.starts_with("module.")
}
