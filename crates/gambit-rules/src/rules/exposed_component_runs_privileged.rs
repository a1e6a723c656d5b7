use gambit_model::vocab::Access;

use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A component exposed to the internet whose code runs as a privileged identity,
    /// or as one with `admin` grants.
    ///
    /// ## Why it matters
    /// The exposed component is the likeliest to be compromised; running it with
    /// admin rights hands those rights to whoever compromises it, turning a web bug
    /// into an account takeover.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// components:
    ///   web: {kind: web-app, public: true, runs_as: web-admin}
    /// identities:
    ///   web-admin: {kind: iam-role, privileged: true}
    /// ```
    ///
    /// ## How to fix
    /// Run exposed components as a dedicated identity with only the permissions they
    /// use; move administrative operations to an internal service.
    pub struct ExposedComponentRunsPrivileged {
        id: "exposed-component-runs-privileged",
        title: "Internet-exposed component runs with high privileges",
        stride: [ElevationOfPrivilege],
        cwe: ["CWE-250"],
        capec: ["CAPEC-122"],
        attack: ["T1078.004", "T1190"],
        controls: ["least-privilege"],
        likelihood: Unlikely,
        impact: High,
        fix: "Run exposed components as a least-privilege identity; keep admin operations internal.",
    }
}

impl Check for ExposedComponentRunsPrivileged {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            let Some(i) = c.runs_as else { continue };
            if cx.facts(id).exposure != ExposureLevel::Internet {
                continue;
            }
            let identity = &cx.model[i];
            let admin = identity.grants.iter().any(|g| g.access == Access::Admin);
            if !identity.privileged && !admin {
                continue;
            }
            let what = if identity.privileged {
                "privileged"
            } else {
                "holds admin grants"
            };
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "exposed {} runs as {}, which is {what}",
                    c.id, identity.id
                ))
                .impact(cx.identity_impact(i).max(Self::META.impact))
                .emit(out);
        }
    }
}
