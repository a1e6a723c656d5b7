use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use crate::rules::unsigned_code_flow::runs_code_impact;

declare_rule! {
    /// ## What it finds
    /// A flow with `code: true` from a source outside the organisation (a public
    /// package registry, a third-party repository, anything untrusted) into a
    /// component without the `dependency-pinning` control.
    ///
    /// ## Why it matters
    /// Floating versions take whatever the registry serves today: a hijacked
    /// maintainer account, a typosquat or a malicious update runs in your build or
    /// product the next time it installs (event-stream, ua-parser-js, xz).
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// actors:
    ///   npm-registry: {kind: external-system}
    /// components:
    ///   build: {kind: ci-cd}
    /// flows:
    ///   - {from: npm-registry, to: build, protocol: https, authentication: none, code: true}
    /// ```
    ///
    /// ## How to fix
    /// Pin exact versions with lockfiles and hashes (`npm ci`, `pip --require-hashes`,
    /// `Cargo.lock`), install through an internal proxy registry that vets packages, and
    /// add the `dependency-pinning` control.
    pub struct UnpinnedDependencies {
        id: "unpinned-dependencies",
        title: "Third-party code installed without pinning",
        stride: [Tampering],
        cwe: ["CWE-1357", "CWE-829"],
        capec: ["CAPEC-538"],
        attack: ["T1195.001"],
        controls: ["dependency-pinning", "sbom"],
        likelihood: Likely,
        impact: Medium,
        fix: "Pin dependencies with lockfiles and hashes and install through a vetted internal registry.",
    }
}

impl Check for UnpinnedDependencies {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            if !f.code || !cx.is_external(f.from) {
                continue;
            }
            let Some(to) = cx.component(f.to) else {
                continue;
            };
            if to.has_control("dependency-pinning") {
                continue;
            }
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "{} installs code from {} without dependency-pinning",
                    to.id,
                    cx.describe(f.from)
                ))
                .assets(cx.handled(to))
                .impact_at_least(runs_code_impact(cx, to))
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
