use gambit_model::Endpoint;
use gambit_model::vocab::Control;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// An LLM or LLM agent that untrusted content reaches, whose output other
    /// components consume (components it sends to, or components that call it and get
    /// the completion back) while neither it nor the consumer has `output-validation`.
    ///
    /// ## Why it matters
    /// Model output is attacker-influenced input. Passed unchecked into a query, a
    /// shell, a template or a browser it becomes SQL injection, command execution or
    /// XSS, one hop removed from the attacker.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// actors:
    ///   user: {kind: user}
    /// components:
    ///   sql-copilot: {kind: llm}
    ///   reporting-db: {kind: database}
    /// flows:
    ///   - {from: user, to: sql-copilot, protocol: https, authentication: session}
    ///   - {from: sql-copilot, to: reporting-db, protocol: postgres+tls, authentication: iam}
    /// ```
    ///
    /// ## How to fix
    /// Validate model output against a strict schema before use, encode it for where it
    /// goes (parameters, not string-built queries or commands), and add the
    /// `output-validation` control to the consumer or the model.
    pub struct LlmOutputUnchecked {
        id: "llm-output-unchecked",
        title: "LLM output used without validation",
        stride: [Tampering, ElevationOfPrivilege],
        cwe: ["CWE-1426"],
        capec: ["CAPEC-242"],
        attack: ["AML.T0051", "T1059"],
        controls: ["output-validation", "sandboxing"],
        likelihood: Likely,
        impact: Medium,
        fix: "Validate model output against a schema and encode it for its destination before use.",
    }
}

impl Check for LlmOutputUnchecked {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !c.is_llm()
                || c.has_control(Control::OutputValidation)
                || !cx.facts(id).untrusted_input
            {
                continue;
            }
            let pushed = c.flows_out.iter().map(|&f| cx.model[f].to);
            let pulled = c.flows_in.iter().map(|&f| cx.model[f].from);
            let mut consumers: Vec<_> = pushed
                .chain(pulled)
                .filter_map(|e| match e {
                    Endpoint::Component(k)
                        if !cx.model[k].out_of_scope
                            && !cx.model[k].has_control(Control::OutputValidation) =>
                    {
                        Some(k)
                    }
                    _ => None,
                })
                // Other models and log sinks do not interpret the output.
                .filter(|&k| k != id && !cx.model[k].is_llm() && !cx.is_log_sink(&cx.model[k]))
                .collect();
            consumers.sort();
            consumers.dedup();
            if consumers.is_empty() {
                continue;
            }
            let names: Vec<&str> = consumers.iter().map(|&k| cx.model[k].id.as_str()).collect();
            let assets: Vec<_> = consumers
                .iter()
                .flat_map(|&k| cx.handled(&cx.model[k]))
                .collect();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} reads untrusted content; its output goes to {} without output-validation",
                    c.id,
                    names.join(", ")
                ))
                .assets(assets)
                .emit(out);
        }
    }
}
