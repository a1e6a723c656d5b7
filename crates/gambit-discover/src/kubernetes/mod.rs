//! `gambit discover kubernetes`: a model fragment from manifests.
//!
//! Namespaces are network zones inside a `k8s-cluster` zone; workloads are `container`
//! components with their images in `software`; Services and Ingresses forward; Secrets are
//! credential assets kept in one secret store per namespace; ServiceAccounts are
//! identities whose RBAC is summarised to grants; host access escapes to the nodes. The
//! whole mapping is [`KINDS`] and docs/discover.md.

mod mesh;
mod rbac;
pub mod read;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::error::ReadError;
use crate::fragment::{self, Fragment};
use crate::ids;
use read::Object;

/// The network zone the namespaces sit in, and where the nodes are.
pub const CLUSTER_ZONE: &str = "k8s-cluster";
/// All nodes as one component: where host escapes lead.
pub const NODES: &str = "k8s-cluster.nodes";
/// The pod network as one forwarding component: cross-namespace reach.
pub const POD_NETWORK: &str = "k8s-cluster.pod-network";

/// Kinds read, and what each becomes (docs/discover.md prints this table).
pub const KINDS: &[(&str, &str)] = &[
    (
        "Namespace",
        "zone `namespace` (network) in zone `k8s-cluster`; isolated when a NetworkPolicy denies all ingress by default",
    ),
    (
        "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
        "component `container` in its namespace: images → `software` (`pkg:oci/…`), mounted and env-referenced Secrets → `holds`, its ServiceAccount → `runs_as` (when the token is mounted); privileged, hostPath, hostPID/hostNetwork/hostIPC → a `code: true` flow to `k8s-cluster.nodes`",
    ),
    (
        "Service",
        "component `load-balancer` (forwarding, managed) → the workloads it selects, protocol from its port; `LoadBalancer`/`NodePort` → public",
    ),
    (
        "Ingress",
        "component `ingress` (forwarding, public) → its backend Services; hosts and paths in its tags",
    ),
    (
        "NetworkPolicy",
        "`network-policy` control on the workloads it selects for ingress; allowed pod/namespace peers → flows (to the Service in front of the admitted pods)",
    ),
    (
        "PeerAuthentication",
        "Istio mTLS `STRICT` (most specific policy wins) → `authentication: mtls` on the workloads and the flows into them",
    ),
    (
        "Secret",
        "credential asset `NS.secret.NAME`, stored in component `NS.secrets` (`secret-store`)",
    ),
    (
        "ServiceAccount",
        "identity `k8s-service-account`; when it has RBAC permissions, its token is a credential asset held by the workloads that mount it and by the nodes",
    ),
    (
        "Role, ClusterRole, RoleBinding, ClusterRoleBinding",
        "grants of the bound ServiceAccounts: secrets get/list → read on the secret store; pods/exec → admin on the workloads; create pods, impersonate, tokens, bind, escalate → assume other accounts; cluster-admin → privileged; built-in ClusterRoles as the default policy defines them",
    ),
];

/// The kinds table as docs/discover.md prints it (a test keeps the copy fresh).
pub fn markdown() -> String {
    KINDS
        .iter()
        .map(|(kinds, becomes)| {
            let kinds: Vec<String> = kinds.split(", ").map(|k| format!("`{k}`")).collect();
            format!("| {} | {becomes} |\n", kinds.join(", "))
        })
        .collect()
}

/// Reads manifests from files and folders.
pub fn discover_paths(paths: &[PathBuf]) -> Result<Fragment, ReadError> {
    let files = read::files(paths)?;
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    discover(&names.join(", "), &files)
}

/// Reads manifests given as (file name, text).
pub fn discover(source: &str, files: &[(String, String)]) -> Result<Fragment, ReadError> {
    let mut objects = Vec::new();
    for (name, text) in files {
        objects.extend(read::objects(name, text)?);
    }
    let mut d = Discoverer {
        f: Fragment::new(format!("the Kubernetes manifests {source}")),
        objects: &objects,
        workloads: Vec::new(),
        entries: Vec::new(),
        namespace_labels: BTreeMap::new(),
        service_protocols: BTreeMap::new(),
    };
    d.run();
    d.f.finish();
    Ok(d.f)
}

/// A workload's pod template, as read.
pub(crate) struct Workload<'o> {
    pub id: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    /// The pod template (or the Pod): its metadata carries labels and annotations.
    pub template: &'o Value,
    pub pod: &'o Value,
    pub origin: String,
    pub service_account: String,
}

pub(crate) struct Discoverer<'o> {
    pub f: Fragment,
    objects: &'o [Object],
    pub workloads: Vec<Workload<'o>>,
    /// Public entries (Ingresses, LoadBalancer Services) with their origin, checked for
    /// dashboards once all forwarding flows are known.
    entries: Vec<(String, String)>,
    /// Namespace name → its labels (with `kubernetes.io/metadata.name`).
    namespace_labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Service id → the protocol of its first port, for the Ingresses in front of it.
    service_protocols: BTreeMap<String, Option<String>>,
}

pub(crate) fn kind_of(o: &Object) -> &str {
    o.value.get("kind").and_then(Value::as_str).unwrap_or("")
}

pub(crate) fn name_of(o: &Object) -> &str {
    o.value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("unnamed")
}

pub(crate) fn namespace_of(o: &Object) -> &str {
    o.value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("default")
}

pub(crate) fn origin_of(o: &Object) -> String {
    match o
        .value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
    {
        Some(ns) => format!("{} {ns}/{} ({})", kind_of(o), name_of(o), o.origin),
        None => format!("{} {} ({})", kind_of(o), name_of(o), o.origin),
    }
}

fn labels(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            )
        })
        .collect()
}

/// Does a selector's `matchLabels` (or a Service's plain map) select these labels? An
/// empty selector selects everything.
pub(crate) fn selects(selector: Option<&Value>, labels: &BTreeMap<String, String>) -> bool {
    let wanted = selector.map(|s| s.get("matchLabels").unwrap_or(s));
    let wanted = super::kubernetes::labels(wanted);
    wanted.iter().all(|(k, v)| labels.get(k) == Some(v))
}

pub(crate) fn namespace_zone(ns: &str) -> String {
    ids::kubernetes(None, "Namespace", ns)
}

pub(crate) fn secret_store(ns: &str) -> String {
    ids::secret_store(ns)
}

pub(crate) fn service_account(ns: &str, name: &str) -> String {
    ids::kubernetes(Some(ns), "ServiceAccount", name)
}

/// Names that mark an admin or monitoring dashboard.
const DASHBOARDS: &[&str] = &[
    "kubernetes-dashboard",
    "grafana",
    "kibana",
    "prometheus",
    "alertmanager",
    "argocd-server",
    "jenkins",
    "airflow",
    "jupyter",
    "kafka-ui",
    "rabbitmq",
    "traefik",
    "consul-ui",
    "phpmyadmin",
    "pgadmin",
    "adminer",
    "weave-scope",
];

impl<'o> Discoverer<'o> {
    fn run(&mut self) {
        self.f.zones.insert(
            CLUSTER_ZONE.to_owned(),
            fragment::Zone {
                origin: "the cluster the manifests are applied to".to_owned(),
                kind: "cluster".to_owned(),
                parent: None,
                isolated: false,
            },
        );
        self.f.components.insert(
            NODES.to_owned(),
            fragment::Component {
                origin: "the cluster's nodes (where host access leads)".to_owned(),
                kind: "vm".to_owned(),
                zone: Some(CLUSTER_ZONE.to_owned()),
                ..Default::default()
            },
        );
        for o in self.objects {
            match kind_of(o) {
                "Namespace" => {
                    self.namespace(name_of(o), "");
                    if let Some(z) = self.f.zones.get_mut(&namespace_zone(name_of(o))) {
                        z.origin = origin_of(o);
                    }
                }
                "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
                    self.workload(o, o.value.pointer("/spec/template"));
                }
                "CronJob" => self.workload(o, o.value.pointer("/spec/jobTemplate/spec/template")),
                "Pod" => self.workload(o, Some(&o.value)),
                "Secret" => {
                    let ns = namespace_of(o).to_owned();
                    self.secret(&ns, name_of(o), &origin_of(o));
                }
                "ServiceAccount" => {
                    let ns = namespace_of(o).to_owned();
                    self.account(&ns, name_of(o), &origin_of(o));
                }
                "Service" | "Ingress" | "NetworkPolicy" | "Role" | "ClusterRole"
                | "RoleBinding" | "ClusterRoleBinding" | "PeerAuthentication" => {}
                other => {
                    let origin = origin_of(o);
                    self.f.unknown(other, &origin);
                }
            }
        }
        self.services();
        self.ingresses();
        self.dashboards();
        self.network_policies();
        mesh::discover(self);
        self.pod_network();
        rbac::discover(self);
        self.tokens();
        self.grant_flows();
    }

    fn namespace(&mut self, ns: &str, origin: &str) {
        self.f
            .zones
            .entry(namespace_zone(ns))
            .or_insert_with(|| fragment::Zone {
                origin: origin.to_owned(),
                kind: "namespace".to_owned(),
                parent: Some(CLUSTER_ZONE.to_owned()),
                isolated: false,
            });
    }

    pub fn secret(&mut self, ns: &str, name: &str, origin: &str) -> String {
        self.namespace(ns, &format!("namespace of {origin}"));
        let store = secret_store(ns);
        let id = ids::kubernetes(Some(ns), "Secret", name);
        self.f
            .assets
            .entry(id.clone())
            .or_insert_with(|| fragment::Asset {
                origin: origin.to_owned(),
                kind: "credential",
                grants: None,
                description: Some(
                    "a Secret; say what it grants in a hand-written asset of this id".to_owned(),
                ),
            });
        let c = self
            .f
            .components
            .entry(store)
            .or_insert_with(|| fragment::Component {
                origin: format!("the Secrets of namespace {ns}, kept by the API server"),
                kind: "secret-store".to_owned(),
                zone: Some(namespace_zone(ns)),
                ..Default::default()
            });
        c.stores.insert(id.clone());
        id
    }

    pub fn account(&mut self, ns: &str, name: &str, origin: &str) -> String {
        let id = service_account(ns, name);
        self.f
            .identities
            .entry(id.clone())
            .or_insert_with(|| fragment::Identity {
                origin: origin.to_owned(),
                kind: "k8s-service-account".to_owned(),
                ..Default::default()
            });
        id
    }

    fn workload(&mut self, o: &'o Object, template: Option<&'o Value>) {
        let Some(template) = template else { return };
        let Some(pod) = template.get("spec") else {
            return;
        };
        let ns = namespace_of(o).to_owned();
        let origin = origin_of(o);
        self.namespace(&ns, &format!("namespace of {origin}"));
        let id = ids::kubernetes(Some(&ns), kind_of(o), name_of(o));
        let sa_name = pod
            .get("serviceAccountName")
            .or(pod.get("serviceAccount"))
            .and_then(Value::as_str)
            .unwrap_or("default");
        self.account(&ns, sa_name, &format!("service account of {origin}"));
        let template_labels = labels(template.pointer("/metadata/labels"));
        let mut c = fragment::Component {
            origin: origin.clone(),
            kind: "container".to_owned(),
            zone: Some(namespace_zone(&ns)),
            tags: [format!("k8s:{}", kind_of(o))].into(),
            names: [
                Some(name_of(o)),
                template_labels.get("app").map(String::as_str),
                template_labels
                    .get("app.kubernetes.io/name")
                    .map(String::as_str),
            ]
            .into_iter()
            .flatten()
            .map(str::to_ascii_lowercase)
            .collect(),
            ..Default::default()
        };
        for container in containers(pod) {
            if let Some(image) = container.get("image").and_then(Value::as_str) {
                let s = software(image);
                if !c.software.contains(&s) {
                    c.software.push(s);
                }
            }
        }
        let held: Vec<String> = secret_names(pod)
            .into_iter()
            .map(|n| self.secret(&ns, &n, &origin))
            .collect();
        c.holds.extend(held);
        self.f.components.insert(id.clone(), c);
        self.host_access(&id, pod, &origin);
        self.workloads.push(Workload {
            id,
            namespace: ns,
            labels: template_labels,
            template,
            pod,
            origin,
            service_account: sa_name.to_owned(),
        });
    }

    /// Privileged containers and host namespaces or paths reach the node: a `code: true`
    /// flow to the nodes (the node runs what the pod does), with a finding each.
    fn host_access(&mut self, id: &str, pod: &Value, origin: &str) {
        let mut reasons = Vec::new();
        for c in containers(pod) {
            if c.pointer("/securityContext/privileged") == Some(&Value::Bool(true)) {
                reasons.push((
                    "privileged-container",
                    "runs a privileged container".to_owned(),
                ));
            }
        }
        for ns in ["hostPID", "hostNetwork", "hostIPC"] {
            if pod.get(ns) == Some(&Value::Bool(true)) {
                reasons.push((
                    "host-namespace",
                    format!("shares the node's namespace (`{ns}: true`)"),
                ));
            }
        }
        for v in pod
            .get("volumes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(path) = v.pointer("/hostPath/path").and_then(Value::as_str) {
                reasons.push(("host-path", format!("mounts the node's `{path}`")));
            }
        }
        if reasons.is_empty() {
            return;
        }
        for (code, why) in &reasons {
            self.f.finding(
                code,
                id,
                origin,
                format!("`{origin}` {why}: code in it can take over the node"),
            );
        }
        self.f.flow(fragment::Flow {
            origin: format!(
                "{origin}: {}",
                reasons
                    .iter()
                    .map(|(_, w)| w.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            from: id.to_owned(),
            to: NODES.to_owned(),
            protocol: Some("host".to_owned()),
            encrypted: Some(true),
            // Code in the pod needs no credential to use the host access it was given.
            authentication: Some("none".to_owned()),
            code: true,
        });
    }

    fn services(&mut self) {
        for o in self.objects.iter().filter(|o| kind_of(o) == "Service") {
            let ns = namespace_of(o).to_owned();
            let origin = origin_of(o);
            let id = ids::kubernetes(Some(&ns), "Service", name_of(o));
            let kind = o
                .value
                .pointer("/spec/type")
                .and_then(Value::as_str)
                .unwrap_or("ClusterIP");
            let selector = o.value.pointer("/spec/selector");
            let port = o.value.pointer("/spec/ports/0");
            let protocol = port.and_then(|p| {
                crate::ports::kubernetes_protocol(
                    p.get("appProtocol").and_then(Value::as_str),
                    p.get("name").and_then(Value::as_str),
                    p.get("port").and_then(Value::as_i64),
                )
            });
            self.service_protocols.insert(id.clone(), protocol.clone());
            self.namespace(&ns, &format!("namespace of {origin}"));
            self.f.components.insert(
                id.clone(),
                fragment::Component {
                    origin: origin.clone(),
                    kind: "load-balancer".to_owned(),
                    zone: Some(namespace_zone(&ns)),
                    public: matches!(kind, "LoadBalancer" | "NodePort"),
                    // kube-proxy (or the cloud's load balancer) implements it: its
                    // configuration is the team's, its code and hosts are not.
                    managed: true,
                    tags: [format!("k8s:Service/{kind}")].into(),
                    names: [name_of(o).to_ascii_lowercase()].into(),
                    ..Default::default()
                },
            );
            let targets: Vec<String> = match selector {
                Some(sel) => self
                    .workloads
                    .iter()
                    .filter(|w| w.namespace == ns && selects(Some(sel), &w.labels))
                    .map(|w| w.id.clone())
                    .collect(),
                None => Vec::new(),
            };
            for t in targets {
                self.f.flow(forward(&origin, &id, &t, protocol.clone()));
            }
            if matches!(kind, "LoadBalancer" | "NodePort") {
                self.entries.push((id, origin));
            }
        }
    }

    fn ingresses(&mut self) {
        for o in self.objects.iter().filter(|o| kind_of(o) == "Ingress") {
            let ns = namespace_of(o).to_owned();
            let origin = origin_of(o);
            let id = ids::kubernetes(Some(&ns), "Ingress", name_of(o));
            let mut tags = BTreeSet::new();
            let mut backends = Vec::new();
            if let Some(b) = o
                .value
                .pointer("/spec/defaultBackend/service/name")
                .and_then(Value::as_str)
            {
                backends.push(b.to_owned());
            }
            for rule in o
                .value
                .pointer("/spec/rules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let host = rule.get("host").and_then(Value::as_str).unwrap_or("*");
                for path in rule
                    .pointer("/http/paths")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let p = path.get("path").and_then(Value::as_str).unwrap_or("/");
                    tags.insert(format!("route:{host}{p}"));
                    if let Some(b) = path
                        .pointer("/backend/service/name")
                        .and_then(Value::as_str)
                    {
                        backends.push(b.to_owned());
                    }
                }
            }
            self.namespace(&ns, &format!("namespace of {origin}"));
            self.f.components.insert(
                id.clone(),
                fragment::Component {
                    origin: origin.clone(),
                    kind: "ingress".to_owned(),
                    zone: Some(namespace_zone(&ns)),
                    public: true,
                    tags,
                    ..Default::default()
                },
            );
            for b in backends {
                let service = ids::kubernetes(Some(&ns), "Service", &b);
                let protocol = self.service_protocols.get(&service).cloned().flatten();
                self.f.flow(forward(&origin, &id, &service, protocol));
            }
            self.entries.push((id, origin));
        }
    }

    /// Public entries that lead (through a Service, at most two hops) to a dashboard's
    /// workload.
    fn dashboards(&mut self) {
        let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for f in self.f.flows.values() {
            next.entry(f.from.as_str()).or_default().push(f.to.as_str());
        }
        let dashboard_of: BTreeMap<&str, (&str, &str)> = self
            .workloads
            .iter()
            .filter_map(|w| {
                let images: Vec<&str> = containers(w.pod)
                    .filter_map(|c| c.get("image").and_then(Value::as_str))
                    .collect();
                let name = DASHBOARDS
                    .iter()
                    .find(|d| w.id.contains(*d) || images.iter().any(|i| i.contains(*d)))?;
                Some((w.id.as_str(), (*name, w.origin.as_str())))
            })
            .collect();
        let mut found = Vec::new();
        for (entry, origin) in &self.entries {
            let one = next.get(entry.as_str()).cloned().unwrap_or_default();
            let two = one
                .iter()
                .flat_map(|n| next.get(n).cloned().unwrap_or_default());
            let reached: BTreeSet<&str> = one.iter().copied().chain(two).collect();
            for id in reached {
                if let Some((name, workload)) = dashboard_of.get(id) {
                    found.push(fragment::Finding {
                        code: "exposed-dashboard",
                        subject: id.to_owned(),
                        origin: origin.clone(),
                        message: format!(
                            "`{origin}` exposes {name} (`{workload}`) to the internet"
                        ),
                    });
                }
            }
        }
        self.f.findings.extend(found);
    }

    fn network_policies(&mut self) {
        for o in self.objects.iter().filter(|o| kind_of(o) == "Namespace") {
            self.namespace_labels.insert(
                name_of(o).to_owned(),
                labels(o.value.pointer("/metadata/labels")),
            );
        }
        let policies: Vec<&Object> = self
            .objects
            .iter()
            .filter(|o| kind_of(o) == "NetworkPolicy")
            .collect();
        let mut guarded = BTreeSet::new();
        for p in &policies {
            let ns = namespace_of(p).to_owned();
            let origin = origin_of(p);
            let spec = p.value.get("spec").unwrap_or(&Value::Null);
            let types: Vec<&str> = spec
                .get("policyTypes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let ingress = spec.get("ingress").and_then(Value::as_array);
            if !(types.contains(&"Ingress") || (types.is_empty())) {
                continue;
            }
            let selector = spec.get("podSelector");
            let selected: Vec<String> = self
                .workloads
                .iter()
                .filter(|w| w.namespace == ns && selects(selector, &w.labels))
                .map(|w| w.id.clone())
                .collect();
            let select_all = selector.is_none_or(|s| selects(Some(s), &BTreeMap::new()));
            if select_all
                && ingress.is_none_or(Vec::is_empty)
                && let Some(z) = self.f.zones.get_mut(&namespace_zone(&ns))
            {
                z.isolated = true;
            }
            for id in &selected {
                guarded.insert(id.clone());
                if let Some(c) = self.f.components.get_mut(id) {
                    c.controls.insert("network-policy".to_owned());
                }
            }
            for rule in ingress.into_iter().flatten() {
                let port = rule.pointer("/ports/0/port");
                let protocol = crate::ports::kubernetes_protocol(
                    None,
                    port.and_then(Value::as_str),
                    port.and_then(Value::as_i64),
                );
                for peer in rule
                    .get("from")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let peers: Vec<String> = self
                        .workloads
                        .iter()
                        .filter(|w| self.peer_matches(peer, &ns, w))
                        .map(|w| w.id.clone())
                        .collect();
                    for from in peers {
                        for to in self.admitted_through_services(&selected) {
                            // The policy admits the connection; it says nothing of
                            // authentication (a mesh's mTLS is written by `mesh`).
                            self.f.flow(fragment::Flow {
                                origin: origin.clone(),
                                from: from.clone(),
                                to,
                                protocol: protocol.clone(),
                                encrypted: None,
                                authentication: None,
                                code: false,
                            });
                        }
                    }
                }
            }
        }
        let mut flat: BTreeMap<String, String> = BTreeMap::new();
        for w in &self.workloads {
            if !guarded.contains(&w.id) {
                flat.entry(w.namespace.clone())
                    .or_insert_with(|| w.origin.clone());
            }
        }
        for (ns, origin) in flat {
            let zone = namespace_zone(&ns);
            self.f.finding("flat-namespace", &zone, &origin, format!("no NetworkPolicy guards some workloads of namespace `{ns}` (e.g. `{origin}`): every pod of the cluster can reach them"));
        }
    }

    /// Pod and Service addresses are routable from every namespace, so any pod reaches
    /// any workload that no NetworkPolicy selects for ingress, and any Service in front
    /// of such workloads only. A namespace zone gives that reach inside the namespace
    /// only (a common parent zone does not count), so one forwarding component stands
    /// for the pod network: a flow into it from every workload and the nodes, and a flow
    /// out to each unguarded workload and Service. Linear in the objects, where a flow
    /// per pair of namespaces' workloads would be quadratic.
    fn pod_network(&mut self) {
        let guarded = |c: &fragment::Component| c.controls.contains("network-policy");
        let unguarded: Vec<String> = self
            .workloads
            .iter()
            .filter(|w| self.f.components.get(&w.id).is_some_and(|c| !guarded(c)))
            .map(|w| w.id.clone())
            .collect();
        let services: Vec<String> = self
            .f
            .components
            .iter()
            .filter(|(_, c)| is_service(c))
            .filter(|(id, _)| {
                self.f
                    .flows
                    .values()
                    .filter(|f| &f.from == *id)
                    .all(|f| self.f.components.get(&f.to).is_some_and(|c| !guarded(c)))
            })
            .map(|(id, _)| id.clone())
            .collect();
        if unguarded.is_empty() && services.is_empty() {
            return;
        }
        let origin = "the cluster's pod network: Pod and Service addresses are routable from every namespace unless a NetworkPolicy admits only some peers";
        self.f.components.insert(
            POD_NETWORK.to_owned(),
            fragment::Component {
                origin: origin.to_owned(),
                kind: "load-balancer".to_owned(),
                zone: Some(CLUSTER_ZONE.to_owned()),
                managed: true,
                tags: ["k8s:pod-network".to_owned()].into(),
                ..Default::default()
            },
        );
        let callers = self
            .workloads
            .iter()
            .map(|w| w.id.clone())
            .chain([NODES.to_owned()]);
        let flows: Vec<fragment::Flow> = callers
            .map(|from| forward(origin, &from, POD_NETWORK, None))
            .chain(
                unguarded
                    .iter()
                    .chain(&services)
                    .map(|to| forward(origin, POD_NETWORK, to, None)),
            )
            .collect();
        for f in flows {
            self.f.flow(f);
        }
    }

    /// Where a policy's admitted peers connect: a Service whose pods the policy admits
    /// all of, rather than each pod behind it. Peers call Services, and a hand-written flow
    /// to the Service (with its protocol, encryption and credential) then takes the
    /// discovered one's place instead of standing beside a second, guessed connection.
    /// Pods no such Service fronts are reached directly.
    fn admitted_through_services(&self, admitted: &[String]) -> Vec<String> {
        let mut behind: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for f in self.f.flows.values() {
            if self.f.components.get(&f.from).is_some_and(is_service) {
                behind
                    .entry(f.from.as_str())
                    .or_default()
                    .push(f.to.as_str());
            }
        }
        let mut fronted = BTreeSet::new();
        let mut targets = Vec::new();
        for (service, pods) in behind {
            if pods.iter().all(|p| admitted.iter().any(|a| a == p)) {
                fronted.extend(pods);
                targets.push(service.to_owned());
            }
        }
        targets.extend(
            admitted
                .iter()
                .filter(|a| !fronted.contains(a.as_str()))
                .cloned(),
        );
        targets
    }

    fn peer_matches(&self, peer: &Value, ns: &str, w: &Workload<'_>) -> bool {
        let ns_selector = peer.get("namespaceSelector");
        let in_namespace = match ns_selector {
            None => w.namespace == ns,
            Some(sel) => {
                let ns_labels = self.namespace_labels(&w.namespace);
                selects(Some(sel), &ns_labels)
            }
        };
        let pod_ok = match peer.get("podSelector") {
            None => ns_selector.is_some(),
            Some(sel) => selects(Some(sel), &w.labels),
        };
        in_namespace && pod_ok
    }

    fn namespace_labels(&self, ns: &str) -> BTreeMap<String, String> {
        let mut l = self.namespace_labels.get(ns).cloned().unwrap_or_default();
        l.insert("kubernetes.io/metadata.name".to_owned(), ns.to_owned());
        l
    }

    /// A mounted token lets the workload act as its ServiceAccount, and every node holds
    /// the tokens of the pods it runs.
    fn tokens(&mut self) {
        let mut mounted = Vec::new();
        for w in &self.workloads {
            let sa_obj = self.objects.iter().find(|o| {
                kind_of(o) == "ServiceAccount"
                    && namespace_of(o) == w.namespace
                    && name_of(o) == w.service_account
            });
            let automount = w
                .pod
                .get("automountServiceAccountToken")
                .or_else(|| sa_obj.and_then(|o| o.value.get("automountServiceAccountToken")))
                .and_then(Value::as_bool)
                .unwrap_or(true);
            if automount {
                mounted.push((
                    w.id.clone(),
                    service_account(&w.namespace, &w.service_account),
                    w.origin.clone(),
                ));
            }
        }
        for (workload, sa, origin) in mounted {
            if let Some(c) = self.f.components.get_mut(&workload) {
                c.runs_as = Some(sa.clone());
            }
            // A token whose account has no RBAC permission opens nothing: holding it is
            // no threat, and writing it made every such pod and node a credential holder.
            let powerful = self
                .f
                .identities
                .get(&sa)
                .is_some_and(|i| !i.grants.is_empty() || i.privileged);
            if !powerful {
                continue;
            }
            let token = format!("{sa}.token");
            self.f
                .assets
                .entry(token.clone())
                .or_insert_with(|| fragment::Asset {
                    origin: origin.clone(),
                    kind: "credential",
                    grants: Some(sa.clone()),
                    description: Some(
                        "the ServiceAccount's token, mounted into its pods".to_owned(),
                    ),
                });
            if let Some(c) = self.f.components.get_mut(&workload) {
                c.holds.insert(token.clone());
            }
            if let Some(n) = self.f.components.get_mut(NODES) {
                n.holds.insert(token);
            }
            self.f.finding("automounted-token", &workload, &origin, format!("`{origin}` mounts the token of `{sa}`, which has RBAC permissions; set `automountServiceAccountToken: false` unless it calls the API"));
        }
    }

    /// A flow per grant, over the API server, from every component that holds the
    /// account's token: the workloads that mount it and the nodes (which hold every
    /// mounted token), so a stolen token is usable where it is held.
    fn grant_flows(&mut self) {
        let mut flows = Vec::new();
        for (holder, c) in &self.f.components {
            for token in &c.holds {
                let Some(sa) = token.strip_suffix(".token") else {
                    continue;
                };
                let Some(identity) = self.f.identities.get(sa) else {
                    continue;
                };
                for (target, access) in &identity.grants {
                    if *access != fragment::Access::Assume && self.f.components.contains_key(target)
                    {
                        flows.push(fragment::Flow {
                            origin: format!("RBAC of {sa}"),
                            from: holder.clone(),
                            to: target.clone(),
                            protocol: Some("kubernetes-api".to_owned()),
                            encrypted: None,
                            authentication: Some("token".to_owned()),
                            code: false,
                        });
                    }
                }
            }
        }
        for f in flows {
            self.f.flow(f);
        }
    }
}

/// A Service or Ingress passing requests on: reach only; the target's own demand (a mesh's
/// mTLS, or whatever the hand-written model says) decides authentication.
fn forward(origin: &str, from: &str, to: &str, protocol: Option<String>) -> fragment::Flow {
    fragment::Flow {
        origin: origin.to_owned(),
        from: from.to_owned(),
        to: to.to_owned(),
        protocol,
        encrypted: None,
        authentication: None,
        code: false,
    }
}

fn is_service(c: &fragment::Component) -> bool {
    c.tags.iter().any(|t| t.starts_with("k8s:Service/"))
}

fn containers(pod: &Value) -> impl Iterator<Item = &Value> {
    ["containers", "initContainers"]
        .into_iter()
        .flat_map(|k| pod.get(k).and_then(Value::as_array).into_iter().flatten())
}

/// Secrets a pod mounts or reads into its environment.
fn secret_names(pod: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut add = |v: Option<&Value>| {
        if let Some(n) = v.and_then(Value::as_str) {
            names.insert(n.to_owned());
        }
    };
    for v in pod
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        add(v.pointer("/secret/secretName"));
        for s in v
            .pointer("/projected/sources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            add(s.pointer("/secret/name"));
        }
    }
    for c in containers(pod) {
        for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
            add(e.pointer("/valueFrom/secretKeyRef/name"));
        }
        for e in c
            .get("envFrom")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            add(e.pointer("/secretRef/name"));
        }
    }
    names
}

/// An image reference as software with a purl (`pkg:oci/NAME@DIGEST?repository_url=…`,
/// or with `&tag=` when only a tag is known).
fn software(image: &str) -> fragment::Software {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let (repo, tag) = match rest.rfind(':') {
        Some(i) if !rest[i..].contains('/') => (&rest[..i], Some(&rest[i + 1..])),
        _ => (rest, None),
    };
    let name = repo.rsplit('/').next().unwrap_or(repo).to_ascii_lowercase();
    let mut purl = format!("pkg:oci/{name}");
    if let Some(d) = digest {
        purl.push('@');
        purl.push_str(&d.replace(':', "%3A"));
    }
    purl.push_str(&format!("?repository_url={}", repo.to_ascii_lowercase()));
    let version = tag.map(str::to_owned).or_else(|| digest.map(str::to_owned));
    if let Some(t) = tag {
        purl.push_str(&format!("&tag={t}"));
    } else if digest.is_none() {
        purl.push_str("&tag=latest");
    }
    fragment::Software {
        name: repo.to_owned(),
        version,
        purl,
    }
}

/// Is `id` one that Kubernetes discovery produces? (For drift's "modelled but gone".)
pub fn claims(id: &str) -> bool {
    const KINDS: &[&str] = &[
        "deployment",
        "statefulset",
        "daemonset",
        "replicaset",
        "job",
        "cronjob",
        "pod",
        "service",
        "ingress",
        "secret",
        "serviceaccount",
    ];
    if id == CLUSTER_ZONE || id.starts_with("k8s-cluster.") || id.starts_with("cluster.namespace.")
    {
        return true;
    }
    let parts: Vec<&str> = id.split('.').collect();
    (parts.len() == 2 && parts[1] == "secrets") || (parts.len() >= 3 && KINDS.contains(&parts[1]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn images_become_oci_purls() {
        let s = super::software("ghcr.io/acme/shop-api:1.4.2");
        assert_eq!(
            s.purl,
            "pkg:oci/shop-api?repository_url=ghcr.io/acme/shop-api&tag=1.4.2"
        );
        assert_eq!(s.version.as_deref(), Some("1.4.2"));
        let s = super::software("localhost:5000/web@sha256:abc");
        assert_eq!(
            s.purl,
            "pkg:oci/web@sha256%3Aabc?repository_url=localhost:5000/web"
        );
        assert_eq!(
            super::software("nginx").purl,
            "pkg:oci/nginx?repository_url=nginx&tag=latest"
        );
    }
}
