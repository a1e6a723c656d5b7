use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A flow from an untrusted or partner party straight into a datastore that keeps
    /// non-public data, with no application in between.
    ///
    /// ## Why it matters
    /// Datastore protocols are built for trusted clients: whoever connects gets the
    /// query language, with only coarse permissions between them and every row, and
    /// the datastore's own vulnerabilities exposed.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   inventory: {classification: confidential}
    /// actors:
    ///   reseller: {kind: partner, trust: partner}
    /// components:
    ///   stock-db: {kind: database, stores: [inventory]}
    /// flows:
    ///   - {from: reseller, to: stock-db, protocol: postgres+tls, authentication: password}
    /// ```
    ///
    /// ## How to fix
    /// Put an API in front that exposes only the operations the party needs, with
    /// per-object authorization; keep the datastore private.
    pub struct UntrustedDirectDatastoreAccess {
        id: "untrusted-direct-datastore-access",
        title: "Outside party connects directly to a datastore",
        stride: [ElevationOfPrivilege, InformationDisclosure],
        cwe: ["CWE-668"],
        capec: ["CAPEC-1"],
        attack: ["T1190", "T1530"],
        controls: [],
        likelihood: Likely,
        impact: Medium,
        fix: "Expose a narrow API to the party instead of the datastore.",
    }
}

impl Check for UntrustedDirectDatastoreAccess {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let Some(to) = cx.component(f.to) else {
                continue;
            };
            if !to.is_datastore() || !cx.is_external(f.from) {
                continue;
            }
            let data = cx.at_least(
                to.stores.iter().copied(),
                gambit_model::vocab::Classification::Internal,
            );
            if data.is_empty() {
                continue; // a bucket of public content, such as a static site
            }
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "{} connects straight to {} {}",
                    cx.describe(f.from),
                    to.kind.as_str(),
                    to.id
                ))
                .assets(data)
                .emit(out);
        }
    }
}
