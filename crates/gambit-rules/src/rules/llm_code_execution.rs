use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use crate::rules::shared::runs_code_impact;
use gambit_model::vocab::Control;

declare_rule! {
    /// ## What it finds
    /// An LLM or LLM agent that sends code to be run (a flow with `code: true`, such as
    /// a code interpreter or a generated script) to a component that has no
    /// `sandboxing`.
    ///
    /// ## Why it matters
    /// Generated code does what the prompt asked, and prompts can be injected. Without
    /// a sandbox, the code runs with the runner's network, files and credentials: one
    /// crafted document becomes remote code execution.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// components:
    ///   analyst-agent: {kind: llm-agent}
    ///   python-runner: {kind: container}
    /// flows:
    ///   - {from: analyst-agent, to: python-runner, protocol: https, authentication: iam, code: true}
    /// ```
    ///
    /// ## How to fix
    /// Run generated code in a sandbox (gVisor or Firecracker, no network, no
    /// credentials, resource limits, throwaway filesystem) and add `sandboxing` to the
    /// runner.
    pub struct LlmCodeExecution {
        id: "llm-code-execution",
        title: "LLM-generated code runs outside a sandbox",
        stride: [ElevationOfPrivilege, Tampering],
        cwe: ["CWE-94"],
        capec: ["CAPEC-242"],
        attack: ["AML.T0053", "T1059"],
        controls: ["sandboxing"],
        likelihood: Likely,
        impact: High,
        fix: "Run generated code in an isolated sandbox without network or credentials.",
    }
}

impl Check for LlmCodeExecution {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let (Some(from), Some(to)) = (cx.component(f.from), cx.component(f.to)) else {
                continue;
            };
            if !from.is_llm() || !f.code || to.has_control(Control::Sandboxing) {
                continue;
            }
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "{} {} sends code that {} runs without sandboxing",
                    from.kind.as_str(),
                    from.id,
                    to.id
                ))
                .assets(cx.handled(to))
                .impact_at_least(runs_code_impact(cx, to))
                .emit(out);
        }
    }
}
