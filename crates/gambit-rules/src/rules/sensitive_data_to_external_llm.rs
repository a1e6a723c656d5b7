use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A flow that sends confidential or restricted data to an LLM run by a third party
    /// (an `llm` or `llm-agent` component in an untrusted or partner zone), from a
    /// sender without `dlp`, `data-minimization` or `tokenization`.
    ///
    /// ## Why it matters
    /// The provider stores prompts (logs, abuse monitoring, sometimes training), under
    /// its own staff, retention and jurisdiction. Personal data sent there is a transfer
    /// to a processor that contracts and regulators (GDPR, HIPAA) must cover, and a
    /// leak you cannot contain.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   patient-notes: {classification: restricted}
    /// zones:
    ///   vendor: {kind: saas-tenant, trust: partner}
    /// components:
    ///   scribe: {kind: service, processes: [patient-notes]}
    ///   hosted-model: {kind: llm, zone: vendor}
    /// flows:
    ///   - {from: scribe, to: hosted-model, protocol: https, authentication: api-key, data: [patient-notes]}
    /// ```
    ///
    /// ## How to fix
    /// Minimise and redact before sending (control `dlp` or `data-minimization`),
    /// tokenize identifiers, use a zero-retention agreement or a model hosted in your
    /// own account, and record the provider as a processor.
    pub struct SensitiveDataToExternalLlm {
        id: "sensitive-data-to-external-llm",
        title: "Sensitive data sent to an external LLM",
        stride: [InformationDisclosure],
        cwe: ["CWE-359", "CWE-201"],
        capec: [],
        attack: ["AML.T0057", "T1567"],
        controls: ["dlp", "data-minimization", "tokenization"],
        likelihood: Likely,
        impact: High,
        fix: "Redact or tokenize sensitive fields before prompting, or use a model hosted in your own account.",
    }
}

impl Check for SensitiveDataToExternalLlm {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let Some(to) = cx.component(f.to) else {
                continue;
            };
            if !to.is_llm() || !cx.outside_organisation(f.to) {
                continue;
            }
            let data = cx.unguarded_sensitive_data(f);
            if data.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "sends {} to {} {} in zone {} ({}); the sender has no dlp, data-minimization or tokenization",
                    cx.list_assets(&data),
                    to.kind.as_str(),
                    to.id,
                    cx.model[to.zone].id,
                    cx.zone_trust(to.zone)
                ))
                .assets(data)
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
