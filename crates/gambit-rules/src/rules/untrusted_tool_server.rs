use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::{ComponentKind, Control};

declare_rule! {
    /// ## What it finds
    /// An LLM agent that calls a tool server (an `mcp-server` component) run by a
    /// third party (in an untrusted or partner zone, or fed code from outside), without
    /// the agent having `allowlisting` of tools.
    ///
    /// ## Why it matters
    /// Tool descriptions and results go straight into the agent's context. A malicious
    /// or compromised tool server can rewrite its tool descriptions ("tool poisoning"),
    /// inject instructions into results and harvest whatever the agent sends it.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// zones:
    ///   community: {kind: network, trust: untrusted}
    /// components:
    ///   coder: {kind: llm-agent}
    ///   weather-mcp: {kind: mcp-server, zone: community}
    /// flows:
    ///   - {from: coder, to: weather-mcp, protocol: https, authentication: none}
    /// ```
    ///
    /// ## How to fix
    /// Allowlist the tool servers and tool versions an agent may use (pin their
    /// descriptions), prefer servers you run yourself, and review third-party ones like
    /// any dependency; add `allowlisting` to the agent.
    pub struct UntrustedToolServer {
        id: "untrusted-tool-server",
        title: "Agent uses a third-party tool server",
        stride: [Tampering, ElevationOfPrivilege],
        cwe: ["CWE-829"],
        capec: [],
        attack: ["AML.T0053", "AML.T0010"],
        controls: ["allowlisting"],
        likelihood: Likely,
        impact: Medium,
        fix: "Allowlist and pin the tool servers an agent may call; prefer ones you operate.",
    }
}

impl Check for UntrustedToolServer {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let (Some(agent), Some(tool)) = (cx.component(f.from), cx.component(f.to)) else {
                continue;
            };
            if !agent.is_llm()
                || !tool.kind.is(ComponentKind::McpServer)
                || agent.has_control(Control::Allowlisting)
            {
                continue;
            }
            let external_code: Vec<&str> = tool
                .flows_in
                .iter()
                .map(|&g| &cx.model[g])
                .filter(|g| g.code && cx.is_external(g.from))
                .map(|g| cx.name(g.from))
                .collect();
            let why = if cx.is_external(f.to) {
                format!(
                    "{} is in zone {} ({})",
                    tool.id,
                    cx.model[tool.zone].id,
                    cx.zone_trust(tool.zone)
                )
            } else if !external_code.is_empty() {
                format!("{} runs code from {}", tool.id, external_code.join(", "))
            } else {
                continue;
            };
            let mut assets = cx.handled(agent);
            assets.extend(f.data.iter().copied());
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "{} calls tool server {}; {why}; no allowlisting",
                    agent.id, tool.id
                ))
                .assets(assets)
                .emit(out);
        }
    }
}
