use gambit_model::vocab::Authentication;
use gambit_model::vocab::Control;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A component where people from the internet sign in with a password (password,
    /// basic, NTLM) and which offers no `mfa`.
    ///
    /// ## Why it matters
    /// Billions of leaked username/password pairs are replayed against every login
    /// form (credential stuffing). Reused passwords make a share of accounts fall
    /// without any phishing.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   orders: {classification: confidential}
    /// actors:
    ///   shopper: {kind: customer}
    /// components:
    ///   shop: {kind: web-app, public: true, processes: [orders]}
    /// flows:
    ///   - {from: shopper, to: shop, protocol: https, authentication: password}
    /// ```
    ///
    /// ## How to fix
    /// Offer and encourage MFA or passkeys (control `mfa`), check passwords against
    /// breach lists, and rate-limit and fingerprint login attempts (`rate-limiting`,
    /// `anomaly-detection`).
    pub struct CredentialStuffing {
        id: "credential-stuffing",
        title: "Internet password login without MFA",
        stride: [Spoofing],
        cwe: ["CWE-307", "CWE-308"],
        capec: ["CAPEC-600"],
        attack: ["T1110.004"],
        controls: ["mfa", "rate-limiting", "anomaly-detection"],
        likelihood: VeryLikely,
        impact: Medium,
        fix: "Offer MFA or passkeys, check passwords against breach lists, and throttle logins.",
    }
}

impl Check for CredentialStuffing {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if c.has_control(Control::Mfa) {
                continue;
            }
            let people: Vec<String> = c
                .flows_in
                .iter()
                .map(|&f| &cx.model[f])
                .filter(|f| {
                    matches!(
                        cx.authentication(f),
                        Authentication::Password | Authentication::Basic | Authentication::Ntlm
                    )
                })
                .filter(|f| {
                    cx.is_untrusted(f.from)
                        && cx.actor(f.from).is_some_and(|a| cx.is_human(a) && !a.mfa)
                })
                .map(|f| cx.name(f.from).to_owned())
                .collect();
            if people.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} sign in from the internet with a password; no mfa",
                    people.join(", ")
                ))
                .assets(cx.handled(c))
                .fixed_likelihood(Self::META.likelihood)
                .lowered_by(id, &[Control::RateLimiting, Control::AnomalyDetection])
                .emit(out);
        }
    }
}
