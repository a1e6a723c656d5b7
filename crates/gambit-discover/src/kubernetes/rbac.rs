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
    /// `pods/exec` or `pods/attach`: commands in the scope's pods.
    exec: bool,
    /// Pods or the controllers that make them: a new pod may mount any account.
    create_pods: bool,
    /// `impersonate` on serviceaccounts, or `serviceaccounts/token` create: act as any
    /// account of the scope.
    act_as_accounts: bool,
    /// `nodes/proxy`: the kubelet's API, which runs commands in every pod of the node.
    kubelet: bool,
    /// `escalate`, `bind`, or `impersonate` of users and groups: any permission.
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
        if verbs.contains(&"*") && resources.contains(&"*") {
            p.everything = true;
        }
        if on("secrets") && can(&["get", "list", "watch"]) {
            p.read_secrets = true;
        }
        if on("secrets") && can(&["create", "update", "patch"]) {
            p.write_secrets = true;
        }
        if (on("pods/exec") || on("pods/attach")) && can(&["create", "get"]) {
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
            "replicationcontrollers",
        ]
        .iter()
        .any(|r| on(r))
            && can(&["create"])
        {
            p.create_pods = true;
        }
        if (on("serviceaccounts") && can(&["impersonate"]))
            || (on("serviceaccounts/token") && can(&["create"]))
        {
            p.act_as_accounts = true;
        }
        if on("nodes/proxy") && can(&["create", "get"]) {
            p.kubelet = true;
        }
        // `escalate` and `bind` mean something on roles only; a `*` verb on nodes/stats
        // is no escalation.
        if (["roles", "clusterroles"].iter().any(|r| on(r)) && can(&["escalate", "bind"]))
            || (["users", "groups", "userextras"].iter().any(|r| on(r)) && can(&["impersonate"]))
        {
            p.escalate = true;
        }
    }
    p
}

/// The built-in ClusterRoles a binding may name without defining them: the rules of the
/// Kubernetes default RBAC policy (the API server's bootstrap policy) that touch what
/// [`powers`] reads (secrets, pods and their exec/attach, the controllers that create
/// pods, service accounts and their tokens, impersonation, RBAC verbs, the kubelet
/// API). The aggregated roles are the union of their parts: admin = edit + RBAC objects,
/// edit = view + changes, view reads no Secret. Roles listed without rules are known and
/// give none of those powers; a role neither defined nor listed gives none either.
const BUILTIN: &[(&str, &[(&str, &str)])] = &[
    ("cluster-admin", &[("*", "*")]),
    (
        "admin",
        &[
            EDIT_SECRETS_READ,
            EDIT_IMPERSONATE,
            EDIT_PODS,
            EDIT_WRITE,
            EDIT_TOKEN,
            EDIT_APPS,
            EDIT_BATCH,
            ADMIN_RBAC,
        ],
    ),
    (
        "edit",
        &[
            EDIT_SECRETS_READ,
            EDIT_IMPERSONATE,
            EDIT_PODS,
            EDIT_WRITE,
            EDIT_TOKEN,
            EDIT_APPS,
            EDIT_BATCH,
        ],
    ),
    ("view", &[]),
    ("system:aggregate-to-admin", &[ADMIN_RBAC]),
    (
        "system:aggregate-to-edit",
        &[
            EDIT_SECRETS_READ,
            EDIT_IMPERSONATE,
            EDIT_PODS,
            EDIT_WRITE,
            EDIT_TOKEN,
            EDIT_APPS,
            EDIT_BATCH,
        ],
    ),
    ("system:aggregate-to-view", &[]),
    (
        "system:kube-controller-manager",
        &[
            ("secrets serviceaccounts", "create get update"),
            ("secrets", "delete"),
            ("*", "list watch"),
            ("serviceaccounts/token", "create"),
        ],
    ),
    (
        "system:node",
        &[
            ("pods", "get list watch create delete"),
            ("secrets", "get list watch"),
            ("serviceaccounts/token", "create"),
        ],
    ),
    (
        "system:kube-scheduler",
        &[
            ("pods", "delete get list watch"),
            ("bindings pods/binding", "create"),
        ],
    ),
    (
        "system:kubelet-api-admin",
        &[
            ("nodes", "get list watch proxy"),
            ("nodes/log nodes/metrics nodes/proxy nodes/stats", "*"),
        ],
    ),
    ("system:auth-delegator", &[]),
    ("system:basic-user", &[]),
    ("system:discovery", &[]),
    ("system:public-info-viewer", &[]),
    ("system:heapster", &[]),
    ("system:kube-aggregator", &[]),
    ("system:kube-dns", &[]),
    ("system:monitoring", &[]),
    ("system:node-bootstrapper", &[]),
    ("system:node-problem-detector", &[]),
    ("system:node-proxier", &[]),
    ("system:persistent-volume-provisioner", &[]),
    ("system:service-account-issuer-discovery", &[]),
    ("system:volume-scheduler", &[]),
    (
        "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
        &[],
    ),
    (
        "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
        &[],
    ),
    (
        "system:certificates.k8s.io:kube-apiserver-client-approver",
        &[],
    ),
    (
        "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
        &[],
    ),
    ("system:certificates.k8s.io:kubelet-serving-approver", &[]),
    ("system:certificates.k8s.io:legacy-unknown-approver", &[]),
];

const EDIT_SECRETS_READ: (&str, &str) = (
    "pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy",
    "get list watch",
);
const EDIT_IMPERSONATE: (&str, &str) = ("serviceaccounts", "impersonate");
const EDIT_PODS: (&str, &str) = (
    "pods pods/attach pods/exec pods/portforward pods/proxy",
    "create delete deletecollection patch update",
);
const EDIT_WRITE: (&str, &str) = (
    "configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy",
    "create delete deletecollection patch update",
);
const EDIT_TOKEN: (&str, &str) = ("serviceaccounts/token", "create");
const EDIT_APPS: (&str, &str) = (
    "daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale",
    "create delete deletecollection patch update",
);
const EDIT_BATCH: (&str, &str) = (
    "cronjobs jobs",
    "create delete deletecollection patch update",
);
const ADMIN_RBAC: (&str, &str) = (
    "rolebindings roles",
    "create delete deletecollection get list patch update watch",
);

/// A built-in ClusterRole's rules, as the JSON a manifest would hold.
fn builtin(name: &str) -> Option<Vec<Value>> {
    let (_, rules) = BUILTIN.iter().find(|(n, _)| *n == name)?;
    Some(
        rules
            .iter()
            .map(|(resources, verbs)| {
                json!({
                    "resources": resources.split(' ').collect::<Vec<_>>(),
                    "verbs": verbs.split(' ').collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
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
    // The kubelet API is a node's: only a cluster-wide binding reaches it.
    if p.exec || p.everything || (p.kubelet && cluster_wide) {
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
    if p.create_pods || p.act_as_accounts || p.escalate || p.everything {
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
        } else if !p.everything {
            if p.act_as_accounts {
                d.f.finding("account-impersonation", sa, origin, format!("`{origin}` lets `{sa}` act as any ServiceAccount {where_} (impersonate it or request its token)"));
            }
            if p.create_pods {
                d.f.finding("create-pods", sa, origin, format!("`{origin}` lets `{sa}` create pods {where_}, which may mount any ServiceAccount there"));
            }
        }
    }
}
