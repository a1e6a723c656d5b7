use gambit_model::vocab::Authentication;
use gambit_model::vocab::{ComponentKind, Control};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A web app that people use with a session (cookie) from outside the organisation
    /// or from a browser, without the `csrf-protection` control.
    ///
    /// ## Why it matters
    /// Browsers attach cookies to requests any site triggers. A page the victim visits
    /// can submit forms to the app as the victim: change the e-mail address, transfer
    /// money, add an admin.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   profiles: {classification: confidential}
    /// actors:
    ///   member: {kind: user}
    /// components:
    ///   portal: {kind: web-app, public: true, stores: [profiles]}
    /// flows:
    ///   - {from: member, to: portal, protocol: https, authentication: session, data: [profiles]}
    /// ```
    ///
    /// ## How to fix
    /// Set session cookies `SameSite=Lax` or `Strict`, require anti-CSRF tokens (or
    /// custom headers) on state-changing requests, and add the `csrf-protection`
    /// control.
    pub struct CrossSiteRequestForgery {
        id: "cross-site-request-forgery",
        title: "Cross-site request forgery",
        stride: [Spoofing, Tampering],
        cwe: ["CWE-352"],
        capec: ["CAPEC-62"],
        attack: ["T1185"],
        controls: ["csrf-protection"],
        likelihood: Likely,
        impact: Medium,
        fix: "Use SameSite cookies and anti-CSRF tokens on state-changing requests.",
    }
}

impl Check for CrossSiteRequestForgery {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !c.kind.is(ComponentKind::WebApp) || c.has_control(Control::CsrfProtection) {
                continue;
            }
            let users: Vec<String> = c
                .flows_in
                .iter()
                .map(|&f| &cx.model[f])
                .filter(|f| cx.authentication(f) == Authentication::Session)
                .filter(|f| {
                    cx.actor(f.from)
                        .is_some_and(|a| cx.is_human(a) && cx.is_external(f.from))
                        || cx
                            .component(f.from)
                            .is_some_and(|b| b.kind.is(ComponentKind::Browser))
                })
                .map(|f| cx.describe(f.from))
                .collect();
            if users.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} use it with a session cookie; no csrf-protection",
                    users.join(", ")
                ))
                .assets(cx.handled(c))
                .emit(out);
        }
    }
}
