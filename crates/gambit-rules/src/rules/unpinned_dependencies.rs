use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use crate::rules::shared::runs_code_impact;
use gambit_model::vocab::Control;

declare_rule! {
    /// ## What it finds
    /// A flow with `code: true` from a third-party source (anything untrusted, such as
    /// a public package registry or a stranger's repository, or an outside system) into
    /// a component, where neither end has `dependency-pinning` or `signed-artifacts`.
    /// Your own pipeline hosted by a vendor (a component in a partner zone) is not a
    /// third-party source.
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
            // Third-party code: from an untrusted source (a public registry, a stranger's
            // repository) or an outside system. Our own pipeline hosted by a vendor (a
            // component in a partner zone) is not third-party code.
            let third_party_code = cx.is_untrusted(f.from)
                || cx
                    .actor(f.from)
                    .is_some_and(|a| cx.is_external(f.from) && !cx.is_human(a));
            if !f.code || !third_party_code {
                continue;
            }
            let Some(to) = cx.component(f.to) else {
                continue;
            };
            let verified = [f.from, f.to]
                .into_iter()
                .filter_map(|e| cx.component(e))
                .any(|c| {
                    c.has_control(Control::DependencyPinning)
                        || c.has_control(Control::SignedArtifacts)
                });
            if to.has_control(Control::DependencyPinning) || verified {
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
