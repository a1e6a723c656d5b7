use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

use crate::rules::shared::is_human_identity_kind;

declare_rule! {
    /// ## What it finds
    /// A privileged identity that people use (its kind is a user account, or a person
    /// holds a credential for it) without multi-factor authentication: neither the
    /// identity nor every person holding its credential has `mfa: true`.
    ///
    /// ## Why it matters
    /// A phished, reused or leaked password is then all it takes to become an
    /// administrator. Privileged accounts are the first target of every intrusion.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// components:
    ///   cloud: {kind: k8s-cluster}
    /// identities:
    ///   root-admin: {kind: admin-account, privileged: true, grants: [{access: admin, target: cloud}]}
    /// ```
    ///
    /// ## How to fix
    /// Require phishing-resistant MFA (FIDO2/WebAuthn) for every privileged identity and
    /// record it (`mfa: true`). Better still, remove standing privilege: see
    /// `standing-privileged-access`.
    pub struct PrivilegedIdentityWithoutMfa {
        id: "privileged-identity-without-mfa",
        title: "Privileged identity without MFA",
        stride: [Spoofing, ElevationOfPrivilege],
        cwe: ["CWE-308"],
        capec: ["CAPEC-560", "CAPEC-600"],
        attack: ["T1078", "T1110"],
        controls: ["mfa"],
        likelihood: Likely,
        impact: VeryHigh,
        fix: "Require phishing-resistant MFA for the identity.",
    }
}

impl Check for PrivilegedIdentityWithoutMfa {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, identity) in cx.identities() {
            if !identity.privileged || identity.mfa {
                continue;
            }
            let holders: Vec<_> = identity
                .credentials
                .iter()
                .flat_map(|&k| cx.model[k].held_by.iter().copied())
                .filter_map(|e| cx.actor(e))
                .filter(|a| cx.is_human(a))
                .collect();
            let human_kind = is_human_identity_kind(&identity.kind);
            if !human_kind && holders.is_empty() {
                continue;
            }
            if !holders.is_empty() && holders.iter().all(|a| a.mfa) {
                continue;
            }
            let who = if holders.is_empty() {
                format!("kind {} is signed in to by people", identity.kind.as_str())
            } else {
                let names: Vec<&str> = holders
                    .iter()
                    .filter(|a| !a.mfa)
                    .map(|a| a.id.as_str())
                    .collect();
                format!("its credential is held by {} without MFA", names.join(", "))
            };
            cx.finding(&Self::META, Target::Identity(id))
                .because(format!("privileged: true, mfa: false; {who}"))
                .assets(identity.credentials.iter().copied())
                .impact(cx.identity_impact(id))
                .emit(out);
        }
    }
}
