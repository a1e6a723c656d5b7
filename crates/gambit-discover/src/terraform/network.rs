//! Security groups: ingress open to the world makes a component with a public address
//! `public` (with a finding per sensitive port); ingress from another group becomes
//! flows between their members; a component whose groups admit no address range gets
//! the `network-policy` control, and a subnet whose members all have it is isolated.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Discoverer;
use crate::fragment;

const SG: &[&str] = &["aws_security_group"];

/// One ingress rule.
struct Ingress {
    sg: usize,
    from_port: i64,
    to_port: i64,
    world: bool,
    /// Admits an address range other than the whole internet.
    range: bool,
    sources: Vec<usize>,
    origin: usize,
}

/// Ports worth naming when open to the world.
const NAMED_PORTS: &[(i64, &str, &str)] = &[
    (22, "SSH", "public-ssh"),
    (3389, "RDP", "public-rdp"),
    (5432, "PostgreSQL", "public-database-port"),
    (3306, "MySQL", "public-database-port"),
    (1433, "SQL Server", "public-database-port"),
    (1521, "Oracle", "public-database-port"),
    (27017, "MongoDB", "public-database-port"),
    (6379, "Redis", "public-database-port"),
    (11211, "Memcached", "public-database-port"),
    (9200, "Elasticsearch", "public-database-port"),
];

pub(crate) fn discover(d: &mut Discoverer<'_, '_>) {
    let rules = ingress_rules(d);
    let members = members(d);
    let mut groups_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut members_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &(component, sg) in &members {
        groups_of.entry(component).or_default().push(sg);
        members_of.entry(sg).or_default().push(component);
    }
    let mut rules_of: BTreeMap<usize, Vec<&Ingress>> = BTreeMap::new();
    for r in &rules {
        rules_of.entry(r.sg).or_default().push(r);
    }
    let mut open_to_world = std::collections::BTreeSet::new();
    for (&component, sgs) in &groups_of {
        let admitted: Vec<&Ingress> = sgs
            .iter()
            .flat_map(|sg| rules_of.get(sg).into_iter().flatten().copied())
            .collect();
        exposure(d, component, &admitted);
        for rule in &admitted {
            for &source in &rule.sources {
                for &from in members_of.get(&source).into_iter().flatten() {
                    reach(d, from, component, rule);
                }
            }
        }
        if admitted.iter().any(|r| r.world) {
            open_to_world.insert(component);
        }
        if !admitted.iter().any(|r| r.world || r.range)
            && let Some(c) = d.component(component)
        {
            c.controls.insert("network-policy".to_owned());
        }
    }
    // A component with a public address but no security group discovered stays public;
    // with groups, it is public only if one admits the world. A function's groups govern
    // only its own connections, never who may invoke it.
    for &component in groups_of.keys() {
        if d.plan.resources[component].kind == "aws_lambda_function" {
            continue;
        }
        // From the set built above: scanning every rule of the plan per component made
        // this loop quadratic (most of the time on a 50 MB plan).
        if !open_to_world.contains(&component)
            && let Some(c) = d.component(component)
        {
            c.public = false;
        }
    }
    isolate_subnets(d);
}

fn ingress_rules(d: &Discoverer<'_, '_>) -> Vec<Ingress> {
    let mut rules = Vec::new();
    for sg in d.of_type("aws_security_group") {
        let blocks = d
            .value(sg, "ingress")
            .as_array()
            .cloned()
            .unwrap_or_default();
        let config = d.plan.resources[sg]
            .config
            .and_then(|c| c.pointer("/expressions/ingress"))
            .and_then(Value::as_array);
        for (n, block) in blocks.iter().enumerate() {
            let mut sources: Vec<usize> = strs(block.get("security_groups"))
                .into_iter()
                .flat_map(|v| d.plan.by_value(v))
                .filter(|&j| d.plan.resources[j].kind == "aws_security_group")
                .collect();
            if let Some(cfg) = config.and_then(|c| c.get(n)) {
                for reference in cfg
                    .pointer("/security_groups/references")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    sources.extend(by_reference(d, sg, reference));
                }
            }
            if block.get("self").and_then(Value::as_bool) == Some(true) {
                sources.push(sg);
            }
            rules.push(rule(
                sg,
                sg,
                block,
                &["cidr_blocks", "ipv6_cidr_blocks"],
                sources,
            ));
        }
    }
    for r in d.of_type("aws_security_group_rule") {
        if d.value(r, "type").as_str() != Some("ingress") {
            continue;
        }
        let sources = d.refs_of(r, &["source_security_group_id"], SG);
        for sg in d.refs_of(r, &["security_group_id"], SG) {
            rules.push(rule(
                sg,
                r,
                d.plan.resources[r].values,
                &["cidr_blocks", "ipv6_cidr_blocks"],
                sources.clone(),
            ));
        }
    }
    for r in d.of_type("aws_vpc_security_group_ingress_rule") {
        let sources = d.refs_of(r, &["referenced_security_group_id"], SG);
        for sg in d.refs_of(r, &["security_group_id"], SG) {
            rules.push(rule(
                sg,
                r,
                d.plan.resources[r].values,
                &["cidr_ipv4", "cidr_ipv6"],
                sources.clone(),
            ));
        }
    }
    rules
}

fn by_reference(d: &Discoverer<'_, '_>, sg: usize, reference: &str) -> Vec<usize> {
    let module = &d.plan.resources[sg].module;
    let mut parts = reference.split('.');
    let (Some(kind), Some(name)) = (parts.next(), parts.next()) else {
        return Vec::new();
    };
    let base = format!("{module}{kind}.{name}");
    d.of_type("aws_security_group")
        .into_iter()
        .filter(|&i| super::plan::base_address(&d.plan.resources[i].address) == base)
        .collect()
}

fn strs(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    }
}

fn rule(sg: usize, origin: usize, v: &Value, cidr_keys: &[&str], sources: Vec<usize>) -> Ingress {
    let cidrs: Vec<&str> = cidr_keys.iter().flat_map(|k| strs(v.get(*k))).collect();
    let all = v
        .get("protocol")
        .or(v.get("ip_protocol"))
        .and_then(Value::as_str)
        == Some("-1");
    let port = |k: &str| v.get(k).and_then(Value::as_i64).unwrap_or(0);
    let (from_port, to_port) = if all {
        (0, 65535)
    } else {
        (port("from_port"), port("to_port"))
    };
    Ingress {
        sg,
        from_port,
        to_port,
        world: cidrs.iter().any(|c| *c == "0.0.0.0/0" || *c == "::/0"),
        range: cidrs.iter().any(|c| *c != "0.0.0.0/0" && *c != "::/0"),
        sources,
        origin,
    }
}

/// (component, security group) for every component's groups.
fn members(d: &Discoverer<'_, '_>) -> Vec<(usize, usize)> {
    let paths: &[(&str, &[&str])] = &[
        ("aws_instance", &["vpc_security_group_ids"]),
        ("aws_instance", &["security_groups"]),
        (
            "aws_ecs_service",
            &["network_configuration", "security_groups"],
        ),
        ("aws_lambda_function", &["vpc_config", "security_group_ids"]),
        ("aws_eks_cluster", &["vpc_config", "security_group_ids"]),
        ("aws_lb", &["security_groups"]),
        ("aws_alb", &["security_groups"]),
        ("aws_db_instance", &["vpc_security_group_ids"]),
        ("aws_rds_cluster", &["vpc_security_group_ids"]),
        ("aws_elasticache_cluster", &["security_group_ids"]),
        ("aws_elasticache_replication_group", &["security_group_ids"]),
    ];
    let mut out = Vec::new();
    for (kind, path) in paths {
        for c in d.of_type(kind) {
            out.extend(d.refs_of(c, path, SG).into_iter().map(|sg| (c, sg)));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn exposure(d: &mut Discoverer<'_, '_>, component: usize, admitted: &[&Ingress]) {
    let public_address =
        d.f.components
            .get(&d.ids[component])
            .is_some_and(|c| c.public);
    if !public_address {
        return;
    }
    let id = d.ids[component].clone();
    for rule in admitted.iter().filter(|r| r.world) {
        let origin = d.origin(rule.origin);
        if rule.from_port == 0 && rule.to_port >= 65535 {
            d.f.finding("public-all-ports", &id, &origin, format!("`{origin}` admits the whole internet on every port of a component with a public address"));
            continue;
        }
        for &(port, name, code) in NAMED_PORTS {
            if rule.from_port <= port && port <= rule.to_port {
                d.f.finding(code, &id, &origin, format!("`{origin}` admits the whole internet to {name} (port {port}) of a component with a public address"));
            }
        }
    }
}

fn reach(d: &mut Discoverer<'_, '_>, from: usize, to: usize, rule: &Ingress) {
    let protocol = crate::ports::protocol(rule.from_port);
    let target = d.f.components.get(&d.ids[to]);
    // What the target's configuration says about its callers: RDS always demands its
    // users' passwords; a cache demands one with an AUTH token or user groups, and a
    // cache without them (or Memcached) lets any caller in. Other targets do not say.
    let authentication = match target.map(|c| c.kind.as_str()) {
        Some("database") => Some("password"),
        Some("cache") if cache_demands_password(d, to) => Some("password"),
        Some("cache") => Some("none"),
        _ => None,
    };
    let flow = fragment::Flow {
        origin: format!("{} (security group rule)", d.origin(rule.origin)),
        from: d.ids[from].clone(),
        to: d.ids[to].clone(),
        protocol: Some(protocol.unwrap_or("tcp").to_owned()),
        encrypted: protocol.is_none().then_some(false),
        authentication: authentication.map(str::to_owned),
        code: false,
    };
    d.f.flow(flow);
}

fn cache_demands_password(d: &Discoverer<'_, '_>, cache: usize) -> bool {
    let set = |key: &str| match d.value(cache, key) {
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    };
    set("auth_token") || set("user_group_ids")
}

fn isolate_subnets(d: &mut Discoverer<'_, '_>) {
    // Per zone: whether all its members have network-policy (absent: no members).
    let mut guarded: BTreeMap<String, bool> = BTreeMap::new();
    for c in d.f.components.values() {
        if let Some(zone) = &c.zone {
            let all = guarded.entry(zone.clone()).or_insert(true);
            *all &= c.controls.contains("network-policy");
        }
    }
    for (id, z) in d.f.zones.iter_mut().filter(|(_, z)| z.kind == "subnet") {
        z.isolated = guarded.get(id).copied().unwrap_or(false);
    }
}
