use gambit_model::GrantTarget;
use gambit_model::vocab::{Access, Authentication};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A logging or monitoring component that accepts unauthenticated writes (a flow
    /// into it with `authentication: none`), or that the identity of a component it
    /// watches can administer (`admin`: delete or reconfigure, not just append).
    ///
    /// ## Why it matters
    /// Logs are evidence. If anyone on the network can forge entries, or a compromised
    /// application can delete its own, the trail that should expose an intrusion
    /// becomes noise or disappears (repudiation).
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// components:
    ///   app: {kind: service}
    ///   syslog: {kind: logging}
    /// flows:
    ///   - {from: app, to: syslog, protocol: syslog, authentication: none}
    /// ```
    ///
    /// ## How to fix
    /// Authenticate log shippers (mTLS, IAM), let sources append but never modify or
    /// delete, store logs immutably in a separate account, and alert on gaps.
    pub struct LogTampering {
        id: "log-tampering",
        title: "Logs can be forged or erased",
        stride: [Repudiation, Tampering],
        cwe: ["CWE-117", "CWE-284"],
        capec: ["CAPEC-93", "CAPEC-268"],
        attack: ["T1070", "T1562"],
        controls: ["audit-logging"],
        likelihood: Likely,
        impact: Medium,
        fix: "Authenticate log sources, make logs append-only and keep them in a separate account.",
    }
}

impl Check for LogTampering {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if !cx.is_log_sink(c) {
                continue;
            }
            let mut facts = Vec::new();
            let anonymous: Vec<&str> = c
                .flows_in
                .iter()
                .map(|&f| &cx.model[f])
                .filter(|f| cx.authentication(f) == Authentication::None && cx.in_scope(f.from))
                .map(|f| cx.name(f.from))
                .collect();
            if !anonymous.is_empty() {
                facts.push(format!(
                    "accepts unauthenticated writes from {}",
                    anonymous.join(", ")
                ));
            }
            for (_, identity) in cx.identities() {
                let sources = identity
                    .runs_on
                    .iter()
                    .filter(|&&r| r != id && cx.facts(r).ships_logs);
                let names: Vec<&str> = sources.map(|&r| cx.model[r].id.as_str()).collect();
                let admin = identity
                    .grants
                    .iter()
                    .any(|g| g.access == Access::Admin && g.target == GrantTarget::Component(id));
                if !names.is_empty() && admin {
                    facts.push(format!(
                        "{} (identity of {}) can administer it",
                        identity.id,
                        names.join(", ")
                    ));
                }
            }
            if facts.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(facts.join("; "))
                .assets(cx.handled(c))
                .emit(out);
        }
    }
}
