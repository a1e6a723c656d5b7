use gambit_model::GrantTarget;
use gambit_model::vocab::Access;
use gambit_model::vocab::Control;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use crate::rules::shared::is_human_identity_kind;

declare_rule! {
    /// ## What it finds
    /// A component that people administer (an identity they hold or sign in as has an
    /// `admin` grant on it) without the `audit-logging` control.
    ///
    /// ## Why it matters
    /// Administrators can change configuration, permissions and data directly. Without
    /// an audit trail of their actions, a malicious or mistaken change cannot be traced
    /// to a person, and an insider can deny it (repudiation).
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   admin-pass: {kind: credential, grants: erp-admin}
    /// actors:
    ///   it-admin: {kind: admin, zone: internal, mfa: true, holds: [admin-pass]}
    /// components:
    ///   erp: {kind: service}
    /// identities:
    ///   erp-admin: {kind: user-account, grants: [{access: admin, target: erp}]}
    /// ```
    ///
    /// ## How to fix
    /// Record every administrative action with the person behind it (admin audit logs,
    /// CloudTrail, database audit), ship it where admins cannot delete it, and add the
    /// `audit-logging` control.
    pub struct AdminWithoutAuditTrail {
        id: "admin-without-audit-trail",
        title: "Administrative access without an audit trail",
        stride: [Repudiation],
        cwe: ["CWE-778"],
        capec: ["CAPEC-268"],
        attack: ["T1098", "T1070"],
        controls: ["audit-logging"],
        likelihood: Unlikely,
        impact: Medium,
        fix: "Audit-log every administrative action with the person behind it, out of admins' reach.",
    }
}

impl Check for AdminWithoutAuditTrail {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut admins: Vec<Vec<&str>> = vec![Vec::new(); cx.model.components.len()];
        for (iid, identity) in cx.identities() {
            if !(cx.used_by_people(iid) || is_human_identity_kind(&identity.kind)) {
                continue;
            }
            for g in &identity.grants {
                if let (GrantTarget::Component(t), Access::Admin) = (g.target, g.access) {
                    admins[t.index()].push(identity.id.as_str());
                }
            }
        }
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            let who = &admins[id.index()];
            if who.is_empty() || c.has_control(Control::AuditLogging) {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "people administer it as {}; no audit-logging",
                    who.join(", ")
                ))
                .assets(cx.handled(c))
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
