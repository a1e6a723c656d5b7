use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::{ComponentKind, Control};

declare_rule! {
    /// ## What it finds
    /// A source repository whose content is built or deployed (it has an outbound
    /// `code: true` flow, or a flow to CI/CD) without `branch-protection` or
    /// `code-review`.
    ///
    /// ## Why it matters
    /// Without required reviews on protected branches, one stolen developer token or
    /// one malicious insider pushes straight to what production runs.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// components:
    ///   repo: {kind: repository}
    ///   ci: {kind: ci-cd}
    /// flows:
    ///   - {from: repo, to: ci, protocol: https, authentication: token, code: true}
    /// ```
    ///
    /// ## How to fix
    /// Protect release branches: required reviews by code owners, signed commits, no
    /// force-push, status checks; then add `branch-protection` and `code-review`.
    pub struct UnprotectedRepository {
        id: "unprotected-repository",
        title: "Repository changes reach production without review",
        stride: [Tampering],
        cwe: ["CWE-284", "CWE-1357"],
        capec: ["CAPEC-444"],
        attack: ["T1195.002", "T1213.003"],
        controls: ["branch-protection", "code-review"],
        likelihood: Unlikely,
        impact: High,
        fix: "Protect release branches with required code-owner reviews and no force-push.",
    }
}

impl Check for UnprotectedRepository {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if !c.kind.is(ComponentKind::Repository)
                || c.has_control(Control::BranchProtection)
                || c.has_control(Control::CodeReview)
            {
                continue;
            }
            let feeds: Vec<&str> = c
                .flows_out
                .iter()
                .map(|&f| &cx.model[f])
                .filter(|f| {
                    f.code
                        || cx
                            .component(f.to)
                            .is_some_and(|t| t.kind.is(ComponentKind::CiCd))
                })
                .map(|f| cx.name(f.to))
                .collect();
            if feeds.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "repository {} feeds {}; no branch-protection or code-review",
                    c.id,
                    feeds.join(", ")
                ))
                .assets(cx.handled(c))
                .fixed_likelihood(Self::META.likelihood)
                .impact_at_least(Self::META.impact)
                .emit(out);
        }
    }
}
