use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::Control;

declare_rule! {
    /// ## What it finds
    /// An internet-exposed component that logs (control `logging` or
    /// `audit-logging`) but has no flow to a logging or monitoring component, so its
    /// logs stay on the host.
    ///
    /// ## Why it matters
    /// The first thing an intruder with a shell does is clear the local logs. Logs
    /// that never left the host cannot show what happened there.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// components:
    ///   web: {kind: web-app, public: true, controls: [logging]}
    /// ```
    ///
    /// ## How to fix
    /// Ship logs as they are written to a central store the host cannot modify, and
    /// model that flow to the logging component.
    pub struct LocalOnlyLogs {
        id: "local-only-logs",
        title: "Exposed component keeps its logs locally",
        stride: [Repudiation],
        cwe: ["CWE-778"],
        capec: ["CAPEC-268"],
        attack: ["T1070"],
        controls: ["logging", "monitoring"],
        likelihood: Likely,
        impact: Low,
        fix: "Forward logs in real time to a central store the host cannot modify.",
    }
}

impl Check for LocalOnlyLogs {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) || cx.provider_operated(c) {
                continue;
            }
            let logs = c.has_control(Control::Logging) || c.has_control(Control::AuditLogging);
            if !logs
                || cx.facts(id).ships_logs
                || cx.facts(id).exposure != ExposureLevel::Internet
                || cx.is_log_sink(c)
            {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "exposed {} logs, but has no flow to a logging or monitoring component",
                    c.id
                ))
                .assets(cx.handled(c))
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
