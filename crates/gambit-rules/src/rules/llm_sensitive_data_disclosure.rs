use gambit_model::GrantTarget;
use gambit_model::vocab::Control;
use gambit_model::vocab::{Access, Classification};

use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// An LLM or LLM agent that outsiders talk to (it is exposed or called by untrusted
    /// or partner parties) and that can read confidential or restricted data (it
    /// handles it, fetches it, or its identity can read a component that stores it),
    /// without `output-validation` or `dlp`.
    ///
    /// ## Why it matters
    /// A model answers with whatever is in its context. Users coax it into revealing
    /// other customers' records, internal documents or its system prompt; retrieval
    /// without per-user filtering turns the assistant into a search engine over
    /// everything it can read.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   contracts: {classification: restricted}
    /// actors:
    ///   client: {kind: user}
    /// components:
    ///   assistant: {kind: llm-agent, runs_as: assistant-role}
    ///   docs: {kind: vector-store, stores: [contracts]}
    /// identities:
    ///   assistant-role: {kind: service-account, grants: [{access: read, target: docs}]}
    /// flows:
    ///   - {from: client, to: assistant, protocol: https, authentication: oidc}
    /// ```
    ///
    /// ## How to fix
    /// Retrieve only what the current user may see (filter by the user's identity, not
    /// the agent's), redact sensitive fields from context and answers (control `dlp`),
    /// and check answers before returning them (control `output-validation`).
    pub struct LlmSensitiveDataDisclosure {
        id: "llm-sensitive-data-disclosure",
        title: "LLM can disclose sensitive data to outsiders",
        stride: [InformationDisclosure],
        cwe: ["CWE-200", "CWE-1426"],
        capec: [],
        attack: ["AML.T0057", "AML.T0024"],
        controls: ["output-validation", "dlp"],
        likelihood: Likely,
        impact: Medium,
        fix: "Filter retrieval by the end user's rights and redact or check answers before returning them.",
    }
}

impl Check for LlmSensitiveDataDisclosure {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !c.is_llm()
                || c.has_control(Control::OutputValidation)
                || c.has_control(Control::Dlp)
            {
                continue;
            }
            if cx.facts(id).exposure < ExposureLevel::Partner {
                continue;
            }
            let mut readable: Vec<_> = cx.handled(c);
            readable.extend(
                c.flows_out
                    .iter()
                    .flat_map(|&f| cx.model[f].returns.iter().copied()),
            );
            if let Some(i) = c.runs_as {
                for g in &cx.model[i].grants {
                    if let (GrantTarget::Component(t), Access::Read | Access::Admin) =
                        (g.target, g.access)
                    {
                        readable.extend(cx.model[t].stores.iter().copied());
                    }
                }
            }
            let data = cx.at_least(readable, Classification::Confidential);
            if data.is_empty() {
                continue;
            }
            let why = cx.facts(id).exposure_reason.clone().unwrap_or_default();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} is reachable by outsiders ({why}) and can read {}; no output-validation or dlp",
                    c.id,
                    cx.list_assets(&data)
                ))
                .assets(data)
                .emit(out);
        }
    }
}
