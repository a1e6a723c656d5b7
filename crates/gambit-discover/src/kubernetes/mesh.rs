//! Service-mesh mTLS: the one authentication Kubernetes manifests can state for a pod's
//! callers. A workload demands mTLS when
//!
//! - Istio: the most specific `PeerAuthentication` that applies to it (one selecting its
//!   labels in its namespace, else its namespace's policy without a selector, else the
//!   mesh-wide policy in the root namespace `istio-system`) has `mtls.mode: STRICT`
//!   (`PERMISSIVE` accepts plain text, so it states nothing);
//! - Linkerd: its pod or namespace is injected (`linkerd.io/inject: enabled`) and its
//!   default inbound policy (`config.linkerd.io/default-inbound-policy`, pod before
//!   namespace) is `all-authenticated` or `cluster-authenticated`.
//!
//! Such a workload gets `authentication: mtls`, and so do the discovered flows into it.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Discoverer, kind_of, name_of, namespace_of, selects};
use crate::kubernetes::read::Object;

/// Istio's default root namespace, where a policy without a selector is mesh-wide.
const ISTIO_ROOT: &str = "istio-system";

pub(crate) fn discover(d: &mut Discoverer<'_>) {
    let policies: Vec<&Object> = d
        .objects
        .iter()
        .filter(|o| kind_of(o) == "PeerAuthentication")
        .collect();
    let mut strict = BTreeSet::new();
    for w in &d.workloads {
        let istio = istio_mode(&policies, &w.namespace, &w.labels);
        if istio == Some("STRICT") || linkerd_authenticated(d, w) {
            strict.insert(w.id.clone());
        }
    }
    for id in &strict {
        if let Some(c) = d.f.components.get_mut(id) {
            c.authentication = Some("mtls".to_owned());
        }
    }
    for f in d.f.flows.values_mut() {
        if strict.contains(&f.to) && f.authentication.is_none() {
            f.authentication = Some("mtls".to_owned());
        }
    }
}

/// The mode of the most specific PeerAuthentication that applies to a workload.
fn istio_mode<'a>(
    policies: &[&'a Object],
    namespace: &str,
    labels: &std::collections::BTreeMap<String, String>,
) -> Option<&'a str> {
    fn selector(o: &Object) -> Option<&Value> {
        o.value.pointer("/spec/selector")
    }
    let find = |ns: &str, pick: &dyn Fn(&Object) -> bool| {
        policies
            .iter()
            .copied()
            .find(|o| namespace_of(o) == ns && pick(o))
    };
    find(namespace, &|o| {
        selector(o).is_some() && selects(selector(o), labels)
    })
    .or_else(|| find(namespace, &|o| selector(o).is_none()))
    .or_else(|| find(ISTIO_ROOT, &|o| selector(o).is_none()))
    .and_then(|o| o.value.pointer("/spec/mtls/mode").and_then(Value::as_str))
}

fn linkerd_authenticated(d: &Discoverer<'_>, w: &super::Workload<'_>) -> bool {
    let namespace = d
        .objects
        .iter()
        .find(|o| kind_of(o) == "Namespace" && name_of(o) == w.namespace);
    let annotation = |key: &str| -> Option<&str> {
        let pointer = format!("/metadata/annotations/{}", key.replace('/', "~1"));
        w.template
            .pointer(&pointer)
            .or_else(|| namespace.and_then(|n| n.value.pointer(&pointer)))
            .and_then(Value::as_str)
    };
    annotation("linkerd.io/inject") == Some("enabled")
        && matches!(
            annotation("config.linkerd.io/default-inbound-policy"),
            Some("all-authenticated" | "cluster-authenticated")
        )
}
