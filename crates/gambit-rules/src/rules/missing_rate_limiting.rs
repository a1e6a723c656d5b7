use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::{ComponentKind, Control};

/// Kinds that answer requests from callers.
const ENDPOINT_KINDS: &[ComponentKind] = &[
    ComponentKind::WebApp,
    ComponentKind::Api,
    ComponentKind::ApiGateway,
    ComponentKind::Service,
    ComponentKind::Function,
    ComponentKind::IdentityProvider,
    ComponentKind::McpServer,
    ComponentKind::LoadBalancer,
];

declare_rule! {
    /// ## What it finds
    /// A request-serving component (web app, API, gateway, function, identity
    /// provider, ...) exposed to the internet without the `rate-limiting` or
    /// `ddos-protection` control. LLMs have their own rule,
    /// `unbounded-model-consumption`.
    ///
    /// ## Why it matters
    /// Without limits one client can exhaust the service (denial of service), guess
    /// passwords and tokens at full speed, scrape every record an endpoint returns, or
    /// run up the cloud bill.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// actors:
    ///   anyone: {kind: user}
    /// components:
    ///   login-api: {kind: api, public: true}
    /// flows:
    ///   - {from: anyone, to: login-api, protocol: https, authentication: password}
    /// ```
    ///
    /// ## How to fix
    /// Limit requests per client, per account and per token at the edge (API gateway,
    /// WAF, CDN) and in the application for expensive operations, then add the
    /// `rate-limiting` control.
    pub struct MissingRateLimiting {
        id: "missing-rate-limiting",
        title: "Internet-facing endpoint without rate limiting",
        stride: [DenialOfService],
        cwe: ["CWE-770", "CWE-307"],
        capec: ["CAPEC-125", "CAPEC-112"],
        attack: ["T1499", "T1110"],
        controls: ["rate-limiting", "ddos-protection"],
        likelihood: Likely,
        impact: Medium,
        fix: "Rate-limit requests per client and per account at the edge and for expensive operations.",
    }
}

impl Check for MissingRateLimiting {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) || cx.provider_operated(c) {
                continue;
            }
            if !c.kind.is_any(ENDPOINT_KINDS)
                || cx.facts(id).exposure != ExposureLevel::Internet
                || cx.guarded_by(id, Control::RateLimiting)
                || cx.guarded_by(id, Control::DdosProtection)
            {
                continue;
            }
            let why = cx.facts(id).exposure_reason.clone().unwrap_or_default();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!("{} is exposed to the internet ({why}) without rate-limiting or ddos-protection", c.kind.as_str()))
                .assets(cx.handled(c))
                .emit(out);
        }
    }
}
