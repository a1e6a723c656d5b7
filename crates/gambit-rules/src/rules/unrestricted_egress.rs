use gambit_model::vocab::Classification;
use gambit_model::vocab::Control;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A component that handles restricted data and can send to the internet (it has a
    /// flow to an untrusted endpoint) without `egress-filtering` or `dlp`.
    ///
    /// ## Why it matters
    /// Once an attacker runs code on it, open egress is the exfiltration channel: the
    /// restricted data leaves over HTTPS to any address, looking like normal traffic.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   genomes: {classification: restricted}
    /// actors:
    ///   update-server: {kind: external-system}
    /// components:
    ///   lab-system: {kind: service, stores: [genomes]}
    /// flows:
    ///   - {from: lab-system, to: update-server, protocol: https, authentication: none}
    /// ```
    ///
    /// ## How to fix
    /// Route outbound traffic through an egress proxy or firewall that allows only the
    /// destinations needed (control `egress-filtering`), and alert on unusual volumes
    /// (`dlp`).
    pub struct UnrestrictedEgress {
        id: "unrestricted-egress",
        title: "Restricted data on a host with open internet egress",
        stride: [InformationDisclosure],
        cwe: ["CWE-201"],
        capec: [],
        attack: ["T1041", "T1567"],
        controls: ["egress-filtering", "dlp"],
        likelihood: Unlikely,
        impact: Medium,
        fix: "Allow outbound traffic only to the destinations needed, through an egress proxy.",
    }
}

impl Check for UnrestrictedEgress {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) || cx.provider_operated(c) {
                continue;
            }
            if c.has_control(Control::EgressFiltering) || c.has_control(Control::Dlp) {
                continue;
            }
            let internet: Vec<&str> = c
                .flows_out
                .iter()
                .map(|&f| cx.model[f].to)
                .filter(|&e| cx.is_untrusted(e) && cx.outside_organisation(e))
                .map(|e| cx.name(e))
                .collect();
            if internet.is_empty() {
                continue;
            }
            let data = cx.at_least(cx.handled(c), Classification::Restricted);
            if data.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "handles {} and sends to {} on the internet; no egress-filtering",
                    cx.list_assets(&data),
                    internet.join(", ")
                ))
                .assets(data)
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
