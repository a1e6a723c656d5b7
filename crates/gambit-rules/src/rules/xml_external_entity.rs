use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::Control;

declare_rule! {
    /// ## What it finds
    /// A flow over an XML protocol (SOAP, XML-RPC, anything named `xml`) from an
    /// outside party or a component handling untrusted input into a component without
    /// `input-validation`.
    ///
    /// ## Why it matters
    /// XML parsers that resolve external entities read local files
    /// (`file:///etc/passwd`), make requests on the attacker's behalf, or expand
    /// entities until memory runs out ("billion laughs").
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   shipments: {classification: confidential}
    /// actors:
    ///   carrier: {kind: external-system, trust: partner}
    /// components:
    ///   logistics: {kind: service, processes: [shipments]}
    /// flows:
    ///   - {from: carrier, to: logistics, protocol: soap, authentication: certificate}
    /// ```
    ///
    /// ## How to fix
    /// Disable DTDs and external entity resolution in every XML parser (secure
    /// parser settings), limit document size and depth, and add `input-validation`.
    pub struct XmlExternalEntity {
        id: "xml-external-entity",
        title: "XML external entity processing",
        stride: [InformationDisclosure, DenialOfService],
        cwe: ["CWE-611", "CWE-776"],
        capec: ["CAPEC-221"],
        attack: ["T1190"],
        controls: ["input-validation"],
        likelihood: Likely,
        impact: Medium,
        fix: "Disable DTDs and external entities in XML parsers and bound document size.",
    }
}

impl Check for XmlExternalEntity {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let Some(protocol) = crate::rules::shared::flow_protocol(f) else {
                continue;
            };
            if !(protocol.contains("soap") || protocol.contains("xml")) {
                continue;
            }
            let Some(to) = cx.component(f.to) else {
                continue;
            };
            let untrusted = cx.is_external(f.from)
                || matches!(f.from, gambit_model::Endpoint::Component(c) if cx.facts(c).untrusted_input);
            if !untrusted || to.has_control(Control::InputValidation) {
                continue;
            }
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!("{} sends {protocol} to {} from outside or with untrusted content; no input-validation", cx.describe(f.from), to.id))
                .assets(cx.handled(to))
                .emit(out);
        }
    }
}
