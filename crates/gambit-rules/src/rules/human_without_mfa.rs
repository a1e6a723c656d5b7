use gambit_model::Endpoint;
use gambit_model::vocab::Control;
use gambit_model::vocab::{Authentication, Classification};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A person inside the organisation or at a partner (trust other than untrusted)
    /// without MFA who holds a credential, or signs in with a password-like method
    /// (password, basic, NTLM) to a system that does not enforce MFA itself (control
    /// `mfa`).
    ///
    /// ## Why it matters
    /// Phishing and password reuse make passwords the cheapest way in. Without a second
    /// factor, one stolen password is a working login to everything the person can reach.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   hr-records: {classification: confidential}
    /// actors:
    ///   clerk: {kind: employee, zone: internal}
    /// components:
    ///   hr-app: {kind: web-app, processes: [hr-records]}
    /// flows:
    ///   - {from: clerk, to: hr-app, protocol: https, authentication: password}
    /// ```
    ///
    /// ## How to fix
    /// Enforce MFA for the person (`mfa: true`), preferably at the identity provider
    /// with single sign-on, or on the system itself (control `mfa`).
    pub struct HumanWithoutMfa {
        id: "human-without-mfa",
        title: "Person signs in without MFA",
        stride: [Spoofing],
        cwe: ["CWE-308"],
        capec: ["CAPEC-98", "CAPEC-600"],
        attack: ["T1566", "T1078"],
        controls: ["mfa"],
        likelihood: Likely,
        impact: Medium,
        fix: "Enforce MFA for the person, through SSO at the identity provider.",
    }
}

impl Check for HumanWithoutMfa {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, a) in cx.actors() {
            if a.mfa
                || !cx.is_human(a)
                || cx.trust(Endpoint::Actor(id)) == gambit_model::vocab::Trust::Untrusted
            {
                continue;
            }
            let logins: Vec<_> = a
                .flows_out
                .iter()
                .map(|&f| &cx.model[f])
                .filter(|f| {
                    matches!(
                        cx.authentication(f),
                        Authentication::Password | Authentication::Basic | Authentication::Ntlm
                    )
                })
                .filter(|f| {
                    cx.component(f.to)
                        .is_some_and(|c| !c.has_control(Control::Mfa))
                })
                .collect();
            if a.holds.is_empty() && logins.is_empty() {
                continue;
            }
            let mut assets: Vec<_> = a.holds.clone();
            let mut facts = Vec::new();
            if !a.holds.is_empty() {
                let names: Vec<&str> = a.holds.iter().map(|&k| cx.asset_name(k)).collect();
                facts.push(format!("holds {}", names.join(", ")));
            }
            for f in &logins {
                if let Some(c) = cx.component(f.to) {
                    assets.extend(cx.at_least(cx.handled(c), Classification::Internal));
                    facts.push(format!(
                        "signs in to {} with {}",
                        c.id,
                        cx.authentication(f)
                    ));
                }
            }
            cx.finding(&Self::META, Target::Actor(id))
                .because(format!("mfa: false; {}", facts.join("; ")))
                .assets(assets)
                .emit(out);
        }
    }
}
