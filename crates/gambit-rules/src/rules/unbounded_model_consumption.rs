use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::Control;

declare_rule! {
    /// ## What it finds
    /// An LLM or LLM agent that outsiders call directly (it is public or has untrusted
    /// or partner callers) without `rate-limiting`.
    ///
    /// ## Why it matters
    /// Every request costs GPU time or provider tokens. Unlimited callers exhaust
    /// quotas (denial of service for everyone else), run up the bill (denial of
    /// wallet), or extract the model through mass queries.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// actors:
    ///   public: {kind: user}
    /// components:
    ///   chat: {kind: llm, public: true}
    /// flows:
    ///   - {from: public, to: chat, protocol: https, authentication: none}
    /// ```
    ///
    /// ## How to fix
    /// Limit requests and tokens per user and per key, cap prompt and output length and
    /// agent steps, set spending alerts, and add the `rate-limiting` control.
    pub struct UnboundedModelConsumption {
        id: "unbounded-model-consumption",
        title: "Unbounded LLM consumption",
        stride: [DenialOfService],
        cwe: ["CWE-770", "CWE-400"],
        capec: ["CAPEC-125"],
        attack: ["AML.T0029", "AML.T0034"],
        controls: ["rate-limiting"],
        likelihood: Likely,
        impact: Medium,
        fix: "Limit requests, tokens and agent steps per user and key; alert on spend.",
    }
}

impl Check for UnboundedModelConsumption {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !c.is_llm()
                || c.has_control(Control::RateLimiting)
                || cx.facts(id).exposure < ExposureLevel::Partner
            {
                continue;
            }
            let why = cx.facts(id).exposure_reason.clone().unwrap_or_default();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} {} is called by outsiders ({why}) without rate-limiting",
                    c.kind.as_str(),
                    c.id
                ))
                .assets(cx.handled(c))
                .emit(out);
        }
    }
}
