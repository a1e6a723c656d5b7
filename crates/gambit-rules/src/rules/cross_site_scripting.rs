use gambit_model::vocab::Impact;
use gambit_model::vocab::{ComponentKind, Control};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A web app that people use through a browser and that handles content written by
    /// outsiders (an asset an untrusted party sent), without the `output-encoding`
    /// control.
    ///
    /// ## Why it matters
    /// Content rendered without encoding runs as script in other users' browsers: the
    /// attacker acts with their session, reads what they see, and changes what they do
    /// (stored and reflected XSS).
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   reviews: {classification: internal}
    /// actors:
    ///   reviewer: {kind: user}
    /// components:
    ///   shop: {kind: web-app, public: true, stores: [reviews]}
    /// flows:
    ///   - {from: reviewer, to: shop, protocol: https, authentication: session, data: [reviews], returns: [reviews]}
    /// ```
    ///
    /// ## How to fix
    /// Encode all output for its context (templating that escapes by default), sanitize
    /// rich text with an allowlist, and add a strict Content-Security-Policy; then add
    /// the `output-encoding` (and `content-security-policy`) controls.
    pub struct CrossSiteScripting {
        id: "cross-site-scripting",
        title: "Cross-site scripting",
        stride: [Tampering, Spoofing],
        cwe: ["CWE-79"],
        capec: ["CAPEC-63"],
        attack: ["T1189", "T1185"],
        controls: ["output-encoding", "content-security-policy"],
        likelihood: Likely,
        impact: Medium,
        fix: "Encode output by context, sanitize rich text, and set a strict Content-Security-Policy.",
    }
}

impl Check for CrossSiteScripting {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !c.kind.is(ComponentKind::WebApp) || c.has_control(Control::OutputEncoding) {
                continue;
            }
            let Some(tainted) = cx.facts(id).tainted_asset else {
                continue;
            };
            let has_users = c.flows_in.iter().any(|&f| {
                let from = cx.model[f].from;
                cx.actor(from).is_some_and(|a| cx.is_human(a))
                    || cx
                        .component(from)
                        .is_some_and(|s| s.kind.is(ComponentKind::Browser))
            });
            if !has_users {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "web-app serves people and handles {} written by outsiders; no output-encoding",
                    cx.asset_name(tainted)
                ))
                .assets(cx.handled(c))
                .impact_at_least(Impact::Medium)
                .lowered_by(id, &[Control::ContentSecurityPolicy])
                .emit(out);
        }
    }
}
