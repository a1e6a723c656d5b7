use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::Control;

declare_rule! {
    /// ## What it finds
    /// A flow over LDAP (ldap, ldaps) from a component that handles untrusted input,
    /// where the sender lacks `input-validation`.
    ///
    /// ## Why it matters
    /// Search filters built from input (`*)(uid=*))(|(uid=*`) let attackers log in
    /// without a password, enumerate the directory, or read attributes they should not.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   staff-directory: {classification: confidential}
    /// actors:
    ///   visitor: {kind: user}
    /// components:
    ///   intranet: {kind: web-app, public: true}
    ///   directory: {kind: identity-provider, stores: [staff-directory]}
    /// flows:
    ///   - {from: visitor, to: intranet, protocol: https, authentication: password}
    ///   - {from: intranet, to: directory, protocol: ldaps, authentication: password}
    /// ```
    ///
    /// ## How to fix
    /// Escape every value placed in an LDAP filter or DN (RFC 4515), validate input
    /// against an allowlist, and bind with an account that can only read what the
    /// application needs.
    pub struct LdapInjection {
        id: "ldap-injection",
        title: "LDAP injection",
        stride: [Tampering, InformationDisclosure],
        cwe: ["CWE-90"],
        capec: ["CAPEC-136"],
        attack: ["T1190"],
        controls: ["input-validation"],
        likelihood: Likely,
        impact: Medium,
        fix: "Escape values in LDAP filters and DNs and validate input against an allowlist.",
    }
}

impl Check for LdapInjection {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let is_ldap =
                crate::rules::shared::flow_protocol(f).is_some_and(|p| p.starts_with("ldap"));
            let gambit_model::Endpoint::Component(from_id) = f.from else {
                continue;
            };
            if cx.third_party(from_id) || cx.off_the_shelf(&cx.model[from_id]) {
                continue;
            }
            if !is_ldap
                || !cx.facts(from_id).untrusted_input
                || cx.model[from_id].has_control(Control::InputValidation)
            {
                continue;
            }
            let to = cx.component(f.to);
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "{} handles untrusted input and queries {} over LDAP without input-validation",
                    cx.model[from_id].id,
                    cx.name(f.to)
                ))
                .assets(to.map(|t| t.stores.clone()).unwrap_or_default())
                .emit(out);
        }
    }
}
