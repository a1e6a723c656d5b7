use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use crate::rules::shared::is_human_identity_kind;
use gambit_model::vocab::Control;

declare_rule! {
    /// ## What it finds
    /// A privileged identity that people hold permanently (a person holds its
    /// credential, or it is a user account) where none of the components it
    /// administers has `jit-access` or `pam` (just-in-time or brokered privileged
    /// access), and its credential is not kept only by a component with `pam` or
    /// `jit-access` (a PAM bastion or vault that checks it out per session).
    ///
    /// ## Why it matters
    /// Standing admin rights are always usable: by a phished administrator, by malware
    /// on their laptop, and by the administrator themselves on a bad day (insider
    /// abuse). Every minute the privilege exists is exposure.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   dba-password: {kind: credential, grants: dba}
    /// actors:
    ///   dba-person: {kind: admin, zone: internal, mfa: true, holds: [dba-password]}
    /// components:
    ///   core-db: {kind: database}
    /// identities:
    ///   dba: {kind: database-user, privileged: true, grants: [{access: admin, target: core-db}]}
    /// ```
    ///
    /// ## How to fix
    /// Grant privilege just in time, for a task and a few hours, with approval and
    /// session recording (a PAM tool or cloud JIT roles), then add `jit-access` or `pam`
    /// to the administered components.
    pub struct StandingPrivilegedAccess {
        id: "standing-privileged-access",
        title: "Standing privileged access held by people",
        stride: [ElevationOfPrivilege],
        cwe: ["CWE-269", "CWE-250"],
        capec: ["CAPEC-122"],
        attack: ["T1078"],
        controls: ["jit-access", "pam"],
        likelihood: Unlikely,
        impact: VeryHigh,
        fix: "Replace standing admin rights with just-in-time, approved and recorded access.",
    }
}

impl Check for StandingPrivilegedAccess {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, identity) in cx.identities() {
            if !identity.privileged {
                continue;
            }
            let people = cx.used_by_people(id);
            if !people && !is_human_identity_kind(&identity.kind) {
                continue;
            }
            let targets = cx.writable_by(id);
            let brokered = targets.iter().any(|&t| {
                cx.model[t].has_control(Control::JitAccess) || cx.model[t].has_control(Control::Pam)
            });
            // Or its credential lives only in a PAM / JIT broker (a bastion or vault that
            // checks it out per session), never with a person.
            let holders: Vec<_> = identity
                .credentials
                .iter()
                .flat_map(|&k| cx.model[k].held_by.iter().copied())
                .collect();
            let vaulted = !holders.is_empty()
                && holders.iter().all(|&e| {
                    cx.component(e).is_some_and(|c| {
                        c.has_control(Control::Pam) || c.has_control(Control::JitAccess)
                    })
                });
            if brokered || vaulted {
                continue;
            }
            let who = if people {
                "people hold its credential"
            } else {
                "people sign in as it"
            };
            cx.finding(&Self::META, Target::Identity(id))
                .because(format!(
                    "privileged: true; {who}; no jit-access or pam on what it administers"
                ))
                .assets(identity.credentials.iter().copied())
                .impact(cx.identity_impact(id))
                .emit(out);
        }
    }
}
