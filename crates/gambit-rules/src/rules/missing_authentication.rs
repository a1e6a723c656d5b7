use gambit_model::vocab::ComponentKind;
use gambit_model::vocab::{Authentication, Classification};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

/// Kinds that are not services callers authenticate to: clients, pass-through network
/// devices, and kinds other rules cover (datastores, LLMs, log sinks).
const NOT_APPLICABLE: &[ComponentKind] = &[
    ComponentKind::Browser,
    ComponentKind::MobileApp,
    ComponentKind::DesktopApp,
    ComponentKind::Workstation,
    ComponentKind::IotDevice,
    ComponentKind::LoadBalancer,
    ComponentKind::Cdn,
    ComponentKind::Dns,
    ComponentKind::Firewall,
    ComponentKind::Waf,
    ComponentKind::Llm,
    ComponentKind::LlmAgent,
    ComponentKind::Logging,
    ComponentKind::Monitoring,
    ComponentKind::IdentityProvider,
];

declare_rule! {
    /// ## What it finds
    /// A service that keeps or returns non-public data and accepts calls without
    /// authentication from outside its zone (an untrusted or partner caller, or another
    /// zone). Datastores
    /// (see `unauthenticated-datastore`), LLMs (see `prompt-injection`), identity
    /// providers (signing in is unauthenticated by design), clients and network
    /// pass-through devices are left to other rules.
    ///
    /// ## Why it matters
    /// Without authentication the service cannot tell a customer from an attacker: every
    /// function and every piece of data it serves is open to whoever reaches it.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   invoices: {classification: confidential}
    /// actors:
    ///   client: {kind: user}
    /// components:
    ///   billing-api: {kind: api, public: true, processes: [invoices]}
    /// flows:
    ///   - {from: client, to: billing-api, protocol: https, authentication: none, returns: [invoices]}
    /// ```
    ///
    /// ## How to fix
    /// Require authentication on every entry point (OAuth/OIDC tokens for users, mTLS or
    /// workload identity between services) and write it on the flows
    /// (`authentication: oauth`).
    pub struct MissingAuthentication {
        id: "missing-authentication",
        title: "Service accepts unauthenticated calls",
        stride: [Spoofing, ElevationOfPrivilege],
        cwe: ["CWE-306"],
        capec: ["CAPEC-115"],
        attack: ["T1190"],
        controls: [],
        likelihood: Likely,
        impact: Medium,
        fix: "Authenticate every caller (OIDC/OAuth for people, mTLS or workload identity for services).",
    }
}

impl Check for MissingAuthentication {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) || c.states_authentication() {
                continue;
            }
            if c.is_datastore() || c.kind.is_any(NOT_APPLICABLE) {
                continue;
            }
            let open: Vec<_> = c
                .flows_in
                .iter()
                .map(|&f| &cx.model[f])
                .filter(|f| cx.authentication(f) == Authentication::None)
                .filter(|f| {
                    cx.in_scope(f.from) && (cx.is_external(f.from) || cx.crosses_boundary(f))
                })
                .collect();
            if open.is_empty() {
                continue;
            }
            let returned = open.iter().flat_map(|f| f.returns.iter().copied());
            // What an anonymous caller can get at: data the service keeps, or returns.
            // Passing submissions through (an anonymous form) exposes nothing.
            let data = cx.at_least(
                c.stores.iter().copied().chain(returned),
                Classification::Internal,
            );
            if data.is_empty() {
                continue;
            }
            let callers: Vec<String> = open.iter().map(|f| cx.describe(f.from)).collect();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "accepts flows with authentication none from {}; handles {}",
                    callers.join(", "),
                    cx.list_assets(&data)
                ))
                .assets(data)
                .emit(out);
        }
    }
}
