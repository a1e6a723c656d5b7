use gambit_model::GrantTarget;
use gambit_model::vocab::{Access, AssetKind};
use gambit_model::vocab::{ComponentKind, Control};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// An LLM agent that can change things (its identity, or a credential it holds,
    /// grants write or admin on components, or it sends code to run outside a
    /// sandbox) with no
    /// `human-approval` control. The likelihood rises when untrusted content reaches it.
    ///
    /// ## Why it matters
    /// Models misread, hallucinate and get manipulated. An agent that can write to
    /// production or run code turns one bad completion into a deleted table, a sent
    /// payment or a leaked dataset, with nobody in the loop.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   tickets: {classification: internal}
    /// components:
    ///   agent: {kind: llm-agent, runs_as: agent-role}
    ///   helpdesk-db: {kind: database, stores: [tickets]}
    /// identities:
    ///   agent-role: {kind: service-account, grants: [{access: admin, target: helpdesk-db}]}
    /// ```
    ///
    /// ## How to fix
    /// Give the agent read-only tools by default, scope each tool to the least it
    /// needs, and put a person in the loop for writes, payments, messages and deploys
    /// (control `human-approval`).
    pub struct ExcessiveAgency {
        id: "excessive-agency",
        title: "LLM agent can act without human approval",
        stride: [ElevationOfPrivilege, Tampering],
        cwe: ["CWE-250", "CWE-269"],
        capec: ["CAPEC-122"],
        attack: ["AML.T0053"],
        controls: ["human-approval", "least-privilege"],
        likelihood: Likely,
        impact: Medium,
        fix: "Scope the agent's tools to read-only where possible and require human approval for actions.",
    }
}

impl Check for ExcessiveAgency {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !c.kind.is(ComponentKind::LlmAgent) || c.has_control(Control::HumanApproval) {
                continue;
            }
            let mut powers = Vec::new();
            let mut targets = Vec::new();
            if let Some(i) = c.runs_as {
                for t in cx.writable_by(i) {
                    targets.push(t);
                }
                let admin_on_identity = cx.model[i].grants.iter().any(|g| {
                    g.access == Access::Assume
                        && matches!(g.target, GrantTarget::Identity(j) if cx.model[j].privileged)
                });
                if admin_on_identity {
                    powers.push(format!(
                        "{} can assume a privileged identity",
                        cx.model[i].id
                    ));
                }
            }
            for &k in &c.holds {
                if let Some(i) = cx.model[k]
                    .grants
                    .filter(|_| cx.model[k].kind == AssetKind::Credential)
                {
                    targets.extend(cx.writable_by(i));
                }
            }
            // Calling a model or shipping logs is not acting on the world.
            targets.retain(|&t| !cx.model[t].is_llm() && !cx.is_log_sink(&cx.model[t]));
            targets.sort();
            targets.dedup();
            if !targets.is_empty() {
                let names: Vec<&str> = targets.iter().map(|&t| cx.model[t].id.as_str()).collect();
                powers.push(format!("can write to {}", names.join(", ")));
            }
            let deploys: Vec<&str> = c
                .flows_out
                .iter()
                .map(|&f| &cx.model[f])
                // Code sent to a sandbox acts on nothing outside it (see llm-code-execution).
                .filter(|f| {
                    f.code
                        && cx
                            .component(f.to)
                            .is_none_or(|t| !t.has_control(Control::Sandboxing))
                })
                .map(|f| cx.name(f.to))
                .collect();
            if !deploys.is_empty() {
                powers.push(format!("sends code to {}", deploys.join(", ")));
            }
            if powers.is_empty() {
                continue;
            }
            let assets: Vec<_> = targets
                .iter()
                .flat_map(|&t| cx.handled(&cx.model[t]))
                .collect();
            let mut b = cx
                .finding(&Self::META, Target::Component(id))
                .because(format!("{}; no human-approval", powers.join("; ")))
                .assets(assets)
                .fixed_likelihood(Self::META.likelihood);
            match cx.facts(id).tainted_asset {
                Some(a) => {
                    b = b.shift(
                        1,
                        format!("it reads untrusted content ({})", cx.asset_name(a)),
                    )
                }
                None if !cx.facts(id).untrusted_input => {
                    b = b.shift(-1, "no untrusted content reaches it")
                }
                None => {}
            }
            b.emit(out);
        }
    }
}
