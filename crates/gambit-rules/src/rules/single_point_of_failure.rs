use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::{ComponentKind, Control};

/// Client-side kinds: their availability is the user's, not the system's.
const CLIENTS: &[ComponentKind] = &[
    ComponentKind::Browser,
    ComponentKind::MobileApp,
    ComponentKind::DesktopApp,
    ComponentKind::Workstation,
    ComponentKind::IotDevice,
];

declare_rule! {
    /// ## What it finds
    /// A component that stores or processes an asset whose availability is high or
    /// critical, without the `redundancy` control (replicas, failover, multiple zones).
    /// Clients, backups and observability components (logging, monitoring) are not on
    /// the serving path and are left out.
    ///
    /// ## Why it matters
    /// One crash, bad deploy, zone outage or targeted denial of service then stops what
    /// the business most needs to keep running.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   checkout: {classification: internal, availability: critical}
    /// components:
    ///   checkout-svc: {kind: service, processes: [checkout]}
    /// ```
    ///
    /// ## How to fix
    /// Run at least two instances across failure domains behind health-checked load
    /// balancing (for datastores: replicas with automatic failover), test failover, and
    /// add the `redundancy` control.
    pub struct SinglePointOfFailure {
        id: "single-point-of-failure",
        title: "Single point of failure for an availability-critical asset",
        stride: [DenialOfService],
        cwe: ["CWE-410"],
        capec: ["CAPEC-607"],
        attack: ["T1499", "T1498"],
        controls: ["redundancy"],
        likelihood: Likely,
        impact: Medium,
        fix: "Run redundant instances across failure domains with automatic failover.",
    }
}

impl Check for SinglePointOfFailure {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) || cx.provider_operated(c) {
                continue;
            }
            if c.kind.is_any(CLIENTS)
                || c.kind.is(ComponentKind::Backup)
                || cx.is_log_sink(c)
                || c.has_control(Control::Redundancy)
            {
                continue;
            }
            let critical = cx.availability_critical(c);
            if critical.is_empty() {
                continue;
            }
            let names: Vec<String> = critical
                .iter()
                .map(|&a| {
                    format!(
                        "{} (availability {})",
                        cx.asset_name(a),
                        cx.model[a].availability
                    )
                })
                .collect();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} {} handles {}; no redundancy",
                    c.kind.as_str(),
                    c.id,
                    names.join(", ")
                ))
                .assets(critical)
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
