use gambit_model::vocab::ComponentKind;
use gambit_model::vocab::Control;
use gambit_model::vocab::Criticality;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

/// Kinds whose actions must be attributable whatever data they hold.
const SECURITY_KINDS: &[ComponentKind] = &[
    ComponentKind::IdentityProvider,
    ComponentKind::SecretStore,
    ComponentKind::CiCd,
    ComponentKind::Bastion,
];
/// Clients and sinks: nothing to audit on the server side.
const EXEMPT: &[ComponentKind] = &[
    ComponentKind::Browser,
    ComponentKind::MobileApp,
    ComponentKind::DesktopApp,
    ComponentKind::IotDevice,
    ComponentKind::Logging,
    ComponentKind::Monitoring,
    ComponentKind::Cdn,
    ComponentKind::Dns,
];

declare_rule! {
    /// ## What it finds
    /// A component where integrity matters (it stores or processes an asset of
    /// integrity high or critical, or it is an identity provider, secret store, CI/CD
    /// system or bastion) that neither has the `logging` or `audit-logging` control nor
    /// sends to a logging or monitoring component.
    ///
    /// ## Why it matters
    /// Without an audit trail nobody can tell who changed what: a fraudulent change
    /// cannot be proven, an intrusion cannot be scoped, and users can deny their
    /// actions (repudiation).
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   ledger: {classification: confidential, integrity: critical}
    /// components:
    ///   accounting: {kind: service, processes: [ledger]}
    /// ```
    ///
    /// ## How to fix
    /// Write an audit log of security-relevant events (who, what, when, from where) to
    /// a separate, append-only log store, add the `audit-logging` control, and model
    /// the flow to the logging component.
    pub struct MissingLogging {
        id: "missing-logging",
        title: "No audit logging where integrity matters",
        stride: [Repudiation],
        cwe: ["CWE-778"],
        capec: ["CAPEC-268"],
        attack: ["T1070"],
        controls: ["logging", "audit-logging"],
        likelihood: Likely,
        impact: Medium,
        fix: "Write an audit log of security-relevant events to a separate, append-only store.",
    }
}

impl Check for MissingLogging {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) || cx.provider_operated(c) {
                continue;
            }
            let kind = c.kind.as_str();
            if c.kind.is_any(EXEMPT)
                || c.has_control(Control::Logging)
                || c.has_control(Control::AuditLogging)
                || cx.facts(id).ships_logs
            {
                continue;
            }
            let important: Vec<_> = cx
                .handled(c)
                .into_iter()
                .filter(|&a| cx.model[a].integrity >= Criticality::High)
                .collect();
            let security = c.kind.is_any(SECURITY_KINDS);
            if important.is_empty() && !security {
                continue;
            }
            let why = if important.is_empty() {
                format!("{kind} decides who may do what")
            } else {
                let names: Vec<String> = important
                    .iter()
                    .map(|&a| format!("{} (integrity {})", cx.asset_name(a), cx.model[a].integrity))
                    .collect();
                format!("handles {}", names.join(", "))
            };
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{why}; no logging or audit-logging control and no flow to a log sink"
                ))
                .assets(important)
                .emit(out);
        }
    }
}
