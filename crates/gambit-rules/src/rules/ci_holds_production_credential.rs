use gambit_model::vocab::ComponentKind;
use gambit_model::vocab::Control;
use gambit_model::vocab::{AssetKind, Classification, Criticality};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A CI/CD component that holds a long-lived credential (`holds:`) granting a
    /// privileged identity, or write or admin access to components that keep
    /// confidential data or data whose integrity is high.
    ///
    /// ## Why it matters
    /// CI systems run code from many hands (pull requests, build scripts, third-party
    /// actions and packages). A secret stored there is one malicious dependency or
    /// workflow change away from an attacker, who then holds production.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   deploy-key: {kind: credential, grants: deployer}
    ///   orders: {classification: confidential}
    /// components:
    ///   ci: {kind: ci-cd, holds: [deploy-key]}
    ///   shop: {kind: service, stores: [orders]}
    /// identities:
    ///   deployer: {kind: iam-role, grants: [{access: admin, target: shop}]}
    /// ```
    ///
    /// ## How to fix
    /// Give CI no stored secrets: federate it (OIDC) to a short-lived deploy role that
    /// it assumes per run (`runs_as` plus an `assume` grant), scoped to one environment,
    /// with a protected approval step for production (control `human-approval`).
    pub struct CiHoldsProductionCredential {
        id: "ci-holds-production-credential",
        title: "CI/CD holds a production credential",
        stride: [ElevationOfPrivilege, Tampering],
        cwe: ["CWE-522", "CWE-269"],
        capec: ["CAPEC-511"],
        attack: ["T1552.001", "T1195.002"],
        controls: ["secrets-manager", "human-approval"],
        likelihood: Likely,
        impact: High,
        fix: "Replace stored CI secrets with short-lived OIDC-federated roles, gated by approval for production.",
    }
}

impl Check for CiHoldsProductionCredential {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if !c.kind.is(ComponentKind::CiCd) {
                continue;
            }
            let mut hits = Vec::new();
            let mut assets = Vec::new();
            for &k in &c.holds {
                let cred = &cx.model[k];
                let Some(identity) = cred.grants.filter(|_| cred.kind == AssetKind::Credential)
                else {
                    continue;
                };
                let ident = &cx.model[identity];
                let production: Vec<_> = cx
                    .writable_by(identity)
                    .into_iter()
                    .filter(|&t| {
                        cx.handled(&cx.model[t]).iter().any(|&a| {
                            let asset = &cx.model[a];
                            asset.classification >= Classification::Confidential
                                || asset.integrity >= Criticality::High
                        })
                    })
                    .collect();
                if !ident.privileged && production.is_empty() {
                    continue;
                }
                let what = if ident.privileged {
                    "privileged".to_owned()
                } else {
                    let names: Vec<&str> = production
                        .iter()
                        .map(|&t| cx.model[t].id.as_str())
                        .collect();
                    format!("can write to {}", names.join(", "))
                };
                hits.push(format!("{} (grants {}, {what})", cred.id, ident.id));
                assets.push(k);
            }
            if hits.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(format!("ci-cd holds {}", hits.join(", ")))
                .assets(assets)
                .lowered_by(id, &[Control::HumanApproval, Control::SecretsManager])
                .emit(out);
        }
    }
}
