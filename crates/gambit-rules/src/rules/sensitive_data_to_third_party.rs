use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A flow from one of our systems that sends confidential or restricted data to a
    /// third-party system (a non-human actor or a component in an untrusted or partner
    /// zone, other than an LLM: see `sensitive-data-to-external-llm`), from a sender
    /// without `dlp`, `data-minimization` or `tokenization`.
    ///
    /// ## Why it matters
    /// Data shared with a vendor is protected only as well as the vendor protects it,
    /// and every breach of theirs is a breach of yours (MOVEit, Snowflake customers).
    /// Sending more than the purpose needs multiplies that exposure.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   customers: {classification: restricted}
    /// actors:
    ///   marketing-saas: {kind: external-system, trust: partner}
    /// components:
    ///   crm: {kind: service, stores: [customers]}
    /// flows:
    ///   - {from: crm, to: marketing-saas, protocol: https, authentication: oauth, data: [customers]}
    /// ```
    ///
    /// ## How to fix
    /// Send only the fields the purpose needs (control `data-minimization`), tokenize
    /// or pseudonymize identifiers, have a processing agreement, and review the
    /// vendor's security.
    pub struct SensitiveDataToThirdParty {
        id: "sensitive-data-to-third-party",
        title: "Sensitive data shared with a third party",
        stride: [InformationDisclosure],
        cwe: ["CWE-359", "CWE-201"],
        capec: [],
        attack: ["T1199", "T1537"],
        controls: ["dlp", "data-minimization", "tokenization"],
        likelihood: Unlikely,
        impact: Medium,
        fix: "Share only the fields needed, tokenize identifiers, and contract the vendor as a processor.",
    }
}

impl Check for SensitiveDataToThirdParty {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            if !cx.outside_organisation(f.to) || cx.outside_organisation(f.from) {
                continue;
            }
            // People using a vendor's application are its users, not a transfer between
            // systems; people receiving data are not processors.
            let person = cx.actor(f.to).is_some_and(|a| cx.is_human(a))
                || cx.actor(f.from).is_some_and(|a| cx.is_human(a));
            let llm = cx.component(f.to).is_some_and(|c| c.is_llm());
            if person || llm {
                continue;
            }
            let data = cx.unguarded_sensitive_data(f);
            if data.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "sends {} to {}; no dlp, data-minimization or tokenization on the sender",
                    cx.list_assets(&data),
                    cx.describe(f.to)
                ))
                .assets(data)
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
