use gambit_model::Endpoint;
use gambit_model::vocab::{ComponentKind, Control};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A CI/CD system that runs what outsiders send: it receives flows from an
    /// untrusted or partner person, or an untrusted component (a system actor such as
    /// a package registry feeding code in is supply chain: `unpinned-dependencies`,
    /// `unsigned-code-flow`), or from a repository that outsiders write to
    /// (public pull requests, forks, external contributors), without `human-approval`.
    ///
    /// ## Why it matters
    /// A pull request can change the build script itself. If CI runs it automatically,
    /// the attacker's code runs with CI's secrets and network (poisoned pipeline
    /// execution), then ships in your artifacts.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// actors:
    ///   contributor: {kind: developer}
    /// components:
    ///   repo: {kind: repository, public: true}
    ///   ci: {kind: ci-cd}
    /// flows:
    ///   - {from: contributor, to: repo, protocol: https, authentication: oauth, code: true}
    ///   - {from: repo, to: ci, protocol: https, authentication: token, code: true}
    /// ```
    ///
    /// ## How to fix
    /// Require a maintainer's approval before running workflows for outside
    /// contributions (control `human-approval`), run them in isolated runners without
    /// secrets (`sandboxing`), and never check out untrusted code in privileged
    /// workflows (`pull_request_target`).
    pub struct PoisonedPipelineExecution {
        id: "poisoned-pipeline-execution",
        title: "CI runs code from outsiders without approval",
        stride: [Tampering, ElevationOfPrivilege],
        cwe: ["CWE-829", "CWE-94"],
        capec: ["CAPEC-511"],
        attack: ["T1195.002", "T1059"],
        controls: ["human-approval", "sandboxing"],
        likelihood: Likely,
        impact: High,
        fix: "Require maintainer approval for outside contributions and run them on isolated runners without secrets.",
    }
}

impl Check for PoisonedPipelineExecution {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if !c.kind.is(ComponentKind::CiCd) || c.has_control(Control::HumanApproval) {
                continue;
            }
            let mut sources = Vec::new();
            for &f in &c.flows_in {
                let from = cx.model[f].from;
                // Outsiders: an external actor, or an untrusted system. A partner-hosted
                // repository is judged by who writes to it, below.
                // Package registries and other outside systems feeding code in are supply
                // chain (unpinned-dependencies, unsigned-code-flow): they do not trigger runs.
                let outsider = match from {
                    Endpoint::Actor(a) => cx.is_external(from) && cx.is_human(&cx.model[a]),
                    Endpoint::Component(k) => {
                        cx.is_untrusted(from) && !cx.model[k].kind.is(ComponentKind::Repository)
                    }
                };
                if outsider {
                    sources.push(cx.describe(from));
                    continue;
                }
                if let Endpoint::Component(r) = from
                    && cx.model[r].kind.is(ComponentKind::Repository)
                {
                    let outside: Vec<String> = cx.model[r]
                        .flows_in
                        .iter()
                        .map(|&g| cx.model[g].from)
                        .filter(|&e| matches!(e, Endpoint::Actor(_)) && cx.is_external(e))
                        .map(|e| cx.describe(e))
                        .collect();
                    if !outside.is_empty() {
                        sources.push(format!(
                            "{} (written by {})",
                            cx.model[r].id,
                            outside.join(", ")
                        ));
                    }
                }
            }
            if sources.is_empty() {
                continue;
            }
            let mut assets: Vec<_> = c.holds.clone();
            assets.extend(cx.handled(c));
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "ci-cd {} is triggered by {}; no human-approval",
                    c.id,
                    sources.join(", ")
                ))
                .assets(assets)
                .lowered_by(id, &[Control::Sandboxing])
                .emit(out);
        }
    }
}
