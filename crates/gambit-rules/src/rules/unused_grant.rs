use gambit_model::GrantTarget;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A workload identity (components run as it and no person holds its credential)
    /// with a grant on a component that none of those components has a flow to.
    ///
    /// ## Why it matters
    /// A permission no flow uses is pure risk: it adds nothing to the system, but an
    /// attacker who compromises the workload gains it. Unused grants are how a small
    /// breach becomes a large one.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   payroll: {classification: restricted}
    /// components:
    ///   newsletter: {kind: worker, runs_as: newsletter-role}
    ///   payroll-db: {kind: database, stores: [payroll]}
    /// identities:
    ///   newsletter-role: {kind: iam-role, grants: [{access: read, target: payroll-db}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the grant, or model the flow that needs it. Generate policies from
    /// observed access (IAM Access Analyzer, cloud recommender) and review them.
    pub struct UnusedGrant {
        id: "unused-grant",
        title: "Workload identity has a grant it never uses",
        stride: [ElevationOfPrivilege],
        cwe: ["CWE-272", "CWE-250"],
        capec: ["CAPEC-122"],
        attack: ["T1078.004"],
        controls: ["least-privilege"],
        likelihood: Unlikely,
        impact: Medium,
        fix: "Remove grants that no flow needs; generate policies from observed access.",
    }
}

impl Check for UnusedGrant {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, identity) in cx.identities() {
            if identity.runs_on.is_empty() || cx.used_by_people(id) {
                continue;
            }
            let mut unused = Vec::new();
            for g in &identity.grants {
                let GrantTarget::Component(t) = g.target else {
                    continue;
                };
                let used = identity.runs_on.iter().any(|&r| {
                    r == t
                        || cx.model[r]
                            .flows_out
                            .iter()
                            .any(|&f| cx.model[f].to == gambit_model::Endpoint::Component(t))
                });
                if !used {
                    unused.push((g.access, t));
                }
            }
            if unused.is_empty() {
                continue;
            }
            let runners: Vec<&str> = identity
                .runs_on
                .iter()
                .map(|&r| cx.model[r].id.as_str())
                .collect();
            let grants: Vec<String> = unused
                .iter()
                .map(|(a, t)| format!("{a} on {}", cx.model[*t].id))
                .collect();
            let assets: Vec<_> = unused
                .iter()
                .flat_map(|&(_, t)| cx.handled(&cx.model[t]))
                .collect();
            cx.finding(&Self::META, Target::Identity(id))
                .because(format!(
                    "grants {}, but {} (running as it) has no flow there",
                    grants.join(", "),
                    runners.join(", ")
                ))
                .assets(assets)
                .emit(out);
        }
    }
}
