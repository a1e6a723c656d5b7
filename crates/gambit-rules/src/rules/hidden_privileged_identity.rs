use gambit_model::GrantTarget;
use gambit_model::vocab::Access;
use gambit_model::vocab::ComponentKind;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

/// Kinds whose write or admin access amounts to control over everything else.
const CONTROL_PLANE: &[ComponentKind] = &[
    ComponentKind::IdentityProvider,
    ComponentKind::SecretStore,
    ComponentKind::K8sCluster,
    ComponentKind::CiCd,
];

declare_rule! {
    /// ## What it finds
    /// An identity not marked `privileged` that can write to or administer a control
    /// plane: an identity provider, secret store, Kubernetes cluster or CI/CD system.
    ///
    /// ## Why it matters
    /// Whoever can change identities, secrets, cluster workloads or pipelines can make
    /// themselves anything. Such "shadow admins" escape the controls applied to
    /// identities labelled privileged (MFA, JIT, reviews).
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// components:
    ///   sso: {kind: identity-provider}
    ///   hr-sync: {kind: worker, runs_as: hr-sync-role}
    /// identities:
    ///   hr-sync-role: {kind: service-account, grants: [{access: write, target: sso}]}
    /// ```
    ///
    /// ## How to fix
    /// Narrow the grant to the objects needed (one group, one secret path, one
    /// namespace), or mark the identity `privileged: true` and protect it like one.
    pub struct HiddenPrivilegedIdentity {
        id: "hidden-privileged-identity",
        title: "Identity controls a control plane without being privileged",
        stride: [ElevationOfPrivilege],
        cwe: ["CWE-269"],
        capec: ["CAPEC-122"],
        attack: ["T1098", "T1078"],
        controls: ["least-privilege"],
        likelihood: Unlikely,
        impact: VeryHigh,
        fix: "Scope the grant to specific objects or treat the identity as privileged.",
    }
}

impl Check for HiddenPrivilegedIdentity {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, identity) in cx.identities() {
            if identity.privileged {
                continue;
            }
            let planes: Vec<String> = identity
                .grants
                .iter()
                .filter_map(|g| match (g.target, g.access) {
                    (GrantTarget::Component(t), Access::Write | Access::Admin)
                        if cx.model[t].kind.is_any(CONTROL_PLANE) =>
                    {
                        Some(format!(
                            "{} on {} ({})",
                            g.access,
                            cx.model[t].id,
                            cx.model[t].kind.as_str()
                        ))
                    }
                    _ => None,
                })
                .collect();
            if planes.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Identity(id))
                .because(format!("privileged: false, yet has {}", planes.join(", ")))
                .impact(gambit_model::vocab::Impact::VeryHigh)
                .emit(out);
        }
    }
}
