//! RBAC: the rules of each Role and ClusterRole bound to a ServiceAccount, summarised to
//! what matters for attack paths (docs/discover.md lists them).

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{Discoverer, NODES, kind_of, name_of, namespace_of, origin_of, secret_store};
use crate::fragment::Access;

/// The powers a rule set gives, in one scope.
#[derive(Default)]
struct Powers {
    read_secrets: bool,
    write_secrets: bool,
    exec: bool,
    create_pods: bool,
    escalate: bool,
    everything: bool,
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn powers(rules: &[Value]) -> Powers {
    let mut p = Powers::default();
    for rule in rules {
        let resources = strings(rule.get("resources"));
        let verbs = strings(rule.get("verbs"));
        let on = |r: &str| resources.contains(&"*") || resources.contains(&r);
        let can = |v: &[&str]| verbs.contains(&"*") || v.iter().any(|x| verbs.contains(x));
        if on("*") && can(&["*"]) && verbs.contains(&"*") && resources.contains(&"*") {
            p.everything = true;
        }
        if on("secrets") && can(&["get", "list", "watch"]) {
            p.read_secrets = true;
        }
        if on("secrets") && can(&["create", "update", "patch"]) {
            p.write_secrets = true;
        }
        if on("pods/exec") && can(&["create", "get"]) {
            p.exec = true;
        }
        if [
            "pods",
            "deployments",
            "daemonsets",
            "statefulsets",
            "jobs",
            "cronjobs",
            "replicasets",
        ]
        .iter()
        .any(|r| on(r))
            && can(&["create"])
        {
            p.create_pods = true;
        }
        if can(&["escalate", "bind", "impersonate"]) {
            p.escalate = true;
        }
    }
    p
}

/// The built-in ClusterRoles bindings often name without defining them.
fn builtin(name: &str) -> Option<Vec<Value>> {
    Some(match name {
        "cluster-admin" => vec![json!({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]})],
        "admin" | "edit" => vec![
            json!({"resources": ["secrets"], "verbs": ["get", "list", "watch", "create", "update", "patch"]}),
            json!({"resources": ["pods/exec"], "verbs": ["create", "get"]}),
            json!({"resources": ["pods", "deployments"], "verbs": ["create"]}),
        ],
        "view" => vec![json!({"resources": ["pods", "services"], "verbs": ["get", "list"]})],
        _ => return None,
    })
}

pub(crate) fn discover(d: &mut Discoverer<'_>) {
    let namespaces: Vec<String> = d
        .workloads
        .iter()
        .map(|w| w.namespace.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for b in d
        .objects
        .iter()
        .filter(|o| matches!(kind_of(o), "RoleBinding" | "ClusterRoleBinding"))
    {
        let cluster_wide = kind_of(b) == "ClusterRoleBinding";
        let ns = namespace_of(b).to_owned();
        let origin = origin_of(b);
        let role_kind = b
            .value
            .pointer("/roleRef/kind")
            .and_then(Value::as_str)
            .unwrap_or("ClusterRole");
        let role_name = b
            .value
            .pointer("/roleRef/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let defined = d.objects.iter().find(|o| {
            kind_of(o) == role_kind
                && name_of(o) == role_name
                && (role_kind == "ClusterRole" || namespace_of(o) == ns)
        });
        let rules = match defined {
            Some(r) => r
                .value
                .get("rules")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            None => builtin(role_name).unwrap_or_default(),
        };
        let p = powers(&rules);
        let scope: Vec<String> = if cluster_wide {
            namespaces.clone()
        } else {
            vec![ns.clone()]
        };
        let subjects: Vec<String> = b
            .value
            .get("subjects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|s| s.get("kind").and_then(Value::as_str) == Some("ServiceAccount"))
            .filter_map(|s| {
                let name = s.get("name").and_then(Value::as_str)?;
                let sns = s.get("namespace").and_then(Value::as_str).unwrap_or(&ns);
                Some(d.account(sns, name, &format!("subject of {origin}")))
            })
            .collect();
        for sa in subjects {
            apply(d, &sa, &p, &scope, cluster_wide, &origin, role_name);
        }
    }
}

fn apply(
    d: &mut Discoverer<'_>,
    sa: &str,
    p: &Powers,
    scope: &[String],
    cluster_wide: bool,
    origin: &str,
    role: &str,
) {
    let where_ = if cluster_wide {
        "in every namespace".to_owned()
    } else {
        format!("in namespace `{}`", scope.join(", "))
    };
    if p.everything {
        if let Some(i) = d.f.identities.get_mut(sa) {
            i.privileged = true;
        }
        d.f.grant(sa, Access::Admin, NODES);
        d.f.finding(
            "cluster-admin",
            sa,
            origin,
            format!("`{origin}` gives `{sa}` every permission ({role}) {where_}"),
        );
    }
    if p.read_secrets || p.write_secrets || p.everything {
        let access = if p.write_secrets || p.everything {
            Access::Write
        } else {
            Access::Read
        };
        for ns in scope {
            let store = secret_store(ns);
            if d.f.components.contains_key(&store) {
                d.f.grant(sa, access, &store);
                if access == Access::Write {
                    d.f.grant(sa, Access::Read, &store);
                }
            }
        }
        if cluster_wide {
            d.f.finding(
                "cluster-secret-reader",
                sa,
                origin,
                format!("`{origin}` lets `{sa}` read every Secret of the cluster"),
            );
        }
    }
    let workloads: Vec<String> = d
        .workloads
        .iter()
        .filter(|w| scope.contains(&w.namespace))
        .map(|w| w.id.clone())
        .collect();
    if p.exec || p.everything {
        for w in &workloads {
            d.f.grant(sa, Access::Admin, w);
        }
        if !p.everything {
            d.f.finding(
                "pod-exec",
                sa,
                origin,
                format!("`{origin}` lets `{sa}` run commands in pods {where_}"),
            );
        }
    }
    if p.create_pods || p.escalate || p.everything {
        let accounts: Vec<String> = d
            .f
            .identities
            .keys()
            .filter(|id| {
                id.as_str() != sa
                    && (cluster_wide
                        || scope.iter().any(|ns| {
                            id.starts_with(&format!("{}.serviceaccount.", crate::ids::clean(ns)))
                        }))
            })
            .cloned()
            .collect();
        for a in accounts {
            d.f.grant(sa, Access::Assume, &a);
        }
        if p.escalate && !p.everything {
            if let Some(i) = d.f.identities.get_mut(sa) {
                i.privileged = true;
            }
            d.f.finding(
                "rbac-escalation",
                sa,
                origin,
                format!("`{origin}` lets `{sa}` escalate, bind or impersonate {where_}"),
            );
        } else if p.create_pods && !p.everything {
            d.f.finding("create-pods", sa, origin, format!("`{origin}` lets `{sa}` create pods {where_}, which may mount any ServiceAccount there"));
        }
    }
}
