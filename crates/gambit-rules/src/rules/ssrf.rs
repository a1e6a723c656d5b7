use gambit_model::vocab::AssetKind;
use gambit_model::vocab::Control;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A component that handles untrusted input, fetches from the internet (a flow to
    /// an untrusted endpoint that brings content back or sends nothing; code pushes do
    /// not count) and can also reach internal components, without
    /// `egress-filtering` or `allowlisting`. Such a component fetches URLs that
    /// outsiders can influence (webhooks, previews, imports).
    ///
    /// ## Why it matters
    /// An attacker points the fetch at internal addresses instead: the cloud metadata
    /// service (and its credentials), admin interfaces and databases that trust the
    /// internal network. The Capital One breach began this way.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   configs: {classification: confidential}
    /// actors:
    ///   user: {kind: user}
    ///   web: {kind: external-system}
    /// components:
    ///   link-preview: {kind: service, public: true}
    ///   config-api: {kind: api, processes: [configs]}
    /// flows:
    ///   - {from: user, to: link-preview, protocol: https, authentication: session}
    ///   - {from: link-preview, to: web, protocol: https, authentication: none}
    ///   - {from: link-preview, to: config-api, protocol: https, authentication: none, returns: [configs]}
    /// ```
    ///
    /// ## How to fix
    /// Fetch through an egress proxy that allows only the destinations needed and blocks
    /// private ranges and metadata addresses (control `egress-filtering` or
    /// `allowlisting`); require IMDSv2 (session tokens) on cloud instances.
    pub struct Ssrf {
        id: "ssrf",
        title: "Server-side request forgery",
        stride: [InformationDisclosure, ElevationOfPrivilege],
        cwe: ["CWE-918"],
        capec: ["CAPEC-664"],
        attack: ["T1190", "T1552.005"],
        controls: ["egress-filtering", "allowlisting", "input-validation"],
        likelihood: Likely,
        impact: Medium,
        fix: "Send outbound fetches through an allowlisting egress proxy that blocks internal and metadata addresses.",
    }
}

impl Check for Ssrf {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !cx.facts(id).untrusted_input
                || c.has_control(Control::EgressFiltering)
                || c.has_control(Control::Allowlisting)
            {
                continue;
            }
            let outbound: Vec<_> = c.flows_out.iter().map(|&f| &cx.model[f]).collect();
            // A fetch: a request to the internet that brings content back (or sends nothing).
            let external: Vec<&str> = outbound
                .iter()
                .filter(|f| {
                    cx.is_untrusted(f.to) && !f.code && (!f.returns.is_empty() || f.data.is_empty())
                })
                .map(|f| cx.name(f.to))
                .collect();
            let internal: Vec<_> = outbound.iter().filter(|f| !cx.is_external(f.to)).collect();
            if external.is_empty() || internal.is_empty() {
                continue;
            }
            let names: Vec<&str> = internal.iter().map(|f| cx.name(f.to)).collect();
            let mut assets: Vec<_> = internal
                .iter()
                .filter_map(|f| cx.component(f.to))
                .flat_map(|t| cx.handled(t))
                .collect();
            assets.extend(
                c.holds
                    .iter()
                    .copied()
                    .filter(|&k| cx.model[k].kind == AssetKind::Credential),
            );
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "handles untrusted input, fetches from {} and reaches internal {}; no egress-filtering or allowlisting",
                    external.join(", "),
                    names.join(", ")
                ))
                .assets(assets)
                .lowered_by(id, &[Control::InputValidation])
                .emit(out);
        }
    }
}
