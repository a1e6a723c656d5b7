use gambit_model::AssetId;
use gambit_model::vocab::Control;
use gambit_model::vocab::Impact;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// An LLM or LLM agent without `prompt-isolation` that reads content an outsider
    /// wrote without talking to it: an asset that an untrusted party sent into the
    /// system (emails, tickets, uploaded documents, web pages it fetches, tool results)
    /// reaches it through a flow, a fetch or its `processes:` list.
    ///
    /// ## Why it matters
    /// Text hidden in a document or web page becomes instructions once the model reads
    /// it. The attacker never touches the application: one poisoned email can make an
    /// assistant forward the mailbox or call tools on the attacker's behalf.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   inbox: {classification: internal}
    /// actors:
    ///   sender: {kind: external-system}
    /// components:
    ///   mail-store: {kind: file-share, stores: [inbox]}
    ///   assistant: {kind: llm-agent}
    /// flows:
    ///   - {from: sender, to: mail-store, protocol: smtps, authentication: none, data: [inbox]}
    ///   - {from: assistant, to: mail-store, protocol: https, authentication: iam, returns: [inbox]}
    /// ```
    ///
    /// ## How to fix
    /// Treat retrieved content as data, never as instructions (control
    /// `prompt-isolation`: spotlighting or delimiting untrusted text, a guard model on
    /// inputs and tool calls), strip active content, and require human approval for
    /// actions taken after reading it.
    pub struct IndirectPromptInjection {
        id: "indirect-prompt-injection",
        title: "Indirect prompt injection through retrieved content",
        stride: [Tampering, ElevationOfPrivilege],
        cwe: ["CWE-1427"],
        capec: ["CAPEC-242"],
        attack: ["AML.T0051.001"],
        controls: ["prompt-isolation", "human-approval"],
        likelihood: Likely,
        impact: Medium,
        fix: "Treat retrieved content as data: isolate it from instructions and guard tool calls.",
    }
}

impl Check for IndirectPromptInjection {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !c.is_llm() || c.has_control(Control::PromptIsolation) {
                continue;
            }
            let mut via: Vec<(AssetId, String)> = Vec::new();
            for &f in &c.flows_in {
                let flow = &cx.model[f];
                let direct_person = cx.is_untrusted(flow.from)
                    && cx.actor(flow.from).is_some_and(|a| cx.is_human(a));
                if direct_person {
                    continue;
                }
                for &a in flow.data.iter().filter(|&&a| cx.is_tainted(a)) {
                    via.push((
                        a,
                        format!("{} sent by {}", cx.asset_name(a), cx.name(flow.from)),
                    ));
                }
            }
            for &f in &c.flows_out {
                let flow = &cx.model[f];
                for &a in flow.returns.iter().filter(|&&a| cx.is_tainted(a)) {
                    via.push((
                        a,
                        format!("{} fetched from {}", cx.asset_name(a), cx.name(flow.to)),
                    ));
                }
            }
            for &a in c.processes.iter().filter(|&&a| cx.is_tainted(a)) {
                via.push((a, format!("{} processed", cx.asset_name(a))));
            }
            if via.is_empty() {
                continue;
            }
            via.sort();
            via.dedup_by(|x, y| x.0 == y.0);
            let assets: Vec<AssetId> = via.iter().map(|v| v.0).chain(cx.handled(c)).collect();
            let how: Vec<String> = via.into_iter().map(|v| v.1).collect();
            let mut b = cx
                .finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} reads content written by untrusted parties ({}); no prompt-isolation",
                    c.kind.as_str(),
                    how.join(", ")
                ))
                .assets(assets)
                .impact_at_least(Impact::Medium)
                .lowered_by(id, &[Control::HumanApproval]);
            if let Some(i) = c.runs_as {
                b = b.impact_at_least(cx.identity_impact(i));
            }
            b.emit(out);
        }
    }
}
