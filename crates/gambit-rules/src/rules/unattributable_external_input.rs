use gambit_model::vocab::Criticality;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A flow from an outside system (not a person) that sends data whose integrity is
    /// high or critical, authenticated weakly or not at all (none, password, basic,
    /// NTLM), so the data's origin cannot be proven.
    ///
    /// ## Why it matters
    /// Orders, payments and instructions that arrive without strong sender
    /// authentication can be forged, and a genuine sender can later deny having sent
    /// them (repudiation). Disputes then have no evidence either way.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   payment-orders: {classification: confidential, integrity: critical}
    /// actors:
    ///   bank: {kind: partner, trust: partner}
    /// components:
    ///   treasury: {kind: service, processes: [payment-orders]}
    /// flows:
    ///   - {from: bank, to: treasury, protocol: sftp, authentication: password, data: [payment-orders]}
    /// ```
    ///
    /// ## How to fix
    /// Authenticate the sending system strongly (mTLS, signed tokens) and sign the
    /// messages themselves (JWS, PGP, XML signatures); keep the signed originals.
    pub struct UnattributableExternalInput {
        id: "unattributable-external-input",
        title: "Critical data from outside without proof of origin",
        stride: [Repudiation, Spoofing],
        cwe: ["CWE-345"],
        capec: ["CAPEC-148"],
        attack: ["T1565"],
        controls: [],
        likelihood: Likely,
        impact: Medium,
        fix: "Authenticate the sending system with mTLS or signed tokens and sign the messages.",
    }
}

impl Check for UnattributableExternalInput {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            if !cx.is_external(f.from)
                || cx.actor(f.from).is_some_and(|a| cx.is_human(a))
                || cx.authentication(f).strength() > 1
            {
                continue;
            }
            let critical: Vec<_> = f
                .data
                .iter()
                .copied()
                .filter(|&a| cx.model[a].integrity >= Criticality::High)
                .collect();
            if critical.is_empty() {
                continue;
            }
            let names: Vec<String> = critical
                .iter()
                .map(|&a| format!("{} (integrity {})", cx.asset_name(a), cx.model[a].integrity))
                .collect();
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "{} sends {} with authentication {}",
                    cx.describe(f.from),
                    names.join(", "),
                    cx.authentication(f)
                ))
                .assets(critical)
                .emit(out);
        }
    }
}
