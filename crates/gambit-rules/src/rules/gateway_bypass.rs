use gambit_model::Endpoint;
use gambit_model::vocab::ComponentKind;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

/// Kinds that enforce controls in front of a service.
const GATEWAYS: &[ComponentKind] = &[
    ComponentKind::ApiGateway,
    ComponentKind::Waf,
    ComponentKind::LoadBalancer,
    ComponentKind::Cdn,
];

declare_rule! {
    /// ## What it finds
    /// A component that receives traffic through a gateway (API gateway, WAF, load
    /// balancer, CDN) but is also reachable directly from the internet (it is public,
    /// or an untrusted party has a flow straight to it).
    ///
    /// ## Why it matters
    /// Authentication, rate limits and WAF rules at the gateway are skipped by calling
    /// the origin directly; origin addresses leak through DNS history and certificates.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// actors:
    ///   user: {kind: user}
    /// components:
    ///   gateway: {kind: api-gateway, public: true}
    ///   orders-api: {kind: api, public: true}
    /// flows:
    ///   - {from: user, to: gateway, protocol: https, authentication: oauth}
    ///   - {from: gateway, to: orders-api, protocol: https, authentication: mtls}
    /// ```
    ///
    /// ## How to fix
    /// Make the origin private: accept only the gateway (private network, mTLS or a
    /// secret header from the gateway), and set `public: false`.
    pub struct GatewayBypass {
        id: "gateway-bypass",
        title: "Gateway can be bypassed",
        stride: [Spoofing, ElevationOfPrivilege],
        cwe: ["CWE-288"],
        capec: ["CAPEC-115"],
        attack: ["T1190"],
        controls: ["network-policy"],
        likelihood: Likely,
        impact: Medium,
        fix: "Let the origin accept traffic only from the gateway.",
    }
}

impl Check for GatewayBypass {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            let gateways: Vec<&str> = c
                .flows_in
                .iter()
                .map(|&f| cx.model[f].from)
                .filter_map(|e| match e {
                    Endpoint::Component(g) if cx.model[g].kind.is_any(GATEWAYS) => {
                        Some(cx.model[g].id.as_str())
                    }
                    _ => None,
                })
                .collect();
            if gateways.is_empty() || c.kind.is_any(GATEWAYS) {
                continue;
            }
            let direct: Vec<String> = c
                .flows_in
                .iter()
                .map(|&f| cx.model[f].from)
                .filter(|&e| cx.is_untrusted(e))
                .map(|e| cx.name(e).to_owned())
                .collect();
            let how = if !direct.is_empty() {
                format!("{} call it directly", direct.join(", "))
            } else if c.public {
                "it is public".to_owned()
            } else {
                continue;
            };
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "traffic should pass {}, but {how}",
                    gateways.join(", ")
                ))
                .assets(cx.handled(c))
                .emit(out);
        }
    }
}
