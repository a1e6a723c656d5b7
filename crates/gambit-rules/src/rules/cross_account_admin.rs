use gambit_model::vocab::Access;
use gambit_model::vocab::ZoneKind;
use gambit_model::{GrantTarget, Model, ZoneId};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

/// The cloud account (nearest zone of kind cloud-account) a zone belongs to.
fn account_of(model: &Model, mut zone: ZoneId) -> Option<ZoneId> {
    for _ in 0..64 {
        if model[zone].kind.is(ZoneKind::CloudAccount) {
            return Some(zone);
        }
        zone = model[zone].parent?;
    }
    None
}

declare_rule! {
    /// ## What it finds
    /// A workload identity whose components run in one cloud account and that holds
    /// write or admin grants on components in another cloud account.
    ///
    /// ## Why it matters
    /// Accounts are the strongest boundary a cloud offers. A cross-account write or
    /// admin grant lets a compromise in the weaker account (often development or a
    /// tooling account) walk into the stronger one.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// zones:
    ///   dev: {kind: cloud-account}
    ///   prod: {kind: cloud-account}
    /// components:
    ///   dev-tools: {kind: service, zone: dev, runs_as: tools-role}
    ///   prod-db: {kind: database, zone: prod}
    /// identities:
    ///   tools-role: {kind: iam-role, grants: [{access: admin, target: prod-db}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the grant or narrow it to read-only; route cross-account changes through
    /// the target account's own deployment pipeline.
    pub struct CrossAccountAdmin {
        id: "cross-account-admin",
        title: "Write access across cloud accounts",
        stride: [ElevationOfPrivilege],
        cwe: ["CWE-269"],
        capec: ["CAPEC-122"],
        attack: ["T1078.004", "T1199"],
        controls: ["least-privilege"],
        likelihood: Unlikely,
        impact: High,
        fix: "Remove cross-account write grants; deploy through the target account's own pipeline.",
    }
}

impl Check for CrossAccountAdmin {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, identity) in cx.identities() {
            let homes: Vec<ZoneId> = identity
                .runs_on
                .iter()
                .filter_map(|&c| account_of(cx.model, cx.model[c].zone))
                .collect();
            if homes.is_empty() {
                continue;
            }
            let crossing: Vec<_> = identity
                .grants
                .iter()
                .filter_map(|g| match (g.target, g.access) {
                    (GrantTarget::Component(t), Access::Write | Access::Admin) => {
                        let there = account_of(cx.model, cx.model[t].zone)?;
                        (!homes.contains(&there)).then_some((g.access, t, there))
                    }
                    _ => None,
                })
                .collect();
            if crossing.is_empty() {
                continue;
            }
            let home = &cx.model[homes[0]].id;
            let what: Vec<String> = crossing
                .iter()
                .map(|(a, t, z)| format!("{a} on {} in {}", cx.model[*t].id, cx.model[*z].id))
                .collect();
            let assets: Vec<_> = crossing
                .iter()
                .flat_map(|&(_, t, _)| cx.handled(&cx.model[t]))
                .collect();
            cx.finding(&Self::META, Target::Identity(id))
                .because(format!(
                    "{} runs in account {home} and has {}",
                    identity.id,
                    what.join(", ")
                ))
                .assets(assets)
                .impact_at_least(Self::META.impact)
                .emit(out);
        }
    }
}
