use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::Control;

declare_rule! {
    /// ## What it finds
    /// A component exposed to the internet that handles an asset whose availability is
    /// high or critical, without the `ddos-protection` control.
    ///
    /// ## Why it matters
    /// Per-client rate limits do not stop a botnet. A volumetric or application-layer
    /// flood takes down the service the business cannot do without, often as cover or
    /// extortion.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   bookings: {classification: internal, availability: critical}
    /// components:
    ///   booking-site: {kind: web-app, public: true, processes: [bookings], controls: [rate-limiting, redundancy]}
    /// ```
    ///
    /// ## How to fix
    /// Front the service with a DDoS-protection service or CDN that absorbs floods
    /// (AWS Shield, Cloudflare, Akamai), autoscale, and add `ddos-protection`.
    pub struct NoDdosProtection {
        id: "no-ddos-protection",
        title: "Availability-critical service without DDoS protection",
        stride: [DenialOfService],
        cwe: ["CWE-400"],
        capec: ["CAPEC-125", "CAPEC-469"],
        attack: ["T1498", "T1499"],
        controls: ["ddos-protection"],
        likelihood: Unlikely,
        impact: Medium,
        fix: "Put the service behind DDoS protection or a CDN that absorbs floods.",
    }
}

impl Check for NoDdosProtection {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) || cx.provider_operated(c) {
                continue;
            }
            if cx.facts(id).exposure != ExposureLevel::Internet
                || cx.is_log_sink(c)
                || cx.guarded_by(id, Control::DdosProtection)
            {
                continue;
            }
            let critical = cx.availability_critical(c);
            if critical.is_empty() {
                continue;
            }
            let names: Vec<&str> = critical.iter().map(|&a| cx.asset_name(a)).collect();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!("exposed to the internet and handles {} (availability high or critical); no ddos-protection", names.join(", ")))
                .assets(critical)
                .emit(out);
        }
    }
}
