use gambit_model::Endpoint;
use gambit_model::vocab::AssetKind;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A credential that two or more people hold (a shared account, a team password,
    /// a break-glass key handed around).
    ///
    /// ## Why it matters
    /// Nobody can tell which person used it (repudiation), it cannot be revoked for one
    /// leaver without breaking the others, and every holder's laptop and inbox is a
    /// place it can leak from.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   ops-root: {kind: credential, grants: root}
    /// actors:
    ///   alice: {kind: operator, zone: internal, mfa: true, holds: [ops-root]}
    ///   bob: {kind: operator, zone: internal, mfa: true, holds: [ops-root]}
    /// components:
    ///   servers: {kind: vm}
    /// identities:
    ///   root: {kind: admin-account, privileged: true, mfa: true, grants: [{access: admin, target: servers}]}
    /// ```
    ///
    /// ## How to fix
    /// Give each person their own identity (SSO groups instead of shared accounts); keep
    /// unavoidable shared secrets in a vault that checks them out per person and logs it.
    pub struct SharedCredential {
        id: "shared-credential",
        title: "Credential shared by several people",
        stride: [Repudiation, Spoofing],
        cwe: ["CWE-1220", "CWE-522"],
        capec: ["CAPEC-560"],
        attack: ["T1078"],
        controls: ["secrets-manager", "pam"],
        likelihood: Likely,
        impact: Medium,
        fix: "Give every person their own identity; check shared secrets out per person from a vault.",
    }
}

impl Check for SharedCredential {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, asset) in cx.model.assets.iter().enumerate() {
            if asset.kind != AssetKind::Credential {
                continue;
            }
            let people: Vec<&str> = asset
                .held_by
                .iter()
                .filter_map(|&e| match e {
                    Endpoint::Actor(a)
                        if cx.is_human(&cx.model[a]) && !cx.model[a].out_of_scope =>
                    {
                        Some(cx.model[a].id.as_str())
                    }
                    _ => None,
                })
                .collect();
            if people.len() < 2 {
                continue;
            }
            let id = gambit_model::AssetId(i as u32);
            cx.finding(&Self::META, Target::Asset(id))
                .because(format!(
                    "held by {} people: {}",
                    people.len(),
                    people.join(", ")
                ))
                .assets([id])
                .emit(out);
        }
    }
}
