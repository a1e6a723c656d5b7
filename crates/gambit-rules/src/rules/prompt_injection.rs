use gambit_model::vocab::Impact;
use gambit_model::vocab::{ComponentKind, Control};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// An LLM or LLM agent that untrusted people talk to directly (a flow from an
    /// untrusted person, or from a client app in an untrusted zone) and that lacks the
    /// `prompt-isolation` control.
    ///
    /// ## Why it matters
    /// Instructions and data share one channel in an LLM: a user can write "ignore your
    /// instructions and ..." and the model may obey, leaking its system prompt and data
    /// or misusing every tool and permission it has.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   kb: {classification: confidential}
    /// actors:
    ///   visitor: {kind: user}
    /// components:
    ///   chatbot: {kind: llm-agent, processes: [kb]}
    /// flows:
    ///   - {from: visitor, to: chatbot, protocol: https, authentication: none}
    /// ```
    ///
    /// ## How to fix
    /// Isolate prompts (control `prompt-isolation`): keep system instructions apart from
    /// user text, mark untrusted content, filter input and output with a guard model, and
    /// give the model only what the current user may see. Require human approval for
    /// consequential actions (control `human-approval`).
    pub struct PromptInjection {
        id: "prompt-injection",
        title: "Direct prompt injection",
        stride: [Tampering, ElevationOfPrivilege],
        cwe: ["CWE-1427"],
        capec: ["CAPEC-242"],
        attack: ["AML.T0051.000", "AML.T0054"],
        controls: ["prompt-isolation", "human-approval"],
        likelihood: Likely,
        impact: Medium,
        fix: "Isolate system prompts from user input and filter input and output with a guard.",
    }
}

impl Check for PromptInjection {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !c.is_llm() || c.has_control(Control::PromptIsolation) {
                continue;
            }
            let direct: Vec<String> = c
                .flows_in
                .iter()
                .map(|&f| cx.model[f].from)
                .filter(|&e| cx.is_untrusted(e) && cx.in_scope(e))
                .filter(|&e| match cx.actor(e) {
                    Some(a) => cx.is_human(a),
                    None => cx.component(e).is_some_and(|s| {
                        s.kind.is_any(&[
                            ComponentKind::Browser,
                            ComponentKind::MobileApp,
                            ComponentKind::DesktopApp,
                        ])
                    }),
                })
                .map(|e| cx.describe(e))
                .collect();
            if direct.is_empty() {
                continue;
            }
            let mut b = cx
                .finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} {} receives prompts from {}; no prompt-isolation",
                    c.kind.as_str(),
                    c.id,
                    direct.join(", ")
                ))
                .assets(cx.handled(c))
                .impact_at_least(Impact::Medium)
                .lowered_by(id, &[Control::HumanApproval]);
            if let Some(i) = c.runs_as {
                b = b.impact_at_least(cx.identity_impact(i));
            }
            b.emit(out);
        }
    }
}
