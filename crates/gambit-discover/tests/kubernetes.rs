//! Kubernetes discovery on committed manifests of a three-namespace shop (shop, monitoring,
//! ci): the fragment is a valid model, each kind gives its facts, and the hand-written
//! model on top has the attack paths the cluster allows.

mod common;

use common::{errors, fixture, load_fragment, paths, with_hand_written};
use gambit_discover::Fragment;
use gambit_discover::fragment::Access;
use gambit_discover::kubernetes;

fn cluster() -> Fragment {
    kubernetes::discover_paths(&[fixture("kubernetes")]).unwrap()
}

fn codes_for(f: &Fragment, subject: &str) -> Vec<&'static str> {
    f.findings
        .iter()
        .filter(|x| x.subject == subject)
        .map(|x| x.code)
        .collect()
}

fn one(name: &str, text: &str) -> Result<Fragment, gambit_discover::ReadError> {
    kubernetes::discover(name, &[(name.to_owned(), text.to_owned())])
}

#[test]
fn the_fragment_is_a_valid_model_and_the_same_on_every_run() {
    let f = cluster();
    let loaded = load_fragment(&f);
    assert!(errors(&loaded).is_empty(), "{:?}", errors(&loaded));
    assert_eq!(f.to_yaml(), cluster().to_yaml());
    assert!(f.to_yaml().contains("  # Deployment shop/web ("));
}

#[test]
fn namespaces_are_zones_and_network_policies_guard_and_isolate() {
    let f = cluster();
    assert_eq!(
        f.zones["cluster.namespace.shop"].parent.as_deref(),
        Some("k8s-cluster")
    );
    assert!(f.zones["cluster.namespace.shop"].isolated, "default-deny");
    assert!(!f.zones["cluster.namespace.monitoring"].isolated);
    assert!(
        f.components["shop.deployment.api"]
            .controls
            .contains("network-policy")
    );
    assert!(
        f.flows
            .contains_key("shop.deployment.web->shop.service.api"),
        "allowed peer, through the Service that fronts only admitted pods"
    );
    assert!(
        f.flows
            .contains_key("shop.deployment.api->shop.service.postgres")
    );
    assert!(
        !f.flows
            .contains_key("shop.deployment.api->shop.statefulset.postgres"),
        "no second, guessed connection beside the one through the Service"
    );
    let flat: Vec<&str> = f
        .findings
        .iter()
        .filter(|x| x.code == "flat-namespace")
        .map(|x| x.subject.as_str())
        .collect();
    assert_eq!(
        flat,
        ["cluster.namespace.ci", "cluster.namespace.monitoring"]
    );
}

#[test]
fn workloads_carry_images_secrets_and_accounts() {
    let f = cluster();
    for id in [
        "shop.deployment.web",
        "shop.statefulset.postgres",
        "monitoring.daemonset.node-exporter",
        "ci.cronjob.cleanup",
        "ci.job.migrate",
        "shop.pod.debug",
    ] {
        assert_eq!(f.components[id].kind, "container", "{id}");
    }
    let api = &f.components["shop.deployment.api"];
    assert_eq!(
        api.software[0].purl,
        "pkg:oci/shop-api@sha256%3A4f2a9c0e1b7d?repository_url=ghcr.io/acme/shop-api"
    );
    assert!(
        api.holds.contains("shop.secret.db-credentials"),
        "env secretKeyRef"
    );
    assert!(
        f.components["shop.statefulset.postgres"]
            .holds
            .contains("shop.secret.db-credentials"),
        "volume and envFrom"
    );
    assert_eq!(api.runs_as.as_deref(), Some("shop.serviceaccount.api"));
    assert_eq!(
        f.components["shop.deployment.web"].runs_as, None,
        "token not mounted"
    );
    assert_eq!(
        f.components["ci.job.migrate"].runs_as, None,
        "its account does not mount tokens"
    );
    assert!(
        f.components["shop.secrets"]
            .stores
            .contains("shop.secret.db-credentials")
    );
    assert!(
        f.components["shop.pod.debug"].software[0]
            .purl
            .starts_with("pkg:oci/busybox"),
        "from a List"
    );
}

#[test]
fn services_and_ingresses_forward_and_dashboards_are_named() {
    let f = cluster();
    assert_eq!(f.components["shop.ingress.shop"].kind, "ingress");
    assert!(f.components["shop.ingress.shop"].public);
    assert!(
        f.components["shop.ingress.shop"]
            .tags
            .contains("route:shop.example.com/api")
    );
    assert!(f.flows.contains_key("shop.ingress.shop->shop.service.api"));
    assert!(
        f.flows
            .contains_key("shop.service.api->shop.deployment.api")
    );
    assert_eq!(f.components["shop.service.api"].kind, "load-balancer");
    for flow in [
        "shop.ingress.shop->shop.service.api",
        "shop.service.api->shop.deployment.api",
        "shop.deployment.web->shop.service.api",
    ] {
        assert_eq!(
            f.flows[flow].authentication, None,
            "{flow}: a Service, an Ingress or a NetworkPolicy says nothing of authentication"
        );
    }
    assert_eq!(
        codes_for(&f, "monitoring.deployment.grafana"),
        ["exposed-dashboard"]
    );
}

#[test]
fn host_access_escapes_to_the_nodes() {
    let f = cluster();
    let runner = &f.flows["ci.deployment.runner->k8s-cluster.nodes"];
    assert!(runner.code);
    assert_eq!(
        codes_for(&f, "ci.deployment.runner"),
        ["automounted-token", "host-path", "privileged-container"]
    );
    assert!(f.flows["monitoring.daemonset.node-exporter->k8s-cluster.nodes"].code);
    assert!(codes_for(&f, "monitoring.daemonset.node-exporter").contains(&"host-namespace"));
    let nodes = &f.components["k8s-cluster.nodes"].holds;
    assert!(nodes.contains("ci.serviceaccount.cleanup.token"));
    assert!(
        !nodes.contains("shop.serviceaccount.api.token")
            && !f.assets.contains_key("shop.serviceaccount.api.token"),
        "a token whose account has no RBAC permission opens nothing: no credential"
    );
    assert_eq!(
        f.components["shop.deployment.api"].runs_as.as_deref(),
        Some("shop.serviceaccount.api")
    );
}

#[test]
fn rbac_is_summarised_to_grants() {
    let f = cluster();
    let grants = |id: &str| f.identities[id].grants.clone();
    assert_eq!(
        grants("ci.serviceaccount.runner").get("shop.secrets"),
        Some(&Access::Read)
    );
    assert_eq!(
        codes_for(&f, "ci.serviceaccount.runner"),
        ["cluster-secret-reader"]
    );
    let cleanup = grants("ci.serviceaccount.cleanup");
    assert_eq!(
        cleanup.get("shop.deployment.api"),
        Some(&Access::Admin),
        "pods/exec (edit)"
    );
    assert_eq!(
        cleanup.get("shop.serviceaccount.api"),
        Some(&Access::Assume),
        "create pods"
    );
    assert_eq!(
        cleanup.get("ci.deployment.runner"),
        None,
        "a RoleBinding in shop only"
    );
    assert_eq!(
        codes_for(&f, "ci.serviceaccount.cleanup"),
        ["account-impersonation", "create-pods", "pod-exec"],
        "edit as the default policy has it: impersonate serviceaccounts, serviceaccounts/token"
    );
    let ops = &f.identities["ci.serviceaccount.ops"];
    assert!(ops.privileged);
    assert_eq!(ops.grants.get("k8s-cluster.nodes"), Some(&Access::Admin));
    assert!(codes_for(&f, "ci.serviceaccount.ops").contains(&"cluster-admin"));
    assert!(
        f.identities["monitoring.serviceaccount.prometheus"]
            .grants
            .is_empty(),
        "reads no secrets"
    );
    assert!(
        f.flows.contains_key("ci.deployment.runner->shop.secrets"),
        "the API call of the grant"
    );
}

#[test]
fn unknown_kinds_are_reported_once_each() {
    let f = cluster();
    let kinds: Vec<&str> = f.unknown_types.keys().map(String::as_str).collect();
    assert_eq!(kinds, ["ConfigMap", "HorizontalPodAutoscaler"]);
}

#[test]
fn a_compromised_ci_runner_reaches_the_customer_data() {
    let f = cluster();
    let model = with_hand_written(&fixture("kubernetes-model.yaml"), &f);
    let found = paths(&model);
    let runner: Vec<&String> = found
        .iter()
        .filter(|p| {
            p.starts_with("compromised:ci.deployment.runner") && p.contains("customer-data")
        })
        .collect();
    assert!(!runner.is_empty(), "{found:#?}");
    // Its privileged container escapes to the node, which holds every mounted token:
    // the cleanup job's account may exec into the shop's pods.
    assert!(
        runner.iter().all(|p| p.contains("exec k8s-cluster.nodes")),
        "{runner:#?}"
    );
    assert!(
        runner
            .iter()
            .any(|p| p.contains("act-as ci.serviceaccount.cleanup")),
        "{runner:#?}"
    );
    assert!(
        !found.iter().any(|p| p.starts_with("internet")),
        "nothing public is vulnerable: {found:#?}"
    );
}

#[test]
fn non_kubernetes_yaml_and_bad_yaml_get_located_errors() {
    let e = one("compose.yaml", "services:\n  web: {image: nginx}\n").unwrap_err();
    assert_eq!((e.line, e.column), (Some(1), Some(1)));
    assert!(e.message.contains("no `apiVersion` and `kind`"), "{e}");
    let e = one(
        "m.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# second\n- a\n- b\n",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(6), "{e}");
    assert!(e.message.contains("a list"), "{e}");
    let e = one(
        "m.yaml",
        "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: [oops\n",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(5), "{e}");
    assert!(
        one("empty.yaml", "---\n# nothing\n---\n")
            .unwrap()
            .components
            .len()
            == 1,
        "only the nodes"
    );
}

#[test]
fn the_kinds_table_in_the_docs_is_the_one_in_the_code() {
    let doc = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/discover.md");
    let text = std::fs::read_to_string(doc).unwrap();
    assert!(
        text.contains(&kubernetes::markdown()),
        "docs/discover.md has a stale kinds table:\n{}",
        kubernetes::markdown()
    );
}

const TWO_NAMESPACES: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: a, image: api:1}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: guarded, namespace: shop}
spec: {template: {metadata: {labels: {app: guarded}}, spec: {containers: [{name: a, image: g:1}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: guarded, namespace: shop}
spec: {selector: {app: guarded}, ports: [{name: https, port: 8443}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: guard, namespace: shop}
spec:
  podSelector: {matchLabels: {app: guarded}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}}]}]
---
apiVersion: v1
kind: Namespace
metadata: {name: ops, labels: {team: ops}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tool, namespace: ops}
spec: {template: {metadata: {labels: {app: tool}}, spec: {containers: [{name: a, image: t:1}]}}}
"#;

#[test]
fn pods_reach_unguarded_workloads_and_services_of_other_namespaces() {
    let f = one("two.yaml", TWO_NAMESPACES).unwrap();
    let net = kubernetes::POD_NETWORK;
    assert!(f.components[net].managed);
    assert!(f.flows.contains_key(&format!("ops.deployment.tool->{net}")));
    assert!(f.flows.contains_key(&format!("{net}->shop.deployment.api")));
    assert!(f.flows.contains_key(&format!("{net}->shop.service.api")));
    assert!(
        !f.flows
            .contains_key(&format!("{net}->shop.deployment.guarded"))
            && !f
                .flows
                .contains_key(&format!("{net}->shop.service.guarded")),
        "a NetworkPolicy admits only its peers, also through the Service in front"
    );
    assert!(
        f.flows
            .contains_key("ops.deployment.tool->shop.service.guarded"),
        "the namespaceSelector peer, through the Service"
    );
    assert_eq!(
        f.flows["shop.service.api->shop.deployment.api"]
            .protocol
            .as_deref(),
        Some("postgres"),
        "the port says postgres, not http"
    );
    assert_eq!(
        f.flows["ops.deployment.tool->shop.service.guarded"].authentication, None,
        "a policy says nothing of authentication"
    );
    let loaded = load_fragment(&f);
    assert!(errors(&loaded).is_empty(), "{:?}", errors(&loaded));
}

const MESH: &str = r#"
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: legacy, namespace: shop}
spec: {selector: {matchLabels: {app: legacy}}, mtls: {mode: PERMISSIVE}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: a, image: api:1}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy, namespace: shop}
spec: {template: {metadata: {labels: {app: legacy}}, spec: {containers: [{name: a, image: l:1}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: jobs}
spec:
  template:
    metadata:
      labels: {app: worker}
      annotations: {linkerd.io/inject: enabled, config.linkerd.io/default-inbound-policy: all-authenticated}
    spec: {containers: [{name: a, image: w:1}]}
"#;

#[test]
fn a_strict_mesh_demands_mtls_and_permissive_says_nothing() {
    let f = one("mesh.yaml", MESH).unwrap();
    let auth = |id: &str| f.components[id].authentication.as_deref();
    assert_eq!(
        auth("shop.deployment.api"),
        Some("mtls"),
        "mesh-wide STRICT"
    );
    assert_eq!(
        auth("shop.deployment.legacy"),
        None,
        "PERMISSIVE on the workload wins"
    );
    assert_eq!(
        auth("jobs.deployment.worker"),
        Some("mtls"),
        "Linkerd all-authenticated"
    );
    assert_eq!(
        f.flows["shop.service.api->shop.deployment.api"]
            .authentication
            .as_deref(),
        Some("mtls")
    );
    assert!(!f.unknown_types.contains_key("PeerAuthentication"));
}

fn bound(role: &str, cluster_wide: bool) -> Fragment {
    let binding = if cluster_wide {
        format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {{name: b}}\nroleRef: {{kind: ClusterRole, name: \"{role}\"}}\nsubjects: [{{kind: ServiceAccount, name: bot, namespace: app}}]\n"
        )
    } else {
        format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: b, namespace: app}}\nroleRef: {{kind: ClusterRole, name: \"{role}\"}}\nsubjects: [{{kind: ServiceAccount, name: bot, namespace: app}}]\n"
        )
    };
    let text = format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: app}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: app}}\nspec: {{template: {{spec: {{serviceAccountName: other, containers: [{{name: a, image: w:1}}]}}}}}}\n---\n{binding}"
    );
    one("rbac.yaml", &text).unwrap()
}

#[test]
fn built_in_cluster_roles_give_what_the_default_policy_gives() {
    let grants = |f: &Fragment| f.identities["app.serviceaccount.bot"].grants.clone();
    assert!(
        grants(&bound("view", false)).is_empty(),
        "view reads no Secret"
    );
    let edit = grants(&bound("edit", false));
    assert_eq!(edit.get("app.secrets"), Some(&Access::Write));
    assert_eq!(
        edit.get("app.deployment.web"),
        Some(&Access::Admin),
        "pods/exec"
    );
    assert_eq!(edit.get("app.serviceaccount.other"), Some(&Access::Assume));
    assert!(!bound("edit", false).identities["app.serviceaccount.bot"].privileged);
    let kcm = bound("system:kube-controller-manager", true);
    assert_eq!(
        grants(&kcm).get("app.secrets"),
        Some(&Access::Write),
        "get, update, list on *"
    );
    assert_eq!(
        grants(&kcm).get("app.serviceaccount.other"),
        Some(&Access::Assume),
        "tokens"
    );
    assert_eq!(grants(&kcm).get("app.deployment.web"), None, "no exec");
    let kubelet = bound("system:kubelet-api-admin", true);
    assert_eq!(
        grants(&kubelet).get("app.deployment.web"),
        Some(&Access::Admin),
        "nodes/proxy"
    );
    assert!(
        grants(&bound("system:kubelet-api-admin", false)).is_empty(),
        "nodes are not namespaced"
    );
    assert!(grants(&bound("system:kube-scheduler", true)).is_empty());
    assert!(grants(&bound("system:basic-user", true)).is_empty());
    assert!(bound("cluster-admin", true).identities["app.serviceaccount.bot"].privileged);
}
