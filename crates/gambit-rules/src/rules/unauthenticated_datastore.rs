use gambit_model::vocab::{Authentication, Classification};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A datastore that keeps non-public data and accepts connections without
    /// authentication: a flow into it says `authentication: none` (or says nothing), or
    /// the component itself is written `authentication: none`.
    ///
    /// ## Why it matters
    /// Redis, Elasticsearch, MongoDB and message brokers still ship or get deployed
    /// without authentication. Anything that reaches the network (a compromised pod, an
    /// SSRF, a misrouted firewall rule) then reads and rewrites all of the data.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   carts: {classification: confidential}
    /// components:
    ///   api: {kind: api}
    ///   cache: {kind: cache, stores: [carts]}
    /// flows:
    ///   - {from: api, to: cache, protocol: redis, authentication: none, data: [carts]}
    /// ```
    ///
    /// ## How to fix
    /// Turn on authentication (ACL users, IAM, mTLS) for every client of the datastore
    /// and write it on the flows.
    pub struct UnauthenticatedDatastore {
        id: "unauthenticated-datastore",
        title: "Datastore accepts unauthenticated connections",
        stride: [InformationDisclosure, Tampering],
        cwe: ["CWE-306"],
        capec: ["CAPEC-1"],
        attack: ["T1213", "T1530"],
        controls: [],
        likelihood: Likely,
        impact: Medium,
        fix: "Require authentication (ACL users, IAM or mTLS) for every datastore client.",
    }
}

impl Check for UnauthenticatedDatastore {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if !c.is_datastore() {
                continue;
            }
            let open: Vec<&str> = c
                .flows_in
                .iter()
                .map(|&f| &cx.model[f])
                .filter(|f| cx.authentication(f) == Authentication::None && cx.in_scope(f.from))
                .map(|f| cx.name(f.from))
                .collect();
            let written_none =
                !c.authentication_derived && c.authentication == Authentication::None;
            if open.is_empty() && !written_none {
                continue;
            }
            let data = cx.at_least(c.stores.iter().copied(), Classification::Internal);
            if data.is_empty() {
                continue;
            }
            let why = if open.is_empty() {
                "authentication: none".to_owned()
            } else {
                format!(
                    "{} connect{} without authentication",
                    open.join(", "),
                    if open.len() == 1 { "s" } else { "" }
                )
            };
            cx.finding(&Self::META, Target::Component(id))
                .because(format!("{why}; stores {}", cx.list_assets(&data)))
                .assets(data)
                .emit(out);
        }
    }
}
