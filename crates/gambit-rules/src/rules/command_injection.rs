use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::Control;

/// Protocols that carry commands to run.
const COMMAND_PROTOCOLS: &[&str] = &[
    "ssh",
    "shell",
    "exec",
    "winrm",
    "powershell",
    "rsh",
    "telnet",
    "docker",
    "kubectl",
];
/// Tags that say a component runs OS commands built from its input.
const COMMAND_TAGS: &[&str] = &["runs-commands", "shell", "exec"];

declare_rule! {
    /// ## What it finds
    /// A component that handles untrusted input and runs commands: it has an outbound
    /// flow over a command protocol (ssh, WinRM, shell, exec, docker, kubectl, ...) or
    /// is tagged `runs-commands`, and it lacks `input-validation`.
    ///
    /// ## Why it matters
    /// Input that reaches a command line unescaped (`; rm -rf /`, `$(curl ...)`) runs
    /// with the component's rights, or on every host it manages: full compromise in one
    /// request.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// actors:
    ///   tenant: {kind: user}
    /// components:
    ///   diag-portal: {kind: web-app, public: true}
    ///   fleet: {kind: vm}
    /// flows:
    ///   - {from: tenant, to: diag-portal, protocol: https, authentication: session}
    ///   - {from: diag-portal, to: fleet, protocol: ssh, authentication: key}
    /// ```
    ///
    /// ## How to fix
    /// Never build command lines from input: call APIs or pass arguments as a list
    /// without a shell, allowlist the values accepted (control `input-validation`), and
    /// run the commands in a sandbox with least privilege (control `sandboxing`).
    pub struct CommandInjection {
        id: "command-injection",
        title: "OS command injection",
        stride: [Tampering, ElevationOfPrivilege],
        cwe: ["CWE-78", "CWE-77"],
        capec: ["CAPEC-88", "CAPEC-248"],
        attack: ["T1059", "T1190"],
        controls: ["input-validation", "sandboxing"],
        likelihood: Likely,
        impact: High,
        fix: "Pass arguments without a shell, allowlist accepted values, and sandbox command execution.",
    }
}

impl Check for CommandInjection {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !cx.facts(id).untrusted_input || c.has_control(Control::InputValidation) {
                continue;
            }
            let targets: Vec<_> = c
                .flows_out
                .iter()
                .map(|&f| &cx.model[f])
                .filter(|f| {
                    crate::rules::shared::flow_protocol(f)
                        .is_some_and(|p| COMMAND_PROTOCOLS.contains(&p.as_ref()))
                })
                .collect();
            let tagged = c.tags.iter().any(|t| COMMAND_TAGS.contains(&t.as_str()));
            if targets.is_empty() && !tagged {
                continue;
            }
            let mut facts = vec![format!("{} handles untrusted input", c.id)];
            if tagged {
                facts.push("it is tagged as running commands".to_owned());
            }
            let mut assets = cx.handled(c);
            for f in &targets {
                facts.push(format!(
                    "runs commands on {} over {}",
                    cx.name(f.to),
                    f.protocol.as_deref().unwrap_or("")
                ));
                if let Some(t) = cx.component(f.to) {
                    assets.extend(cx.handled(t));
                }
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(format!("{}; no input-validation", facts.join("; ")))
                .assets(assets)
                .lowered_by(id, &[Control::Sandboxing])
                .emit(out);
        }
    }
}
