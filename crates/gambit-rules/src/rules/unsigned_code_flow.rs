use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A flow with `code: true` (a deploy, checkout, package install or plugin load)
    /// where neither end has the `signed-artifacts` control, so the receiver runs code
    /// whose origin it does not verify. Pushes into a repository that has
    /// `code-review` or `branch-protection` are accepted: the review is the check.
    ///
    /// ## Why it matters
    /// Whoever can tamper with the artifact in transit or at rest (a compromised build
    /// agent, registry or storage bucket) then runs code in production. Supply-chain
    /// attacks such as SolarWinds and Codecov worked this way.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   payments: {classification: restricted}
    /// components:
    ///   pipeline: {kind: ci-cd}
    ///   payment-svc: {kind: service, processes: [payments]}
    /// flows:
    ///   - {from: pipeline, to: payment-svc, protocol: https, authentication: iam, code: true}
    /// ```
    ///
    /// ## How to fix
    /// Sign artifacts at build time (Sigstore cosign, Notary) and verify the signature
    /// before deploy or run (admission policy, package manager verification), then add
    /// the `signed-artifacts` control.
    pub struct UnsignedCodeFlow {
        id: "unsigned-code-flow",
        title: "Code is deployed without signature verification",
        stride: [Tampering],
        cwe: ["CWE-494", "CWE-345"],
        capec: ["CAPEC-184", "CAPEC-439"],
        attack: ["T1195.002", "T1072"],
        controls: ["signed-artifacts"],
        likelihood: Unlikely,
        impact: Medium,
        fix: "Sign artifacts when they are built and verify signatures before running them.",
    }
}

/// Running an attacker's code on a component exposes everything it handles, both ways.
pub(crate) fn runs_code_impact(
    cx: &Context<'_>,
    c: &gambit_model::Component,
) -> gambit_model::vocab::Impact {
    let stride = [gambit_model::vocab::Stride::ElevationOfPrivilege];
    crate::scoring::assets_impact(cx.model, &cx.handled(c), &stride)
        .unwrap_or(gambit_model::vocab::Impact::Medium)
        .max(gambit_model::vocab::Impact::Medium)
}

impl Check for UnsignedCodeFlow {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            if !f.code {
                continue;
            }
            let signed = [f.from, f.to]
                .into_iter()
                .filter_map(|e| cx.component(e))
                .any(|c| c.has_control("signed-artifacts"));
            let Some(to) = cx.component(f.to) else {
                continue;
            };
            let reviewed = to.kind.as_str() == "repository"
                && (to.has_control("code-review") || to.has_control("branch-protection"));
            if signed || reviewed {
                continue;
            }
            let mut b = cx
                .finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "code: true from {} to {}; neither end has signed-artifacts",
                    cx.name(f.from),
                    to.id
                ))
                .assets(cx.handled(to))
                .impact_at_least(runs_code_impact(cx, to));
            if let Some(i) = to.runs_as {
                b = b.impact_at_least(cx.identity_impact(i));
            }
            b.emit(out);
        }
    }
}
