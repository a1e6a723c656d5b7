use gambit_model::Endpoint;
use gambit_model::vocab::Access;
use gambit_model::vocab::ComponentKind;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// An identity whose credential is held by a third party (an untrusted or partner
    /// actor, a SaaS component, or a component in an untrusted or partner zone) and that
    /// is privileged, can assume other identities, or can write or administer
    /// components: a broad OAuth grant or API key given to an outside integration.
    ///
    /// ## Why it matters
    /// The integration's security becomes yours. When the vendor is breached (as with
    /// the Salesloft/Drift and CircleCI tokens), the attacker uses its tokens to read and
    /// change your data with no login and no MFA.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   crm-token: {kind: credential, grants: crm-sync}
    ///   deals: {classification: confidential}
    /// zones:
    ///   vendor: {kind: saas-tenant, trust: partner}
    /// components:
    ///   sales-tool: {kind: saas, zone: vendor, holds: [crm-token]}
    ///   crm: {kind: saas, stores: [deals]}
    /// identities:
    ///   crm-sync: {kind: oauth-app, grants: [{access: admin, target: crm}]}
    /// ```
    ///
    /// ## How to fix
    /// Grant integrations the narrowest scopes (read-only, one object type), prefer
    /// short-lived tokens, review and expire consents, and monitor their use.
    pub struct ThirdPartyBroadOauthGrant {
        id: "third-party-broad-oauth-grant",
        title: "Broad access granted to a third-party integration",
        stride: [ElevationOfPrivilege, InformationDisclosure],
        cwe: ["CWE-272", "CWE-250"],
        capec: ["CAPEC-21"],
        attack: ["T1528", "T1199"],
        controls: ["least-privilege", "monitoring"],
        likelihood: Likely,
        impact: Medium,
        fix: "Narrow the integration's scopes to read-only where possible and expire its tokens.",
    }
}

impl Check for ThirdPartyBroadOauthGrant {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, identity) in cx.identities() {
            let writable = cx.writable_by(id);
            let assumes = identity.grants.iter().any(|g| g.access == Access::Assume);
            let reaches_beyond = identity.privileged || assumes || writable.is_empty();
            let holders: Vec<String> = identity
                .credentials
                .iter()
                .flat_map(|&k| cx.model[k].held_by.iter().copied())
                .filter(|&e| cx.actor(e).is_none_or(|a| !cx.is_human(a)))
                .filter(|&e| cx.outside_organisation(e) || matches!(e, Endpoint::Component(c) if cx.model[c].kind.is(ComponentKind::Saas)))
                .filter(|&e| reaches_beyond || !owns_all(cx, e, &writable))
                .map(|e| cx.describe(e))
                .collect();
            if holders.is_empty() {
                continue;
            }
            if !identity.privileged && !assumes && writable.is_empty() {
                continue;
            }
            let mut powers = Vec::new();
            if identity.privileged {
                powers.push("privileged".to_owned());
            }
            if !writable.is_empty() {
                let names: Vec<&str> = writable.iter().map(|&t| cx.model[t].id.as_str()).collect();
                powers.push(format!("can write to {}", names.join(", ")));
            }
            if assumes {
                powers.push("can assume other identities".to_owned());
            }
            let assets: Vec<_> = writable
                .iter()
                .flat_map(|&t| cx.handled(&cx.model[t]))
                .collect();
            cx.finding(&Self::META, Target::Identity(id))
                .because(format!(
                    "held by {}; {}",
                    holders.join(", "),
                    powers.join(", ")
                ))
                .assets(assets)
                .impact_at_least(cx.identity_impact(id))
                .emit(out);
        }
    }
}

/// A holder that sits in the same zone as everything the grant lets it write (GitLab CI
/// with a token for a GitLab repository) is using its own platform, not a third party's
/// grant into ours.
fn owns_all(cx: &Context<'_>, holder: Endpoint, writable: &[gambit_model::ComponentId]) -> bool {
    let Endpoint::Component(h) = holder else {
        return false;
    };
    let zone = cx.model[h].zone;
    writable.iter().all(|&t| cx.model[t].zone == zone)
}
