use gambit_model::vocab::Access;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// An identity that two or more different components run as, when it can write,
    /// administer or assume (or is privileged).
    ///
    /// ## Why it matters
    /// Logs then show the identity, not which component acted: a fraudulent change
    /// cannot be attributed (repudiation). Each component also carries every other's
    /// permissions, so compromising the weakest one yields all of them.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// components:
    ///   orders: {kind: service, runs_as: app}
    ///   reports: {kind: worker, runs_as: app}
    ///   db: {kind: database}
    /// identities:
    ///   app: {kind: service-account, grants: [{access: write, target: db}]}
    /// ```
    ///
    /// ## How to fix
    /// Give each component its own identity with only the grants it uses, so actions
    /// are attributable and a compromise stays contained.
    pub struct SharedIdentity {
        id: "shared-identity",
        title: "Several components share one identity",
        stride: [Repudiation, ElevationOfPrivilege],
        cwe: ["CWE-1220"],
        capec: ["CAPEC-122"],
        attack: ["T1078"],
        controls: ["least-privilege"],
        likelihood: Unlikely,
        impact: Medium,
        fix: "Give each component its own least-privilege identity.",
    }
}

impl Check for SharedIdentity {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, identity) in cx.identities() {
            if identity.runs_on.len() < 2 {
                continue;
            }
            let powerful =
                identity.privileged || identity.grants.iter().any(|g| g.access != Access::Read);
            if !powerful {
                continue;
            }
            let runners: Vec<&str> = identity
                .runs_on
                .iter()
                .map(|&r| cx.model[r].id.as_str())
                .collect();
            let assets: Vec<_> = cx
                .writable_by(id)
                .into_iter()
                .flat_map(|t| cx.handled(&cx.model[t]))
                .collect();
            cx.finding(&Self::META, Target::Identity(id))
                .because(format!(
                    "{} all run as {}, which can change things",
                    runners.join(", "),
                    identity.id
                ))
                .assets(assets)
                .emit(out);
        }
    }
}
